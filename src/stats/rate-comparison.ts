import { zFor } from './intervals.js';

/**
 * Comparing two directly standardised rates (APHO Technical Briefing 3, "Commonly used public health
 * statistics and their confidence intervals", 2008, the methods PHE's Fingertips uses):
 *   rate ratio       R = DSR₁ / DSR₂, interval exp( ln R ± z·√(var₁/DSR₁² + var₂/DSR₂²) )
 *   rate difference  D = DSR₁ − DSR₂, interval D ± z·√(var₁ + var₂)
 * with var(DSR) = Σ wᵢ²·Oᵢ/Nᵢ² / (Σ wᵢ)², the variance behind Dobson's interval (rates.ts). The two
 * rates are independent (disjoint populations, or different years of the same population treated as
 * independent, as PHE does); against a reference taken as fixed, its variance is 0.
 *
 * A published rate carries its variance in its Dobson interval: upper = DSR + √(var/O)·(U(O) − O), with
 * U(O) the upper limit of the count, so `dsrVariance` recovers it from what is published (the rate, its
 * upper limit, its events and the count's upper limit). A comparison therefore publishes nothing that
 * the two rates did not. Pure functions.
 */
export interface ComparedRate {
  value: number;
  variance: number;
}

export interface Comparison {
  value: number;
  lower: number;
  upper: number;
}

/** The variance of a DSR from its published Dobson upper limit: ((upper − DSR)/(U(O) − O))²·O. */
export function dsrVariance(dsr: number, upper: number, events: number, countUpper: number): number {
  if (events <= 0) return 0;
  return ((upper - dsr) / (countUpper - events)) ** 2 * events;
}

/** The ratio of two rates with its interval on the log scale; undefined (NaN) when either rate is 0. */
export function rateRatio(a: ComparedRate, b: ComparedRate, level: number): Comparison {
  if (!(a.value > 0 && b.value > 0)) return { value: NaN, lower: NaN, upper: NaN };
  const ratio = a.value / b.value;
  const se = Math.sqrt(a.variance / a.value ** 2 + b.variance / b.value ** 2);
  const z = zFor(level);
  return { value: ratio, lower: ratio * Math.exp(-z * se), upper: ratio * Math.exp(z * se) };
}

/** The difference of two rates (a − b) with its normal interval. */
export function rateDifference(a: ComparedRate, b: ComparedRate, level: number): Comparison {
  const difference = a.value - b.value;
  const half = zFor(level) * Math.sqrt(a.variance + b.variance);
  return { value: difference, lower: difference - half, upper: difference + half };
}
