import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { loadCatalogue } from '../catalog/load-catalogue.js';
import type { ServiceDefinition } from '../catalog/service.js';
import { importFile } from '../import/import-file.js';
import { crudeRate, directlyStandardisedRate } from '../stats/rates.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText, type EpisodeFields } from '../test-support/fixtures.js';
import { nationalUnit, type Store } from '../store/store.js';
import { strataCount } from '../store/strata-block.js';
import { computeRates, computeUnsuppressedRates, defaultRateOptions, isWithheld } from './rates.js';
import { computeUnsuppressedStayRates } from './stay-rates.js';

const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R,Region\n2002,B,Area B,R,Region\n3003,C,Area C,R,Region\n';
const population = ['year,municipality,sex,age,population', ...[2022, 2023].flatMap((y) => ['1001', '2002', '3003'].flatMap((m) => [`${y},${m},1,45,4000`, `${y},${m},2,45,6000`]))].join('\n');

/** A patient's episodes: [start, end, care level, procedures], all at one place. */
function patient(id: string, municipality: string, episodes: [string, string, string, string][]): EpisodeFields[] {
  return episodes.map(([start, end, level, procedures], i) =>
    episode(`${id}-${i}`, { patient_id: id, start_date: start, end_date: end, care_level: level, procedures, main_diagnosis: 'K21.0', municipality }),
  );
}

// Gastroscopy is procedure UJD02 in the shipped catalogue; JAB11 is a groin hernia operation.
const hand = [
  // An inpatient stay with two gastroscopies inside it: one stay with gastroscopy, 4 bed days.
  ...patient('inside', '1001', [['2023-03-01', '2023-03-05', 'inpatient', 'JAB11'], ['2023-03-02', '2023-03-02', 'outpatient', 'UJD02'], ['2023-03-04', '2023-03-04', 'outpatient', 'UJD02']]),
  // Two gastroscopies on different days: two stays of 0 bed days.
  ...patient('twice', '1001', [['2023-05-10', '2023-05-10', 'outpatient', 'UJD02'], ['2023-06-10', '2023-06-10', 'outpatient', 'UJD02']]),
  // A gastroscopy in a stay from December to January: a stay of 2023 (the year it ends), 5 bed days, in area B.
  ...patient('newyear', '2002', [['2022-12-29', '2023-01-03', 'inpatient', ''], ['2022-12-30', '2022-12-30', 'day', 'UJD02']]),
  // A stay with no gastroscopy: not counted.
  ...patient('other', '2002', [['2023-02-01', '2023-02-08', 'inpatient', 'JAB11']]),
];

/** Enough gastroscopies in both areas and years that the grid shows them: day cases and stays of 1–3 days. */
const many = Array.from({ length: 80 }, (_, i) =>
  patient(`m${i}`, i % 2 ? '1001' : '2002', [
    i % 4 === 0
      ? [`${2022 + (i % 3 === 0 ? 0 : 1)}-04-${10 + (i % 10)}`, `${2022 + (i % 3 === 0 ? 0 : 1)}-04-${11 + (i % 10) + (i % 3)}`, 'inpatient', 'UJD02']
      : [`${2022 + (i % 3 === 0 ? 0 : 1)}-09-${10 + (i % 10)}`, '', 'outpatient', 'UJD02'],
  ]),
).flat().concat(
  // Area C: two stays in 2023 (one with 3 bed days) and six in 2022.
  ...patient('c1', '3003', [['2023-02-01', '2023-02-04', 'inpatient', 'UJD02']]),
  ...patient('c2', '3003', [['2023-03-01', '', 'outpatient', 'UJD02']]),
  ...Array.from({ length: 6 }, (_, i) => patient(`c${i + 3}`, '3003', [[`2022-03-0${i + 1}`, '', 'outpatient', 'UJD02']])).flat(),
);

