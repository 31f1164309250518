import { invalidReason, missingReason, type ColumnSpec } from '../model/columns.js';
import type { DatasetSpec } from '../model/contract.js';
import type { Dialect } from './dialect.js';

/**
 * Builds the query that turns raw text rows into typed rows plus the list of rules each row breaks.
 * Input relation: `line` and the raw text columns; `rawByColumn` maps a contract column to its raw
 * column (c0, c1, …). The result has the typed columns under their table names and `problems`.
 */
export function checkedRowsSql(
  d: Dialect,
  spec: DatasetSpec,
  rawByColumn: Map<string, string>,
  input: string,
): string {
  const columns = spec.columns;
  const text = (c: ColumnSpec) => d.ident(`t_${c.name}`);
  const parsed = (c: ColumnSpec) => d.ident(`p_${c.name}`);

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
      : [`${p.lo} AS age_lo`, `${p.hi} AS age_hi`, `${p.lo} AS ${parsed(c)}`];
  });

  const uniqueRules = spec.rules.filter((r) => r.kind === 'unique');
  const uniqueHelpers = uniqueRules.map((r) => {
    const col = columns.find((c) => c.name === r.column)!;
    return `min(line) OVER (PARTITION BY ${parsed(col)}) AS ${d.ident(`first_${r.column}`)},
      ${parsed(col)} IN (SELECT ${d.ident(r.column)} FROM ${d.ident(spec.kind)}) AS ${d.ident(`stored_${r.column}`)}`;
  });

  const shown = (c: ColumnSpec) => (c.identifying ? null : `left(${text(c)}, 100)`);
  const problems: string[] = columns.map((c) => {
    const missing = c.required ? d.problem(c.name, d.literal(missingReason), null) : 'NULL';
    const invalid = d.problem(c.name, d.literal(invalidReason(c)), shown(c));
    return `CASE WHEN ${text(c)} IS NULL THEN ${missing} WHEN ${parsed(c)} IS NULL THEN ${invalid} END`;
  });
  for (const rule of spec.rules) {
    const col = columns.find((c) => c.name === rule.column)!;
    if (rule.kind === 'unique') {
      const first = d.ident(`first_${rule.column}`);
      problems.push(
        `CASE WHEN ${parsed(col)} IS NOT NULL AND ${first} < line THEN ${d.problem(
          rule.column,
          `${d.literal(`duplicate ${rule.column}, first at line `)} || CAST(${first} AS VARCHAR)`,
          shown(col),
        )} WHEN ${d.ident(`stored_${rule.column}`)} THEN ${d.problem(
          rule.column,
          d.literal(`${rule.column} is already in the store (use --replace to replace the earlier import)`),
          shown(col),
        )} END`,
      );
    } else {
      const other = columns.find((c) => c.name === rule.other)!;
      const [op, words] = rule.kind === 'not_before' ? ['<', 'must not be before'] : ['>', 'must not be greater than'];
      problems.push(
        `CASE WHEN ${parsed(col)} ${op} ${parsed(other)} THEN ${d.problem(
          rule.column,
          d.literal(`${words} ${rule.other}`),
          shown(col),
        )} END`,
      );
    }
  }

  const output = tableColumns(spec).map(({ name, from }) => `${d.ident(from)} AS ${d.ident(name)}`);
  return `WITH trimmed AS (SELECT line, ${trimmed.join(', ')} FROM ${input}),
    parsed AS (SELECT *, ${parsedColumns.join(', ')} FROM trimmed),
    helped AS (SELECT *${uniqueHelpers.length ? ', ' + uniqueHelpers.join(', ') : ''} FROM parsed)
    SELECT line, ${output.join(', ')},
      ${d.problems(problems)} AS problems
    FROM helped`;
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
