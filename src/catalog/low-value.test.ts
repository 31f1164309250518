import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importFile } from '../import/import-file.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText, type EpisodeFields } from '../test-support/fixtures.js';
import { findService, loadCatalogue } from './load-catalogue.js';
import { withheldCountReason } from '../analysis/publication-grid.js';
import { loadMeasures } from './load-measures.js';
import { lowValueByArea } from '../analysis/low-value.js';
import { defaultSuppression } from '../stats/suppression.js';

/** Gastroscopies (UJD02) and other episodes of named patients, each hitting or missing one rule. */
const gastro = (id: string, patient: string, date: string, changes: Partial<EpisodeFields> = {}) =>
  episode(id, { patient_id: patient, start_date: date, end_date: '', procedures: 'UJD02', main_diagnosis: 'K29.7', age: '40', ...changes });
const other = (id: string, patient: string, date: string, diagnosis: string) =>
  episode(id, { patient_id: patient, start_date: date, end_date: '', procedures: '', main_diagnosis: diagnosis, age: '40' });

async function monthly(measureId: string, rows: EpisodeFields[]) {
  const store = await memoryStore();
  const dir = await tempDir();
  await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', 'municipality,area_code,area_name,region_code,region_name\n5001,7,St. Olav,2,Helse Midt-Norge\n') });
  await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv(rows)) });
  const catalogue = await loadCatalogue();
  const measure = (await loadMeasures(catalogue)).find((m) => m.id === measureId)!;
  return store.lowValueMonthly(measure);
}

describe('low-value measure: gastroscopy under 55 without alarm symptoms', () => {
  it('hits and misses every rule: age edges, exclusions on the episode, look-back inside and outside the window', async () => {
    const rows = [
      gastro('low', 'p1', '2023-05-10'), // low value
      gastro('age54', 'p2', '2023-05-10', { age: '54' }), // low value (edge)
      gastro('age55', 'p3', '2023-05-10', { age: '55' }), // too old
      gastro('age17', 'p4', '2023-05-10', { age: '17' }), // too young
      gastro('alarm-main', 'p5', '2023-05-10', { main_diagnosis: 'D50.0' }), // anaemia on the episode
      gastro('alarm-secondary', 'p6', '2023-05-10', { secondary_diagnoses: 'R13.1' }), // dysphagia as a secondary diagnosis
      other('before-in', 'p7', '2022-06-20', 'K92.2'), gastro('lookback-in', 'p7', '2023-05-10'), // GI bleeding 11 months before
      other('before-out', 'p8', '2022-04-01', 'K92.2'), gastro('lookback-out', 'p8', '2023-05-10'), // 13 months before: outside
      other('someone-else', 'p9', '2023-01-01', 'K92.2'), gastro('not-mine', 'p10', '2023-05-10'), // another patient's bleeding
    ];
    const result = await monthly('gastroscopy_under_55', rows);
    assert.deepEqual(result, [{ unit: '7', unitName: 'St. Olav', month: '2023-05', providerType: 'public', numerator: 4, denominator: 9 }]);
  });

  it('the specific variant ignores the look-back and the dyspepsia codes', async () => {
    const rows = [
      other('before-in', 'p7', '2022-06-20', 'K92.2'), gastro('lookback-in', 'p7', '2023-05-10'),
      gastro('reflux', 'p11', '2023-05-10', { main_diagnosis: 'K21.0' }),
    ];
    const sensitive = await monthly('gastroscopy_under_55', rows);
    const specific = await monthly('gastroscopy_under_55_specific', rows);
    assert.equal(sensitive[0]!.numerator, 0);
    assert.equal(specific[0]!.numerator, 2);
  });
});

describe('every default measure, rule by rule', () => {
  // Each case: the measure, episodes of its service that must count as low-value, and ones that must not.
  const knee = (id: string, patient: string, changes: Partial<EpisodeFields>) =>
    episode(id, { patient_id: patient, start_date: '2023-05-10', end_date: '', main_diagnosis: 'M23.2', procedures: 'NGD11', age: '50', ...changes });
  const cases: [string, EpisodeFields[], number, number][] = [
    [
      'meniscectomy_degenerative',
      [
        knee('hit', 'k1', {}), knee('age40', 'k2', { age: '40' }), // low value (age edge)
        knee('age39', 'k3', { age: '39' }), // too young
        knee('trauma', 'k4', { main_diagnosis: 'S83.2' }), // traumatic tear on the episode
        other('injury-in', 'k5', '2023-03-01', 'S82.1'), knee('lookback-in', 'k5', {}), // injury 2 months before
        other('injury-out', 'k6', '2022-12-01', 'S82.1'), knee('lookback-out', 'k6', {}), // 5 months before: outside
      ],
      3, 6,
    ],
    [
      'shoulder_decompression',
      [episode('s1', { main_diagnosis: 'M75.4', procedures: 'NBK13', start_date: '2023-05-10', end_date: '' }), episode('s2', { main_diagnosis: 'M75.4', procedures: 'NBK13', start_date: '2023-05-11', end_date: '', age: '20' })],
      2, 2,
    ],
    [
      'varicose_veins_uncomplicated',
      [
        episode('v1', { main_diagnosis: 'I83.9', procedures: 'PHD10', start_date: '2023-05-10', end_date: '' }),
        episode('v2', { main_diagnosis: 'I83.0', procedures: 'PHD10', start_date: '2023-05-10', end_date: '' }), // with ulcer
        episode('v3', { main_diagnosis: 'I83.9', secondary_diagnoses: 'L97', procedures: 'PHD10', start_date: '2023-05-10', end_date: '' }), // leg ulcer
      ],
      1, 3,
    ],
    [
      'tonsillectomy_adults',
      [
        episode('t1', { main_diagnosis: 'J35.0', procedures: 'EMB10', age: '16', start_date: '2023-05-10', end_date: '' }), // adult edge
        episode('t2', { main_diagnosis: 'J35.0', procedures: 'EMB10', age: '15', start_date: '2023-05-10', end_date: '' }), // child
        episode('t3', { main_diagnosis: 'J36', procedures: 'EMB10', age: '30', start_date: '2023-05-10', end_date: '' }), // peritonsillar abscess
        episode('t4', { main_diagnosis: 'G47.3', procedures: 'EMB10', age: '30', start_date: '2023-05-10', end_date: '' }), // sleep apnoea
      ],
      1, 4,
    ],
  ];
  for (const [id, rows, low, all] of cases) {
    it(id, async () => {
      const [result] = await monthly(id, rows);
      assert.deepEqual([result!.numerator, result!.denominator], [low, all]);
    });
  }
});

