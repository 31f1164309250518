import { gammaQuantile, normalQuantile } from './special-functions.js';

/**
 * Confidence intervals for counts and proportions, as in the standard public-health references
 * (APHO Technical Briefing 3, 2008; the PHEindicatormethods R package):
 * - exact Poisson limits from the chi-square (gamma) distribution,
 * - Byar's approximation to them,
 * - Wilson's score interval for a proportion.
 * `level` is the confidence level, e.g. 0.95 or 0.998.
 */
export interface Interval {
  lower: number;
  upper: number;
}

const zByLevel = new Map<number, number>();
/** The two-sided normal quantile for a confidence level (computed once per level: every interval asks). */
export function zFor(level: number): number {
  let z = zByLevel.get(level);
  if (z === undefined) zByLevel.set(level, (z = normalQuantile(1 - (1 - level) / 2)));
  return z;
}

/** Exact limits for a Poisson count: χ²(α/2; 2O)/2 and χ²(1−α/2; 2O+2)/2. */
export function exactPoissonInterval(observed: number, level: number): Interval {
  const alpha = 1 - level;
  return {
    lower: observed === 0 ? 0 : gammaQuantile(observed, alpha / 2),
    upper: gammaQuantile(observed + 1, 1 - alpha / 2),
  };
}

/** Byar's approximation to the exact Poisson limits, good from about 10 events. */
export function byarsInterval(observed: number, level: number): Interval {
  const z = zFor(level);
  const o1 = observed + 1;
  return {
    lower: observed === 0 ? 0 : observed * (1 - 1 / (9 * observed) - z / (3 * Math.sqrt(observed))) ** 3,
    upper: o1 * (1 - 1 / (9 * o1) + z / (3 * Math.sqrt(o1))) ** 3,
  };
}

/** Limits for a count: exact below 10 events, Byar's from 10 (the convention of the references). */
export function countInterval(observed: number, level: number): Interval {
  return observed < 10 ? exactPoissonInterval(observed, level) : byarsInterval(observed, level);
}

/** Wilson's score interval for x successes out of n. */
export function wilsonInterval(x: number, n: number, level: number): Interval {
  if (n <= 0) return { lower: NaN, upper: NaN };
  const z = zFor(level);
  const p = x / n;
  const centre = 2 * x + z * z;
  const spread = z * Math.sqrt(z * z + 4 * x * (1 - p));
  const denominator = 2 * (n + z * z);
  return { lower: Math.max(0, (centre - spread) / denominator), upper: Math.min(1, (centre + spread) / denominator) };
}
