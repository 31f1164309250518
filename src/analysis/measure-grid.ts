import type { LowValueMeasure } from '../catalog/measure.js';
import { serviceFingerprint } from '../catalog/fingerprint.js';
import type { ServiceDefinition } from '../catalog/service.js';
import type { SuppressionRules } from '../stats/suppression.js';
import type { LowValueMonth, Store } from '../store/store.js';
import { gridRowKey, monthFrame, noProviders, type GridLevel, type GridRow, type RowMask } from './grid-suppression.js';
import { coordinateSuppression, gridRows } from './publication-grid.js';
import { providerTypes } from './rate-row.js';
import { computeMeasureRates, defaultRateOptions } from './rate-tables.js';
import { publicationMasks } from './grid-masks.js';

/**
 * A low-value measure's publication grid: its low-value episodes (the numerator) by area and the nation
 * × month, year and the standard period, with the provider split and distinct patients its rate table
 * publishes. Every output of the measure — its rate tables, the shares' numerators, the monthly series,
 * an intervention's series — reads the one decision taken here (src/analysis/grid-suppression.ts), so
 * no two of them can be combined to work a withheld count out. The proof's alternative data keep a
 * numerator within its denominator (the service's episodes of the area's year, where its grid shows
 * them) unless nothing else protects the cell; the audit includes that bound.
 * Shares' denominators are the service's own counts and follow the service's grid (grid-masks.ts).
 * An intervention on a service within age limits has a grid of its own, with the sums of the register's
 * interventions on it (their areas) as rows of level 'group'.
 */
export interface MeasureGrid {
  /** The standard period the grid covers. */
  standard: [number, number];
  /** Why a count is withheld, or nothing when it is shown: by level, unit and frame (a month is `yyyymm`). */
  withheld(level: 'area' | 'nation' | 'group', unit: string, frame: number | null): string | undefined;
  masks: Map<string, RowMask>;
  /** The measure's counts by area, month and provider type the grid was computed from (every month in the store). */
  monthly: LowValueMonth[];
}

const cache = new WeakMap<Store, Map<string, Promise<MeasureGrid>>>();

/**
 * The grid of a measure on its service (or of an intervention's pseudo-measure: a service within age
 * limits, which has no rate table of its own: `rateTable` false). Computed once per store generation,
 * measure and standard period.
 */
export function measureGrid(
  store: Store,
  measure: LowValueMeasure,
  service: ServiceDefinition,
  standard: [number, number],
  rules: SuppressionRules,
  { rateTable = true, groups = [] }: { rateTable?: boolean; groups?: { unit: string; areas: string[] }[] } = {},
): Promise<MeasureGrid> {
  let byKey = cache.get(store);
  if (!byKey) cache.set(store, (byKey = new Map()));
  const key = `${store.generation}|${standard}|${JSON.stringify(rules)}|${JSON.stringify(measure)}|${serviceFingerprint(service)}|${rateTable}|${JSON.stringify(groups)}`;
  let grid = byKey.get(key);
  if (!grid) {
    grid = computeGrid(store, measure, service, standard, rules, rateTable, groups);
    byKey.set(key, grid);
    grid.catch(() => byKey.delete(key));
  }
  return grid;
}

async function computeGrid(
  store: Store,
  measure: LowValueMeasure,
  service: ServiceDefinition,
  standard: [number, number],
  rules: SuppressionRules,
  rateTable: boolean,
  groups: { unit: string; areas: string[] }[],
): Promise<MeasureGrid> {
  // The service's grid publishes the denominators (its episodes by area and year), when it counts episodes.
  const denominator = service.count === 'episodes' ? service : undefined;
  const serviceMasks = denominator && (await publicationMasks(store, [denominator], { ...defaultRateOptions(standard), suppression: rules }, standard, false)).masks[0];
  const rows = new Map<string, GridRow>();
  const ceiling = new Map<string, number>();
  const add = (level: GridLevel, unit: string, frame: number | null, type: string, numerator: number) => {
    const key = gridRowKey(level, unit, frame);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { level, unit, frame, events: 0, patients: 0, providers: noProviders() }));
    row.events += numerator;
    row.patients += numerator;
    if (type in row.providers) row.providers[type as keyof GridRow['providers']] += numerator;
  };
  const years = (y: number) => y >= standard[0] && y <= standard[1];
  const monthly = await store.lowValueMonthly(measure);
  for (const r of monthly) {
    const [year, month] = r.month.split('-').map(Number) as [number, number];
    if (!years(year)) continue;
    const frame = monthFrame(year, month);
    add('area', r.unit, frame, r.providerType, r.numerator);
    add('nation', 'national', frame, r.providerType, r.numerator);
    const bound = `${r.unit}|${year}|${r.providerType}`;
    ceiling.set(bound, (ceiling.get(bound) ?? 0) + r.denominator);
    // Without a rate table (an intervention's pseudo-measure), the years and the period are the months' sums.
    if (!rateTable) {
      for (const f of [year, null]) {
        add('area', r.unit, f, r.providerType, r.numerator);
        add('nation', 'national', f, r.providerType, r.numerator);
      }
    }
    for (const g of groups) if (g.areas.includes(r.unit)) for (const f of [frame, year, null]) add('group', g.unit, f, r.providerType, r.numerator);
  }
  // A measure's rate table publishes its areas and the nation per year and period, with distinct patients.
  const grid = [...rows.values()];
  if (rateTable) grid.push(...gridRows(await computeMeasureRates(store, measure, service, { ...defaultRateOptions(standard), level: 'area' })));
  // The numerator stays within the service's count of the area's year where the service's grid shows
  // it (and within each provider's, where it shows the split); a withheld one binds nothing here.
  const shownBound = (area: string, year: number) => {
    const mask = serviceMasks?.get(gridRowKey('area', area, year));
    const count = (t: string) => ceiling.get(`${area}|${year}|${t}`) ?? 0;
    const types = providerTypes.map((t) => (serviceMasks && !mask?.split ? count(t) : Infinity));
    return { total: serviceMasks && !mask?.events ? providerTypes.reduce((s, t) => s + count(t), count('unknown')) : Infinity, types };
  };
  // In one order whatever order the store gave: the decision depends on the data alone.
  const order = (r: GridRow) => `${r.level}|${r.unit.padStart(12, '0')}|${r.frame ?? 'all'}`;
  grid.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const masks = coordinateSuppression(grid, new Map(), rules, { regions: false, groups, ceiling: shownBound });
  return {
    standard,
    masks,
    monthly,
    withheld: (level, unit, frame) => masks.get(gridRowKey(level, unit, frame))?.events,
  };
}
