import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fitLinear, invert } from './linear-model.js';
import { beforeAfter, segmentedRegression } from './segmented-regression.js';

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

  it('coefficients, Newey–West errors and the effect interval equal a hand computation in R', () => {
    const y = [20, 23, 21, 25, 24, 27, 18, 19, 17, 20, 18, 19];
    const r = segmentedRegression(y, { start: 6, harmonics: 0, level: 0.95, lag: 1 });
    close(r.baseline, 20.333333333333314, 'β0');
    close(r.trend, 1.2000000000000077, 'β1');
    close(r.levelChange.value, -9.390476190476214, 'β2');
    close(r.slopeChange.value, -1.0571428571428665, 'β3');
    close((r.levelChange.upper - r.levelChange.value) / 1.959963984540054, 0.54599715125340398, 'se β2');
    close((r.slopeChange.upper - r.slopeChange.value) / 1.959963984540054, 0.14467953259730831, 'se β3');
    close(r.effect.value, -72.200000000000287, 'effect');
    close(r.effect.lower, -81.466439864699197, 'effect lower');
    close(r.effect.upper, -62.933560135301377, 'effect upper');
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
        close(b.baseline, a.baseline + c, 'baseline', 1e-7);
        close(b.levelChange.value, a.levelChange.value, 'level', 1e-6);
        close(b.effect.value, a.effect.value, 'effect', 1e-6);
        assert.ok(a.effect.lower <= a.effect.value && a.effect.value <= a.effect.upper);
      }),
      { numRuns: 50 },
    );
    const m = [[4, 7], [2, 6]];
    const inv = invert(m);
    close(inv[0]![0]!, 0.6, 'inv00');
    close(inv[0]![1]!, -0.7, 'inv01');
    assert.throws(() => fitLinear([[1, 2], [2, 4], [3, 6]], [1, 2, 3]), /singular/);
  });
});
