import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { logRatioZ, overdispersedLimits, overdispersion } from './overdispersion.js';
import { rankability, rankIntervals } from './ranks.js';
import { empiricalBayes } from './shrinkage.js';
import { Random } from './random.js';
import { ebStatistic, variationBootstrap } from './variation-bootstrap.js';
import { coefficientOfVariation, extremalQuotients, systematicComponentOfVariation } from './variation.js';

const close = (a: number, b: number, tolerance = 1e-12) => assert.ok(Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b)), `${a} ≠ ${b}`);

describe('overdispersed funnel limits (Spiegelhalter 2005, as FunnelPlotR computes them)', () => {
  // FunnelPlotR's own test data (tests/testthat/test-OD_adjust_func.R): six units' observed and expected.
  // Reference values computed independently in Python from the formulas: z = √E·log(O/E), winsorised at
  // the 10th and 90th percentiles (R's type 7), φ = mean z², τ² = (Iφ − (I − 1)) / (ΣE − ΣE²/ΣE).
  const units = [100, 150, 180, 80, 120, 225].map((observed, i) => ({ observed, expected: [108, 112, 165, 95, 100, 220][i]! }));

  it('gives φ and τ² of the worked example, and its additive and multiplicative limits', () => {
    const fit = overdispersion(units);
    close(fit.phi, 2.149053099170452);
    close(fit.tau2, 0.012118491459176522);
    close(fit.statistic, 12.894318595022714);
    assert.equal(fit.df, 5);
    assert.ok(fit.pValue > 0.02 && fit.pValue < 0.03, `χ²(5) ≥ 12.89 has p ≈ 0.024, got ${fit.pValue}`);
    const z95 = 1.959963984540054;
    const add = overdispersedLimits(100, z95, 'additive', fit);
    close(add.lower, 0.7471483905533296);
    close(add.upper, 1.338422209889807);
    const mult = overdispersedLimits(100, z95, 'multiplicative', fit);
    close(mult.lower, 0.7502687214147045);
    close(mult.upper, 1.3328557774798382);
  });

  it('has φ near 1 and τ² = 0 when areas differ by Poisson noise only, and no limit inside the Poisson-size one', () => {
    // Observed exactly at expectation everywhere: no spread at all.
    const flat = overdispersion([50, 80, 120, 400].map((e) => ({ observed: e, expected: e })));
    assert.equal(flat.phi, 0);
    assert.equal(flat.tau2, 0);
    const limits = overdispersedLimits(100, 1.96, 'multiplicative', flat);
    close(limits.upper, Math.exp(1.96 / 10));
  });

  it('the z-score is the log ratio scaled by √E, and an area with no events is left out of the estimate', () => {
    close(logRatioZ(121, 100), 10 * Math.log(1.21));
    assert.equal(overdispersion([...units, { observed: 0, expected: 30 }]).used, units.length);
  });

  it('truncation leaves the extreme z-scores out instead of pulling them in', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ observed: 100 + 10 * i, expected: 140 }));
    const fit = overdispersion(ten, { how: 'truncate' });
    // Ten areas in ten rank groups: the lowest and the highest z-score are left out, the other eight kept as they are.
    assert.equal(fit.used, 8);
    const middle = ten.slice(1, 9).map((a) => logRatioZ(a.observed, a.expected) ** 2);
    close(fit.phi, middle.reduce((x, y) => x + y, 0) / 8);
  });
});

describe('empirical-Bayes shrinkage (Marshall 1991)', () => {
  it('gives the weights of a three-area case worked by hand', () => {
    // O = 10, 40, 100; E = 20, 40, 60. m = 150/120 = 1.25. r = 0.5, 1, 5/3.
    // s² = (20·0.75² + 40·0.25² + 60·(5/12)²) / 120 = (11.25 + 2.5 + 10.41666…) / 120 = 0.2013888…
    // Ē = 40: A = 0.2013888… − 1.25/40 = 0.1701388…; C = A / (A + 1.25/E).
    const s = empiricalBayes([{ observed: 10, expected: 20 }, { observed: 40, expected: 40 }, { observed: 100, expected: 60 }]);
    close(s.mean, 1.25);
    const a = (11.25 + 2.5 + 60 * (5 / 12) ** 2) / 120 - 1.25 / 40;
    close(s.betweenVariance, a);
    [20, 40, 60].forEach((e, i) => close(s.areas[i]!.weight, a / (a + 1.25 / e)));
    close(s.areas[0]!.shrunk, 1.25 + (a / (a + 1.25 / 20)) * (0.5 - 1.25));
  });

  it('pulls every ratio toward the mean, and less the more expected events an area has', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ observed: fc.integer({ min: 0, max: 500 }), expected: fc.double({ min: 1, max: 500, noNaN: true }) }), { minLength: 2, maxLength: 12 }), (areas) => {
        const s = empiricalBayes(areas);
        for (const a of s.areas) {
          assert.ok(a.weight >= 0 && a.weight <= 1);
          assert.ok(Math.abs(a.shrunk - s.mean) <= Math.abs(a.ratio - s.mean) + 1e-12);
        }
      }),
    );
  });

  it('shrinks nothing away as the areas grow (the weight tends to 1)', () => {
    const areas = (k: number) => [{ observed: 5 * k, expected: 10 * k }, { observed: 20 * k, expected: 10 * k }, { observed: 12 * k, expected: 12 * k }];
    const weights = [1, 10, 100, 10_000].map((k) => empiricalBayes(areas(k)).areas[0]!.weight);
    for (let i = 1; i < weights.length; i++) assert.ok(weights[i]! > weights[i - 1]!);
    assert.ok(weights.at(-1)! > 0.999);
  });
});

