import { VaratlasError } from '../errors.js';
import { contract, type DatasetKind } from '../model/contract.js';
import { cubeTablesByImport } from './dialects/duckdb-schema.js';
import type { DuckDbSession } from './duckdb-session.js';
import { rawColumn, type Dialect } from './dialect.js';
import { toNullableString, toNumber, type Row } from './normalize.js';
import type { ImportPlan, ImportRecord, ImportResult } from './store.js';
import { checkedRowsSql, duplicatesSql, tableColumns, uniqueColumns } from './validation-sql.js';

const temp = {
  duplicates: 'va_duplicates',
  lineSteps: 'va_line_steps',
  emptySteps: 'va_empty_steps',
  badRecords: 'va_bad_records',
  csvRejects: 'va_csv_rejects',
  csvScans: 'va_csv_scans',
};
/**
 * The rows of an import as written (rejected ones too) with their record numbers (1, 2, … in the file's
 * order): one statement wrote them in the file's order, so their row ids are consecutive from `first`.
 */
const recordOf = (first: bigint) => `rowid - ${first.toString()} + 1`;
const ofImport = (importId: number) => `import_id = ${Number(importId)}`;
const numbered = (table: string, importId: number, first: bigint) => `(SELECT ${recordOf(first)} AS rec, * FROM ${table} WHERE ${ofImport(importId)})`;
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
 * Load one source file as one transaction: read it as text, check every rule and write every row
 * into the table in one pass, with its problems; keep the rejects with their lines. Then, once that
 * has committed, remove the rejected rows (finishImports). Nothing is held in memory but what DuckDB
 * streams, and the file is read once. Replacing removes the earlier import of the same file, its
 * rejects and its rows in the strata cube, in the same transaction; the cube is refreshed afterwards.
 */
export async function importDataset(s: DuckDbSession, d: Dialect, plan: ImportPlan, onProgress?: (fraction: number) => void): Promise<ImportResult> {
  const spec = contract[plan.kind];
  const table = d.ident(plan.kind);
  try {
    // An earlier import whose rejected rows are still in its table must not count them as stored keys.
    await finishImports(s, d);
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
        for (const t of [table, 'rejects', 'imports', 'import_rejected_keys', ...cubeTablesByImport]) await s.run(`DELETE FROM ${t} WHERE import_id = $id`, { id: old.importId });
      }
      const [idRow] = await s.rows(`SELECT nextval('import_seq') AS id`);
      const importId = toNumber(idRow!.id);

      // One pass over the file: read, parse, check and write every row, a rejected one with its problems
      // (and placeholders where a required value is missing). The reader runs in parallel and the insert
      // keeps the file's order (DuckDB preserves insertion order by default): a row's record number
      // comes from its row id (recordOf).
      const raw = new Map([...plan.positions].map(([name, position]) => [name, rawColumn(position)]));
      const columns = tableColumns(d, spec);
      await s.runWatched(
        `INSERT INTO ${table} (${columns.map((c) => d.ident(c.name)).join(', ')}, import_id, import_problems)
         SELECT ${columns.map((c) => (c.placeholder ? `coalesce(${d.ident(c.name)}, ${c.placeholder})` : d.ident(c.name))).join(', ')}, $id, problems
         FROM (${checkedRowsSql(d, spec, raw, `(${sourceSelect(d, plan)})`, plan.dateWindow)})`,
        { path: plan.path, id: importId },
        (f) => onProgress?.(f * 0.95),
      );
      await keepSteps(s, temp.lineSteps, ['record', 'drift'], (plan.lines?.steps ?? []).map((x) => [x.record, x.drift]));
      await keepSteps(s, temp.emptySteps, ['line', 'empty'], (plan.lines?.empty ?? []).map((x) => [x.line, x.empty]));
      const malformed = plan.format === 'csv' ? await keepMalformedLines(s, importId) : 0;
      const [firstRow] = await s.arrays(`SELECT coalesce(min(rowid), 0), count(*) FROM ${table} WHERE ${ofImport(importId)}`);
      const first = BigInt(firstRow![0] as bigint | number);
      const parsed = toNumber(firstRow![1] as bigint | number);
      const rows = numbered(table, importId, first);
      await findDuplicates(s, d, spec, rows, importId);
      await s.run(rejectsInsert(table, importId, plan, malformed, first), { id: importId });
      // The rejected rows are removed once this transaction has committed (finishImports): deleting
      // rows a transaction wrote itself makes DuckDB copy all of them again when it commits (34 s for
      // 10.7 million episodes, against 0.1 s). What finishing needs is kept: the duplicates' keys.
      const unique = uniqueColumns(spec)[0];
      if (unique) {
        await s.run(
          `INSERT INTO import_rejected_keys SELECT DISTINCT $id, key, problem.ref IS NOT NULL FROM ${temp.duplicates}`,
          { id: importId },
        );
      }
      const [counts] = await s.rows(
        `SELECT count(*) FILTER (WHERE import_problems IS NULL AND ${recordOf(first)} NOT IN (SELECT rec FROM ${temp.duplicates})) AS accepted
         FROM ${table} WHERE ${ofImport(importId)}`,
      );
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
        `INSERT INTO imports (import_id, kind, file_name, file_hash, format, encoding, delimiter, rows_read, rows_accepted, rows_rejected, note, finishing)
         VALUES ($id, $kind, $name, $hash, $format, $encoding, $delimiter, $read, $accepted, $rejected, $note, true)`,
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
    // The import has committed: should removing its rejected rows be stopped (Ctrl-C) or fail, the next
    // write (a refresh, an import, opening the store) finishes it, and the cube never reads them before.
    await finishImports(s, d).catch(() => undefined);
    onProgress?.(1);
    return result;
  } catch (error) {
    throw translateError(error, plan);
  }
}