describe('rates counted in stays and bed days', () => {
  let store: Store;
  let dir: string;
  let gastroscopy: ServiceDefinition;
  after(() => Promise.all([store.close(), rm(dir, { recursive: true, force: true })]));
  before(async () => {
    store = await memoryStore({ keep: true });
    dir = await tempDir({ keep: true });
    gastroscopy = (await loadCatalogue()).services.find((s) => s.id === 'gastroscopy')!;
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
    await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', population) });
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv(hand)) });
  });

  it('by hand: a stay counts once for the service, in the year it ends, at its first gastroscopy\'s place, with its bed days', async () => {
    const block = await store.stayStrata({ serviceIds: ['gastroscopy'], fromYear: 2023, toYear: 2023, level: 'area' });
    // Per unit (nation first) and frame (the period first) the stays, bed days and squares.
    const frame = (unit: string, f: number) => {
      const u = block.units.findIndex((x) => x.code === unit);
      const base = (u * 2 + f) * strataCount;
      const sum = (a: Float64Array) => a.subarray(base, base + strataCount).reduce((x, y) => x + y, 0);
      return [sum(block.episodes), sum(block.amount!.values), sum(block.amount!.squares)];
    };
    assert.deepEqual(frame('A', 1), [3, 4, 16], 'area A: the stay with two gastroscopies (4 bed days) and two day visits');
    assert.deepEqual(frame('B', 1), [1, 5, 25], 'area B: the stay across the new year');
    assert.deepEqual(frame(nationalUnit, 0), [4, 9, 41], 'the nation, the period');
    assert.ok(block.patients.every((p) => Number.isNaN(p)), 'no patients are counted with stays');
    const events = await computeUnsuppressedRates(store, [gastroscopy], { ...defaultRateOptions([2023, 2023]) }, { patients: false });
    assert.equal(events[0]!.rows.find((r) => r.national && r.year === 2023)!.events, 4, 'four gastroscopy episodes in 2023 (the new-year one is of 2022)');
  });

  it('rates and intervals: stays as a count; bed days as φ × a count, φ = Σ b² / Σ b', async () => {
    const o = { ...defaultRateOptions([2023, 2023]), suppression: { ...defaultRateOptions([2023, 2023]).suppression, minEvents: 1 } };
    const [stays] = await computeUnsuppressedStayRates(store, [gastroscopy], o, 'stays');
    const [beds] = await computeUnsuppressedStayRates(store, [gastroscopy], o, 'bed_days');
    assert.equal(stays!.service.counts, 'stays');
    assert.equal(beds!.service.counts, 'bed_days');
    const a = (t: typeof stays) => t!.rows.find((r) => r.unit === 'A' && r.year === 2023)!;
    assert.equal(a(stays).events, 3);
    assert.equal(a(beds).events, 4);
    assert.deepEqual(a(beds).providers, a(stays).providers, 'the provider split counts the stays behind the bed days');
    // Area A: 4 bed days among 10 000 people (men 4 000, women 6 000 aged 45); all stays of men.
    const crude = crudeRate(4, 10000, { multiplier: 100_000, level: 0.95, dispersion: 16 / 4 });
    assert.ok(!isWithheld(a(beds).crudeRate));
    const shown = a(beds).crudeRate as { value: number; lower: number; upper: number };
    for (const k of ['value', 'lower', 'upper'] as const) assert.ok(Math.abs(shown[k] - crude[k]) < 1e-9, `${k}: ${shown[k]} ≠ ${crude[k]}`);
    // The same standardised rate as a count of 4 would have, with a wider interval (φ = 4).
    const plain = directlyStandardisedRate([{ events: 4, population: 4000, standard: 8000 }, { events: 0, population: 6000, standard: 12000 }], { multiplier: 100_000, level: 0.95 });
    const dsr = a(beds).standardisedRate as { value: number; lower: number; upper: number };
    assert.ok(Math.abs(dsr.value - plain.value) < 1e-9);
    assert.ok(dsr.upper > plain.upper, 'bed days spread over few stays: wider');
  });

  it('by local-hospital area or municipality: refused, naming the levels it is published at', async () => {
    await assert.rejects(computeUnsuppressedStayRates(store, [gastroscopy], { ...defaultRateOptions([2023, 2023]), level: 'municipality' }, 'stays'), /published by area and region/);
  });

  it('published: small counts of stays withheld, and the bed days wherever their stays are', async () => {
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'more.csv', episodesCsv(many)) });
    for (const years of [[2022, 2023], [2023, 2023]] as const) {
      const o = defaultRateOptions([years[0], years[1]]);
      const [stays] = await computeRates(store, [gastroscopy], o, { count: 'stays' });
      const [beds] = await computeRates(store, [gastroscopy], o, { count: 'bed_days' });
      for (const row of stays!.rows) {
        if (typeof row.events === 'number') assert.ok(row.events === 0 || row.events > 4, `a small count of stays shown: ${row.events}`);
        const bed = beds!.rows.find((r) => r.unit === row.unit && r.year === row.year)!;
        assert.equal(isWithheld(bed.events), isWithheld(row.events), `${row.unit} ${row.year}: bed days withheld with their stays`);
        assert.ok(isWithheld(row.patients), 'patients are not counted with stays');
      }
      const c = stays!.rows.find((r) => r.unit === 'C' && r.year === 2023)!;
      assert.ok(isWithheld(c.events), 'area C\'s two stays of 2023 are withheld');
      assert.ok(isWithheld(beds!.rows.find((r) => r.unit === 'C' && r.year === 2023)!.events), 'and its 3 bed days');
      // The nation, A and B shown would give C by difference: one more of them is withheld in 2023.
      assert.ok(stays!.rows.filter((r) => r.year === 2023 && r.unit !== 'C' && isWithheld(r.events)).length >= 1, 'a second cell withheld in 2023');
    }
    await assert.rejects(computeRates(store, [gastroscopy], { ...defaultRateOptions([2022, 2023]), fromYear: 2021, toYear: 2022 }, { count: 'stays' }), /not published|empty|no year/);
  });
});
