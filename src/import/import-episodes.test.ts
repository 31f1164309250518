import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VaratlasError } from '../errors.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText, type EpisodeFields } from '../test-support/fixtures.js';
import { importFile } from './import-file.js';

/** Import two good rows around one broken row; return the rejects of the broken row. */
async function rejectOne(changes: Partial<EpisodeFields>) {
  const store = await memoryStore();
  const dir = await tempDir();
  const path = await writeText(dir, 'episodes.csv', episodesCsv([episode('a'), episode('b', changes), episode('c')]));
  const report = await importFile(store, { kind: 'episodes', path });
  assert.equal(report.rowsRead, report.rowsAccepted + report.rowsRejected, 'read = accepted + rejected');
  assert.equal(report.rowsAccepted, 2);
  assert.equal(report.rowsRejected, 1);
  const rejects = await store.rejects({ limit: 10 });
  assert.ok(rejects.every((r) => r.line === 3), 'the broken row is on line 3 (header is line 1)');
  return rejects;
}

describe('episodes: every contract rule rejects its row with line, column and reason', () => {
  const cases: [string, Partial<EpisodeFields>, string, RegExp][] = [
    ['impossible date 2022-02-31', { start_date: '2022-02-31', end_date: '' }, 'start_date', /real date/],
    ['negative age', { age: '-3' }, 'age', /0 to 120/],
    ['age above 120', { age: '121' }, 'age', /0 to 120/],
    ['decimal age', { age: '45.5' }, 'age', /whole number/],
    ['sex X', { sex: 'X' }, 'sex', /1\/M .* 2\/F\/K/],
    ['5-digit municipality', { municipality: '50011' }, 'municipality', /exactly 4 digits/],
    ['municipality without its leading zero', { municipality: '301' }, 'municipality', /leading zero/],
    ['unknown provider type', { provider_type: 'hospital' }, 'provider_type', /public, private, contract_specialist/],
    ['unknown care level', { care_level: 'home' }, 'care_level', /inpatient, day, outpatient/],
    ['end before start', { start_date: '2022-03-05', end_date: '2022-03-01' }, 'end_date', /must not be before start_date/],
    ['empty patient id', { patient_id: '' }, 'patient_id', /required value is missing/],
    ['malformed ICD-10 code', { main_diagnosis: 'K2X.0' }, 'main_diagnosis', /ICD-10/],
    ['malformed procedure list', { procedures: 'UJD02 #!' }, 'procedures', /codes/],
    ['six-digit district expected', { district: '0301' }, 'district', /exactly 6 digits/],
  ];
  for (const [name, changes, column, reason] of cases) {
    it(name, async () => {
      const rejects = await rejectOne(changes);
      assert.equal(rejects.length, 1);
      assert.equal(rejects[0]!.column, column);
      assert.match(rejects[0]!.reason, reason);
    });
  }

  it('keeps every problem of a row, one reject line each, but counts the row once', async () => {
    const rejects = await rejectOne({ age: '-3', sex: 'X', provider_type: 'hospital' });
    assert.deepEqual(rejects.map((r) => r.column).sort(), ['age', 'provider_type', 'sex']);
  });

  it('never keeps or shows a patient id, even of a rejected row', async () => {
    const rejects = await rejectOne({ patient_id: 'SECRET-PATIENT-7', age: '-3' });
    assert.ok(!JSON.stringify(rejects).includes('SECRET-PATIENT-7'));
  });

  it('accepts the documented aliases: DD.MM.YYYY dates, M/K sex, Norwegian care levels, codes without dots', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const rows = [episode('a', { start_date: '01.03.2022', end_date: '02.03.2022', sex: 'K', care_level: 'poliklinikk', main_diagnosis: 'K210' })];
    const report = await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv(rows, ';')) });
    assert.equal(report.rowsAccepted, 1);
    assert.equal(report.delimiter, ';');
  });

  it('rejects a duplicate episode id within the file, pointing at the first', async () => {
    const rejects = await rejectOne({ episode_id: 'a' });
    assert.equal(rejects[0]!.column, 'episode_id');
    assert.match(rejects[0]!.reason, /duplicate episode_id, first at line 2/);
  });

  it('rejects an episode id already in the store from another file', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'one.csv', episodesCsv([episode('a')])) });
    const report = await importFile(store, { kind: 'episodes', path: await writeText(dir, 'two.csv', episodesCsv([episode('a'), episode('b')])) });
    assert.equal(report.rowsAccepted, 1);
    const [reject] = await store.rejects({ importId: report.importId, limit: 5 });
    assert.match(reject!.reason, /already in the store/);
  });

  it('finds stored ids at either end of the new file\'s key range and inside it, and none outside it (the stored ids are read only within that range)', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    // A store of many ids, those of the new file among them and on both sides of its range.
    const stored = ['E2019-1', 'E2019-5', 'E2020-1', 'E2020-5', 'E2020-9', 'E2021-1'].map((id) => episode(id));
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'one.csv', episodesCsv(stored)) });
    // The new file's range is E2020-1 … E2020-9 (after trimming); E2020-1, -5 and -9 are stored.
    const next = [' E2020-1', 'E2020-2', 'E2020-5 ', 'E2020-7', 'E2020-9'].map((id) => episode(id));
    const report = await importFile(store, { kind: 'episodes', path: await writeText(dir, 'two.csv', episodesCsv(next)) });
    assert.equal(report.rowsAccepted, 2);
    const rejects = await store.rejects({ importId: report.importId, limit: 10 });
    assert.deepEqual(rejects.map((r) => r.line).sort(), [2, 4, 6]);
    assert.ok(rejects.every((r) => /already in the store/.test(r.reason)));
  });

  it('rejects a line with too few or too many fields, with its line number, and numbers later rows right', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const good = episodesCsv([episode('a'), episode('b'), episode('c'), episode('d')]).trimEnd().split('\n');
    const lines = [good[0], good[1], 'x,y,z', good[2], `${good[3]},extra`, good[4]!.replace('-3', '') + '', episodesCsv([episode('e', { age: '-3' })]).split('\n')[1]];
    const report = await importFile(store, { kind: 'episodes', path: await writeText(dir, 'ragged.csv', lines.join('\n') + '\n') });
    assert.deepEqual([report.rowsRead, report.rowsAccepted, report.rowsRejected], [6, 3, 3]);
    const rejects = await store.rejects({ limit: 10 });
    assert.deepEqual(rejects.map((r) => [r.line, r.column]), [[3, null], [5, null], [7, 'age']]);
    assert.match(rejects[0]!.reason, /malformed line: missing columns/);
    assert.match(rejects[1]!.reason, /too many columns/);
  });
});

