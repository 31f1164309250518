import type { PathwayDefinition } from '../catalog/pathway.js';
import { VaratlasError } from '../errors.js';
import { wilsonInterval } from '../stats/intervals.js';
import { indirectlyStandardisedRatio } from '../stats/rates.js';
import type { SuppressionRules } from '../stats/suppression.js';
import { funnelLimits, quantile } from '../stats/variation.js';
import type { PathwayEntry, Store } from '../store/store.js';
import type { Estimate, Shown } from './rate-row.js';

/**
 * A pathway by area of residence, region or entry provider (docs/patients.md#pathways): patients entering,
 * the share operated in the window, controls per patient, time to operation; the operated and the
 * controls indirectly standardised for sex and 5-year age group against the nation (O/E with intervals
 * and the funnel's position). Computed for every year of the data and the period together, and
 * suppressed over all of them at once, so that no period asked for gives away another's withheld figure.
 */
export type PathwayDimension = 'area' | 'region' | 'provider';

export interface PathwayOptions {
  by: PathwayDimension;
  confidence?: number;
  suppression: SuppressionRules;
  /** A unit with fewer entries is not shown on its own (providers: gathered into "other providers"); default 20. */
  minEntrants?: number;
}

export interface PathwayRow {
  /** null: the nation; `other`: the providers too small to show on their own. */
  unit: string | null;
  unitName: string;
  /** null: the period pooled. */
  year: number | null;
  entrants: Shown<number>;
  operated: Shown<number>;
  operatedShare: Shown<Estimate>;
  operatedRatio: Shown<Estimate & { expected: number }>;
  medianDaysToOperation: Shown<number>;
  controls: Shown<number>;
  controlsPerPatient: Shown<number>;
  controlsRatio: Shown<Estimate & { expected: number; funnel: FunnelPosition }>;
}

export type FunnelPosition = 'above 99.8 %' | 'above 95 %' | 'inside' | 'below 95 %' | 'below 99.8 %';

export interface PathwayResult {
  pathway: { id: string; name: { nb: string; en: string }; source: { nb: string; en: string }; lookBackMonths: number; windowMonths: number; minutesPerControl: Record<string, number> };
  by: PathwayDimension;
  /** The years with entries whose look-back and follow-up lie inside the data. */
  years: [number, number] | null;
  rows: PathwayRow[];
}

export const otherProviders = 'other';
export const tooFewEntrantsReason = (n: number) => `fewer than ${n} patients entering`;
export const noOperationsReason = 'no operations';
export const pathwayColumnReason = 'withheld: a unit of this table has a count of 1–4 here, in some year or the period, and it could be worked out from the others';

interface Cell {
  entrants: number;
  operated: number;
  controls: number;
  days: number[];
  /** Entrants, operated and controls per stratum (sex · 100 + 5-year age group). */
  strata: Map<number, { entrants: number; operated: number; controls: number }>;
}

const newCell = (): Cell => ({ entrants: 0, operated: 0, controls: 0, days: [], strata: new Map() });
const stratum = (e: PathwayEntry) => e.sex * 100 + Math.min(Math.floor(e.age / 5) * 5, 90);

function add(cell: Cell, e: PathwayEntry): void {
  cell.entrants++;
  if (e.operated) {
    cell.operated++;
    cell.days.push(e.daysToOperation!);
  }
  cell.controls += e.controls;
  const k = stratum(e);
  const s = cell.strata.get(k) ?? { entrants: 0, operated: 0, controls: 0 };
  s.entrants++;
  s.operated += e.operated ? 1 : 0;
  s.controls += e.controls;
  cell.strata.set(k, s);
}

function funnelPosition(ratio: number, expected: number): FunnelPosition {
  const l95 = funnelLimits(expected, 0.95);
  const l998 = funnelLimits(expected, 0.998);
  if (ratio > l998.upper) return 'above 99.8 %';
  if (ratio > l95.upper) return 'above 95 %';
  if (ratio < l998.lower) return 'below 99.8 %';
  if (ratio < l95.lower) return 'below 95 %';
  return 'inside';
}

