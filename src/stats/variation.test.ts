import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { coefficientOfVariation, extremalQuotients, funnelLimits, quantile, systematicComponentOfVariation } from './variation.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} ≠ ${b}`);

describe('variation measures', () => {
  const rates = [120, 80, 100, 150, 90, 60, 110];

  it('FT1–FT3 by hand: sorted 60 80 90 100 110 120 150', () => {
    const ft = extremalQuotients(rates);
    close(ft.ft1, 150 / 60, 'FT1');
    close(ft.ft2, 120 / 80, 'FT2');
    close(ft.ft3, 110 / 90, 'FT3');
    assert.ok(Number.isNaN(extremalQuotients([1, 2, 3, 4, 5]).ft3), 'FT3 needs six areas');
  });

  it('FT1–FT3 from one pass equal the quotients of the sorted rates, ties and zeros included', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 1e4, noNaN: true })), { maxLength: 30 }), (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        const n = s.length;
        const ft = (k: number) => (n >= 2 * k && s[k - 1]! > 0 ? s[n - k]! / s[k - 1]! : NaN);
        const got = extremalQuotients(xs);
        assert.deepEqual([got.ft1, got.ft2, got.ft3], [ft(1), ft(2), ft(3)]);
      }),
    );
  });

  it('CV and quartiles equal R (sd/mean, quantile type 7)', () => {
    close(coefficientOfVariation(rates), 0.28703842943911306, 'CV');
    close(quantile(rates, 0.25), 85, 'Q1');
    close(quantile(rates, 0.75), 115, 'Q3');
  });

  it('SCV by hand (McPherson), equal to R', () => {
    const areas = [
      { observed: 60, expected: 50 },
      { observed: 70, expected: 80.5 },
      { observed: 12, expected: 12 },
    ];
    // 100/3 × [(10²/50² − 1/50) + (10.5²/80.5² − 1/80.5) + (0 − 1/12)]
    close(systematicComponentOfVariation(areas), -1.9580820355867612, 'SCV');
  });

  it('funnel limits equal the exact Poisson limits at E (R qchisq)', () => {
    close(funnelLimits(10, 0.95).lower, 0.47953886961324332, 'lower 95 at E=10');
    close(funnelLimits(10, 0.95).upper, 1.8390356042017779, 'upper 95 at E=10');
    close(funnelLimits(10, 0.998).lower, 0.29605203727437596, 'lower 99.8 at E=10');
    close(funnelLimits(10, 0.998).upper, 2.4133971145417585, 'upper 99.8 at E=10');
    close(funnelLimits(57.3, 0.95).lower, 0.75798082366797026, 'lower 95 at E=57.3');
    close(funnelLimits(57.3, 0.998).upper, 1.4793614402086879, 'upper 99.8 at E=57.3');
  });

  it('invariants: FT1 ≥ 1, FT and CV do not depend on the unit of the rates, funnels narrow as E grows', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1e4, noNaN: true }), { minLength: 2, maxLength: 30 }), fc.double({ min: 0.1, max: 100, noNaN: true }), (xs, k) => {
        const a = extremalQuotients(xs);
        const b = extremalQuotients(xs.map((x) => x * k));
        assert.ok(a.ft1 >= 1);
        assert.ok(Math.abs(a.ft1 - b.ft1) <= 1e-9 * a.ft1);
        assert.ok(Math.abs(coefficientOfVariation(xs) - coefficientOfVariation(xs.map((x) => x * k))) <= 1e-9);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e5, noNaN: true }), (e) => {
        const narrow = funnelLimits(e * 2, 0.95);
        const wide = funnelLimits(e, 0.95);
        assert.ok(narrow.lower >= wide.lower - 1e-12 && narrow.upper <= wide.upper + 1e-12);
        const outer = funnelLimits(e, 0.998);
        assert.ok(outer.lower <= wide.lower && outer.upper >= wide.upper);
      }),
    );
  });
});
