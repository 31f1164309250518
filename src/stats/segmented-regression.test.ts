import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ar1RestrictedLogLikelihood, fitAr1Reml } from './autoregressive-regression.js';
import { itsCoverage } from './its-simulation.js';
import { invert } from './matrix-inverse.js';
import { Random } from './random.js';
import { beforeAfter, segmentedRegression } from './segmented-regression.js';
import { studentTCdf, studentTQuantile } from './special-functions.js';

const close = (a: number, b: number, what: string, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} ≠ ${b}`);

describe('segmented regression', () => {
  it('recovers level and slope change exactly from a noiseless series, by hand', () => {
    // y = 10 + 0.5 t before month 6; from month 6 the level drops by 3 and the slope by 0.2.
    const y = Array.from({ length: 14 }, (_, t) => 10 + 0.5 * t + (t >= 6 ? -3 - 0.2 * (t - 6) : 0));
    const r = segmentedRegression(y, { start: 6, harmonics: 0, level: 0.95 });
    close(r.baseline, 10, 'β0');
    close(r.trend, 0.5, 'β1');
    close(r.levelChange.value, -3, 'β2');
    close(r.slopeChange.value, -0.2, 'β3');
    // Effect over the 8 post months: 8 × (−3) + (−0.2)(0 + 1 + … + 7) = −24 − 5.6 = −29.6.
    close(r.effect.value, -29.6, 'effect');
    close(r.counterfactual[13]!, 10 + 0.5 * 13, 'counterfactual');
  });

  it('coefficients, AR(1) correlation, standard errors and the effect equal R nlme::gls(corAR1, REML)', () => {
    // Generated and fitted in R 4.2 (nlme 3.1): set.seed(2024); 36 months, start at month 19, a season
    // (sin, cos), AR(1) noise (0.4) and a step of −20; gls(y ~ t + d + dt + s1 + c1, corAR1(form = ~t),
    // method = "REML", tolerance 1e-12). R's optimiser stops at about 1e-8 of the values.
    const y = [139, 169, 124, 163, 182, 143, 116, 138, 111, 128, 124, 152, 168, 195, 191, 174, 164, 160, 139, 105, 116, 110, 138, 125, 178, 155, 151, 142, 135, 123, 138, 141, 106, 132, 146, 175];
    const r = segmentedRegression(y, { start: 19, harmonics: 1, level: 0.95 });
    const tol = 1e-6;
    close(r.baseline, 132.4064241964015, 'β0', tol);
    close(r.trend, 1.741434254486448, 'β1', tol);
    close(r.levelChange.value, -37.81525943994438, 'β2', tol);
    close(r.slopeChange.value, -0.1784174365541522, 'β3', tol);
    close(r.rho, 0.07817789241849227, 'φ', tol);
    close(r.effect.value, -667.1241818504191, 'effect', tol);
    const se = (i: { value: number; upper: number; df: number }) => (i.upper - i.value) / studentTQuantile(0.975, i.df);
    close(se(r.effect), 240.6843870653353, 'se effect', tol);
    close(se(r.levelChange), 11.34599415596377, 'se β2', tol);
    close(se(r.slopeChange), 1.105111990150103, 'se β3', tol);
    // The REML criterion: R's logLik at φ̂ minus its logLik with φ = 0 (the same model by OLS).
    const x = y.map((_, t) => {
      const d = t >= 19 ? 1 : 0;
      return [1, t, d, d * (t - 19), Math.sin((2 * Math.PI * t) / 12), Math.cos((2 * Math.PI * t) / 12)];
    });
    close(ar1RestrictedLogLikelihood(x, y, r.rho) - ar1RestrictedLogLikelihood(x, y, 0), -136.75943599372675 - -136.82988737483635, 'ℓ_R(φ̂) − ℓ_R(0)', 1e-7);
    // Satterthwaite's degrees of freedom: fewer than the residual degrees of freedom, at least 1.
    assert.ok(r.effect.df >= 1 && r.effect.df <= 36 - 6, `df ${r.effect.df}`);
  });

  it("Student's t distribution: quantiles as published, and the distribution function by numerical integration", () => {
    // qt(0.975, df) in R.
    for (const [df, q] of [[1, 12.706204736174707], [5, 2.570581835636314], [10, 2.228138851986274], [30, 2.042272456301238]] as const) close(studentTQuantile(0.975, df), q, `qt(0.975, ${df})`, 1e-12);
    // P(T ≤ 1.3) with 3.5 degrees of freedom: Simpson's rule on the density with 200 000 steps.
    close(studentTCdf(1.3, 3.5), 0.863702292097815, 'pt(1.3, 3.5)', 1e-12);
    close(studentTCdf(-2.5, 7), 1 - studentTCdf(2.5, 7), 'symmetry', 1e-15);
  });

  it('with white noise and many months, the AR(1) fit finds ρ near 0 and t intervals near normal ones', () => {
    const random = new Random(3);
    const y = Array.from({ length: 120 }, () => 50 + 5 * random.normal());
    const x = y.map((_, t) => [1, t]);
    const f = fitAr1Reml(x, y);
    assert.ok(Math.abs(f.rho) < 0.3, `ρ ${f.rho}`);
    assert.ok(f.combination([0, 1]).df > 30);
  });

  it('95 % intervals of the effect cover the truth 93–97 % of the time: 1 000 seeded series each, with and without controls', () => {
    // Three years of months with 17 after the start (the shape of the independent check that found the
    // old intervals too narrow), latent autocorrelation 0 and 0.3 under count noise, and AR(1) noise of 0.6;
    // docs/low-value.md has the wider grid.
    for (const controlled of [false, true]) {
      for (const rho of [0, 0.3]) {
        const c = itsCoverage({ months: 36, start: 19, rho, controlled, series: 1000, seed: 7 });
        assert.ok(c.coverage >= 0.93 && c.coverage <= 0.97, `ρ ${rho}, controls ${controlled}: coverage ${c.coverage}`);
        // Unbiased: the mean estimate within 3 standard errors of the truth.
        assert.ok(Math.abs(c.bias) < (3 * c.medianWidth) / 3.92 / Math.sqrt(1000), `bias ${c.bias}`);
      }
      // Strong autocorrelation (0.6) where the noise is exactly AR(1).
      const strong = itsCoverage({ months: 36, start: 19, rho: 0.6, controlled, counts: false, series: 1000, seed: 7 });
      assert.ok(strong.coverage >= 0.93 && strong.coverage <= 0.97, `AR(1) 0.6, controls ${controlled}: coverage ${strong.coverage}`);
    }
  });

  it('seasonal terms absorb a 12-month cycle', () => {
    const y = Array.from({ length: 48 }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 12) + (t >= 30 ? -20 : 0));
    const r = segmentedRegression(y, { start: 30, harmonics: 1, level: 0.95 });
    close(r.levelChange.value, -20, 'level change', 1e-8);
    close(r.slopeChange.value, 0, 'slope change', 1e-8);
  });

  it('before/after by hand', () => {
    const ba = beforeAfter([10, 12, 14, 6, 8], 3);
    assert.deepEqual(ba, { before: 12, after: 7, effect: -10 });
  });

  it('invariants: adding a constant moves only the baseline; the inverse inverts', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 12, maxLength: 40 }), fc.double({ min: -100, max: 100, noNaN: true }), (y, c) => {
        const start = Math.floor(y.length / 2);
        const a = segmentedRegression(y, { start, harmonics: 0, level: 0.95 });
        const b = segmentedRegression(y.map((v) => v + c), { start, harmonics: 0, level: 0.95 });
        // ρ̂ is found to about 1e-7 where ℓ_R is flat: the estimates agree to that relative to the data's scale.
        const scale = Math.max(1, ...y.map(Math.abs), Math.abs(c));
        assert.ok(Math.abs(b.baseline - (a.baseline + c)) <= 1e-6 * scale, `baseline ${b.baseline} ≠ ${a.baseline + c}`);
        assert.ok(Math.abs(b.levelChange.value - a.levelChange.value) <= 1e-6 * scale, `level ${b.levelChange.value} ≠ ${a.levelChange.value}`);
        assert.ok(Math.abs(b.effect.value - a.effect.value) <= 1e-6 * scale * y.length, `effect ${b.effect.value} ≠ ${a.effect.value}`);
        assert.ok(a.effect.lower <= a.effect.value && a.effect.value <= a.effect.upper);
      }),
      { numRuns: 50 },
    );
    // Found by the property: a series of one tiny value fits exactly, its leftover only rounding.
    const tiny = segmentedRegression(new Array(12).fill(5.2e-148), { start: 6, harmonics: 0, level: 0.95 });
    assert.equal(tiny.effect.upper - tiny.effect.lower, 0);
    const m = [[4, 7], [2, 6]];
    const inv = invert(m);
    close(inv[0]![0]!, 0.6, 'inv00');
    close(inv[0]![1]!, -0.7, 'inv01');
    assert.throws(() => fitAr1Reml([[1, 2], [2, 4], [3, 6], [4, 8], [5, 10]], [1, 2, 3, 4, 5]), /singular/);
  });
});
