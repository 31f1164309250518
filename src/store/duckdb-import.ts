import { VaratlasError } from '../errors.js';
import { contract, type DatasetKind } from '../model/contract.js';
import { cubeTablesByImport } from './duckdb-cube.js';
import type { DuckDbSession } from './duckdb-session.js';
import { rawColumn, type Dialect } from './dialect.js';
import { toNullableString, toNumber, type Row } from './normalize.js';
import type { ImportPlan, ImportRecord, ImportResult } from './store.js';
import { checkedRowsSql, keyRangeParams, keyRangeSql, tableColumns, type KeyRange } from './validation-sql.js';

const temp = { source: 'va_source', checked: 'va_checked', csvRejects: 'va_csv_rejects', csvScans: 'va_csv_scans' };
export const importTemps = Object.values(temp);

export const importSelect = `SELECT import_id, kind, file_name, file_hash, format, encoding, rows_read, rows_accepted,
  rows_rejected, note, strftime(imported_at, '%Y-%m-%d %H:%M:%S') AS imported_at FROM imports`;

export function toImportRecord(r: Row): ImportRecord {
  return {
    importId: toNumber(r.import_id),
    kind: r.kind as DatasetKind,
    fileName: String(r.file_name),
    fileHash: String(r.file_hash),
    format: String(r.format),
    encoding: toNullableString(r.encoding),
    rowsRead: toNumber(r.rows_read),
    rowsAccepted: toNumber(r.rows_accepted),
    rowsRejected: toNumber(r.rows_rejected),
    note: toNullableString(r.note),
    importedAt: String(r.imported_at),
  };
}

export async function findEarlierImports(s: DuckDbSession, kind: DatasetKind, fileHash: string, fileName: string): Promise<ImportRecord[]> {
  const rows = await s.rows(`${importSelect} WHERE kind = $kind AND (file_hash = $hash OR file_name = $name) ORDER BY import_id`, {
    kind,
    hash: fileHash,
    name: fileName,
  });
  return rows.map(toImportRecord);
}

/**
 * Load one source file as one transaction: read it as text, check every rule, keep the rejects with
 * their lines, insert the accepted rows. Replacing removes the earlier import of the same file, its
 * rejects and its rows in the strata cube, in the same transaction; the cube is refreshed afterwards.
 */