/**
 * Remove the rejected rows of every import that committed without removing them (the step after an
 * import's transaction, or after a process stopped between the two): rows with problems, every row of a
 * key already in the store, and every row but the first of a key repeated in the file; then the years
 * an episodes import spans, which the cube's readers need. One transaction, on committed rows (cheap);
 * run by the import and whenever a store is opened for writing, so no refresh ever reads a rejected row.
 */
export async function finishImports(s: DuckDbSession, d: Dialect): Promise<void> {
  const pending = await s.rows(`SELECT import_id, kind FROM imports WHERE finishing ORDER BY import_id`);
  for (const r of pending) {
    const importId = toNumber(r.import_id);
    const kind = String(r.kind) as DatasetKind;
    const table = d.ident(kind);
    const unique = uniqueColumns(contract[kind])[0];
    await s.transaction(async () => {
      const keys = (keepFirst: boolean) => `SELECT key FROM import_rejected_keys WHERE ${ofImport(importId)} AND keep_first = ${keepFirst}`;
      const key = unique ? `CAST(${d.ident(unique)} AS VARCHAR)` : '';
      const duplicates = unique
        ? ` OR ${key} IN (${keys(false)})
            OR rowid IN (SELECT rowid FROM ${table} WHERE ${ofImport(importId)} AND ${key} IN (${keys(true)})
                         QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY rowid) > 1)`
        : '';
      await s.run(`DELETE FROM ${table} WHERE ${ofImport(importId)} AND (import_problems IS NOT NULL${duplicates})`);
      await s.run(`DELETE FROM import_rejected_keys WHERE ${ofImport(importId)}`);
      if (kind === 'episodes') {
        await s.run(`DELETE FROM import_years WHERE ${ofImport(importId)}`);
        await s.run(`INSERT INTO import_years SELECT $id, min(year(start_date)), max(year(start_date)) FROM ${table} WHERE ${ofImport(importId)}`, { id: importId });
      }
      await s.run(`UPDATE imports SET finishing = false WHERE ${ofImport(importId)}`);
    });
  }
}

/**
 * The checked rows whose key of a unique column is taken (by an earlier record or by the store), into
 * the duplicates table. The stored keys are read only within the file's key range (validation-sql.ts).
 */
async function findDuplicates(s: DuckDbSession, d: Dialect, spec: (typeof contract)[DatasetKind], rows: string, importId: number): Promise<void> {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  for (const [i, column] of uniqueColumns(spec).entries()) {
    const [range] = await s.rows(`SELECT CAST(min(${d.ident(column)}) AS VARCHAR) AS lo, CAST(max(${d.ident(column)}) AS VARCHAR) AS hi FROM ${rows}`);
    const known = range?.lo !== null && range?.lo !== undefined;
    if (known) Object.assign(params, { [`lo${i}`]: String(range.lo), [`hi${i}`]: String(range.hi) });
    parts.push(duplicatesSql(d, spec, column, rows, known ? { lo: `$lo${i}`, hi: `$hi${i}` } : null, importId));
  }
  const none = `SELECT CAST(NULL AS BIGINT) AS rec, CAST(NULL AS VARCHAR) AS key, ${d.problem('', "''", null)} AS problem WHERE false`;
  await s.run(`CREATE TEMP TABLE ${temp.duplicates} AS ${parts.length ? parts.map((p) => `(${p})`).join(' UNION ALL ') : none}`, params);
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
    })}`;
  }
  // Positional references: column names written in a user's file never reach SQL.
  const columns = Array.from({ length: plan.columnCount }, (_, i) => `CAST(#${i + 1} AS VARCHAR) AS ${rawColumn(i)}`);
  return `SELECT ${columns.join(', ')} FROM ${d.readParquet()}`;
}

