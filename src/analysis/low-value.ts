import type { LowValueMeasure } from '../catalog/measure.js';
import { wilsonInterval } from '../stats/intervals.js';
import type { SuppressionRules } from '../stats/suppression.js';
import type { Store } from '../store/store.js';
import type { ServiceDefinition } from '../catalog/service.js';
import { defaultLabelOptions } from './labels.js';
import { computeMeasureRates, defaultRateOptions, type Estimate, type RateTable, type Shown } from './rates.js';
import { complementReason, suppressSmallCounts, withholdComplement } from './suppress-table.js';
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
 * A low-value measure by area over a period: how many of the service's episodes were low-value, as a
 * share with its interval; the nation is the sum of the areas. Counts 1–4 are withheld with the share.
 */
export async function lowValueByArea(
  store: Store,
  measure: LowValueMeasure,
  years: [number, number],
  rules: SuppressionRules,
  level = 0.95,
): Promise<LowValueRow[]> {
  const rows = (await store.lowValueMonthly(measure)).filter((r) => {
    const year = Number(r.month.slice(0, 4));
    return year >= years[0] && year <= years[1];
  });
  const byUnit = new Map<string, { unitName: string; numerator: number; denominator: number }>();
  for (const r of rows) {
    const u = byUnit.get(r.unit) ?? { unitName: r.unitName, numerator: 0, denominator: 0 };
    u.numerator += r.numerator;
    u.denominator += r.denominator;
    byUnit.set(r.unit, u);
  }
  const total = [...byUnit.values()].reduce((s, u) => ({ numerator: s.numerator + u.numerator, denominator: s.denominator + u.denominator }), { numerator: 0, denominator: 0 });
  const small = (n: number) => n >= 1 && n <= rules.maxHiddenCount;
  const row = (unit: string, unitName: string, national: boolean, u: { numerator: number; denominator: number }): LowValueRow => {
    // The complement (denominator − numerator) would give a small count away as well.
    if ([u.numerator, u.denominator, u.denominator - u.numerator].some(small)) {
      const withheld = { withheld: `a count between 1 and ${rules.maxHiddenCount}` };
      return { unit, unitName, national, numerator: withheld, denominator: withheld, share: withheld };
    }
    const ci = wilsonInterval(u.numerator, u.denominator, level);
    return {
      unit, unitName, national, numerator: u.numerator, denominator: u.denominator,
      share: u.denominator > 0 ? { value: u.numerator / u.denominator, lower: ci.lower, upper: ci.upper } : { withheld: 'no episodes' },
    };
  };
  const areas = [...byUnit.entries()].sort((a, b) => a[0].localeCompare(b[0], 'nb', { numeric: true })).map(([unit, u]) => row(unit, u.unitName, false, u));
  // One withheld area next to a shown national total would be its difference: withhold the next smallest too.
  withholdComplement(areas, (r) => r.numerator, (r) => {
    const withheld = { withheld: complementReason };
    Object.assign(r, { numerator: withheld, denominator: withheld, share: withheld });
  });
  return [...areas, row('national', 'National', true, total)];
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
  const table = await computeMeasureRates(store, measure, service, options);
  // Variation compares the areas of the suppressed table: an area whose count is withheld there is left
  // out, so its events, O/E and expected (whose product is the count) are not shown beside it.
  const rates = { ...table, rows: suppressSmallCounts(table.rows, options.suppression) };
  return {
    measure,
    years,
    shares: await lowValueByArea(store, measure, years, options.suppression),
    rates,
    variation: variation(rates, defaultLabelOptions),
  };
}
