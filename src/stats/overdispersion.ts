import { gammaQ } from './special-functions.js';
import { quantile } from './variation.js';

/**
 * Funnel plots that allow for overdispersion (Spiegelhalter DJ. Funnel plots for comparing institutional
 * performance. Stat Med 2005;24:1185–202; and Handling over-dispersion of performance indicators. Qual
 * Saf Health Care 2005;14:347–51), for indirectly standardised ratios O/E with target 1, on the log
 * scale as FunnelPlotR's "SHMI" method: y = log(O/E), s = 1/√E, z = √E · log(O/E).
 *
 * With many areas, Poisson limits flag areas that are only unlucky: real rates differ for reasons the
 * standardisation does not capture. φ = mean z² (after winsorising or truncating the extreme z-scores, so
 * that the outliers being looked for do not inflate it) measures how much more the areas spread than
 * Poisson noise; I·φ against χ²(I − 1) tests it. Limits then widen multiplicatively (z·√φ·s) or by an
 * additive random effect τ² (DerSimonian–Laird form): z·√(s² + τ²).
 */

export type FunnelMethod = 'poisson' | 'multiplicative' | 'additive';

export interface OverdispersionOptions {
  /** The share of z-scores at each end that is winsorised (set to the quantile) or truncated (left out); default 0.1. */
  trim?: number;
  how?: 'winsorise' | 'truncate';
}

export interface Overdispersion {
  /** Areas that entered the estimate (those with events and expected events above 0), after truncation. */
  used: number;
  /** φ: the mean squared (winsorised or truncated) z-score; 1 under pure Poisson noise. */
  phi: number;
  /** τ²: the between-area variance of log O/E in the additive random-effects model (0 when I·φ ≤ I − 1). */
  tau2: number;
  /** I·φ, compared with χ² on I − 1 degrees of freedom. */
  statistic: number;
  df: number;
  /** P(χ²(I − 1) ≥ I·φ): small when the areas spread more than chance allows. */
  pValue: number;
  trim: number;
  how: 'winsorise' | 'truncate';
}

/** √E · log(O/E): the z-score of an O/E ratio on the log scale. */
export const logRatioZ = (observed: number, expected: number): number => Math.sqrt(expected) * Math.log(observed / expected);

/**
 * φ, τ² and the test of overdispersion over areas' observed and expected events. An area with no
 * events (log 0) or no expected events cannot enter and is left out of the estimate.
 */
export function overdispersion(areas: { observed: number; expected: number }[], o: OverdispersionOptions = {}): Overdispersion {
  const trim = o.trim ?? 0.1;
  const how = o.how ?? 'winsorise';
  const usable = areas.filter((a) => a.observed > 0 && a.expected > 0);
  const z = usable.map((a) => logRatioZ(a.observed, a.expected));
  let kept: { z: number; weight: number }[];
  if (how === 'winsorise') {
    const lo = quantile(z, trim);
    const hi = quantile(z, 1 - trim);
    kept = usable.map((a, i) => ({ z: Math.min(Math.max(z[i]!, lo), hi), weight: a.expected }));
  } else {
    // Truncation as NHS Digital's SHMI does it: ranks cut into 1/trim groups, the lowest and highest left out.
    const groups = Math.round(1 / trim);
    const rank = averageRanks(z);
    kept = usable.flatMap((a, i) => {
      const group = Math.floor((rank[i]! * groups) / (z.length + 1));
      return group > 0 && group < groups - 1 ? [{ z: z[i]!, weight: a.expected }] : [];
    });
  }
  const n = kept.length;
  const phi = n === 0 ? Number.NaN : kept.reduce((s, k) => s + k.z * k.z, 0) / n;
  const w = kept.reduce((s, k) => s + k.weight, 0);
  const w2 = kept.reduce((s, k) => s + k.weight * k.weight, 0);
  const tau2 = n < 2 || n * phi <= n - 1 ? 0 : Math.max(0, (n * phi - (n - 1)) / (w - w2 / w));
  const statistic = n * phi;
  const df = n - 1;
  return { used: n, phi, tau2, statistic, df, pValue: df > 0 ? gammaQ(df / 2, statistic / 2) : Number.NaN, trim, how };
}

/**
 * Control limits for O/E at precision E allowing for overdispersion: multiplicative exp(±z·√(φ/E)) (φ
 * below 1 taken as 1: limits never narrower than Poisson's), or additive exp(±z·√(1/E + τ²)).
 * `z` is the normal quantile of the limits (1.96 for 95 %, 3.09 for 99.8 %).
 */
export function overdispersedLimits(expected: number, z: number, method: Exclude<FunnelMethod, 'poisson'>, fit: Pick<Overdispersion, 'phi' | 'tau2'>): { lower: number; upper: number } {
  if (!(expected > 0)) return { lower: Number.NaN, upper: Number.NaN };
  const spread = method === 'multiplicative' ? Math.sqrt(Math.max(fit.phi, 1) / expected) : Math.sqrt(1 / expected + fit.tau2);
  return { lower: Math.exp(-z * spread), upper: Math.exp(z * spread) };
}

/** Ranks 1…n of values, ties given their average rank (R's rank(ties.method = "average")). */
function averageRanks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}
