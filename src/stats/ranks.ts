import { Random } from './random.js';
import { derSimonianLaird } from './random-effects.js';
import { quantile } from './variation.js';

/**
 * How sure is a ranking? Each area's rate is drawn again and again from its sampling distribution
 * (log-normal: log rate ~ N(log estimate, se²), se on the log scale from the estimate's interval), the
 * areas ranked in every draw (1 = highest), and each area's 2.5–97.5 % range of ranks reported (the
 * smallest ranks whose share of the draws, counted from rank 1, reaches 2.5 % and 97.5 %)
 * (Marshall EC, Spiegelhalter DJ. BMJ 1998;316:1701–4; Goldstein H, Spiegelhalter DJ. J R Stat Soc A
 * 1996;159:385–443). Seeded: the same data give the same intervals.
 *
 * Rankability (Lingsma HF et al., 2009) is the share of the spread of the log rates that is real: ρ = τ² / (τ² + median se²), with τ² the between-area
 * variance of a DerSimonian–Laird random-effects model; near 1 a ranking means something, below about 0.5
 * it mostly reflects chance.
 */

export interface RankedEstimate {
  value: number;
  /** Standard error of log(value). */
  se: number;
}

export interface RankInterval {
  /** The rank of the estimate itself (1 = highest). */
  rank: number;
  lower: number;
  upper: number;
}

/** The standard error of log(value) from a (level) interval that is symmetric on the log scale, or nearly. */
export const logStandardError = (lower: number, upper: number, z: number): number => (Math.log(upper) - Math.log(lower)) / (2 * z);

export function rankIntervals(estimates: RankedEstimate[], o: { draws?: number; seed?: number; level?: number } = {}): RankInterval[] {
  const draws = o.draws ?? 10_000;
  const level = o.level ?? 0.95;
  const random = new Random(o.seed ?? 20_050_101);
  const k = estimates.length;
  const centre = Float64Array.from(estimates, (e) => Math.log(e.value));
  const se = Float64Array.from(estimates, (e) => e.se);
  // How often each area took each rank: counts[area · k + rank − 1].
  const counts = new Uint32Array(k * k);
  const drawn = new Float64Array(k);
  const order = Int32Array.from({ length: k }, (_, i) => i);
  for (let d = 0; d < draws; d++) {
    // Normal draws two at a time (both halves of Box–Muller).
    for (let i = 0; i < k; i += 2) {
      const radius = Math.sqrt(-2 * Math.log(1 - random.next()));
      const angle = 2 * Math.PI * random.next();
      drawn[i] = centre[i]! + se[i]! * radius * Math.cos(angle);
      if (i + 1 < k) drawn[i + 1] = centre[i + 1]! + se[i + 1]! * radius * Math.sin(angle);
    }
    // Rank by insertion sort of the previous draw's order, highest first: ranks change little from one
    // draw to the next, so the order is nearly sorted already and this costs about k comparisons.
    for (let p = 1; p < k; p++) {
      const area = order[p]!;
      const value = drawn[area]!;
      let q = p - 1;
      while (q >= 0 && drawn[order[q]!]! < value) {
        order[q + 1] = order[q]!;
        q--;
      }
      order[q + 1] = area;
    }
    for (let p = 0; p < k; p++) counts[order[p]! * k + p]!++;
  }
  const observed = rankOf(estimates.map((e) => e.value));
  // The interval's ends: the smallest ranks whose cumulative share reaches (1 − level)/2 and (1 + level)/2.
  const rankAt = (area: number, share: number) => {
    let cumulative = 0;
    for (let r = 0; r < k; r++) {
      cumulative += counts[area * k + r]!;
      if (cumulative >= share * draws) return r + 1;
    }
    return k;
  };
  return estimates.map((_, i) => ({ rank: observed[i]!, lower: rankAt(i, (1 - level) / 2), upper: rankAt(i, (1 + level) / 2) }));
}

/** Ranks of values, 1 for the highest (ties: the order given). */
function rankOf(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const out = new Array<number>(values.length);
  order.forEach(([, i], position) => (out[i] = position + 1));
  return out;
}

/** τ² of log values with these standard errors (DerSimonian–Laird), and rankability ρ. */
export function rankability(estimates: RankedEstimate[]): { tau2: number; rho: number } {
  const tau2 = derSimonianLaird(estimates.map((e) => Math.log(e.value)), estimates.map((e) => 1 / (e.se * e.se)));
  const medianVariance = quantile(estimates.map((e) => e.se * e.se), 0.5);
  return { tau2, rho: tau2 + medianVariance > 0 ? tau2 / (tau2 + medianVariance) : Number.NaN };
}
