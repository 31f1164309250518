import type { LowValueMeasure } from '../catalog/measure.js';
import type { ServiceDefinition } from '../catalog/service.js';
import { VaratlasError } from '../errors.js';
import { wilsonInterval } from '../stats/intervals.js';
import type { SuppressionRules } from '../stats/suppression.js';
import type { Store } from '../store/store.js';
import { publicationMasks } from './grid-masks.js';
import { gridRowKey, monthFrame } from './grid-suppression.js';
import { defaultLabelOptions } from './labels.js';
import { measureGrid } from './measure-grid.js';
import { applyMasks, gridPeriod } from './publication-grid.js';
import { computeMeasureRates, defaultRateOptions, type Estimate, type RateTable, type Shown } from './rates.js';
import { variation, type VariationResult } from './variation.js';

export interface LowValueRow {
  unit: string;
  unitName: string;
  national: boolean;
  numerator: Shown<number>;
  denominator: Shown<number>;
  /** Share of the service's episodes that are low-value, with a Wilson interval. */
  share: Shown<Estimate>;
}

/**
 * A low-value measure by area over a period of the publication grid (one year, or the standard period):
 * how many of the service's episodes were low-value, as a share with its interval; the nation is the
 * sum of the areas. The numerator is withheld as the measure's grid decides (measure-grid.ts), the
 * denominator as the service's grid does (it is the service's count of episodes), and the share with
 * either of them.
 */
export async function lowValueByArea(
  store: Store,
  measure: LowValueMeasure,
  service: ServiceDefinition,
  years: [number, number],
  rules: SuppressionRules,
  level = 0.95,
): Promise<LowValueRow[]> {
  const { grid, serviceMasks } = await grids(store, measure, service, years, rules);
  const frame = years[0] === years[1] ? years[0] : null;
  const byUnit = new Map<string, { unitName: string; numerator: number; denominator: number }>();
  for (const r of grid.monthly) {
    const year = Number(r.month.slice(0, 4));
    if (year < years[0] || year > years[1]) continue;
    const u = byUnit.get(r.unit) ?? { unitName: r.unitName, numerator: 0, denominator: 0 };
    u.numerator += r.numerator;
    u.denominator += r.denominator;
    byUnit.set(r.unit, u);
  }
  const total = [...byUnit.values()].reduce((s, u) => ({ numerator: s.numerator + u.numerator, denominator: s.denominator + u.denominator }), { numerator: 0, denominator: 0 });
  const row = (unit: string, unitName: string, national: boolean, u: { numerator: number; denominator: number }): LowValueRow => {
    const at = national ? 'nation' : 'area';
    const numeratorWithheld = grid.withheld(at, unit, frame);
    // The denominator is a count of the service's grid only when the service counts episodes.
    const denominatorWithheld = service.count !== 'episodes' ? 'not published: the service counts procedures or patients, not episodes' : serviceMasks.get(gridRowKey(at, unit, frame))?.events;
    const numerator = numeratorWithheld ? { withheld: numeratorWithheld } : u.numerator;
    const denominator = denominatorWithheld ? { withheld: denominatorWithheld } : u.denominator;
    if (numeratorWithheld || denominatorWithheld) return { unit, unitName, national, numerator, denominator, share: { withheld: numeratorWithheld ?? denominatorWithheld! } };
    const ci = wilsonInterval(u.numerator, u.denominator, level);
    return {
      unit, unitName, national, numerator: u.numerator, denominator: u.denominator,
      share: u.denominator > 0 ? { value: u.numerator / u.denominator, lower: ci.lower, upper: ci.upper } : { withheld: 'no episodes' },
    };
  };
  const areas = [...byUnit.entries()].sort((a, b) => a[0].localeCompare(b[0], 'nb', { numeric: true })).map(([unit, u]) => row(unit, u.unitName, false, u));
  return [...areas, row('national', 'National', true, total)];
}

/** The measure's grid and its service's masks, once the period (the standard one when not given) is checked to be one of the grid's. */
async function grids(store: Store, measure: LowValueMeasure, service: ServiceDefinition, years: [number, number] | undefined, rules: SuppressionRules) {
  const standard = await store.episodeYears();
  if (!standard) throw new VaratlasError('usage', 'no year has both activity and population in the store; import them (or run varatlas demo) first');
  if (years) gridPeriod(years[0], years[1], standard);
  const options = { ...defaultRateOptions(standard), suppression: rules };
  const [grid, { masks }] = await Promise.all([measureGrid(store, measure, service, standard, rules), publicationMasks(store, [service], options, standard, false)]);
  return { grid, serviceMasks: masks[0]! };
}

/**
 * A measure's monthly series for one area or the nation: its low-value episodes in every month of the
 * standard period (0 where there were none), withheld as the measure's grid decides.
 */
export async function lowValueSeries(store: Store, measure: LowValueMeasure, service: ServiceDefinition, area: string | undefined, rules: SuppressionRules) {
  const { grid } = await grids(store, measure, service, undefined, rules);
  const standard = grid.standard;
  const rows = grid.monthly.filter((r) => area === undefined || r.unit === area);
  if (rows.length === 0 && area !== undefined) throw new VaratlasError('usage', `parameter 'area': no activity for area '${area}'`);
  const counts = new Map<number, number>();
  for (const r of rows) {
    const [y, m] = r.month.split('-').map(Number) as [number, number];
    counts.set(monthFrame(y, m), (counts.get(monthFrame(y, m)) ?? 0) + r.numerator);
  }
  const series: { month: string; lowValue: Shown<number> }[] = [];
  for (let y = standard[0]; y <= standard[1]; y++) {
    for (let m = 1; m <= 12; m++) {
      const withheld = grid.withheld(area === undefined ? 'nation' : 'area', area ?? 'national', monthFrame(y, m));
      series.push({ month: `${y}-${String(m).padStart(2, '0')}`, lowValue: withheld ? { withheld } : (counts.get(monthFrame(y, m)) ?? 0) });
    }
  }
  return { measure: measure.id, area: area ?? 'national', series };
}

export interface LowValueReport {
  measure: LowValueMeasure;
  years: [number, number];
  /** Share low-value per area (suppressed). */
  shares: LowValueRow[];
  /** Standardised rates of the low-value episodes per area (suppressed), like `varatlas rates`. */
  rates: RateTable;
  /** Variation of those rates across areas, with table-4 labels. */
  variation: VariationResult;
}

/** A measure's shares, standardised rates and variation by catchment area over a period. */
export async function lowValueReport(store: Store, measure: LowValueMeasure, service: ServiceDefinition, years: [number, number]): Promise<LowValueReport> {
  const options = { ...defaultRateOptions(years) };
  const { grid } = await grids(store, measure, service, years, options.suppression);
  const table = await computeMeasureRates(store, measure, service, options);
  // Variation compares the areas of the suppressed table: an area whose count is withheld there is left
  // out, so its events, O/E and expected (whose product is the count) are not shown beside it.
  const rates = { ...table, rows: applyMasks(table, grid.masks, options.suppression, false) };
  return {
    measure,
    years,
    shares: await lowValueByArea(store, measure, service, years, options.suppression),
    rates,
    variation: variation(rates, defaultLabelOptions),
  };
}