export async function importDataset(s: DuckDbSession, d: Dialect, plan: ImportPlan, onProgress?: (fraction: number) => void): Promise<ImportResult> {
  const spec = contract[plan.kind];
  const table = d.ident(plan.kind);
  try {
    const result = await s.transaction(async () => {
      await dropTemps(s);
      const earlier = await findEarlierImports(s, plan.kind, plan.fileHash, plan.fileName);
      if (earlier.length > 0 && !plan.replace) {
        const first = earlier[0]!;
        throw new VaratlasError(
          'duplicate_import',
          `${plan.fileName} was already imported as ${plan.kind} (import ${first.importId}, ${first.importedAt}); ` +
            'nothing was changed. Use --replace to replace the earlier import.',
        );
      }
      for (const old of earlier) {
        for (const t of [table, 'rejects', 'imports', ...cubeTablesByImport]) await s.run(`DELETE FROM ${t} WHERE import_id = $id`, { id: old.importId });
      }
      const [idRow] = await s.rows(`SELECT nextval('import_seq') AS id`);
      const importId = toNumber(idRow!.id);

      await s.runWatched(`CREATE TEMP TABLE ${temp.source} AS ${sourceSelect(d, plan)}`, { path: plan.path }, (f) => onProgress?.(f * 0.6));
      const malformed = plan.format === 'csv' ? await keepMalformedLines(s, importId) : 0;
      const raw = new Map([...plan.positions].map(([name, position]) => [name, rawColumn(position)]));
      const source = `(SELECT ordinality AS rec, * FROM ${temp.source})`;
      const ranges = await keyRanges(s, d, spec, raw);
      await s.runWatched(`CREATE TEMP TABLE ${temp.checked} AS ${checkedRowsSql(d, spec, raw, source, plan.dateWindow, ranges)}`, keyRangeParams(ranges), (f) => onProgress?.(0.6 + f * 0.3));
      await s.run(`DROP TABLE ${temp.source}`); // frees memory before the insert
      await s.run(rejectsInsert(plan, malformed), { id: importId });
      const columns = tableColumns(spec).map((c) => d.ident(c.name));
      await s.runWatched(
        `INSERT INTO ${table} (${columns.join(', ')}, import_id)
         SELECT ${columns.join(', ')}, $id FROM ${temp.checked} WHERE problems IS NULL`,
        { id: importId },
        (f) => onProgress?.(0.9 + f * 0.1),
      );
      const [counts] = await s.rows(`SELECT count(*) AS parsed, count(*) FILTER (WHERE problems IS NULL) AS accepted FROM ${temp.checked}`);
      const parsed = toNumber(counts!.parsed);
      const accepted = toNumber(counts!.accepted);
      // Every record of the file is read or rejected: a reader that lost count refuses the file.
      if (plan.records !== undefined && parsed + malformed !== plan.records) {
        throw new VaratlasError(
          'input',
          `${plan.fileName} holds ${plan.records.toLocaleString('en')} records after its header, but only ${(parsed + malformed).toLocaleString('en')} ` +
            'could be read or rejected one by one, so some lines would be lost; the store is unchanged. Check the file for stray quotes and line ends.',
        );
      }
      const result: ImportResult = {
        importId,
        kind: plan.kind,
        rowsRead: parsed + malformed,
        rowsAccepted: accepted,
        rowsRejected: parsed - accepted + malformed,
        replacedImports: earlier.map((e) => e.importId),
      };
      await s.run(
        `INSERT INTO imports (import_id, kind, file_name, file_hash, format, encoding, delimiter, rows_read, rows_accepted, rows_rejected, note)
         VALUES ($id, $kind, $name, $hash, $format, $encoding, $delimiter, $read, $accepted, $rejected, $note)`,
        {
          id: importId,
          kind: plan.kind,
          name: plan.fileName,
          hash: plan.fileHash,
          format: plan.format,
          encoding: plan.encoding ?? null,
          delimiter: plan.delimiter ?? null,
          read: result.rowsRead,
          accepted: result.rowsAccepted,
          rejected: result.rowsRejected,
          note: plan.note ?? null,
        },
      );
      await dropTemps(s);
      return result;
    }, importTemps);
    onProgress?.(1);
    return result;
  } catch (error) {
    throw translateError(error, plan);
  }
}

/** The key range of each unique column of the file (see KeyRange): one cheap pass over the raw keys. */
async function keyRanges(s: DuckDbSession, d: Dialect, spec: (typeof contract)[DatasetKind], raw: Map<string, string>): Promise<Map<string, KeyRange>> {
  const ranges = new Map<string, KeyRange>();
  for (const rule of spec.rules) {
    const column = raw.get(rule.column);
    if (rule.kind !== 'unique' || column === undefined) continue;
    const sql = keyRangeSql(d, spec, rule.column, column, temp.source);
    if (!sql) continue;
    const [row] = await s.rows(sql);
    ranges.set(rule.column, row?.lo === null || row?.lo === undefined ? null : { lo: String(row.lo), hi: String(row.hi) });
  }
  return ranges;
}

async function dropTemps(s: DuckDbSession): Promise<void> {
  for (const name of importTemps) await s.run(`DROP TABLE IF EXISTS ${name}`);
}