describe('files that cannot be imported fail whole and leave the store as it was', () => {
  async function expectFailure(name: string, content: string | Buffer, message: RegExp) {
    const store = await memoryStore();
    const dir = await tempDir();
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'good.csv', episodesCsv([episode('a')])) });
    const before = await store.status();
    await assert.rejects(
      importFile(store, { kind: 'episodes', path: await writeText(dir, name, content) }),
      (error: unknown) => error instanceof VaratlasError && error.code === 'input' && message.test(error.message),
    );
    assert.deepEqual(await store.status(), before);
  }

  it('wrong delimiter (tab)', () =>
    expectFailure('tab.csv', episodesCsv([episode('b')]).replaceAll(',', '\t'), /tab-separated; the data contract accepts comma or semicolon/));
  it('wrong delimiter (pipe)', () => expectFailure('pipe.csv', episodesCsv([episode('b')]).replaceAll(',', '|'), /pipe/));
  it('missing required column', () =>
    expectFailure('nocol.csv', 'episode_id,patient_id,start_date\nb,p,2022-01-01\n', /missing required columns age, sex, municipality/));
  it('empty file', () => expectFailure('empty.csv', '', /is empty/));
  it('not a CSV at all (JSON for episodes)', () => expectFailure('x.json', '{"a": 1}', /only population can be imported from JSON-stat/));
});
