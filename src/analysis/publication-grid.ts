import { VaratlasError } from '../errors.js';
import type { SuppressionRules } from '../stats/suppression.js';
import type { Level } from '../store/store.js';
import { isWithheld, providerTypes, type RateRow, type RateTable } from './rate-row.js';
import { complementReason, withholdEvents, withholdSplit } from './suppress-table.js';

/**
 * The publication grid: what a rate table may be asked for, and one suppression for all of it.
 *
 * Periods: each single year of the standard period (every year with activity) and the standard period
 * pooled — no other range, since two overlapping ranges give a withheld year by difference. Levels: the
 * nation, the regions and the catchment areas, which nest (every area lies in one region). Splits: the
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

export function gridLevel(level: Level): void {
  if (level === 'municipality') {
    throw new VaratlasError('usage', 'rates by municipality are not published (their counts would reveal withheld area counts): use --by area or region');
  }
}

/** What the grid withholds in one row (level × unit × frame): the events, the patients, the provider split. */
export interface RowMask {
  events?: string;
  patients?: string;
  split?: string;
}

export type GridLevel = 'area' | 'region' | 'nation';
const rowKey = (level: GridLevel, unit: string, frame: number | null) => `${level}|${unit}|${frame ?? 'all'}`;
const kinds = ['events', 'patients', ...providerTypes] as const;
type Kind = (typeof kinds)[number];

interface GridCell {
  value: number;
  withheld?: string;
}

