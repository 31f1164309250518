import { Random } from './random.js';
import { derSimonianLaird } from './random-effects.js';
import { coefficientOfVariation, extremalQuotients, quantiles, scvOf } from './variation.js';

/**
 * Variation statistics with their uncertainty, by parametric bootstrap (Ibáñez B et al. Is there much
 * variation in variation? Revisiting statistics of small area variation in health services research. BMC
 * Health Serv Res 2009;9:60).
 *
 * For each compared area: observed events O, expected events E (at the national stratum rates) and its
 * standardised rate. The statistics: FT1 and CV of the rates, SCV of O and E, and EB, the between-area
 * variance of the log relative risks log(O/E) (a DerSimonian–Laird moment estimate with within-area
 * variance 1/E, the Poisson random-effects model's σ²).
 *
 * - Interval: O* ~ Poisson(O) per area, each rate scaled by O* ÷ O (exact when an area's strata move
 *   together), the statistic computed again; the 2.5 and 97.5 % percentiles of `draws` such.
 * - Null ("no variation beyond chance"): O* ~ Poisson(m·E), m = ΣO/ΣE, each rate the national rate ×
 *   O* ÷ E; p = (1 + #{null ≥ observed}) / (draws + 1).
 * A drawn count of 0 enters the log as 0.5 (a continuity correction; it cannot happen for an area with
 * the 10 events a comparison needs, but a simulation may draw it).
 */
export interface BootstrapArea {
  observed: number;
  expected: number;
  rate: number;
}

export interface BootstrappedStatistic {
  value: number;
  lower: number;
  upper: number;
  /** The share of the null draws at least as large (with the observed one counted). */
  pValue: number;
}

export interface VariationBootstrap {
  ft1: BootstrappedStatistic;
  cv: BootstrappedStatistic;
  scv: BootstrappedStatistic;
  eb: BootstrappedStatistic;
  draws: number;
}

/** EB: the between-area variance of log(O/E), moment estimate with within-area variance 1/E (0 if negative). */
export function ebStatistic(areas: { observed: number; expected: number }[]): number {
  const used = areas.filter((a) => a.expected > 0);
  return ebOf(used.map((a) => a.observed), used.map((a) => a.expected));
}

/**
 * EB of observed and expected events given as columns (every expected above 0); NaN with fewer than two
 * areas. `logs` holds the log ratios (given, it is reused: the bootstrap calls this thousands of times).
 */
function ebOf(observed: ArrayLike<number>, expected: ArrayLike<number>, logs = new Float64Array(expected.length)): number {
  if (expected.length < 2) return Number.NaN;
  for (let i = 0; i < expected.length; i++) logs[i] = Math.log(Math.max(observed[i]!, 0.5) / expected[i]!);
  return derSimonianLaird(logs, expected);
}

type Statistic = (observed: Float64Array, rates: Float64Array) => number;

export function variationBootstrap(areas: BootstrapArea[], nationalRate: number, o: { draws?: number; seed?: number; level?: number } = {}): VariationBootstrap {
  const draws = o.draws ?? 1000;
  const level = o.level ?? 0.95;
  const random = new Random(o.seed ?? 20_090_060);
  const k = areas.length;
  const expected = Float64Array.from(areas, (a) => a.expected);
  const logs = new Float64Array(k);
  const statistics: Record<'ft1' | 'cv' | 'scv' | 'eb', Statistic> = {
    ft1: (_o, rates) => extremalQuotients(rates).ft1,
    cv: (_o, rates) => coefficientOfVariation(rates),
    scv: (obs) => scvOf(obs, expected),
    eb: (obs) => ebOf(obs, expected, logs),
  };
  const names = Object.keys(statistics) as (keyof typeof statistics)[];
  const observed = Float64Array.from(areas, (a) => a.observed);
  const rates = Float64Array.from(areas, (a) => a.rate);
  const values = Object.fromEntries(names.map((n) => [n, statistics[n](observed, rates)])) as Record<(typeof names)[number], number>;
  const mean = areas.reduce((s, a) => s + a.observed, 0) / areas.reduce((s, a) => s + a.expected, 0);
  const resampled = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<(typeof names)[number], number[]>;
  const nulls = Object.fromEntries(names.map((n) => [n, 0])) as Record<(typeof names)[number], number>;
  const o1 = new Float64Array(k);
  const r1 = new Float64Array(k);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < k; i++) {
      o1[i] = random.poisson(areas[i]!.observed);
      r1[i] = areas[i]!.observed > 0 ? (areas[i]!.rate * o1[i]!) / areas[i]!.observed : 0;
    }
    for (const n of names) resampled[n].push(statistics[n](o1, r1));
    for (let i = 0; i < k; i++) {
      o1[i] = random.poisson(mean * expected[i]!);
      r1[i] = expected[i]! > 0 ? (nationalRate * o1[i]!) / expected[i]! : 0;
    }
    for (const n of names) if (statistics[n](o1, r1) >= values[n]) nulls[n]++;
  }
  const summary = (n: (typeof names)[number]): BootstrappedStatistic => {
    const limits = quantiles(resampled[n].filter(Number.isFinite), [(1 - level) / 2, (1 + level) / 2]);
    return {
      value: values[n],
      lower: limits[0]!,
      upper: limits[1]!,
      pValue: (1 + nulls[n]) / (draws + 1),
    };
  };
  return { ft1: summary('ft1'), cv: summary('cv'), scv: summary('scv'), eb: summary('eb'), draws };
}
