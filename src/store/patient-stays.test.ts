import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { importFile } from '../import/import-file.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText, type EpisodeFields } from '../test-support/fixtures.js';
import type { Store } from './store.js';

const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R,Region\n2002,B,Area B,R,Region\n';

/** One patient's episodes: [start, end, care level, provider, specialty]. */
function patient(id: string, episodes: [string, string, string, string?, string?][], municipality = '1001'): EpisodeFields[] {
  return episodes.map(([start, end, level, provider, specialty], i) =>
    episode(`${id}-${i}`, { patient_id: id, start_date: start, end_date: end, care_level: level, provider_id: provider ?? 'H1', specialty: specialty ?? 'med', municipality }),
  );
}

const cases = {
  // Two inpatient episodes that overlap: one stay.
  overlap: patient('overlap', [['2023-03-01', '2023-03-05', 'inpatient'], ['2023-03-04', '2023-03-08', 'inpatient', 'H2']]),
  // Discharged and admitted elsewhere the same day (a transfer): one stay, first and last provider differ.
  transfer: patient('transfer', [['2023-04-01', '2023-04-03', 'inpatient', 'H1', 'surg'], ['2023-04-03', '2023-04-10', 'inpatient', 'H2', 'rehab']]),
  // Three inpatient episodes, each the next day after the one before: one stay of 9 bed days.
  chain: patient('chain', [['2023-05-01', '2023-05-03', 'inpatient'], ['2023-05-04', '2023-05-06', 'inpatient'], ['2023-05-07', '2023-05-10', 'inpatient']]),
  // A day case inside an inpatient stay, then inpatient care the day after the stay ends: one stay.
  inside: patient('inside', [['2023-06-01', '2023-06-10', 'inpatient'], ['2023-06-03', '2023-06-03', 'day'], ['2023-06-11', '2023-06-12', 'inpatient']]),
  // Inpatient care two days after: a new stay. An outpatient visit the day after discharge: a stay of its own.
  apart: patient('apart', [['2023-07-01', '2023-07-02', 'inpatient'], ['2023-07-03', '2023-07-03', 'outpatient'], ['2023-07-05', '2023-07-06', 'inpatient']]),
  // No end date: the start date (0 bed days); a second one two days later is a second stay.
  open: patient('open', [['2023-08-01', '', 'inpatient'], ['2023-08-03', '', 'inpatient']]),
  // The day after an inpatient stay, an outpatient visit and inpatient care that both start and end that
  // day (the visit first in the file): the inpatient care continues the stay, and the visit lies in it.
  tie: patient('tie', [['2023-09-01', '2023-09-02', 'inpatient'], ['2023-09-03', '2023-09-03', 'outpatient'], ['2023-09-03', '2023-09-03', 'inpatient']]),
  // A stay begun in December, ending in January: a stay of the year it ends in.
  newYear: patient('newyear', [['2022-12-28', '2022-12-31', 'inpatient'], ['2023-01-01', '2023-01-02', 'inpatient']]),
};