function sourceSelect(d: Dialect, plan: ImportPlan): string {
  if (plan.format === 'csv') {
    return `SELECT * FROM ${d.readCsv({
      columnCount: plan.columnCount,
      delimiter: plan.delimiter ?? ',',
      rejectsTable: temp.csvRejects,
      rejectsScanTable: temp.csvScans,
      compression: plan.compression,
    })}`;
  }
  // Positional references: column names written in a user's file never reach SQL.
  const columns = Array.from({ length: plan.columnCount }, (_, i) => `CAST(#${i + 1} AS VARCHAR) AS ${rawColumn(i)}`);
  return `SELECT ${columns.join(', ')}, ordinality FROM ${d.readParquet()}`;
}

/**
 * Write the problems of the rejected rows with their line numbers. Rows are numbered by record
 * (`rec`) while checking; only the rejected few are turned into lines here. The CSV reader numbers
 * the rows it kept 1, 2, … and reports the line of each malformed one, so kept record k sits on line
 * k + 1 (header) + the number of malformed lines before it. Parquet has no lines: its "line" is the
 * row number.
 */
function rejectsInsert(plan: ImportPlan, malformed: number): string {
  const header = plan.format === 'csv' ? 1 : 0;
  const steps =
    malformed === 0
      ? `SELECT CAST(NULL AS BIGINT) AS kept_before, CAST(NULL AS BIGINT) AS skipped WHERE false`
      : `WITH bad AS (SELECT DISTINCT line FROM ${temp.csvRejects}),
           numbered AS (SELECT line - row_number() OVER (ORDER BY line) - 1 AS kept_before, row_number() OVER (ORDER BY line) AS skipped FROM bad)
         SELECT kept_before, max(skipped) AS skipped FROM numbered GROUP BY kept_before`;
  return `INSERT INTO rejects (import_id, line, column_name, reason, value)
    WITH steps AS (${steps}),
      problems AS (SELECT rec, unnest(problems) AS p FROM ${temp.checked} WHERE problems IS NOT NULL),
      lined AS (SELECT problems.*, rec + ${header} + coalesce(s.skipped, 0) AS line
        FROM problems ASOF LEFT JOIN steps s ON problems.rec > s.kept_before),
      referred AS (SELECT lined.*, lined.p.ref + ${header} + coalesce(s.skipped, 0) AS ref_line
        FROM lined ASOF LEFT JOIN steps s ON lined.p.ref > s.kept_before)
    SELECT $id, line, p.col, p.reason || coalesce(' ' || CAST(ref_line AS VARCHAR), ''), p.val FROM referred`;
}

async function keepMalformedLines(s: DuckDbSession, importId: number): Promise<number> {
  // One reject per malformed line; the reader's message says what is wrong with its shape.
  await s.run(
    `INSERT INTO rejects (import_id, line, column_name, reason, value)
     SELECT $id, line, NULL,
       'malformed line: ' || coalesce(lower(arg_min(error_type, coalesce(column_idx, 0))), 'unreadable') || coalesce(' (' || arg_min(error_message, coalesce(column_idx, 0)) || ')', ''), NULL
     FROM ${temp.csvRejects} GROUP BY line`,
    { id: importId },
  );
  const [row] = await s.rows(`SELECT count(DISTINCT line) AS n FROM ${temp.csvRejects}`);
  return toNumber(row!.n);
}

function translateError(error: unknown, plan: ImportPlan): unknown {
  if (error instanceof VaratlasError) return error;
  const message = (error as Error).message ?? String(error);
  if (/interrupt/i.test(message)) {
    return new VaratlasError('interrupted', `import of ${plan.fileName} was interrupted; the store is unchanged`, { cause: error });
  }
  if (/invalid unicode|utf-?8/i.test(message)) {
    return new VaratlasError(
      'input',
      `${plan.fileName} is not valid UTF-8 (pass --encoding windows-1252 for files saved by Excel); the store is unchanged`,
      { cause: error },
    );
  }
  return new VaratlasError('store', `import of ${plan.fileName} failed and was rolled back: ${message.split('\n')[0]}`, { cause: error });
}
