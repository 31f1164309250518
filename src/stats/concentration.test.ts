import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { concentration, concentrationInterval, type UseBin } from './concentration.js';

/** A population of patients as a histogram. */
const binsOf = (uses: number[]): UseBin[] => {
  const counts = new Map<number, number>();
  for (const u of uses) counts.set(u, (counts.get(u) ?? 0) + 1);
  return [...counts].map(([value, patients]) => ({ value, patients }));
};

/** The textbook formulas on the patients themselves: sort, sum the top n, Gini by mean absolute difference. */
function direct(uses: number[], fraction: number) {
  const desc = [...uses].sort((a, b) => b - a);
  const total = desc.reduce((a, b) => a + b, 0);
  const n = Math.floor(fraction * uses.length + 1e-9);
  const top = desc.slice(0, n).reduce((a, b) => a + b, 0) / total;
  let pairs = 0;
  for (const x of uses) for (const y of uses) pairs += Math.abs(x - y);
  const gini = pairs / (2 * uses.length * uses.length * (total / uses.length));
  return { top, gini };
}

describe('concentration of use', () => {
  it('a hand-made population of 20 patients', () => {
    // 1 patient with 30 stays, 1 with 10, 3 with 4, 15 with 1: 67 stays in all.
    const uses = [30, 10, 4, 4, 4, ...Array(15).fill(1)];
    const c = concentration(binsOf(uses), [0.05, 0.1, 0.25]);
    assert.equal(c.patients, 20);
    assert.equal(c.total, 67);
    assert.deepEqual(c.tops.map((t) => t.patients), [1, 2, 5]);
    assert.equal(c.tops[0]!.share, 30 / 67);
    assert.equal(c.tops[1]!.share, 40 / 67);
    assert.equal(c.tops[2]!.share, 52 / 67);
    // Gini by hand: Σ|xi − xj| over ordered pairs / (2 N² mean).
    assert.ok(Math.abs(c.gini - direct(uses, 0.05).gini) < 1e-12);
    // The Lorenz curve: the lightest 75 % (15 patients) used 15 of 67.
    assert.ok(Math.abs(c.lorenz[75]!.use - 15 / 67) < 1e-12);
    assert.equal(c.lorenz[0]!.use, 0);
    assert.ok(Math.abs(c.lorenz[100]!.use - 1) < 1e-12);
  });

  it('Gini is 0 when everyone used the same, and tends to 1 for one heavy user', () => {
    assert.equal(concentration([{ value: 3, patients: 1000 }]).gini, 0);
    const one = concentration([{ value: 1_000_000, patients: 1 }, { value: 1, patients: 999 }]);
    assert.ok(one.gini > 0.99, `gini ${one.gini}`);
    assert.ok(one.gini < 1);
  });

  it('shares and Gini equal the direct computation on any population (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 300 }), fc.constantFrom(0.01, 0.05, 0.1, 0.2, 0.5), (uses, f) => {
        const c = concentration(binsOf(uses), [f]);
        const d = direct(uses, f);
        if (c.tops[0]!.patients > 0) assert.ok(Math.abs(c.tops[0]!.share - d.top) < 1e-12);
        assert.ok(Math.abs(c.gini - d.gini) < 1e-12);
        // The Lorenz curve never decreases and never lies above the diagonal.
        for (let p = 1; p <= 100; p++) {
          assert.ok(c.lorenz[p]!.use >= c.lorenz[p - 1]!.use - 1e-12);
          assert.ok(c.lorenz[p]!.use <= p / 100 + 1e-12);
        }
      }),
    );
  });

  it('the bootstrap interval contains the estimate and narrows as the population grows', () => {
    const small: UseBin[] = [{ value: 1, patients: 600 }, { value: 2, patients: 200 }, { value: 5, patients: 150 }, { value: 20, patients: 50 }];
    const large = small.map((b) => ({ ...b, patients: b.patients * 100 }));
    const widths = [small, large].map((bins) => {
      const c = concentration(bins);
      const i = concentrationInterval(bins, undefined, { draws: 400, seed: 7 });
      i.tops.forEach((t, k) => assert.ok(t.lower <= c.tops[k]!.share && c.tops[k]!.share <= t.upper, `top ${t.fraction}: ${t.lower}–${t.upper} around ${c.tops[k]!.share}`));
      assert.ok(i.gini.lower <= c.gini && c.gini <= i.gini.upper);
      return i.gini.upper - i.gini.lower;
    });
    assert.ok(widths[1]! < widths[0]! / 5, `widths ${widths}`);
  });
});