describe('stays (episodes of care) by hand', () => {
  let store: Store;
  let dir: string;
  after(() => Promise.all([store.close(), rm(dir, { recursive: true, force: true })]));
  before(async () => {
    store = await memoryStore({ keep: true });
    dir = await tempDir({ keep: true });
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv(Object.values(cases).flat())) });
  });
  const stays = (id: string) => store.patientStays(id, { fromYear: 2023, toYear: 2023 });

  it('overlapping episodes are one stay', async () => {
    const [s, ...rest] = await stays('overlap');
    assert.equal(rest.length, 0);
    assert.deepEqual([s!.start, s!.end, s!.bedDays, s!.episodes, s!.firstProvider, s!.lastProvider], ['2023-03-01', '2023-03-08', 7, 2, 'H1', 'H2']);
  });

  it('a same-day transfer is one stay, its main department the longest episode’s', async () => {
    const [s, ...rest] = await stays('transfer');
    assert.equal(rest.length, 0);
    assert.deepEqual([s!.bedDays, s!.firstProvider, s!.lastProvider, s!.department], [9, 'H1', 'H2', 'rehab']);
  });

  it('a chain of three, each the next day, is one stay', async () => {
    const all = await stays('chain');
    assert.deepEqual(all.map((s) => [s.start, s.end, s.bedDays, s.episodes]), [['2023-05-01', '2023-05-10', 9, 3]]);
  });

  it('a day case inside an inpatient stay belongs to it', async () => {
    const all = await stays('inside');
    assert.deepEqual(all.map((s) => [s.start, s.end, s.bedDays, s.episodes]), [['2023-06-01', '2023-06-12', 11, 3]]);
  });

  it('a gap of two days, or an outpatient visit the next day, starts a new stay', async () => {
    const all = await stays('apart');
    assert.deepEqual(all.map((s) => [s.start, s.end, s.inpatient, s.bedDays]), [
      ['2023-07-01', '2023-07-02', true, 1],
      ['2023-07-03', '2023-07-03', false, 0],
      ['2023-07-05', '2023-07-06', true, 1],
    ]);
  });

  it('same-day episodes are taken inpatient care first, whatever their order in the file', async () => {
    assert.deepEqual((await stays('tie')).map((s) => [s.start, s.end, s.bedDays, s.episodes]), [['2023-09-01', '2023-09-03', 2, 3]]);
  });

  it('a missing end date is the start date', async () => {
    const all = await stays('open');
    assert.deepEqual(all.map((s) => [s.start, s.end, s.bedDays]), [['2023-08-01', '2023-08-01', 0], ['2023-08-03', '2023-08-03', 0]]);
  });

  it('a stay across the new year is one stay of the year it ends, with its days before it', async () => {
    assert.deepEqual((await stays('newyear')).map((s) => [s.start, s.end, s.bedDays]), [['2022-12-28', '2023-01-02', 5]]);
    assert.deepEqual(await store.patientStays('newyear', { fromYear: 2022, toYear: 2022 }), []);
  });

  it('the wider gap option joins inpatient care two days apart', async () => {
    const all = await store.patientStays('open', { fromYear: 2023, toYear: 2023, gapDays: 2 });
    assert.deepEqual(all.map((s) => [s.start, s.end, s.bedDays, s.episodes]), [['2023-08-01', '2023-08-03', 2, 2]]);
  });

  it('the use histogram counts those stays per patient, by area and for the nation', async () => {
    const rows = await store.useHistograms({ fromYear: 2023, toYear: 2023, level: 'area', measure: 'stays' });
    const nation = rows.filter((r) => r.unit === null).map((r) => [r.value, r.patients]);
    // overlap, transfer, chain, inside, tie, newyear: 1 stay each; open: 2; apart: 3.
    assert.deepEqual(nation, [[1, 6], [2, 1], [3, 1]]);
    const bedDays = await store.useHistograms({ fromYear: 2023, toYear: 2023, level: 'area', measure: 'bed_days' });
    const days = bedDays.filter((r) => r.unit === null).map((r) => [r.value, r.patients]);
    // overlap 7, transfer 9, chain 9, inside 11, apart 2, tie 2, newyear 5; open 0 (not a user of bed days).
    assert.deepEqual(days, [[2, 2], [5, 1], [7, 1], [9, 2], [11, 1]]);
    assert.deepEqual(rows.filter((r) => r.unit === 'A').map((r) => [r.value, r.patients]), nation);
  });

  it('the heaviest users: rank, amount and main department, never an id', async () => {
    const top = await store.heavyUsers({ fromYear: 2023, toYear: 2023, level: 'area', measure: 'stays', count: 2 });
    assert.deepEqual(top, [{ rank: 1, amount: 3, department: 'med' }, { rank: 2, amount: 2, department: 'med' }]);
    assert.ok(!JSON.stringify(top).includes('apart') && !JSON.stringify(top).includes('open'));
  });
});
