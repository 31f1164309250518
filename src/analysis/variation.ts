import { coefficientOfVariation, extremalQuotients, funnelLimits, systematicComponentOfVariation } from '../stats/variation.js';
import { defaultLabelOptions, label, type Label, type LabelOptions } from './labels.js';
import { isWithheld, type Estimate, type RateRow, type RateTable } from './rates.js';

export type Versus = 'above' | 'below' | 'not significant';
export type FunnelPosition = 'above 99.8 %' | 'above 95 %' | 'inside' | 'below 95 %' | 'below 99.8 %';

export interface AreaVariation {
  unit: string;
  unitName: string;
  events: number;
  expected: number;
  /** Observed / expected (indirectly standardised ratio). */
  ratio: number;
  standardisedRate: Estimate;
  versusNational: Versus;
  funnel: { lower95: number; upper95: number; lower998: number; upper998: number; position: FunnelPosition };
  /** null: withheld, because a provider count of 1–4 (or one that would reveal it) is withheld. */
  privateShare: number | null;
  label: Label;
}

export interface VariationResult {
  service: RateTable['service'];
  level: RateTable['level'];
  years: [number, number];
  nationalRate: number;
  /** Areas compared (at least the minimum number of events), highest rate first. */
  areas: AreaVariation[];
  /** Areas not compared, and why. */
  leftOut: { unit: string; unitName: string; reason: string }[];
  ft1: number;
  ft2: number;
  ft3: number;
  cv: number;
  scv: number;
  /** Funnel limits for an O/E ratio over a range of expected events, for drawing. */
  funnelCurve: { expected: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
}

/**
 * Variation across areas for one service and period, from an unsuppressed rate table: extremal
 * quotients, CV and SCV over the areas with at least the minimum number of events, each area's
 * standing against the national rate, its funnel position and its table-4 label.
 */
export function variation(table: RateTable, options: LabelOptions = defaultLabelOptions): VariationResult {
  const pooled = table.rows.filter((r) => r.year === null);
  const nationalRow = pooled.find((r) => r.national)!;
  const national = isWithheld(nationalRow.standardisedRate) ? NaN : nationalRow.standardisedRate.value;
  const candidates = pooled.filter((r) => !r.national);
  const compared = candidates.filter((r) => !isWithheld(r.standardisedRate) && !isWithheld(r.observedExpected));
  const leftOut = candidates
    .filter((r) => !compared.includes(r))
    .map((r) => ({ unit: r.unit, unitName: r.unitName, reason: reasonOf(r) }));
  const ranked = [...compared].sort((a, b) => rate(b).value - rate(a).value);
  const areas = ranked.map((r, i): AreaVariation => {
    const dsr = rate(r);
    const oe = r.observedExpected as Estimate & { expected: number };
    const f95 = funnelLimits(oe.expected, 0.95);
    const f998 = funnelLimits(oe.expected, 0.998);
    const share = isWithheld(r.privateShare) ? null : r.privateShare.value;
    return {
      unit: r.unit,
      unitName: r.unitName,
      events: r.events as number,
      expected: oe.expected,
      ratio: oe.value,
      standardisedRate: dsr,
      versusNational: dsr.lower > national ? 'above' : dsr.upper < national ? 'below' : 'not significant',
      funnel: {
        lower95: f95.lower, upper95: f95.upper, lower998: f998.lower, upper998: f998.upper,
        position: oe.value > f998.upper ? 'above 99.8 %' : oe.value > f95.upper ? 'above 95 %' : oe.value < f998.lower ? 'below 99.8 %' : oe.value < f95.lower ? 'below 95 %' : 'inside',
      },
      privateShare: share,
      label: label({ rate: dsr.value, lower: dsr.lower, upper: dsr.upper, national, rank: i + 1, of: ranked.length, privateShare: share }, options),
    };
  });
  const ft = extremalQuotients(areas.map((a) => a.standardisedRate.value));
  const expectedValues = areas.map((a) => a.expected);
  const lo = Math.max(1, Math.min(...expectedValues, 10) / 2);
  const hi = Math.max(...expectedValues, 100) * 1.5;
  const funnelCurve = Array.from({ length: 40 }, (_, i) => {
    const e = lo * (hi / lo) ** (i / 39);
    const a = funnelLimits(e, 0.95);
    const b = funnelLimits(e, 0.998);
    return { expected: e, lower95: a.lower, upper95: a.upper, lower998: b.lower, upper998: b.upper };
  });
  return {
    service: table.service,
    level: table.level,
    years: table.years,
    nationalRate: national,
    areas,
    leftOut,
    ...ft,
    cv: coefficientOfVariation(areas.map((a) => a.standardisedRate.value)),
    scv: systematicComponentOfVariation(areas.map((a) => ({ observed: a.events, expected: a.expected }))),
    funnelCurve,
  };
}

const rate = (r: RateRow) => r.standardisedRate as Estimate;
const reasonOf = (r: RateRow) => (isWithheld(r.standardisedRate) ? r.standardisedRate.withheld : 'no expected events');