describe('low-value shares by area', () => {
  it('withholds a small numerator, and the next smallest area so the total does not give it away; never 0; only periods of the grid', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', 'municipality,area_code,area_name,region_code,region_name\n5001,7,St. Olav,2,Helse Midt-Norge\n1507,8,Møre og Romsdal,2,Helse Midt-Norge\n5006,6,Nord-Trøndelag,2,Helse Midt-Norge\n') });
    const rows = [
      ...Array.from({ length: 12 }, (_, i) => gastro(`a${i}`, `pa${i}`, '2023-05-10')), // area 7: 12 low-value
      ...Array.from({ length: 8 }, (_, i) => gastro(`b${i}`, `pb${i}`, '2023-05-10', { main_diagnosis: 'D50.0' })), // area 7: 8 with anaemia
      ...Array.from({ length: 10 }, (_, i) => gastro(`c${i}`, `pc${i}`, '2023-05-10', { municipality: '1507', main_diagnosis: i < 3 ? 'K29.7' : 'D50.0' })), // area 8: 3 of 10
      ...Array.from({ length: 16 }, (_, i) => gastro(`d${i}`, `pd${i}`, '2023-05-10', { municipality: '5006', main_diagnosis: i < 11 ? 'K29.7' : 'D50.0' })), // area 6: 11 of 16
    ];
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv(rows)) });
    const population = ['year,municipality,sex,age,population', ...['5001', '1507', '5006'].flatMap((m) => Array.from({ length: 38 }, (_, i) => `2023,${m},${1 + (i % 2)},${Math.floor(i / 2) * 5},5000`))].join('\n');
    await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', population) });
    const catalogue = await loadCatalogue();
    const measure = (await loadMeasures(catalogue)).find((m) => m.id === 'gastroscopy_under_55')!;
    const table = await lowValueByArea(store, measure, findService(catalogue, 'gastroscopy'), [2023, 2023], defaultSuppression);
    const area = (u: string) => table.find((r) => r.unit === u)!;
    assert.equal(area('7').numerator, 12);
    assert.equal(area('7').denominator, 20);
    assert.ok(Math.abs((area('7').share as { value: number }).value - 0.6) < 1e-12);
    assert.deepEqual(area('8').numerator, { withheld: withheldCountReason });
    assert.deepEqual(area('8').share, { withheld: withheldCountReason });
    assert.equal(area('8').denominator, 10, 'the denominator is the service\'s count, shown in its own grid');
    assert.deepEqual(area('6').numerator, { withheld: withheldCountReason }, 'the next smallest goes too, with the same reason');
    assert.equal(area('national').numerator, 26);
    await assert.rejects(lowValueByArea(store, measure, findService(catalogue, 'gastroscopy'), [2022, 2023], defaultSuppression), /not published/);
  });
});

describe('measure catalogue', () => {
  it('ships the measures with references, each on a service of the catalogue, in both variants for gastroscopy', async () => {
    const measures = await loadMeasures(await loadCatalogue());
    assert.ok(measures.length >= 6);
    assert.ok(measures.every((m) => m.reference.nb.length > 20 && m.reference.en.length > 20 && m.reference.nb !== m.reference.en));
    assert.deepEqual(measures.filter((m) => m.denominator === 'gastroscopy').map((m) => m.variant).sort(), ['sensitive', 'specific']);
  });

  it('rejects a bad entry naming file, measure and rule', async () => {
    const dir = await tempDir();
    const file = await writeText(dir, 'bad.yaml', 'measures:\n  - id: x\n    name: { nb: X, en: X }\n    variant: sensitive\n    denominator: nothing\n    reference: a reference long enough\n');
    await assert.rejects(loadMeasures(await loadCatalogue(), file), /bad\.yaml: measure 'x': denominator 'nothing' is not a service/);
  });
});
