import { fitLinear, neweyWestLag } from './linear-model.js';
import { zFor } from './intervals.js';

/**
 * Interrupted time series by segmented regression (Wagner et al., J Clin Pharm Ther 2002):
 *   yₜ = β₀ + β₁·t + β₂·Dₜ + β₃·(t − T₀)·Dₜ [+ seasonal terms] + εₜ,
 * t = 0…n−1 (months), Dₜ = 1 from the intervention month T₀; β₂ is the change in level, β₃ the change
 * in slope. Seasonality by Fourier terms (sin, cos of 2πkt/12, k = 1…harmonics). Newey–West standard
 * errors allow for autocorrelation. The effect over the post period is Σ_{t≥T₀} (β₂ + β₃ (t − T₀)):
 * the difference between what was observed (as fitted) and the counterfactual without the intervention.
 */
export interface SegmentedOptions {
  /** Index of the first month with the intervention in force. */
  start: number;
  /** Fourier harmonics for a 12-month season (0: none). */
  harmonics: number;
  level: number;
  lag?: number;
}

export interface SegmentedResult {
  baseline: number;
  trend: number;
  levelChange: { value: number; lower: number; upper: number };
  slopeChange: { value: number; lower: number; upper: number };
  /** Change in the number over the post period (negative: fewer); its interval. */
  effect: { value: number; lower: number; upper: number };
  fitted: number[];
  /** The fitted series without the intervention terms (the counterfactual). */
  counterfactual: number[];
  lag: number;
}

export function segmentedRegression(y: number[], o: SegmentedOptions): SegmentedResult {
  const n = y.length;
  if (o.start < 3 || o.start > n - 3) throw new RangeError('an interrupted time series needs at least 3 months before and after the start');
  const row = (t: number, intervention: boolean) => {
    const d = intervention && t >= o.start ? 1 : 0;
    const r = [1, t, d, d * (t - o.start)];
    for (let k = 1; k <= o.harmonics; k++) r.push(Math.sin((2 * Math.PI * k * t) / 12), Math.cos((2 * Math.PI * k * t) / 12));
    return r;
  };
  const x = y.map((_, t) => row(t, true));
  const fit = fitLinear(x, y, o.lag ?? neweyWestLag(n));
  const b = fit.coefficients;
  const v = fit.covariance;
  const z = zFor(o.level);
  const post = Array.from({ length: n - o.start }, (_, i) => i);
  const a = [0, 0, post.length, post.reduce((s, i) => s + i, 0)];
  const effect = a[2]! * b[2]! + a[3]! * b[3]!;
  const effectVariance = a[2]! ** 2 * v[2]![2]! + a[3]! ** 2 * v[3]![3]! + 2 * a[2]! * a[3]! * v[2]![3]!;
  const ci = (value: number, variance: number) => ({ value, lower: value - z * Math.sqrt(variance), upper: value + z * Math.sqrt(variance) });
  const counterfactual = y.map((_, t) => row(t, false).reduce((s, c, j) => s + c * b[j]!, 0));
  return {
    baseline: b[0]!,
    trend: b[1]!,
    levelChange: ci(b[2]!, v[2]![2]!),
    slopeChange: ci(b[3]!, v[3]![3]!),
    effect: ci(effect, effectVariance),
    fitted: fit.fitted,
    counterfactual,
    lag: fit.lag,
  };
}

/** Before/after: the post period's monthly mean against the pre period's, times the post months. */
export function beforeAfter(y: number[], start: number): { before: number; after: number; effect: number } {
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  const before = mean(y.slice(0, start));
  const after = mean(y.slice(start));
  return { before, after, effect: (after - before) * (y.length - start) };
}
