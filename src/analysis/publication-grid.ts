import { VaratlasError } from '../errors.js';
import type { SuppressionRules } from '../stats/suppression.js';
import { isWithheld, providerTypes, type RateRow, type RateTable } from './rate-row.js';
import { gridRowKey as rowKey, noProviders, withheldCountReason, type GridLevel, type GridRow, type RowMask } from './grid-suppression.js';
import { withholdEvents, withholdSplit } from './suppress-table.js';

/**
 * The publication grid: what a rate table may be asked for, and one suppression for all of it.
 *
 * Periods: each single year of the standard period (every year with activity) and the standard period
 * pooled — no other range, since two overlapping ranges give a withheld year by difference. Levels: the
 * nation, the regions and the catchment areas, which nest (every area lies in one region), and where the
 * geography names them the local-hospital areas inside the catchment areas, and the municipalities
 * (each decided on top of the decision under it, which it never changes: src/analysis/grid-suppression.ts).
 * Splits: the
 * provider types of each count. Every published count of a service is a cell of this grid: events (in the
 * service's own unit), distinct patients and the provider counts, per level × unit × frame.
 *
 * Suppression is decided once for the whole grid and every output applies the same decision, so no two
 * outputs can be combined to work a withheld count out (see docs/rates.md and the audit test).
 */

/** The period a rate table may cover: one year of the standard period, or all of it. */
export function gridPeriod(from: number, to: number, standard: [number, number]): void {
  const [a, b] = standard;
  if ((from === to && from >= a && from <= b) || (from === a && to === b)) return;
  throw new VaratlasError(
    'usage',
    `the period ${from === to ? from : `${from}–${to}`} is not published: ask for one year (${a}–${b}) or the whole period ${a}–${b}; ` +
      'other periods would let a withheld count be worked out by difference',
  );
}


/** The grid's level of a table's row. */
export const rowLevel = (table: RateTable, row: RateRow): GridLevel =>
  row.national ? 'nation' : table.level;


export { coordinateSuppression, GridUnprotectable, levelWithheldReasons, withheldCountReason, type GridLevel, type GridRow, type RowMask } from './grid-suppression.js';

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The grid's rows of an unsuppressed rate table (by area, region or local area; the nation's rows as nation). */
export function gridRows(table: RateTable): GridRow[] {
  return table.rows.map((r) => ({
    level: rowLevel(table, r),
    unit: r.unit,
    frame: r.year,
    events: count(r.events),
    patients: count(r.patients),
    providers: Object.fromEntries(providerTypes.map((t) => [t, count(r.providers[t])])) as GridRow['providers'],
  }));
}

/**
 * The regions' rows from the areas' (unsuppressed, standard period): events and provider counts add up;
 * distinct patients do not (a patient may live in two areas of a region) and come from `patients`,
 * keyed `unit|frame` (frame 'all' for the period). A service counting patients counts them there too.
 */
export function regionRows(area: RateTable, regionOf: Map<string, string>, patients: Map<string, number>): GridRow[] {
  const rows = new Map<string, GridRow>();
  for (const r of gridRows(area)) {
    const region = r.level === 'area' ? regionOf.get(r.unit) : undefined;
    if (region === undefined) continue;
    const key = `${region}|${r.frame ?? 'all'}`;
    let row = rows.get(key);
    if (!row) {
      const n = patients.get(key) ?? 0;
      row = { level: 'region', unit: region, frame: r.frame, events: area.service.counts === 'patients' ? n : 0, patients: n, providers: noProviders() };
      rows.set(key, row);
    }
    if (area.service.counts !== 'patients') row.events += r.events;
    for (const t of providerTypes) row.providers[t] += r.providers[t];
  }
  return [...rows.values()];
}

/**
 * Apply the grid's decision to a table of the grid (one level, one year or the standard period).
 * `patientsAsEvents`: the table counts patients where the grid counts the service's own unit. A row
 * the grid does not hold (it cannot happen for a table of the grid) has its small counts withheld.
 */
export function applyMasks(table: RateTable, masks: Map<string, RowMask>, rules: SuppressionRules, patientsAsEvents: boolean): RateRow[] {
  const singleYear = table.years[0] === table.years[1] ? table.years[0] : null;
  const small = (n: unknown) => typeof n === 'number' && n >= 1 && n <= rules.maxHiddenCount;
  return table.rows.map((row) => {
    const r: RateRow = { ...row, providers: { ...row.providers } };
    const mask = masks.get(rowKey(rowLevel(table, r), r.unit, r.year ?? singleYear));
    const fallback = withheldCountReason;
    const events = mask ? (patientsAsEvents ? mask.patients : mask.events) : small(r.events) ? fallback : undefined;
    const patients = mask ? mask.patients : small(r.patients) ? fallback : undefined;
    const split = mask ? mask.split : providerTypes.some((t) => small(r.providers[t])) ? fallback : undefined;
    if (events) withholdEvents(r, events);
    if (split) withholdSplit(r, split);
    if (patients && !isWithheld(r.patients)) r.patients = { withheld: patients };
    return r;
  });
}
