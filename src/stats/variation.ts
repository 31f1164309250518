import { gammaQuantile } from './special-functions.js';

/**
 * Measures of variation across areas. Pure functions on plain numbers.
 */

/**
 * Extremal quotients as the Norwegian atlases report them: FT1 = highest / lowest rate,
 * FT2 = second highest / second lowest, FT3 = third highest / third lowest. NaN when there are too
 * few areas (FTk needs 2k) or the denominator is 0.
 */
export function extremalQuotients(rates: ArrayLike<number>): { ft1: number; ft2: number; ft3: number } {
  // The three lowest and three highest in one pass (the bootstrap calls this 2 000 times per answer).
  const low = [Infinity, Infinity, Infinity];
  const high = [-Infinity, -Infinity, -Infinity];
  const n = rates.length;
  for (let i = 0; i < n; i++) {
    const v = rates[i]!;
    if (v < low[2]!) {
      if (v < low[1]!) {
        low[2] = low[1]!;
        if (v < low[0]!) [low[1], low[0]] = [low[0]!, v];
        else low[1] = v;
      } else low[2] = v;
    }
    if (v > high[2]!) {
      if (v > high[1]!) {
        high[2] = high[1]!;
        if (v > high[0]!) [high[1], high[0]] = [high[0]!, v];
        else high[1] = v;
      } else high[2] = v;
    }
  }
  const ft = (k: number) => (n >= 2 * k && low[k - 1]! > 0 ? high[k - 1]! / low[k - 1]! : NaN);
  return { ft1: ft(1), ft2: ft(2), ft3: ft(3) };
}

/** Coefficient of variation: sample standard deviation (n − 1) over the mean. */
export function coefficientOfVariation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2;
  const variance = squares / (n - 1);
  return mean === 0 ? NaN : Math.sqrt(variance) / mean;
}

/**
 * Systematic component of variation (McPherson et al., N Engl J Med 1982;307:1310–4), × 100:
 * SCV = 100 · (1/k) Σᵢ [ (Oᵢ − Eᵢ)² / Eᵢ² − 1/Eᵢ ], with Eᵢ the expected events from national
 * stratum rates. The −1/Eᵢ term removes the Poisson (random) part; SCV near 0 means no systematic
 * variation, above about 5–10 a high one.
 */
export function systematicComponentOfVariation(areas: { observed: number; expected: number }[]): number {
  return scvOf(areas.map((a) => a.observed), areas.map((a) => a.expected));
}

/** SCV of observed and expected events given as columns (areas without expected events left out). */
export function scvOf(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  let sum = 0;
  let used = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (!(e > 0)) continue;
    sum += (observed[i]! - e) ** 2 / e ** 2 - 1 / e;
    used++;
  }
  return used === 0 ? NaN : (100 * sum) / used;
}

/**
 * Funnel-plot control limits for an observed/expected ratio with target 1, at precision E (expected
 * events): the exact Poisson limits of a count whose mean is E, divided by E —
 * χ²(α/2; 2E)/2 / E and χ²(1 − α/2; 2E + 2)/2 / E (as the public-health funnel-plot methods do).
 */
export function funnelLimits(expected: number, level: number): { lower: number; upper: number } {
  if (expected <= 0) return { lower: NaN, upper: NaN };
  const alpha = 1 - level;
  return {
    lower: gammaQuantile(expected, alpha / 2) / expected,
    upper: gammaQuantile(expected + 1, 1 - alpha / 2) / expected,
  };
}

/** The p-quantile (0–1) of values by linear interpolation between order statistics (type 7, R's default). */
export function quantile(values: ArrayLike<number>, p: number): number {
  return quantiles(values, [p])[0]!;
}

/** Several quantiles of the same values (type 7), sorting them once. */
export function quantiles(values: ArrayLike<number>, ps: number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  return ps.map((p) => {
    if (n === 0) return NaN;
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, n - 1)]! - sorted[lo]!);
  });
}
