import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { countInterval } from './intervals.js';
import { crudeRate, directlyStandardisedRate, indirectlyStandardisedRatio, scaledCountInterval } from './rates.js';

/** |actual − expected| ≤ 1e-9 × |expected| (absolute 1e-12 near zero). */
function close(actual: number, expected: number, what: string, relative = 1e-9): void {
  const tolerance = Math.max(relative * Math.abs(expected), 1e-12);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} ≠ ${expected}`);
}

// Rates of an amount that is not a count (bed days): the amount as φ × a Poisson count, φ = Σ a² / Σ a.
describe('rates of an amount (scaled Poisson)', () => {
  it('by hand: 30 bed days in stays of 5, 10 and 15 days have φ = 350 / 30 and the limits of 30 / φ events, × φ', () => {
    const phi = (25 + 100 + 225) / 30;
    // The effective count 30 / φ = 2.571…: exact limits (below 10) from the chi-square, as R's
    // qchisq(0.025, 2 · 2.5714) / 2 and qchisq(0.975, 2 · 3.5714) / 2.
    const ci = countInterval(30 / phi, 0.95);
    const crude = crudeRate(30, 1000, { multiplier: 1000, level: 0.95, dispersion: phi });
    close(crude.value, 30, 'rate');
    close(crude.lower, ci.lower * phi, 'lower');
    close(crude.upper, ci.upper * phi, 'upper');
    // One stay of 5 days per 1 000: φ = 5, the effective count 1 (exact limits 0.0253, 5.5716).
    const one = crudeRate(5, 1000, { multiplier: 1000, level: 0.95, dispersion: 5 });
    close(one.lower, 5 * 0.025317807984289786, 'one stay, lower', 1e-7);
    close(one.upper, 5 * 5.571643390938898, 'one stay, upper', 1e-7);
  });

  it('with φ = 1 every rate is the count\'s', () => {
    const strata = [{ events: 12, population: 4000, standard: 3 }, { events: 30, population: 9000, standard: 5 }];
    const o = { multiplier: 1e5, level: 0.95 };
    assert.deepEqual(directlyStandardisedRate(strata, { ...o, dispersion: 1 }), directlyStandardisedRate(strata, o));
    assert.deepEqual(crudeRate(42, 13000, { ...o, dispersion: 1 }), crudeRate(42, 13000, o));
    assert.deepEqual(indirectlyStandardisedRatio(42, 37.5, 0.95, 1), indirectlyStandardisedRatio(42, 37.5, 0.95));
    assert.deepEqual(scaledCountInterval(42, 0.95), countInterval(42, 0.95));
  });

  it('a wider interval the more the amount is spread over few units (φ larger), the same rate', () => {
    const strata = [{ events: 120, population: 4000, standard: 3 }, { events: 300, population: 9000, standard: 5 }];
    const o = { multiplier: 1e5, level: 0.95 };
    const plain = directlyStandardisedRate(strata, o);
    const spread = directlyStandardisedRate(strata, { ...o, dispersion: 4 });
    close(spread.value, plain.value, 'rate');
    assert.ok(spread.lower < plain.lower && spread.upper > plain.upper);
    close(spread.variance, 4 * plain.variance, 'variance');
  });

  it('is invalid with φ ≤ 0', () => {
    assert.throws(() => scaledCountInterval(10, 0.95, 0), /dispersion/);
    assert.throws(() => directlyStandardisedRate([{ events: 1, population: 10, standard: 1 }], { multiplier: 1, level: 0.95, dispersion: -1 }), /dispersion/);
  });

  const stratumList = fc.array(
    fc.record({ events: fc.integer({ min: 0, max: 500 }), population: fc.integer({ min: 1, max: 100_000 }), standard: fc.integer({ min: 1, max: 10_000 }) }),
    { minLength: 1, maxLength: 20 },
  );

  it('every stay c times as long: the rate and both limits c times as large (crude, DSR), O/E unchanged', () => {
    fc.assert(
      fc.property(stratumList, fc.integer({ min: 2, max: 30 }), fc.double({ min: 1, max: 20, noNaN: true }), (s, c, phi) => {
        const o = { multiplier: 1e5, level: 0.95 };
        const base = directlyStandardisedRate(s, { ...o, dispersion: phi });
        const longer = directlyStandardisedRate(s.map((x) => ({ ...x, events: x.events * c })), { ...o, dispersion: phi * c });
        for (const key of ['value', 'lower', 'upper'] as const) close(longer[key], base[key] * c, `DSR ${key}`);
        const events = s.reduce((a, x) => a + x.events, 0);
        const population = s.reduce((a, x) => a + x.population, 0);
        const crude = crudeRate(events, population, { ...o, dispersion: phi });
        const crudeLonger = crudeRate(events * c, population, { ...o, dispersion: phi * c });
        for (const key of ['value', 'lower', 'upper'] as const) close(crudeLonger[key], crude[key] * c, `crude ${key}`);
        if (events > 0) {
          const ratio = indirectlyStandardisedRatio(events, events * 0.9, 0.95, phi);
          const ratioLonger = indirectlyStandardisedRatio(events * c, events * 0.9 * c, 0.95, phi * c);
          for (const key of ['value', 'lower', 'upper'] as const) close(ratioLonger[key], ratio[key], `O/E ${key}`);
        }
      }),
    );
  });

  it('the limits lie either side of the rate', () => {
    fc.assert(
      fc.property(stratumList, fc.double({ min: 1, max: 50, noNaN: true }), (s, phi) => {
        const dsr = directlyStandardisedRate(s, { multiplier: 1e5, level: 0.95, dispersion: phi });
        assert.ok(dsr.lower < dsr.value || dsr.value === 0, `lower ${dsr.lower}, rate ${dsr.value}`);
        assert.ok(dsr.value < dsr.upper, `rate ${dsr.value}, upper ${dsr.upper}`);
      }),
    );
  });
});
