/**
 * The interrupted time series' coverage simulation over a grid of series lengths, autocorrelations and
 * with or without control series (src/stats/its-simulation.ts; docs/low-value.md keeps the figures):
 *   npm run check:its                 # 1 000 seeded series per cell, about a minute
 *   npm run check:its -- --series 5000
 */
import { itsCoverage } from '../src/stats/its-simulation.js';

const args = process.argv.slice(2);
const series = args.includes('--series') ? Number(args[args.indexOf('--series') + 1]) : 1000;
console.log(`95 % intervals of the post-period effect: share covering the true effect, ${series} seeded series per cell`);
for (const counts of [true, false]) {
  console.log(counts ? '\ncounts: Poisson around a latent level with AR(1) noise of coefficient ρ' : '\nno counts: the noise is the AR(1) series itself (the model is exactly right)');
  console.log(`months  post  controls ${(counts ? [0, 0.3, 0.6] : [0.3, 0.6, 0.8]).map((r) => `  ρ = ${r}`.padStart(9)).join(' ')}   median width (middle ρ)`);
  for (const controlled of [false, true]) {
    for (const [months, start] of [[24, 12], [36, 19], [48, 24]] as const) {
      const cells = (counts ? [0, 0.3, 0.6] : [0.3, 0.6, 0.8]).map((rho) => itsCoverage({ months, start, rho, controlled, counts, series, seed: 7 }));
      const pct = (x: number) => `${(100 * x).toFixed(1)} %`.padStart(9);
      console.log(`${String(months).padStart(6)}  ${String(months - start).padStart(4)}  ${(controlled ? 'yes' : 'no').padEnd(8)} ${cells.map((c) => pct(c.coverage)).join(' ')}   ${cells[1]!.medianWidth.toFixed(0).padStart(8)} (truth ${-20 * (months - start)})`);
    }
  }
}