/** One row of the grid's counts (level × unit × frame): what a rate row publishes, and nothing else. */
export interface GridRow {
  level: GridLevel;
  unit: string;
  frame: number | null;
  events: number;
  patients: number;
  providers: Record<(typeof providerTypes)[number], number>;
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The grid's rows of an unsuppressed rate table (by area or by region; the nation's rows as nation). */
export function gridRows(table: RateTable): GridRow[] {
  return table.rows.map((r) => ({
    level: r.national ? 'nation' : table.level === 'region' ? 'region' : 'area',
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
      row = { level: 'region', unit: region, frame: r.frame, events: area.service.counts === 'patients' ? n : 0, patients: n, providers: { public: 0, private: 0, contract_specialist: 0 } };
      rows.set(key, row);
    }
    if (area.service.counts !== 'patients') row.events += r.events;
    for (const t of providerTypes) row.providers[t] += r.providers[t];
  }
  return [...rows.values()];
}

/**
 * Decide what to withhold in the whole grid of one service, from its unsuppressed rows by area, region
 * and nation over the standard period (each row once). Primary: every count from 1 to the
 * limit (a small provider count withholds its row's whole split). Complementary, until nothing changes:
 * in every published sum — nation = its regions, a region = its areas, the pooled period = its years,
 * the events = their provider counts — one withheld member takes the smallest non-zero shown member with
 * it (a part, else the total); a withheld count withholds its row's split. `counts`: the service's unit.
 */
export function coordinateSuppression(grid: GridRow[], counts: string, regionOf: Map<string, string>, rules: SuppressionRules): Map<string, RowMask> {
  const cells = new Map<string, GridCell>();
  const id = (kind: Kind, level: GridLevel, unit: string, frame: number | null) => `${kind}|${rowKey(level, unit, frame)}`;
  const rows: { key: string; level: GridLevel; unit: string; frame: number | null; unknown: number }[] = [];
  const seen = new Set<string>();
  for (const r of grid) {
    const key = rowKey(r.level, r.unit, r.frame);
    if (seen.has(key)) continue;
    seen.add(key);
    for (const kind of kinds) cells.set(id(kind, r.level, r.unit, r.frame), { value: kind === 'events' ? r.events : kind === 'patients' ? r.patients : r.providers[kind] });
    rows.push({ key, level: r.level, unit: r.unit, frame: r.frame, unknown: r.events - providerTypes.reduce((s, t) => s + r.providers[t], 0) });
  }
  const frames = [...new Set(rows.map((r) => r.frame))];
  const years = frames.filter((f): f is number => f !== null);
  const unitsAt = (level: GridLevel) => [...new Set(rows.filter((r) => r.level === level).map((r) => r.unit))];
  const regions = unitsAt('region');
  const areas = unitsAt('area');

  // The published sums: [total, ...parts] (cell ids; a cell missing from the grid is left out).
  const sums: string[][] = [];
  const countsEpisodes = counts === 'episodes';
  for (const kind of kinds) {
    for (const frame of frames) {
      sums.push([id(kind, 'nation', 'national', frame), ...regions.map((u) => id(kind, 'region', u, frame))]);
      for (const r of regions) sums.push([id(kind, 'region', r, frame), ...areas.filter((a) => regionOf.get(a) === r).map((a) => id(kind, 'area', a, frame))]);
    }
    if (years.length > 1) for (const r of rows.filter((x) => x.frame === null)) sums.push([id(kind, r.level, r.unit, null), ...years.map((y) => id(kind, r.level, r.unit, y))]);
  }
  // The split adds up to the events when every event has a known provider type.
  if (countsEpisodes) for (const r of rows.filter((x) => x.unknown === 0)) sums.push([id('events', r.level, r.unit, r.frame), ...providerTypes.map((t) => id(t, r.level, r.unit, r.frame))]);

  // A withheld count withholds its row's split, and a withheld provider count the rest of the split (the
  // events minus the others would give it): applied at once, so every sum below sees the whole decision.
  const splitOf = (cellId: string) => {
    const [kind, ...row] = cellId.split('|');
    return kind === 'patients' ? [] : providerTypes.map((t) => [t, ...row].join('|'));
  };
  const withhold = (cellId: string, reason: string): boolean => {
    const c = cells.get(cellId);
    if (!c || c.withheld) return false;
    c.withheld = reason;
    for (const other of splitOf(cellId)) withhold(other, reason);
    return true;
  };
  const small = (n: number) => n >= 1 && n <= rules.maxHiddenCount;
  const hidden = `between 1 and ${rules.maxHiddenCount}`;
  for (const [cellId, c] of cells) {
    if (!small(c.value)) continue;
    const counts = cellId.startsWith('events|') || cellId.startsWith('patients|');
    withhold(cellId, counts ? hidden : `a provider count is ${hidden}`);
  }
  // Distinct patients are at most the events: a withheld count withholds the row's other count too.
  const pairOf = (cellId: string) => {
    const [kind, ...row] = cellId.split('|');
    return kind === 'events' ? ['patients', ...row].join('|') : kind === 'patients' ? ['events', ...row].join('|') : undefined;
  };
  for (const [cellId, c] of [...cells]) if (c.withheld && pairOf(cellId)) withhold(pairOf(cellId)!, c.withheld === hidden ? complementReason : c.withheld);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [total, ...parts] of sums) {
      const members = [total!, ...parts].filter((m) => cells.has(m));
      if (members.filter((m) => cells.get(m)!.withheld).length !== 1) continue;
      const shown = (m: string) => !cells.get(m)!.withheld && cells.get(m)!.value > 0;
      // The complement: the smallest shown part that is large enough (a count of 5 or more, as every shown
      // one is, plus the range of a small one), else the smallest shown part, else the total.
      const candidates = parts.filter((m) => cells.has(m) && shown(m)).sort((a, b) => cells.get(a)!.value - cells.get(b)!.value);
      const next = candidates.find((m) => cells.get(m)!.value >= 2 * (rules.maxHiddenCount + 1)) ?? candidates[0] ?? (cells.has(total!) && shown(total!) ? total : undefined);
      if (next) {
        changed = withhold(next, complementReason) || changed;
        if (pairOf(next)) withhold(pairOf(next)!, complementReason);
      }
    }
  }

  const masks = new Map<string, RowMask>();
  for (const r of rows) {
    const split = providerTypes.map((t) => cells.get(id(t, r.level, r.unit, r.frame))?.withheld).find(Boolean);
    masks.set(r.key, {
      events: cells.get(id('events', r.level, r.unit, r.frame))?.withheld,
      patients: cells.get(id('patients', r.level, r.unit, r.frame))?.withheld,
      split,
    });
  }
  return masks;
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
    const level: GridLevel = r.national ? 'nation' : table.level === 'region' ? 'region' : 'area';
    const mask = masks.get(rowKey(level, r.unit, r.year ?? singleYear));
    const fallback = `between 1 and ${rules.maxHiddenCount}`;
    const events = mask ? (patientsAsEvents ? mask.patients : mask.events) : small(r.events) ? fallback : undefined;
    const patients = mask ? mask.patients : small(r.patients) ? fallback : undefined;
    const split = mask ? mask.split : providerTypes.some((t) => small(r.providers[t])) ? fallback : undefined;
    if (events) withholdEvents(r, events);
    if (split) withholdSplit(r, split);
    if (patients && !isWithheld(r.patients)) r.patients = { withheld: patients };
    return r;
  });
}
