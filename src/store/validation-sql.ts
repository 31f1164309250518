import { invalidReason, missingReason, type ColumnSpec } from '../model/columns.js';
import type { DatasetSpec } from '../model/contract.js';
import type { Dialect } from './dialect.js';

/** The dates an import accepts (YYYY-MM-DD, both ends included). */
export interface DateWindow {
  from: string;
  to: string;
}

/** From 1990-01-01 to the day of the import: earlier dates are typos (1800-01-01), later ones cannot have happened yet. */
export const defaultDateWindow = (today = new Date()): DateWindow => ({ from: '1990-01-01', to: today.toISOString().slice(0, 10) });

/**
 * The least and greatest key of a unique column in the file being imported, as SQL (parameters: keys
 * are data), or null when the file has none. The stored keys are read only within it, which the store's
 * min/max statistics per block turn into skipping every block outside it: with keys that grow from file
 * to file (ids with a year or a serial in them), checking the file costs the same however much the store
 * already holds.
 */
export type KeyRange = { lo: string; hi: string } | null;

/** The columns of a dataset whose values must be unique in the store. */
export const uniqueColumns = (spec: DatasetSpec): string[] => spec.rules.flatMap((r) => (r.kind === 'unique' ? [r.column] : []));

/**
 * The rows of the checked relation (`rec` and the table's columns) whose key of a unique column is
 * already taken: by an earlier record of the file (`ref`: that record) or by a row in the store within
 * the file's key range (`ref` NULL). Columns: rec, key (as text), problem (a dialect problem). Duplicates
 * are rare: the file's keys are grouped once, and only the stored keys inside the range are read. The
 * file's own rows are in the table already (import `importId`, written with their problems): the
 * store's part reads only earlier imports (smaller ids, so the blocks of the file's own rows are skipped
 * by their min/max).
 */
export function duplicatesSql(d: Dialect, spec: DatasetSpec, column: string, checked: string, range: KeyRange, importId: number): string {
  const key = d.ident(column);
  const shown = spec.columns.find((c) => c.name === column)!.identifying ? null : `left(CAST(c.${key} AS VARCHAR), 100)`;
  const stored = range === null ? 'WHERE false' : `WHERE ${key} BETWEEN ${range.lo} AND ${range.hi} AND import_id < ${Number(importId)}`;
  // Keys seen twice: first by their hash (a grouping of numbers, not text: a third faster on a national
  // file), then exactly, on the few rows whose hash is repeated.
  return `WITH maybe AS (SELECT ${d.hash(key)} AS h FROM ${checked} WHERE ${key} IS NOT NULL GROUP BY 1 HAVING count(*) > 1),
    repeated AS (SELECT ${key} AS k, min(rec) AS first_rec FROM ${checked} WHERE ${key} IS NOT NULL AND ${d.hash(key)} IN (SELECT h FROM maybe)
      GROUP BY ${key} HAVING count(*) > 1)
    SELECT c.rec, CAST(c.${key} AS VARCHAR) AS key, ${d.problem(column, d.literal(`duplicate ${column}, first at line`), shown, 'r.first_rec')} AS problem
    FROM ${checked} c JOIN repeated r ON r.k = c.${key} WHERE c.rec > r.first_rec
    UNION ALL
    SELECT c.rec, CAST(c.${key} AS VARCHAR) AS key, ${d.problem(column, d.literal(`${column} is already in the store (use --replace to replace the earlier import)`), shown)}
    FROM ${checked} c SEMI JOIN (SELECT ${key} AS k FROM ${d.ident(spec.kind)} ${stored}) s ON s.k = c.${key}`;
}

/** One rule check: when `broken` holds, the row gets `problem`. */
interface Check {
  broken: string;
  problem: string;
}

/**
 * Builds the query that turns raw text rows into typed rows plus the list of rules each row breaks.
 * Input relation: the raw text columns, in the file's order; `rawByColumn` maps a contract column to its
 * raw column (c0, c1, …). The result has the typed columns under their table names and `problems`, which
 * is NULL for a valid row (the list is only built for the few rows that need it). Unique columns are
 * checked afterwards, on the typed rows (duplicatesSql).
 */
