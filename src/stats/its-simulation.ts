import { Random } from './random.js';
import { segmentedRegression } from './segmented-regression.js';

/**
 * A seeded coverage simulation for the interrupted time series (segmented-regression.ts): synthetic
 * monthly counts with a trend, a 12-month season, first-order autocorrelated noise and a known step
 * (−20 a month from the start), fitted as the intervention analysis fits them; the share of 95 %
 * intervals of the post-period effect that contain the true effect (−20 × post months).
 *
 * Each month's count is Poisson around 150 + 0.5·t + 15·sin(2πt/12 + 1) + uₜ (+ the step), with uₜ an
 * AR(1) series (correlation ρ, innovation sd 8) started in its stationary distribution. With control
 * series, the intervention areas also share an AR(1) shock sₜ with the rest of the country, whose count
 * is Poisson around 5 × (150 + 0.5·t + season + sₜ) + its own AR(1) noise (sd 40); the analysis fits the
 * difference observed − scale × control, scale = the ratio of the pre-period means (interventions.ts).
 * The Poisson noise adds to the latent AR(1) series: the noise the model sees is ARMA(1,1), with a lag-1
 * autocorrelation of about 0.09 for ρ = 0.3 and 0.23 for ρ = 0.6. Without counts (`counts: false`) the
 * noise is the AR(1) series alone (innovation sd 12): the model is then exactly right.
 */
export interface CoverageScenario {
  months: number;
  /** Index of the first month with the intervention in force. */
  start: number;
  rho: number;
  controlled: boolean;
  /**
   * true (the default): counts, Poisson around the latent level; false: the latent level itself, whose
   * own noise (sd 12) is then exactly the model's AR(1).
   */
  counts?: boolean;
  series: number;
  seed: number;
  level?: number;
}

export interface Coverage {
  scenario: CoverageScenario;
  /** Share of the intervals that contain the true effect. */
  coverage: number;
  /** Mean estimate minus the truth. */
  bias: number;
  /** Median interval width. */
  medianWidth: number;
}

const step = -20;

export function itsCoverage(scenario: CoverageScenario): Coverage {
  const random = new Random(scenario.seed);
  const { months, start, rho } = scenario;
  const truth = step * (months - start);
  const ar = (sd: number) => {
    const u: number[] = [];
    let previous = (random.normal() * sd) / Math.sqrt(1 - rho * rho);
    for (let t = 0; t < months; t++) {
      u.push(previous);
      previous = rho * previous + random.normal() * sd;
    }
    return u;
  };
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  const expected = (t: number) => 150 + 0.5 * t + 15 * Math.sin((2 * Math.PI * t) / 12 + 1);
  const counts = scenario.counts ?? true;
  const draw = (mean: number) => (counts ? random.poisson(Math.max(1, mean)) : mean);
  const ownSd = counts ? 8 : 12;
  let covered = 0;
  let sum = 0;
  const widths: number[] = [];
  for (let i = 0; i < scenario.series; i++) {
    const shared = scenario.controlled ? ar(8) : new Array<number>(months).fill(0);
    const own = ar(ownSd);
    let y = Array.from({ length: months }, (_, t) => draw(expected(t) + shared[t]! + own[t]! + (t >= start ? step : 0)));
    if (scenario.controlled) {
      const rest = ar(40);
      const control = Array.from({ length: months }, (_, t) => draw(5 * (expected(t) + shared[t]!) + rest[t]!));
      const scale = mean(y.slice(0, start)) / mean(control.slice(0, start));
      y = y.map((v, t) => v - scale * control[t]!);
    }
    const r = segmentedRegression(y, { start, harmonics: 1, level: scenario.level ?? 0.95 });
    if (r.effect.lower <= truth && truth <= r.effect.upper) covered++;
    sum += r.effect.value;
    widths.push(r.effect.upper - r.effect.lower);
  }
  widths.sort((a, b) => a - b);
  return { scenario, coverage: covered / scenario.series, bias: sum / scenario.series - truth, medianWidth: widths[Math.floor(widths.length / 2)]! };
}
