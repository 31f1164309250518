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
 * The least and greatest key of a unique column in the file being imported (null: the file has none).
 * The stored keys are then read only within it, which the store's min/max statistics per block turn
 * into skipping every block outside it: with keys that grow from file to file (ids with a year or a
 * serial in them), checking the file costs the same however much the store already holds.
 */
export type KeyRange = { lo: string; hi: string } | null;

/** The query for a unique column's key range over the raw input (keys are text: text and digits columns). */
export function keyRangeSql(d: Dialect, spec: DatasetSpec, column: string, raw: string, input: string): string | undefined {
  const c = spec.columns.find((x) => x.name === column)!;
  if (c.type.kind !== 'text' && c.type.kind !== 'digits') return undefined;
  const key = d.parse(c.type, `NULLIF(trim(${d.ident(raw)}), '')`);
  return `SELECT min(k) AS lo, max(k) AS hi FROM (SELECT ${key as string} AS k FROM ${input})`;
}

/** The parameters that carry the key ranges into the query (keys are data: never spliced into SQL). */
export function keyRangeParams(keyRanges: Map<string, KeyRange>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [column, range] of keyRanges) if (range) Object.assign(params, { [`lo_${column}`]: range.lo, [`hi_${column}`]: range.hi });
  return params;
}

const storedWhere = (d: Dialect, column: string, range: KeyRange | undefined): string =>
  range === undefined ? '' : range === null ? ' WHERE false' : ` WHERE ${d.ident(column)} BETWEEN $lo_${column} AND $hi_${column}`;

/** One rule check: when `broken` holds, the row gets `problem`. */
interface Check {
  broken: string;
  problem: string;
}

/**
 * Builds the query that turns raw text rows into typed rows plus the list of rules each row breaks.
 * Input relation: `rec` (the record's number in the source) and the raw text columns; `rawByColumn` maps a contract column to its raw
 * column (c0, c1, …). The result has the typed columns under their table names and `problems`, which
 * is NULL for a valid row (the list is only built for the few rows that need it).
 */
export function checkedRowsSql(
  d: Dialect,
  spec: DatasetSpec,
  rawByColumn: Map<string, string>,
  input: string,
  dateWindow: DateWindow = defaultDateWindow(),
  keyRanges: Map<string, KeyRange> = new Map(),
): string {
  const columns = spec.columns;
  const text = (c: ColumnSpec) => d.ident(`t_${c.name}`);
  const parsed = (c: ColumnSpec) => d.ident(`p_${c.name}`);
  const column = (name: string) => columns.find((c) => c.name === name)!;

  const trimmed = columns.map((c) => {
    const raw = rawByColumn.get(c.name);
    return raw === undefined
      ? `CAST(NULL AS VARCHAR) AS ${text(c)}`
      : `NULLIF(trim(${d.ident(raw)}), '') AS ${text(c)}`;
  });

  const parsedColumns = columns.flatMap((c) => {
    const p = d.parse(c.type, text(c));
    return typeof p === 'string'
      ? [`${p} AS ${parsed(c)}`]
      : [`${p.lo} AS age_lo`, `${p.hi} AS age_hi`, `age_lo AS ${parsed(c)}`];
  });

  // Duplicates: group on the key alone (cheap) rather than a window over whole rows.
  const uniqueRules = spec.rules.filter((r) => r.kind === 'unique');
  const duplicateJoins = uniqueRules.map((r) => {
    const key = parsed(column(r.column));
    const alias = d.ident(`dup_${r.column}`);
    return `LEFT JOIN (SELECT ${key} AS k, min(rec) AS first_rec FROM parsed WHERE ${key} IS NOT NULL GROUP BY ${key} HAVING count(*) > 1) ${alias}
      ON ${alias}.k = parsed.${key}
      LEFT JOIN (SELECT DISTINCT ${d.ident(r.column)} AS k FROM ${d.ident(spec.kind)}${storedWhere(d, r.column, keyRanges.get(r.column))}) ${d.ident(`stored_${r.column}`)}
      ON ${d.ident(`stored_${r.column}`)}.k = parsed.${key}`;
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
      const first = `${d.ident(`dup_${rule.column}`)}.first_rec`;
      const stored = `${d.ident(`stored_${rule.column}`)}.k`;
      checks.push({
        broken: `coalesce(${first} < parsed.rec, false)`,
        // The line of the first occurrence is filled in when rejects are written (`ref`).
        problem: d.problem(rule.column, d.literal(`duplicate ${rule.column}, first at line`), shown(col), first),
      });
      checks.push({
        broken: `${stored} IS NOT NULL`,
        problem: d.problem(
          rule.column,
          d.literal(`${rule.column} is already in the store (use --replace to replace the earlier import)`),
          shown(col),
        ),
      });
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
  const output = tableColumns(spec).map(({ name, from }) => `${d.ident(from)} AS ${d.ident(name)}`);
  return `WITH trimmed AS (SELECT rec, ${trimmed.join(', ')} FROM ${input}),
    parsed AS (SELECT *, ${parsedColumns.join(', ')} FROM trimmed)
    SELECT parsed.rec, ${output.join(', ')},
      CASE WHEN ${anyBroken} THEN ${d.problems(listed)} END AS problems
    FROM parsed ${duplicateJoins.join('\n')}`;
}

/**
 * The store table's data columns for a dataset, in contract order, each with the column of the
 * parsed relation it comes from (an age group becomes age_lo and age_hi).
 */
export function tableColumns(spec: DatasetSpec): { name: string; from: string }[] {
  return spec.columns.flatMap((c) =>
    c.type.kind === 'age_group'
      ? [
          { name: 'age_lo', from: 'age_lo' },
          { name: 'age_hi', from: 'age_hi' },
        ]
      : [{ name: c.name, from: `p_${c.name}` }],
  );
}
