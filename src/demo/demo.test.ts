import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { memoryStore, tempDir } from '../test-support/fixtures.js';
import { generateDemo } from './generate.js';
import { defaultRateOptions, type Estimate, type RateRow } from '../analysis/rates.js';
import { comparableServiceRates } from '../analysis/service-rates.js';
import { variation } from '../analysis/variation.js';
import { runDemo } from './run-demo.js';
import { norwayGeography } from '../geo/norway.js';
import { demoPlaces, numberInYear } from './norway.js';
import { maxAge, peopleIn } from './population-model.js';

const sha = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

describe('demo data', () => {
  it('is deterministic: the same seed writes the same bytes', async () => {
    const dir = await tempDir();
    const options = { scale: 0.05, years: [2022], badEvery: 500 };
    const a = await generateDemo({ ...options, outDir: join(dir, 'a') });
    const b = await generateDemo({ ...options, outDir: join(dir, 'b') });
    const c = await generateDemo({ ...options, outDir: join(dir, 'c'), seed: 7 });
    assert.equal(await sha(a.episodes), await sha(b.episodes));
    assert.equal(await sha(a.population), await sha(b.population));
    assert.notEqual(await sha(a.episodes), await sha(c.episodes));
  });

  it('imports with exactly the broken rows rejected and the Svalbard rows unmapped', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const run = await runDemo(store, { outDir: dir, scale: 0.3, years: [2019, 2023], badEvery: 400 });
    const summary = run.files.episodeSummary;
    const broken = Object.values(summary.badRows).reduce((a, b) => a + b, 0);
    assert.ok(Object.keys(summary.badRows).length >= 10, 'every kind of broken row is present');
    const episodes = run.imports.find((r) => r.kind === 'episodes')!;
    assert.equal(episodes.rowsRead, summary.rows);
    assert.equal(episodes.rowsRejected, broken);
    assert.equal(episodes.rowsAccepted + episodes.rowsRejected, episodes.rowsRead);
    const unmapped = run.status.episodeYears.reduce((s, y) => s + y.unmapped, 0);
    assert.equal(unmapped, summary.unmappedRows);
    assert.ok(run.status.unmapped.every((u) => u.municipality === '2111'));
    // Every episode starts in one of the demo's years (the pathways' follow-up never runs into another).
    assert.deepEqual(run.status.episodeYears.map((y) => y.year), [2019, 2023]);
    // 2019 uses Helse Nord's pre-2020 numbers: the renumbering chain must map all population.
    assert.ok(run.status.populationYears.every((y) => y.unmapped === 0));
    assert.equal(run.status.areas.length, 21);
    const population2023 = run.status.populationYears.find((y) => y.year === 2023)!.population;
    assert.ok(Math.abs(population2023 - 5_550_000) < 50_000, `Norway-sized population, got ${population2023}`);

    // Rates: the nation is the sum of the areas, and gastroscopy comes out as the generator made it:
    // Møre og Romsdal highest (area effect 1.5) with the highest private share (35 %).
    const gastroscopy = run.rates.find((t) => t.service.id === 'gastroscopy')!;
    const pooled = gastroscopy.rows.filter((r) => r.year === null);
    const areas = pooled.filter((r) => !r.national);
    const national = pooled.find((r) => r.national)!;
    assert.equal(areas.length, 21);
    assert.equal(national.events, areas.reduce((s, r) => s + (r.events as number), 0));
    assert.equal(national.population, areas.reduce((s, r) => s + r.population, 0));
    const rate = (r: RateRow) => (r.standardisedRate as Estimate).value;
    const byRate = [...areas].sort((a, b) => rate(b) - rate(a));
    assert.equal(byRate[0]!.unitName, 'Møre og Romsdal');
    const byShare = [...areas].sort((a, b) => (b.privateShare as Estimate).value - (a.privateShare as Estimate).value);
    assert.equal(byShare[0]!.unitName, 'Møre og Romsdal');
    // Labels (table 4) as the source has them for Midt-Norge: Møre og Romsdal highest with a high
    // share bought, Nord-Trøndelag above average with purchase, St. Olav buying (with purchase).
    const v = variation((await comparableServiceRates(store, { serviceIds: ['gastroscopy'] }, defaultRateOptions)).tables[0]!);
    const labelOf = (name: string) => v.areas.find((a) => a.unitName === name)!.label;
    assert.deepEqual([labelOf('Møre og Romsdal').position, labelOf('Møre og Romsdal').purchase], ['highest', 'high']);
    assert.deepEqual([labelOf('Nord-Trøndelag').position, labelOf('Nord-Trøndelag').purchase], ['above', 'with']);
    assert.equal(labelOf('St. Olav').purchase, 'with');
    const full = rate(national) / 0.3; // the demo thins the services below scale 1
    assert.ok(full > 800 && full < 2000, `a plausible national gastroscopy rate per 100 000: ${full}`);
  });

  it('lives in the real municipalities, each written with the number of its year, and every one of them maps', async () => {
    const places = demoPlaces(20231);
    // Every 2024 municipality of the built-in geography is a place (the four cities by their districts).
    const municipalities = new Set(norwayGeography().map((g) => g.municipality));
    assert.equal(municipalities.size, 357);
    assert.deepEqual(new Set(places.map((p) => p.municipality)), municipalities);
    assert.ok(places.some((p) => p.name === 'Tromsø') && places.some((p) => p.name === 'Grünerløkka'), 'real names');
    // The number of each year: Tromsø 1902 → 5401 (2020) → 5501 (2024); Haram part of Ålesund 1507 in 2020–2023.
    const tromsø = places.find((p) => p.name === 'Tromsø')!;
    assert.deepEqual([2019, 2020, 2023, 2024].map((y) => numberInYear(tromsø, y).municipality), ['1902', '5401', '5401', '5501']);
    const haram = places.find((p) => p.name === 'Haram')!;
    assert.deepEqual([2019, 2023, 2024].map((y) => numberInYear(haram, y).municipality), ['1534', '1507', '1580']);
    const arna = places.find((p) => p.name === 'Arna')!;
    assert.deepEqual([2019, 2020].map((y) => numberInYear(arna, y).district), ['120101', '460101']);

    const store = await memoryStore();
    const run = await runDemo(store, { outDir: await tempDir(), scale: 0.02, years: [2019, 2020, 2021, 2022, 2023] });
    assert.deepEqual(run.status.populationYears.map((y) => [y.year, y.unmapped]), [2019, 2020, 2021, 2022, 2023].map((y) => [y, 0]));
    assert.ok(run.status.unmapped.every((u) => u.municipality === '2111'), 'only Svalbard is unmapped');
    // Each year's numbers resolve to the 2024 municipality of the place: the store's population by
    // municipality is the demo's, with Haram inside Ålesund until it split off again in 2024.
    const strata = await store.populationStrata({ fromYear: 2019, toYear: 2023, level: 'municipality' });
    for (const year of [2019, 2021, 2023]) {
      const stored = new Map<string, number>();
      for (const s of strata.filter((x) => x.year === year)) stored.set(s.unit, (stored.get(s.unit) ?? 0) + s.population);
      const written = new Map<string, number>();
      for (const p of places) {
        const at = p.municipality === '1580' ? '1508' : p.municipality;
        let n = 0;
        for (const sex of [1, 2] as const) for (let age = 0; age <= maxAge; age++) n += peopleIn(p, year, sex, age);
        written.set(at, (written.get(at) ?? 0) + n);
      }
      assert.deepEqual(stored, written, `${year}: population by 2024 municipality`);
    }
  });

  it('running the demo twice does not double anything', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const options = { outDir: dir, scale: 0.02, years: [2023] };
    const first = await runDemo(store, options);
    const second = await runDemo(store, options);
    assert.deepEqual(second.status.tables, first.status.tables);
  });
});
