/**
 * Empirical-Bayes (shrunk) ratios: Marshall RJ. Mapping disease and mortality rates using empirical
 * Bayes estimators. J R Stat Soc C 1991;40:283–94 (the method-of-moments, Poisson form), with the
 * expected events E in the place of the populations, so that it shrinks indirectly standardised ratios.
 *
 * With r = O/E for each area: the mean m = ΣO/ΣE, the weighted variance s² = ΣE(r − m)²/ΣE, and the
 * between-area variance A = s² − m/Ē (Ē = ΣE/k; 0 if negative). Each area's weight is C = A / (A + m/E)
 * and its shrunk ratio m + C(r − m): a small area, whose ratio says little, moves most of the way to the
 * mean; a large one hardly moves. A = 0 (no more spread than chance) shrinks every area to the mean.
 */
export interface Shrinkage {
  mean: number;
  betweenVariance: number;
  areas: { ratio: number; shrunk: number; weight: number }[];
}

export function empiricalBayes(areas: { observed: number; expected: number }[]): Shrinkage {
  const used = areas.filter((a) => a.expected > 0);
  const totalExpected = used.reduce((s, a) => s + a.expected, 0);
  const mean = used.reduce((s, a) => s + a.observed, 0) / totalExpected;
  const spread = used.reduce((s, a) => s + a.expected * (a.observed / a.expected - mean) ** 2, 0) / totalExpected;
  const betweenVariance = Math.max(0, spread - mean / (totalExpected / used.length));
  return {
    mean,
    betweenVariance,
    areas: areas.map((a) => {
      if (!(a.expected > 0)) return { ratio: Number.NaN, shrunk: Number.NaN, weight: Number.NaN };
      const ratio = a.observed / a.expected;
      const weight = betweenVariance === 0 ? 0 : betweenVariance / (betweenVariance + mean / a.expected);
      return { ratio, shrunk: mean + weight * (ratio - mean), weight };
    }),
  };
}