/**
 * Write the problems of the rejected rows with their line numbers. Rows are numbered by record
 * (`rec`, from the written rows' ids) while checking; only the rejected few are turned into lines
 * here. The reader keeps the well-formed records in order, so kept record k is the file's record
 * k + 1 (header) + the malformed records before it; the line steps then give the line of the file where
 * that record starts (quoted line breaks and empty lines counted). Parquet has no lines: its "line" is
 * the row number.
 */
function rejectsInsert(table: string, importId: number, plan: ImportPlan, malformed: number, first: bigint): string {
  const header = plan.format === 'csv' ? 1 : 0;
  const steps =
    malformed === 0
      ? `SELECT CAST(NULL AS BIGINT) AS kept_before, CAST(NULL AS BIGINT) AS skipped WHERE false`
      : `WITH numbered AS (SELECT record - row_number() OVER (ORDER BY record) - 1 AS kept_before, row_number() OVER (ORDER BY record) AS skipped FROM ${temp.badRecords})
         SELECT kept_before, max(skipped) AS skipped FROM numbered GROUP BY kept_before`;
  return `INSERT INTO rejects (import_id, line, column_name, reason, value)
    WITH steps AS (${steps}),
      problems AS (SELECT ${recordOf(first)} AS rec, unnest(import_problems) AS p FROM ${table} WHERE ${ofImport(importId)} AND import_problems IS NOT NULL
        UNION ALL SELECT rec, problem FROM ${temp.duplicates}),
      lined AS (SELECT problems.*, rec + ${header} + coalesce(s.skipped, 0) AS line
        FROM problems ASOF LEFT JOIN steps s ON problems.rec > s.kept_before),
      referred AS (SELECT lined.*, lined.p.ref + ${header} + coalesce(s.skipped, 0) AS ref_line
        FROM lined ASOF LEFT JOIN steps s ON lined.p.ref > s.kept_before)
    SELECT $id, ${fileLine('referred', 'line', 'a')}, p.col, p.reason || coalesce(' ' || CAST(${fileLine('referred', 'ref_line', 'b')} AS VARCHAR), ''), p.val
    FROM referred ASOF LEFT JOIN ${temp.lineSteps} a ON referred.line >= a.record ASOF LEFT JOIN ${temp.lineSteps} b ON referred.ref_line >= b.record`;
}

/** A small table of the file's steps (CsvShape.lineSteps, CsvShape.emptySteps) for the line numbers. */
async function keepSteps(s: DuckDbSession, name: string, columns: [string, string], steps: [number, number][]): Promise<void> {
  await s.run(`CREATE TEMP TABLE ${name} (${columns.map((c) => `${c} BIGINT NOT NULL`).join(', ')})`);
  for (let i = 0; i < steps.length; i += 1000) {
    const values = steps.slice(i, i + 1000).map(([a, b]) => `(${Number(a)}, ${Number(b)})`);
    await s.run(`INSERT INTO ${name} VALUES ${values.join(', ')}`);
  }
}

/** SQL: the line in the file where record number `line` of relation `alias` (the header is record 1) starts. */
const fileLine = (alias: string, line: string, steps: string) => `${alias}.${line} + coalesce(${steps}.drift, 0)`;

/**
 * One reject per malformed line; the reader's message says what is wrong with its shape. The reader
 * numbers lines counting empty ones but not quoted line breaks: its line becomes the record's number
 * (empty lines taken off), kept for the other rejects' lines, and then the line in the file.
 */
async function keepMalformedLines(s: DuckDbSession, importId: number): Promise<number> {
  await s.run(
    `CREATE TEMP TABLE ${temp.badRecords} AS
     SELECT b.line - coalesce(e.empty, 0) AS record, b.reason
     FROM (SELECT line, 'malformed line: ' || coalesce(lower(arg_min(error_type, coalesce(column_idx, 0))), 'unreadable')
             || coalesce(' (' || arg_min(error_message, coalesce(column_idx, 0)) || ')', '') AS reason
           FROM ${temp.csvRejects} GROUP BY line) b
       ASOF LEFT JOIN ${temp.emptySteps} e ON b.line >= e.line`,
  );
  await s.run(
    `INSERT INTO rejects (import_id, line, column_name, reason, value)
     SELECT $id, ${fileLine('b', 'record', 'ls')}, NULL, b.reason, NULL
     FROM ${temp.badRecords} b ASOF LEFT JOIN ${temp.lineSteps} ls ON b.record >= ls.record`,
    { id: importId },
  );
  const [row] = await s.rows(`SELECT count(*) AS n FROM ${temp.badRecords}`);
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
