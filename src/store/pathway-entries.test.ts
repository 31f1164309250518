import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { loadPathways, type PathwayDefinition } from '../catalog/pathway.js';
import { importFile } from '../import/import-file.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText, type EpisodeFields } from '../test-support/fixtures.js';
import type { PathwayEntry, Store } from './store.js';

const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R,Region\n2002,B,Area B,R,Region\n';

/** A patient's knee contacts: [date, care level, provider, diagnosis, procedure]. */
function knee(id: string, contacts: [string, string, string, string?, string?][], age = '70'): EpisodeFields[] {
  return contacts.map(([date, level, provider, diagnosis, procedure], i) =>
    episode(`${id}-${i}`, { patient_id: id, start_date: date, end_date: date, care_level: level, provider_id: provider, main_diagnosis: diagnosis ?? 'M17.1', procedures: procedure ?? '', age, municipality: '1001' }),
  );
}

const rows = [
  // The data run from 2021-01-01 to 2024-12-31.
  episode('first', { start_date: '2021-01-01', end_date: '2021-01-01' }),
  episode('last', { start_date: '2024-12-31', end_date: '2024-12-31' }),
  // Entry, a control, the operation, two controls after it, and a contact after the window.
  ...knee('p1', [['2023-02-01', 'outpatient', 'H1'], ['2023-03-01', 'outpatient', 'H1'], ['2023-05-01', 'inpatient', 'H1', 'M17.1', 'NGB12'],
    ['2023-06-15', 'outpatient', 'H1'], ['2023-09-01', 'outpatient', 'H1'], ['2024-03-01', 'outpatient', 'H1']]),
  // A contact ten months before: the 2023 contact continues a pathway, it is no entry.
  ...knee('p2', [['2022-06-01', 'outpatient', 'H1'], ['2023-03-01', 'outpatient', 'H1']]),
  // A day case and an outpatient contact the same day: the outpatient one is the entry (at H2).
  ...knee('p3', [['2023-04-01', 'day', 'H1'], ['2023-04-01', 'outpatient', 'H2']]),
  // An entry in late December: its window ends 2024-12-20, inside the data.
  ...knee('p4', [['2023-12-20', 'outpatient', 'H1']]),
  // Under 18: no entry.
  ...knee('p5', [['2023-05-05', 'outpatient', 'H1']], '15'),
  // The previous contact more than 12 months before: an entry.
  ...knee('p6', [['2021-12-01', 'outpatient', 'H1'], ['2023-01-10', 'outpatient', 'H1']]),
];

describe('pathway entries with the contact type', () => {
  it('counts only contacts typed control as controls, and never enters at one', async () => {
    const typed = (id: string, contacts: [string, string, string][]) =>
      contacts.map(([date, level, type], i) => ({ ...episode(`${id}-${i}`, { patient_id: id, start_date: date, end_date: date, care_level: level, main_diagnosis: 'M17.1', age: '70', municipality: '1001' }), contact_type: type }));
    const columns = [...Object.keys(episode('x')), 'contact_type'];
    const csv = (rows: Record<string, string>[]) => [columns.join(','), ...rows.map((r) => columns.map((c) => r[c] ?? '').join(','))].join('\n') + '\n';
    const all = [
      ...rows.slice(0, 2).map((r) => ({ ...r, contact_type: '' })),
      // An assessment, a treatment contact and two controls (one typed in Norwegian): 2 controls.
      ...typed('t1', [['2023-02-01', 'outpatient', 'assessment'], ['2023-03-01', 'outpatient', 'treatment'], ['2023-04-01', 'outpatient', 'control'], ['2023-05-01', 'outpatient', 'kontroll']]),
      // A control with none before it in the look-back: no entry.
      ...typed('t2', [['2023-02-01', 'outpatient', 'control']]),
    ];
    const s = await memoryStore();
    const d = await tempDir();
    await importFile(s, { kind: 'geography', path: await writeText(d, 'g.csv', geography) });
    const result = await importFile(s, { kind: 'episodes', path: await writeText(d, 'e.csv', csv(all)) });
    assert.equal(result.rowsRejected, 0);
    const knees = (await loadPathways()).find((p) => p.id === 'knee_osteoarthritis')!;
    assert.deepEqual((await s.pathwayEntries(knees, { fromYear: 2023, toYear: 2023 })).map((e) => e.controls), [2]);
  });
});

describe('pathway entries by hand (knee osteoarthritis: 12 months look-back and window)', () => {
  let store: Store;
  let dir: string;
  let knees: PathwayDefinition;
  let entries: PathwayEntry[];
  after(() => Promise.all([store.close(), rm(dir, { recursive: true, force: true })]));
  before(async () => {
    store = await memoryStore({ keep: true });
    dir = await tempDir({ keep: true });
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv(rows)) });
    knees = (await loadPathways()).find((p) => p.id === 'knee_osteoarthritis')!;
    entries = await store.pathwayEntries(knees, { fromYear: 2023, toYear: 2023 });
  });

  it('finds the entries: a first contact with none in the look-back, an adult, at an entry care level', () => {
    assert.deepEqual(entries.map((e) => [e.provider, e.age, e.operated, e.daysToOperation, e.controls, e.controlsAfterOperation]).sort(), [
      ['H1', 70, false, null, 0, 0], // p4
      ['H1', 70, false, null, 0, 0], // p6
      ['H1', 70, true, 89, 3, 2], // p1: operated 2023-05-01, controls 03-01, 06-15, 09-01 (not the operation, not 2024-03-01)
      ['H2', 70, false, null, 0, 0], // p3
    ]);
    assert.ok(entries.every((e) => e.area === 'A' && e.region === 'R' && e.year === 2023));
  });

  it('counts whole years only: none whose follow-up runs past the data', async () => {
    // Asked for 2024: an entry on 2024-02-01 would need data to 2025-02-01, and every 2024 entry to 2025-12-31.
    const late = [...rows, ...knee('p7', [['2024-02-01', 'outpatient', 'H1']])];
    const other = await memoryStore();
    const d = await tempDir();
    await importFile(other, { kind: 'geography', path: await writeText(d, 'g.csv', geography) });
    await importFile(other, { kind: 'episodes', path: await writeText(d, 'e.csv', episodesCsv(late)) });
    assert.deepEqual(await other.pathwayEntries(knees, { fromYear: 2024, toYear: 2024 }), []);
    assert.equal((await other.pathwayEntries(knees, { fromYear: 2023, toYear: 2023 })).length, 4);
    // 2021 lacks its look-back (the data start on 2021-01-01): p6's 2021-12-01 contact is not counted.
    assert.deepEqual(await other.pathwayEntries(knees, { fromYear: 2021, toYear: 2021 }), []);
    // 2022: p2's entry on 2022-06-01, with its control on 2023-03-01.
    assert.deepEqual((await other.pathwayEntries(knees, { fromYear: 2022, toYear: 2022 })).map((e) => [e.year, e.operated, e.controls]), [[2022, false, 1]]);
  });
});