export async function pathwayByUnit(store: Store, pathway: PathwayDefinition, o: PathwayOptions): Promise<PathwayResult> {
  const available = await store.episodeYears();
  if (!available) throw new VaratlasError('usage', 'there are no episodes in the store');
  const entries = await store.pathwayEntries(pathway, { fromYear: available[0], toYear: available[1] });
  const level = o.confidence ?? 0.95;
  const minEntrants = o.minEntrants ?? 20;
  const years = entries.length ? ([Math.min(...entries.map((e) => e.year)), Math.max(...entries.map((e) => e.year))] as [number, number]) : null;
  const keyOf = (e: PathwayEntry) => (o.by === 'area' ? e.area : o.by === 'region' ? e.region : e.provider);
  const small = o.by === 'provider' ? smallProviders(entries, minEntrants) : new Set<string>();
  const cells = new Map<string, Cell>();
  const cell = (unit: string | null, year: number | null) => {
    const k = `${unit}|${year}`;
    let c = cells.get(k);
    if (!c) cells.set(k, (c = newCell()));
    return c;
  };
  for (const e of entries) {
    const unit = small.has(keyOf(e)) ? otherProviders : keyOf(e);
    for (const year of [e.year, null]) {
      add(cell(null, year), e);
      add(cell(unit, year), e);
    }
  }
  const names = await unitNames(store, o.by);
  // The nation's rates per stratum and frame: the reference of the indirect standardisation.
  const expected = (c: Cell, year: number | null, what: 'operated' | 'controls') => {
    const nation = cell(null, year);
    let e = 0;
    for (const [k, s] of c.strata) {
      const n = nation.strata.get(k)!;
      e += s.entrants * (n[what] / n.entrants);
    }
    return e;
  };
  // Suppression over every frame at once: a column is shown for the units only if none of them holds a 1–4 in it.
  const hidden = (n: number) => n >= 1 && n <= o.suppression.maxHiddenCount;
  const units = [...cells.entries()].filter(([k]) => !k.startsWith('null|')).map(([, c]) => c);
  const entrantsOk = units.every((c) => c.entrants >= minEntrants);
  const operatedOk = entrantsOk && units.every((c) => !hidden(c.operated));
  const controlsOk = entrantsOk && units.every((c) => !hidden(c.controls));
  const rows: PathwayRow[] = [];
  // The nation first, then the units by code, "other providers" last; each unit's years, then its period.
  const order = (k: string) => (k.startsWith('null|') ? '0' : k.startsWith(`${otherProviders}|`) ? '2' : '1') + k.replace('|null', '|9999');
  for (const [k, c] of [...cells.entries()].sort(([a], [b]) => order(a).localeCompare(order(b)))) {
    const [unitKey, yearKey] = k.split('|') as [string, string];
    const unit = unitKey === 'null' ? null : unitKey;
    const year = yearKey === 'null' ? null : Number(yearKey);
    const national = unit === null;
    const showEntrants = national ? c.entrants >= minEntrants : entrantsOk;
    const showOperated = showEntrants && (national ? !hidden(c.operated) : operatedOk);
    const showControls = showEntrants && (national ? !hidden(c.controls) : controlsOk);
    const tooFew = { withheld: tooFewEntrantsReason(minEntrants) };
    // A column withheld: the nation's for its own small count, a unit's for any unit's (pathwayColumnReason).
    const columnWithheld = showEntrants ? { withheld: national ? `between 1 and ${o.suppression.maxHiddenCount}` : pathwayColumnReason } : tooFew;
    const eOperated = expected(c, year, 'operated');
    const eControls = expected(c, year, 'controls');
    const share = wilsonInterval(c.operated, c.entrants, level);
    const controlsRatio = indirectlyStandardisedRatio(c.controls, eControls, level);
    rows.push({
      unit,
      unitName: national ? 'national' : unit === otherProviders ? 'other providers' : (names.get(unit!) ?? unit!),
      year,
      entrants: showEntrants ? c.entrants : tooFew,
      operated: showOperated ? c.operated : columnWithheld,
      operatedShare: showOperated ? { value: c.operated / c.entrants, ...share } : columnWithheld,
      operatedRatio: showOperated ? { ...indirectlyStandardisedRatio(c.operated, eOperated, level), expected: eOperated } : columnWithheld,
      medianDaysToOperation: !showOperated ? columnWithheld : c.days.length > 0 ? quantile(c.days, 0.5) : { withheld: noOperationsReason },
      controls: showControls ? c.controls : columnWithheld,
      controlsPerPatient: showControls ? c.controls / c.entrants : columnWithheld,
      controlsRatio: showControls ? { ...controlsRatio, expected: eControls, funnel: funnelPosition(controlsRatio.value, eControls) } : columnWithheld,
    });
  }
  return {
    pathway: { id: pathway.id, name: pathway.name, source: pathway.source, lookBackMonths: pathway.lookBackMonths, windowMonths: pathway.windowMonths, minutesPerControl: pathway.minutesPerControl },
    by: o.by,
    years,
    rows,
  };
}

/**
 * The providers gathered into one row: those with fewer than `min` entries in some year or the period,
 * then, while that row itself has fewer than `min` in some frame, the smallest of the others.
 */
function smallProviders(entries: PathwayEntry[], min: number): Set<string> {
  const counts = new Map<string, Map<number | null, number>>();
  for (const e of entries) {
    const byFrame = counts.get(e.provider) ?? new Map<number | null, number>();
    for (const f of [e.year, null]) byFrame.set(f, (byFrame.get(f) ?? 0) + 1);
    counts.set(e.provider, byFrame);
  }
  const small = new Set([...counts].filter(([, byFrame]) => [...byFrame.values()].some((n) => n < min)).map(([p]) => p));
  const frames = [...new Set(entries.map((e) => e.year)), null];
  const otherTooSmall = () => small.size > 0 && frames.some((f) => {
    const n = [...small].reduce((t, p) => t + (counts.get(p)!.get(f) ?? 0), 0);
    return n > 0 && n < min;
  });
  const bySize = [...counts].filter(([p]) => !small.has(p)).sort(([a, x], [b, y]) => x.get(null)! - y.get(null)! || a.localeCompare(b));
  while (otherTooSmall() && bySize.length > 0) small.add(bySize.shift()![0]);
  return small;
}

async function unitNames(store: Store, by: PathwayDimension): Promise<Map<string, string>> {
  if (by === 'provider') return new Map();
  return new Map((await store.areas()).map((a) => (by === 'area' ? [a.areaCode, a.areaName] : [a.regionCode, a.regionName])));
}
