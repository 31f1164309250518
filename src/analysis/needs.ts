import type { SuppressionRules } from '../stats/suppression.js';
import { quantile } from '../stats/variation.js';
import { VaratlasError } from '../errors.js';
import { withheldCountReason } from './grid-suppression.js';
import { isWithheld, type RateRow, type RateTable, type Shown } from './rates.js';

/**
 * Needs (tables 4 and 5 of source document 004): how many procedures each area would have at a
 * target rate, how far it is from it, and what it would have to buy if its own trust cannot do more.
 *
 * - expected at target = E × target ratio, E = Σ population × national stratum rate (indirect
 *   standardisation of the area's population at risk);
 * - gap = observed − expected (+ above the target, − below); change = expected − observed
 *   (procedures to add, or cut when negative: table 5);
 * - theoretical purchase need = max(0, expected − own trust's activity [− contract specialists]).
 */
export type Target = { kind: 'national'; factor: number } | { kind: 'quartile'; which: 'lower' | 'upper' } | { kind: 'area'; unit: string };

export interface NeedOptions {
  target: Target;
  /** Count contract specialists' work as the area's own capacity (subtract it from the need). */
  includeContractSpecialists: boolean;
  suppression: SuppressionRules;
}

export interface AreaNeed {
  unit: string;
  unitName: string;
  regionCode: string;
  regionName: string;
  observed: Shown<number>;
  own: Shown<number>;
  private: Shown<number>;
  contractSpecialist: Shown<number>;
  expected: number;
  gap: Shown<number>;
  change: Shown<number>;
  purchaseNeed: Shown<number>;
}

export interface ServiceNeeds {
  service: RateTable['service'];
  year: number | null;
  target: string;
  targetRatio: number;
  areas: AreaNeed[];
  regions: { regionCode: string; regionName: string; private: number; purchaseNeed: number; withheldAreas: number; contractVolume: number | null }[];
}

/** Read a target as the CLI and the API write it. */
export function parseTarget(value: string): Target {
  if (value === 'national') return { kind: 'national', factor: 1 };
  let m = /^national[×x*:](\d{1,3}(?:\.\d{1,6})?)$/.exec(value);
  if (m) {
    const factor = Number(m[1]);
    if (!(factor > 0 && factor <= 10)) throw new VaratlasError('usage', `--target national:FACTOR needs a factor above 0 and at most 10, got '${value.slice(0, 40)}'`);
    return { kind: 'national', factor };
  }
  m = /^quartile:(lower|upper)$/.exec(value);
  if (m) return { kind: 'quartile', which: m[1] as 'lower' | 'upper' };
  m = /^area:(.+)$/.exec(value);
  if (m) return { kind: 'area', unit: m[1]! };
  throw new VaratlasError('usage', `--target must be national, national:FACTOR (e.g. national:1.1), quartile:lower|upper or area:CODE, got '${value.slice(0, 40)}'`);
}

export function describeTarget(t: Target): string {
  if (t.kind === 'national') return t.factor === 1 ? 'the national rate' : `the national rate × ${t.factor}`;
  if (t.kind === 'quartile') return `the ${t.which} quartile of the areas' observed/expected ratios`;
  return `the rate of area ${t.unit}`;
}

export function needs(
  table: RateTable,
  year: number | null,
  regionOf: Map<string, { code: string; name: string }>,
  contractVolume: number | undefined,
  o: NeedOptions,
): ServiceNeeds {
  const rows = table.rows.filter((r) => r.year === year && !r.national);
  const ratios = rows.filter((r) => !isWithheld(r.observedExpected)).map((r) => (r.observedExpected as { value: number }).value);
  const targetRatio = targetRatioOf(o.target, rows, ratios);
  // The table is one of the grid's, its counts withheld as the rate tables withhold them
  // (computeComparableRates); a count of 1–4 left in it (a table not from the grid) is withheld here.
  const withheld = { withheld: withheldCountReason };
  const count = (v: Shown<number>): number | null => (isWithheld(v) || (v >= 1 && v <= o.suppression.maxHiddenCount) ? null : v);
  const areas = rows.map((r): AreaNeed => {
    const observed = count(r.events);
    const split = [count(r.providers.public), count(r.providers.private), count(r.providers.contract_specialist)];
    const [own, priv, cs] = split.some((n) => n === null) ? [null, null, null] : (split as number[]);
    const expected = r.expected * targetRatio;
    const region = regionOf.get(r.unit) ?? { code: '', name: '' };
    const or = (n: number | null) => (n === null ? withheld : n);
    return {
      unit: r.unit, unitName: r.unitName, regionCode: region.code, regionName: region.name, expected,
      observed: or(observed),
      own: or(own),
      private: or(priv),
      contractSpecialist: or(cs),
      gap: observed === null ? withheld : observed - expected,
      change: observed === null ? withheld : expected - observed,
      purchaseNeed: own === null ? withheld : Math.max(0, expected - own - (o.includeContractSpecialists ? cs! : 0)),
    };
  });
  const regions = new Map<string, ServiceNeeds['regions'][number]>();
  for (const a of areas) {
    const region = regions.get(a.regionCode) ?? { regionCode: a.regionCode, regionName: a.regionName, private: 0, purchaseNeed: 0, withheldAreas: 0, contractVolume: contractVolume ?? null };
    regions.set(a.regionCode, region);
    // Sums over shown areas only: a region total never gives away a withheld area.
    if (isWithheld(a.purchaseNeed) || isWithheld(a.private)) region.withheldAreas++;
    else {
      region.private += a.private;
      region.purchaseNeed += a.purchaseNeed;
    }
  }
  return { service: table.service, year, target: describeTarget(o.target), targetRatio, areas, regions: [...regions.values()] };
}

function targetRatioOf(target: Target, rows: RateRow[], ratios: number[]): number {
  if (target.kind === 'national') return target.factor;
  if (target.kind === 'quartile') {
    if (ratios.length < 4) throw new VaratlasError('usage', 'a quartile target needs at least four areas with enough events');
    return quantile(ratios, target.which === 'lower' ? 0.25 : 0.75);
  }
  const row = rows.find((r) => r.unit === target.unit);
  if (!row) throw new VaratlasError('usage', `no area '${target.unit}' in the table`);
  if (isWithheld(row.observedExpected)) throw new VaratlasError('usage', `area '${target.unit}' has too few events to be a target (${row.observedExpected.withheld})`);
  return row.observedExpected.value;
}