describe('rank intervals and rankability', () => {
  const areas = [300, 280, 260, 200, 150].map((value) => ({ value, se: 0.08 }));

  it('each interval holds the observed rank, and the same seed gives the same intervals', () => {
    const a = rankIntervals(areas, { draws: 2000, seed: 7 });
    assert.deepEqual(a.map((r) => r.rank), [1, 2, 3, 4, 5]);
    for (const r of a) assert.ok(r.lower <= r.rank && r.rank <= r.upper);
    assert.deepEqual(rankIntervals(areas, { draws: 2000, seed: 7 }), a);
  });

  it('narrows as the estimates get more precise, down to the rank itself', () => {
    const width = (se: number) => rankIntervals(areas.map((a) => ({ ...a, se })), { draws: 2000 }).reduce((s, r) => s + r.upper - r.lower, 0);
    assert.ok(width(0.2) > width(0.05));
    assert.equal(width(0.0001), 0);
  });

  it('rankability by hand: log rates 0, 1, 2 with se 0.5 give τ² = 0.75 and ρ = 0.75', () => {
    // w = 4 each: ȳ = 1, Q = 4·(1 + 0 + 1) = 8, Σw − Σw²/Σw = 12 − 48/12 = 8, τ² = (8 − 2)/8; median se² = 0.25.
    const r = rankability([0, 1, 2].map((y) => ({ value: Math.exp(y), se: 0.5 })));
    close(r.tau2, 0.75);
    close(r.rho, 0.75);
  });

  it('rankability is near 1 for precise estimates that differ, near 0 for noisy ones', () => {
    assert.ok(rankability(areas.map((a) => ({ ...a, se: 0.01 }))).rho > 0.95);
    assert.ok(rankability(areas.map((a) => ({ ...a, se: 1 }))).rho < 0.1);
  });
});

describe('variation statistics with intervals and a test against chance (Ibáñez et al. 2009)', () => {
  const areas = [
    { observed: 420, expected: 300 }, { observed: 260, expected: 310 }, { observed: 150, expected: 160 }, { observed: 90, expected: 120 },
    { observed: 640, expected: 520 }, { observed: 75, expected: 80 }, { observed: 300, expected: 355 }, { observed: 210, expected: 190 },
  ].map((a) => ({ ...a, rate: (1000 * a.observed) / a.expected }));

  it('EB is the moment estimate of the between-area variance of log(O/E), worked by hand on three areas', () => {
    // y = log(O/E) = log 2, 0, log 0.5 with weights E = 10, 20, 10: mean 0, Q = 10·(log 2)² · 2, Σw = 40, Σw² = 600.
    const q = 20 * Math.log(2) ** 2;
    close(ebStatistic([{ observed: 20, expected: 10 }, { observed: 20, expected: 20 }, { observed: 5, expected: 10 }]), (q - 2) / (40 - 600 / 40));
    assert.equal(ebStatistic([{ observed: 10, expected: 10 }, { observed: 20, expected: 20 }]), 0);
  });

  it('each interval holds its statistic, and areas that differ this much are more than chance', () => {
    const b = variationBootstrap(areas, 1000, { draws: 500, seed: 3 });
    // The bootstrap's own (allocation-free) statistics give what the published ones give.
    close(b.ft1.value, extremalQuotients(areas.map((a) => a.rate)).ft1);
    close(b.cv.value, coefficientOfVariation(areas.map((a) => a.rate)));
    close(b.scv.value, systematicComponentOfVariation(areas));
    close(b.eb.value, ebStatistic(areas));
    for (const s of [b.ft1, b.cv, b.scv, b.eb]) {
      assert.ok(s.lower <= s.value && s.value <= s.upper, `${s.lower} ≤ ${s.value} ≤ ${s.upper}`);
      assert.ok(s.pValue < 0.01, `p ${s.pValue}`);
    }
    assert.deepEqual(variationBootstrap(areas, 1000, { draws: 500, seed: 3 }), b, 'the same seed, the same answer');
  });

  it('under no variation beyond chance the test’s p-value is uniform: about 5 % of data sets fall below 0.05 (a seeded check)', () => {
    const random = new Random(11);
    const expected = [20, 35, 50, 80, 120, 160, 200, 260, 320, 400];
    const p = Array.from({ length: 300 }, (_, run) => {
      const data = expected.map((e) => {
        const observed = Math.max(1, random.poisson(e));
        return { observed, expected: e, rate: (1000 * observed) / e };
      });
      return variationBootstrap(data, 1000, { draws: 199, seed: run }).scv.pValue;
    });
    const below = p.filter((x) => x <= 0.05).length / p.length;
    const mean = p.reduce((a, b) => a + b, 0) / p.length;
    assert.ok(below > 0.015 && below < 0.1, `share below 0.05: ${below}`);
    assert.ok(mean > 0.42 && mean < 0.58, `mean p: ${mean}`);
  });
});
