import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findService, loadCatalogue } from '../catalog/load-catalogue.js';
import { zFor } from '../stats/intervals.js';
import { importFile } from '../import/import-file.js';
import { episode, episodesCsv, tempDir, writeText } from '../test-support/fixtures.js';
import { herniaStore, population } from '../test-support/hernias.js';
import { compareRates } from './comparisons.js';
import { isWithheld, type Shown } from './rate-row.js';
import { computeUnsuppressedRates, defaultRateOptions } from './rates.js';
import { comparableServiceRates } from './service-rates.js';
import type { Comparison } from '../stats/rate-comparison.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} ≠ ${b}`);
const shown = (c: Shown<Comparison>): Comparison => {
  assert.ok(!isWithheld(c), `withheld: ${JSON.stringify(c)}`);
  return c;
};

/**
 * The hernia store (src/test-support/hernias.ts), 2022, groin hernia operations per 100 000. Every
 * sex × age cell of the nation holds 4 500 people, so the four weights are equal (¼) and
 *   DSR_A = (10/1000 + 0/1000 + 60/3000 + 12/3000)/4 = 850,  var_A = (10/1000² + 60/3000² + 12/3000²)/16 · 10¹⁰ = 11 250
 *   DSR_B = (30/3000 + 6/3000 + 20/1000 + 0/1000)/4 = 800,   var_B = (30/3000² + 6/3000² + 20/1000²)/16 · 10¹⁰ = 15 000
 *   national (40 + 6 + 83 + 12)/(4 · 4500) = 783.33…
 */
describe('rate comparisons', () => {
  it('each area against the nation and two areas against each other, by hand', async () => {
    const store = await herniaStore();
    const [table] = await computeUnsuppressedRates(store, [findService(await loadCatalogue(), 'groin_hernia')], defaultRateOptions((await store.episodeYears())!), { patients: false });
    const c = compareRates(table!, { year: 2022, between: ['A', 'B'] });
    const z = zFor(0.95);
    const national = 141 / 18_000 * 1e5;
    close(c.nationalRate as number, national, 'national');
    const a = c.units.find((u) => u.unit === 'A')!;
    const ratio = shown(a.versusNational.ratio);
    close(ratio.value, 850 / national, 'A / national');
    // The nation is a fixed reference: only A's variance.
    close(ratio.upper, (850 / national) * Math.exp((z * Math.sqrt(11_250)) / 850), 'A / national upper');
    const difference = shown(a.versusNational.difference);
    close(difference.lower, 850 - national - z * Math.sqrt(11_250), 'A − national lower');
    const between = c.between!;
    assert.deepEqual([between.a.unit, between.b.unit], ['A', 'B']);
    const r = shown(between.ratio);
    close(r.value, 850 / 800, 'A / B');
    close(r.lower, (850 / 800) * Math.exp(-z * Math.sqrt(11_250 / 850 ** 2 + 15_000 / 800 ** 2)), 'A / B lower');
    const d = shown(between.difference);
    close(d.upper, 50 + z * Math.sqrt(11_250 + 15_000), 'A − B upper');
    // One year only: nothing to compare with before it.
    assert.equal(a.sincePreviousYear, null);
    await store.close();
  });

  it('each area against its previous year: 2023 (20 operations of men aged 60 in A) against 2022, by hand', async () => {
    const store = await herniaStore();
    const dir = await tempDir();
    await importFile(store, { kind: 'population', path: await writeText(dir, 'p23.csv', population.replaceAll('2022,', '2023,')) });
    const rows = Array.from({ length: 20 }, (_, i) =>
      episode(`y23-${i}`, { municipality: '1001', sex: '1', age: '60', main_diagnosis: 'K40.9', procedures: 'JAB11', start_date: '2023-05-02', end_date: '2023-05-02', patient_id: `q-${i}` }),
    );
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e23.csv', episodesCsv(rows)) });
    const [table] = await computeUnsuppressedRates(store, [findService(await loadCatalogue(), 'groin_hernia')], defaultRateOptions((await store.episodeYears())!), { patients: false });
    const a = compareRates(table!, { year: 2023 }).units.find((u) => u.unit === 'A')!;
    // DSR_A(2023) = (20/3000)/4 · 10⁵ = 166.67, var = (20/3000²)/16 · 10¹⁰ = 1 388.9; both years' variances count.
    const rate23 = (20 / 3000 / 4) * 1e5;
    const var23 = (20 / 9e6 / 16) * 1e10;
    assert.equal(a.sincePreviousYear!.from, 2022);
    const ratio = shown(a.sincePreviousYear!.ratio);
    close(ratio.value, rate23 / 850, '2023 / 2022');
    close(ratio.upper, (rate23 / 850) * Math.exp(zFor(0.95) * Math.sqrt(var23 / rate23 ** 2 + 11_250 / 850 ** 2)), '2023 / 2022 upper');
    close(shown(a.sincePreviousYear!.difference).lower, rate23 - 850 - zFor(0.95) * Math.sqrt(var23 + 11_250), '2023 − 2022 lower');
    // Area B had no operations in 2023: its rate is not shown ('no events'), so neither is its change.
    const b = compareRates(table!, { year: 2023 }).units.find((u) => u.unit === 'B')!;
    assert.ok(isWithheld(b.standardisedRate));
    assert.deepEqual(b.sincePreviousYear!.difference, { withheld: 'the rate of Area B is withheld' });
    // The pooled period has no previous period here.
    assert.equal(compareRates(table!).units[0]!.sincePreviousYear, null);
    await store.close();
  });

  it('a published table: a withheld rate gives a withheld comparison, never a number', async () => {
    const store = await herniaStore();
    const { tables } = await comparableServiceRates(store, { serviceIds: ['groin_hernia'] }, defaultRateOptions);
    const c = compareRates(tables[0]!, { year: 2022 });
    const small = c.units.find((u) => u.unit === 'C')!;
    // Area C has 3 operations: its rate is withheld, and so is everything compared with it.
    assert.ok(isWithheld(small.standardisedRate));
    assert.ok(isWithheld(small.versusNational.ratio) && isWithheld(small.versusNational.difference));
    assert.match((small.versusNational.ratio as { withheld: string }).withheld, /^the rate of Area C is withheld$/);
    assert.throws(() => compareRates(tables[0]!, { between: ['A', 'X'] }), /no area X/);
    assert.throws(() => compareRates(tables[0]!, { year: 1990 }), /outside/);
    await store.close();
  });
});