export function checkedRowsSql(
  d: Dialect,
  spec: DatasetSpec,
  rawByColumn: Map<string, string>,
  input: string,
  dateWindow: DateWindow = defaultDateWindow(),
): string {
  const columns = spec.columns;
  const text = (c: ColumnSpec) => d.ident(`t_${c.name}`);
  const parsed = (c: ColumnSpec) => d.ident(`p_${c.name}`);
  const column = (name: string) => columns.find((c) => c.name === name)!;

  const trimmed = columns.map((c) => {
    const raw = rawByColumn.get(c.name);
    return raw === undefined
      ? `CAST(NULL AS VARCHAR) AS ${text(c)}`
      : `${d.trimmed(d.ident(raw))} AS ${text(c)}`;
  });

  const parsedColumns = columns.flatMap((c) => {
    const p = d.parse(c.type, text(c));
    return typeof p === 'string'
      ? [`${p} AS ${parsed(c)}`]
      : [`${p.lo} AS age_lo`, `${p.hi} AS age_hi`, `age_lo AS ${parsed(c)}`];
  });

  const shown = (c: ColumnSpec) => (c.identifying ? null : `left(${text(c)}, 100)`);
  const checks: Check[] = [];
  for (const c of columns) {
    if (c.required) checks.push({ broken: `${text(c)} IS NULL`, problem: d.problem(c.name, d.literal(missingReason), null) });
    checks.push({
      broken: `(${text(c)} IS NOT NULL AND ${parsed(c)} IS NULL)`,
      problem: d.problem(c.name, d.literal(invalidReason(c)), shown(c)),
    });
  }
  for (const rule of spec.rules) {
    const col = column(rule.column);
    if (rule.kind === 'unique') {
      // Checked once the file is read (duplicatesSql).
      continue;
    } else if (rule.kind === 'in_window') {
      const { from, to } = dateWindow;
      checks.push({
        broken: `coalesce(${parsed(col)} NOT BETWEEN DATE ${d.literal(from)} AND DATE ${d.literal(to)}, false)`,
        problem: d.problem(rule.column, d.literal(`must lie between ${from} and ${to} (the import's date window; --dates changes it)`), shown(col)),
      });
    } else if (rule.kind === 'five_year_group') {
      // The rates count population and activity in 5-year groups: a wider group (a typo like 55-69) would be lost.
      checks.push({
        broken: `coalesce(age_lo < 90 AND age_hi >= age_lo // 5 * 5 + 5, false)`,
        problem: d.problem(rule.column, d.literal('must lie inside one 5-year age group (0-4, 5-9, …, 85-89) or start at 90'), shown(col)),
      });
    } else {
      const other = column(rule.other);
      const [op, words] = rule.kind === 'not_before' ? ['<', 'must not be before'] : ['>', 'must not be greater than'];
      checks.push({
        broken: `coalesce(${parsed(col)} ${op} ${parsed(other)}, false)`,
        problem: d.problem(rule.column, d.literal(`${words} ${rule.other}`), shown(col)),
      });
    }
  }

  const anyBroken = checks.map((c) => c.broken).join('\n      OR ');
  const listed = checks.map((c) => `CASE WHEN ${c.broken} THEN ${c.problem} END`);
  const output = tableColumns(d, spec).map(({ name, from }) => `${d.ident(from)} AS ${d.ident(name)}`);
  return `WITH trimmed AS (SELECT ${trimmed.join(', ')} FROM ${input}),
    parsed AS (SELECT *, ${parsedColumns.join(', ')} FROM trimmed)
    SELECT ${output.join(', ')},
      CASE WHEN ${anyBroken} THEN ${d.problems(listed)} END AS problems
    FROM parsed`;
}

/**
 * The store table's data columns for a dataset, in contract order, each with the column of the
 * parsed relation it comes from (an age group becomes age_lo and age_hi) and, for a required column,
 * the value a rejected row holds until its import has finished (the table's NOT NULL holds; the row
 * is removed right after the import commits: finishImports in duckdb-import.ts).
 */
export function tableColumns(d: Dialect, spec: DatasetSpec): { name: string; from: string; placeholder: string | null }[] {
  return spec.columns.flatMap((c) => {
    const placeholder = c.required ? d.placeholder(c.type) : null;
    return c.type.kind === 'age_group'
      ? [
          { name: 'age_lo', from: 'age_lo', placeholder },
          { name: 'age_hi', from: 'age_hi', placeholder },
        ]
      : [{ name: c.name, from: `p_${c.name}`, placeholder }];
  });
}
