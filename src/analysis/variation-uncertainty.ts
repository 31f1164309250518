import { zFor } from '../stats/intervals.js';
import { overdispersedLimits, overdispersion, type FunnelMethod, type Overdispersion, type OverdispersionOptions } from '../stats/overdispersion.js';
import { logStandardError, rankability, rankIntervals } from '../stats/ranks.js';
import { empiricalBayes } from '../stats/shrinkage.js';
import { variationBootstrap, type VariationBootstrap } from '../stats/variation-bootstrap.js';
import type { FunnelPosition, VariationResult } from './variation.js';

/**
 * How much of the variation across areas is more than chance, for one service's compared areas (those a
 * VariationResult compares: every count they use is published already, so nothing here can reveal a
 * withheld one): the funnel's overdispersion, the areas' shrunk (empirical-Bayes) ratios and rates, the
 * intervals of their ranks, and the variation statistics with their intervals and their test against
 * chance (docs/methods/uncertainty.md).
 */
export interface VariationUncertainty {
  overdispersion: Overdispersion & {
    /** The limits the funnel uses: additive random effects when the test finds overdispersion (p < 0.05), Poisson otherwise, unless chosen. */
    method: FunnelMethod;
  };
  /** Per compared area, in the order of VariationResult.areas. */
  areas: {
    unit: string;
    /** The funnel's limits and the area's place by the chosen method. */
    funnel: { lower95: number; upper95: number; lower998: number; upper998: number; position: FunnelPosition };
    /** Empirical-Bayes ratio (O/E pulled toward the mean by 1 − weight), and the rate it stands for (× the national rate). */
    shrunk: { ratio: number; rate: number; weight: number };
    /** The standardised rate's rank (1 = highest) and its 95 % interval over the simulated rankings. */
    rank: { rank: number; lower: number; upper: number };
  }[];
  /** Rankability ρ = τ² / (τ² + median se²) of the log standardised rates, with τ². */
  rankability: { rho: number; tau2: number };
  /**
   * FT1, CV, SCV and EB (the between-area variance of log O/E) with bootstrap intervals, and the p-value
   * of each against no variation beyond chance (Ibáñez et al. 2009).
   */
  statistics: VariationBootstrap;
  /** The funnel's limits by the chosen method over a range of expected events, for drawing. */
  funnelCurve: { expected: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
  draws: number;
}

export interface UncertaintyOptions extends OverdispersionOptions {
  /** The funnel's limits; default: additive when overdispersed, Poisson otherwise. */
  method?: FunnelMethod;
  /** Simulated rankings (default 10 000) and their seed. */
  draws?: number;
  seed?: number;
}

export function variationUncertainty(v: VariationResult, confidence: number, o: UncertaintyOptions = {}): VariationUncertainty {
  const observedExpected = v.areas.map((a) => ({ observed: a.events, expected: a.expected }));
  const fit = overdispersion(observedExpected, o);
  const method: FunnelMethod = o.method ?? (fit.pValue < 0.05 ? 'additive' : 'poisson');
  const limits = (expected: number, poisson: { lower95: number; upper95: number; lower998: number; upper998: number }) => {
    if (method === 'poisson') return poisson;
    const a = overdispersedLimits(expected, zFor(0.95), method, fit);
    const b = overdispersedLimits(expected, zFor(0.998), method, fit);
    return { lower95: a.lower, upper95: a.upper, lower998: b.lower, upper998: b.upper };
  };
  const shrinkage = empiricalBayes(observedExpected);
  const z = zFor(confidence);
  const estimates = v.areas.map((a) => ({ value: a.standardisedRate.value, se: logStandardError(a.standardisedRate.lower, a.standardisedRate.upper, z) }));
  const draws = o.draws ?? 10_000;
  const ranks = rankIntervals(estimates, { draws, seed: o.seed });
  return {
    overdispersion: { ...fit, method },
    areas: v.areas.map((a, i) => {
      const f = limits(a.expected, a.funnel);
      const s = shrinkage.areas[i]!;
      return {
        unit: a.unit,
        funnel: { ...f, position: positionOf(a.ratio, f) },
        shrunk: { ratio: s.shrunk, rate: s.shrunk * v.nationalRate, weight: s.weight },
        rank: ranks[i]!,
      };
    }),
    rankability: rankability(estimates),
    statistics: variationBootstrap(v.areas.map((a) => ({ observed: a.events, expected: a.expected, rate: a.standardisedRate.value })), v.nationalRate, { seed: o.seed }),
    funnelCurve: v.funnelCurve.map((p) => ({ expected: p.expected, ...limits(p.expected, p) })),
    draws,
  };
}

function positionOf(ratio: number, f: { lower95: number; upper95: number; lower998: number; upper998: number }): FunnelPosition {
  return ratio > f.upper998 ? 'above 99.8 %' : ratio > f.upper95 ? 'above 95 %' : ratio < f.lower998 ? 'below 99.8 %' : ratio < f.lower95 ? 'below 95 %' : 'inside';
}
