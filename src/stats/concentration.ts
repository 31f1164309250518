import { Random } from './random.js';

/**
 * Concentration of use among patients (docs/patients.md): how much of the stays, bed days or contacts
 * the heaviest users account for. Everything is computed from a histogram — how many patients used
 * each amount — which is exact (the sum of the top n patients does not depend on which of several tied
 * patients are taken) and small (a few hundred distinct amounts for millions of patients).
 */
export interface UseBin {
  /** An amount of use (stays, bed days, contacts) of one patient; > 0. */
  value: number;
  /** Patients who used exactly that much. */
  patients: number;
}

export interface Concentration {
  patients: number;
  /** Use of all of them. */
  total: number;
  /** For each fraction asked for (0.01 = the top 1 %): the share of all use by the ⌊fraction · patients⌋ heaviest users. */
  tops: { fraction: number; patients: number; share: number }[];
  /** Gini coefficient: 0 when everyone used the same, towards 1 when one patient used nearly everything. */
  gini: number;
  /** The Lorenz curve at every percent of the patients, lightest users first: share of use by the lightest ⌊p · patients⌋. */
  lorenz: { population: number; use: number }[];
}

/** Bins of positive use, heaviest first (a copy). */
function heaviestFirst(bins: readonly UseBin[]): UseBin[] {
  return bins.filter((b) => b.patients > 0 && b.value > 0).sort((a, b) => b.value - a.value);
}

/** Sum of the n heaviest users' use, bins heaviest first. */
function topSum(sorted: readonly UseBin[], n: number): number {
  let left = n;
  let sum = 0;
  for (const b of sorted) {
    if (left <= 0) break;
    const take = Math.min(left, b.patients);
    sum += take * b.value;
    left -= take;
  }
  return sum;
}

/**
 * Gini = Σ_i (2i − N − 1) x_(i) / (N Σ x) with x ascending (i = 1…N); for a bin of c patients at ranks
 * a+1…a+c the ranks' part adds up to c (2a + c − N).
 */
function giniOf(sorted: readonly UseBin[], patients: number, total: number): number {
  if (patients === 0 || total === 0) return NaN;
  let below = 0;
  let sum = 0;
  for (let j = sorted.length - 1; j >= 0; j--) {
    const b = sorted[j]!;
    sum += b.value * b.patients * (2 * below + b.patients - patients);
    below += b.patients;
  }
  return sum / (patients * total);
}

const totals = (sorted: readonly UseBin[]) => sorted.reduce((t, b) => ({ patients: t.patients + b.patients, total: t.total + b.patients * b.value }), { patients: 0, total: 0 });

/** The concentration of use in a histogram; `fractions` of the patients from the top (default 1, 5, 10 and 20 %). */
export function concentration(bins: readonly UseBin[], fractions: readonly number[] = [0.01, 0.05, 0.1, 0.2]): Concentration {
  const sorted = heaviestFirst(bins);
  const { patients, total } = totals(sorted);
  const tops = fractions.map((fraction) => {
    const n = Math.floor(fraction * patients + 1e-9);
    return { fraction, patients: n, share: total > 0 ? topSum(sorted, n) / total : NaN };
  });
  const lorenz = Array.from({ length: 101 }, (_, p) => {
    const heaviest = patients - Math.floor((p / 100) * patients + 1e-9);
    return { population: p / 100, use: total > 0 ? 1 - topSum(sorted, heaviest) / total : NaN };
  });
  return { patients, total, tops, gini: giniOf(sorted, patients, total), lorenz };
}

export interface ConcentrationInterval {
  tops: { fraction: number; lower: number; upper: number }[];
  gini: { lower: number; upper: number };
  draws: number;
  level: number;
}

/**
 * Percentile intervals by the Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012): each
 * patient is drawn a Poisson(1) number of times instead of resampling N of N, so the patients of a bin
 * of c are drawn Poisson(c) times in all — the same resampling of patients, done per bin.
 */
export function concentrationInterval(
  bins: readonly UseBin[],
  fractions: readonly number[] = [0.01, 0.05, 0.1, 0.2],
  o: { draws?: number; seed?: number; level?: number } = {},
): ConcentrationInterval {
  const draws = o.draws ?? 500;
  const level = o.level ?? 0.95;
  const rng = new Random(o.seed ?? 20240901);
  const sorted = heaviestFirst(bins);
  const tops: number[][] = fractions.map(() => []);
  const ginis: number[] = [];
  for (let d = 0; d < draws; d++) {
    const drawn = sorted.map((b) => ({ value: b.value, patients: rng.poisson(b.patients) })).filter((b) => b.patients > 0);
    const { patients, total } = totals(drawn);
    if (total === 0) continue;
    fractions.forEach((f, i) => tops[i]!.push(topSum(drawn, Math.floor(f * patients + 1e-9)) / total));
    ginis.push(giniOf(drawn, patients, total));
  }
  const limits = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))] ?? NaN;
    return { lower: at((1 - level) / 2), upper: at(1 - (1 - level) / 2) };
  };
  return { tops: fractions.map((fraction, i) => ({ fraction, ...limits(tops[i]!) })), gini: limits(ginis), draws, level };
}
