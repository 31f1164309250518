import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { byarsInterval, countInterval, exactPoissonInterval, wilsonInterval } from './intervals.js';
import { dsrVariance, rateDifference, rateRatio } from './rate-comparison.js';
import { crudeRate, directlyStandardisedRate, expectedEvents, indirectlyStandardisedRatio, type RateStratum } from './rates.js';
import { normalQuantile } from './special-functions.js';

/** |actual − expected| ≤ 1e-9 × |expected| (absolute 1e-12 near zero). */
function close(actual: number, expected: number, what: string, relative = 1e-9): void {
  const tolerance = Math.max(relative * Math.abs(expected), 1e-12);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} ≠ ${expected}`);
}

// Reference values: R 4.2 (stats::qchisq, qnorm, prop.test), the reference implementation the
// public-health method packages (PHEindicatormethods, SKDE's tools) build on; the script that printed
// them is docs/methods/reference-values.R.
describe('reference values from R', () => {
  it('normal quantiles', () => {
    close(normalQuantile(0.975), 1.9599639845400536, 'z 95 %');
    close(normalQuantile(0.999), 3.0902323061678132, 'z 99.8 %');
  });

  it('exact Poisson limits, 95 % and 99.8 %', () => {
    const lower95: [number, number][] = [[1, 0.025317807984289876], [5, 1.6234863901184207], [9, 4.115373097378332]];
    const upper95: [number, number][] = [[0, 3.6888794541139354], [1, 5.5716433909388989], [5, 11.668332079322667], [9, 17.08480345141917]];
    for (const [o, v] of lower95) close(exactPoissonInterval(o, 0.95).lower, v, `lower(${o})`);
    for (const [o, v] of upper95) close(exactPoissonInterval(o, 0.95).upper, v, `upper(${o})`);
    close(exactPoissonInterval(3, 0.998).lower, 0.19053337756840319, 'lower(3) 99.8 %');
    close(exactPoissonInterval(7, 0.998).lower, 1.5203362603988091, 'lower(7) 99.8 %');
    close(exactPoissonInterval(3, 0.998).upper, 13.06224077918807, 'upper(3) 99.8 %');
    close(exactPoissonInterval(7, 0.998).upper, 19.626177395384236, 'upper(7) 99.8 %');
    assert.equal(exactPoissonInterval(0, 0.95).lower, 0);
  });

  it("Byar's limits", () => {
    const cases: [number, number, number, number][] = [
      [65, 0.95, 50.163187710459454, 82.849138545939837],
      [1045, 0.95, 982.59320180733255, 1110.3312129856499],
      [10, 0.95, 4.7874499139675644, 18.391458605756473],
      [65, 0.998, 42.880261471480203, 94.000290844318002],
      [1045, 0.998, 947.94070356103737, 1148.8061609880331],
      [10, 0.998, 2.916318374695686, 24.193724927880549],
    ];
    for (const [o, level, lower, upper] of cases) {
      const ci = byarsInterval(o, level);
      close(ci.lower, lower, `Byar lower(${o}, ${level})`);
      close(ci.upper, upper, `Byar upper(${o}, ${level})`);
    }
  });

  it("Wilson's score interval equals R's prop.test without continuity correction", () => {
    const cases: [number, number, number, number, number][] = [
      [65, 100, 0.95, 0.55254443296887967, 0.73635751756902468],
      [1045, 5000, 0.95, 0.197955498800133, 0.2204913037318903],
      [0, 20, 0.95, 0, 0.1611251580528193],
      [65, 100, 0.998, 0.49549465740704479, 0.77835406140896857],
    ];
    for (const [x, n, level, lower, upper] of cases) {
      const ci = wilsonInterval(x, n, level);
      close(ci.lower, lower, `Wilson lower(${x}/${n})`);
      close(ci.upper, upper, `Wilson upper(${x}/${n})`);
    }
  });
});

// 19 strata (0–4 … 85–89, 90+) against the European Standard Population 2013.
const esp = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000];
const events = [0, 1, 2, 3, 4, 5, 6, 8, 10, 14, 20, 28, 40, 55, 70, 85, 90, 80, 60];
const population = [52000, 55000, 54000, 56000, 60000, 62000, 65000, 64000, 63000, 66000, 67000, 62000, 55000, 50000, 45000, 35000, 22000, 12000, 6000];
const strata: RateStratum[] = esp.map((w, i) => ({ events: events[i]!, population: population[i]!, standard: w }));

describe('rates', () => {
  it('DSR by Dobson with Byar’s limits equals the reference computation, 95 % and 99.8 %', () => {
    const dsr95 = directlyStandardisedRate(strata, { multiplier: 1e5, level: 0.95 });
    close(dsr95.value, 68.711185817294378, 'DSR');
    close(dsr95.lower, 63.177209222154055, 'DSR lower 95');
    close(dsr95.upper, 74.595997568442783, 'DSR upper 95');
    const dsr998 = directlyStandardisedRate(strata, { multiplier: 1e5, level: 0.998 });
    close(dsr998.lower, 60.144785487524466, 'DSR lower 99.8');
    close(dsr998.upper, 78.086074084245482, 'DSR upper 99.8');
  });

  it('DSR by hand: two strata', () => {
    // (10/1000 × 3 + 30/2000 × 1) / 4 = (0.03 + 0.015) / 4 = 0.01125
    const dsr = directlyStandardisedRate(
      [
        { events: 10, population: 1000, standard: 3 },
        { events: 30, population: 2000, standard: 1 },
      ],
      { multiplier: 1000, level: 0.95 },
    );
    close(dsr.value, 11.25, 'DSR');
    // var = (9 × 10 / 1000² + 1 × 30 / 2000²) / 16 = (9e-5 + 7.5e-6) / 16
    close(dsr.variance, ((9e-5 + 7.5e-6) / 16) * 1e6, 'variance');
  });

  it('DSR where a stratum has no population: its weight is left out and the rest re-weighted (docs/rates.md), by hand', () => {
    // Nobody of that sex and age lives in the unit: (10/1000 × 3 + 30/2000 × 1) / (3 + 1), the weight 6 of the empty stratum unused.
    const dsr = directlyStandardisedRate(
      [
        { events: 10, population: 1000, standard: 3 },
        { events: 30, population: 2000, standard: 1 },
        { events: 0, population: 0, standard: 6 },
      ],
      { multiplier: 1000, level: 0.95 },
    );
    close(dsr.value, 11.25, 'DSR over the strata with population');
    assert.throws(() => directlyStandardisedRate([{ events: 2, population: 0, standard: 1 }], { multiplier: 1, level: 0.95 }), /events but no population/);
  });

  it('crude rate with Byar’s limits from 10 events, exact below', () => {
    const total = events.reduce((a, b) => a + b, 0);
    const pop = population.reduce((a, b) => a + b, 0);
    const crude = crudeRate(total, pop, { multiplier: 1e5, level: 0.95 });
    close(crude.value, 61.093585699263933, 'crude');
    close(crude.lower, 56.226142305591743, 'crude lower');
    close(crude.upper, 66.269608327600594, 'crude upper');
    const small = crudeRate(5, 1000, { multiplier: 1000, level: 0.95 });
    close(small.lower, 1.6234863901184207, 'exact lower for 5 events');
  });

  it('indirectly standardised ratio: expected events, O/E and its limits', () => {
    const own = [5200, 5500, 5400, 5600, 6000, 6200, 6500, 6400, 6300, 6600, 6700, 6200, 5500, 5000, 4500, 3500, 2200, 1200, 600];
    const areaStrata = own.map((n, i) => ({ events: 0, population: n, referenceRate: events[i]! / population[i]! }));
    const expected = expectedEvents(areaStrata);
    close(expected, 58.100000000000001, 'E');
    const isr = indirectlyStandardisedRatio(45, expected, 0.95);
    close(isr.value, 0.77452667814113596, 'O/E');
    close(isr.lower, 0.56489248701458306, 'O/E lower');
    close(isr.upper, 1.0364020943014083, 'O/E upper');
    const small = indirectlyStandardisedRatio(4, expected, 0.95);
    close(small.lower, 0.018758440165685453, 'O/E lower, exact for 4 events');
    close(small.upper, 0.17627519234774006, 'O/E upper, exact for 4 events');
  });
});

describe('invariants', () => {
  const stratumList = fc.array(
    fc.record({ events: fc.integer({ min: 0, max: 500 }), population: fc.integer({ min: 1, max: 100_000 }), standard: fc.integer({ min: 1, max: 10_000 }) }),
    { minLength: 1, maxLength: 20 },
  );

  it('a stratum with no population, whatever its weight, changes neither the DSR nor its interval', () => {
    fc.assert(
      fc.property(stratumList, fc.integer({ min: 1, max: 1_000_000 }), (s, weight) => {
        const without = directlyStandardisedRate(s, { multiplier: 1e5, level: 0.95 });
        const withEmpty = directlyStandardisedRate([...s, { events: 0, population: 0, standard: weight }], { multiplier: 1e5, level: 0.95 });
        for (const key of ['value', 'lower', 'upper'] as const) assert.ok(Math.abs(withEmpty[key] - without[key]) <= 1e-9 * Math.max(1, Math.abs(without[key])));
      }),
    );
  });

  it('rates scale with the multiplier', () => {
    fc.assert(
      fc.property(stratumList, fc.constantFrom(1, 1000, 100_000), (s, m) => {
        const one = directlyStandardisedRate(s, { multiplier: 1, level: 0.95 });
        const scaled = directlyStandardisedRate(s, { multiplier: m, level: 0.95 });
        for (const key of ['value', 'lower', 'upper'] as const) {
          assert.ok(Math.abs(scaled[key] - one[key] * m) <= 1e-9 * Math.max(1, Math.abs(one[key] * m)));
        }
      }),
    );
  });

  it('the DSR of an area whose age structure equals the standard equals its crude rate', () => {
    fc.assert(
      fc.property(stratumList, fc.integer({ min: 1, max: 50 }), (s, k) => {
        const same = s.map((x) => ({ ...x, population: x.standard * k }));
        const dsr = directlyStandardisedRate(same, { multiplier: 1e5, level: 0.95 });
        const crude = crudeRate(
          same.reduce((a, x) => a + x.events, 0),
          same.reduce((a, x) => a + x.population, 0),
          { multiplier: 1e5, level: 0.95 },
        );
        assert.ok(Math.abs(dsr.value - crude.value) <= 1e-9 * Math.max(1, crude.value));
      }),
    );
  });

  it('intervals contain the estimate, and 99.8 % intervals contain 95 % ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 1_000_000 }), (o, n) => {
        for (const level of [0.95, 0.998]) {
          const ci = countInterval(o, level);
          assert.ok(ci.lower <= o && o <= ci.upper);
        }
        const wide = countInterval(o, 0.998);
        const narrow = countInterval(o, 0.95);
        assert.ok(wide.lower <= narrow.lower && narrow.upper <= wide.upper);
        const p = Math.min(o, n);
        const w = wilsonInterval(p, n, 0.95);
        assert.ok(w.lower <= p / n + 1e-15 && p / n <= w.upper + 1e-15);
      }),
    );
    fc.assert(
      fc.property(stratumList, (s) => {
        const dsr = directlyStandardisedRate(s, { multiplier: 1e5, level: 0.95 });
        assert.ok(dsr.lower <= dsr.value + 1e-9 && dsr.value <= dsr.upper + 1e-9);
      }),
    );
  });
});

describe('comparing two standardised rates (APHO Technical Briefing 3)', () => {
  // A second area on the same populations; the reference values are docs/methods/reference-values.R's.
  const events2 = [1, 0, 1, 2, 3, 6, 5, 6, 8, 10, 15, 22, 30, 41, 52, 60, 66, 60, 44];
  const strata2: RateStratum[] = esp.map((w, i) => ({ events: events2[i]!, population: population[i]!, standard: w }));
  const o = { multiplier: 1e5, level: 0.95 };

  it('rate ratio and rate difference with their intervals equal the reference computation', () => {
    const a = directlyStandardisedRate(strata, o);
    const b = directlyStandardisedRate(strata2, o);
    close(b.value, 51.005421413208488, 'DSR 2');
    close(b.variance, 6.1544417212369043, 'var(DSR 2)');
    const ratio = rateRatio(a, b, 0.95);
    close(ratio.value, 1.3471349498447778, 'ratio');
    close(ratio.lower, 1.1878037616512103, 'ratio lower');
    close(ratio.upper, 1.5278387151851656, 'ratio upper');
    const difference = rateDifference(a, b, 0.95);
    close(difference.value, 17.705764404085883, 'difference');
    close(difference.lower, 10.253144011429359, 'difference lower');
    close(difference.upper, 25.158384796742407, 'difference upper');
  });

  it("the variance comes back from the published rate, its Dobson upper limit and its events", () => {
    for (const s of [strata, strata2]) {
      const d = directlyStandardisedRate(s, o);
      const observed = s.reduce((t, x) => t + x.events, 0);
      close(dsrVariance(d.value, d.upper, observed, countInterval(observed, 0.95).upper), d.variance, 'variance', 1e-12);
    }
    assert.equal(dsrVariance(0, 3.7, 0, 3.7), 0);
  });

  it('invariants: a against b is the inverse of b against a; the interval holds the estimate; a rate of 0 has no ratio', () => {
    fc.assert(
      fc.property(
        // Rates and their variances as a share of the squared rate (a relative standard error up to 2).
        fc.double({ min: 0.01, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }),
        fc.double({ min: 0.01, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }),
        (x, rx, y, ry) => {
          const a = { value: x, variance: rx * x * x };
          const b = { value: y, variance: ry * y * y };
          const ab = rateRatio(a, b, 0.95);
          const ba = rateRatio(b, a, 0.95);
          close(ab.value * ba.value, 1, 'ratio × inverse');
          close(ab.lower * ba.upper, 1, 'lower × inverse upper');
          assert.ok(ab.lower <= ab.value && ab.value <= ab.upper);
          const d = rateDifference(a, b, 0.95);
          const e = rateDifference(b, a, 0.95);
          close(d.value, -e.value, 'difference', 1e-12);
          close(d.upper - d.value, e.upper - e.value, 'half width', 1e-12);
          // A wider level gives a wider interval.
          assert.ok(rateRatio(a, b, 0.998).upper >= ab.upper);
        },
      ),
    );
    assert.ok(Number.isNaN(rateRatio({ value: 0, variance: 0 }, { value: 5, variance: 1 }, 0.95).value));
  });
});
