import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { VaratlasError } from '../errors.js';
import type { Store } from '../store/store.js';
import { episode, episodeColumns, episodesCsv, memoryStore, tempDir, writeText } from '../test-support/fixtures.js';
import { CsvShapeScanner } from './csv-shape.js';
import { describeImport } from '../cli/describe.js';
import { importFile } from './import-file.js';

const header = episodeColumns.join(',');
const line = (id: string, changes = {}) => episodeColumns.map((c) => episode(id, changes)[c]).join(',');

/** The store's episodes and imports, to show that a refused import changed nothing. */
async function snapshot(store: Store) {
  const status = await store.status();
  return JSON.stringify([status.imports, status.episodeYears]);
}

async function refused(store: Store, text: string | Buffer, pattern: RegExp, kind: 'episodes' | 'population' = 'episodes'): Promise<void> {
  const before = await snapshot(store);
  const path = await writeText(await tempDir(), 'file.csv', text);
  await assert.rejects(importFile(store, { kind, path }), (e: unknown) => e instanceof VaratlasError && e.exitCode === 3 && pattern.test(e.message));
  assert.equal(await snapshot(store), before, 'a refused import leaves the store as it was');
}

describe('every line is accounted for', () => {
  it('refuses a file whose quote never closes (it used to drop every later row and exit 0), naming the line', async () => {
    const store = await memoryStore();
    await refused(store, [header, line('a'), line('b', { specialty: '"gastro' }), line('c'), line('d')].join('\n') + '\n', /quoted field that opens on line 3 is never closed/);
  });

  it('refuses a lone carriage return with the line (it used to fail with an internal parser message, exit 5)', async () => {
    const store = await memoryStore();
    await refused(store, `${header}\n${line('a')}\r${line('b')}\n`, /line 2 holds a carriage return without a line feed/);
  });

  it('reads a file that mixes LF and CRLF line ends, every row of it', async () => {
    const store = await memoryStore();
    const path = await writeText(await tempDir(), 'mixed.csv', `${header}\n${line('a')}\n${line('b')}\r\n${line('c')}\r\n`);
    const report = await importFile(store, { kind: 'episodes', path });
    assert.deepEqual([report.rowsRead, report.rowsAccepted, report.rowsRejected], [3, 3, 0]);
  });

  it('rejects a line over the reader’s 2 MB limit with a reason, and keeps the others (it used to fail with a NOT NULL constraint)', async () => {
    const store = await memoryStore();
    const path = await writeText(await tempDir(), 'long.csv', `${header}\n${line('a', { specialty: 'x'.repeat(2_500_000) })}\n${line('b')}\n`);
    const report = await importFile(store, { kind: 'episodes', path });
    assert.deepEqual([report.rowsRead, report.rowsAccepted, report.rowsRejected], [2, 1, 1]);
    const [reject] = await store.rejects({ limit: 5 });
    assert.equal(reject!.line, 2);
    assert.match(reject!.reason, /line size over maximum/);
  });

  it('counts records as the reader does: quoted line breaks, "" inside quotes, a quote inside a value, empty lines, no final line break', () => {
    const shape = (text: string) => {
      const s = new CsvShapeScanner();
      // Byte by byte, so that every state crosses a chunk boundary.
      for (const b of Buffer.from(text)) s.push(Uint8Array.of(b));
      return s.finish();
    };
    assert.equal(shape('a,b\n1,"x\ny"\n2,"say ""hi"""\n3,ab"c\n\n4,5').records, 4);
    assert.equal(shape('a;b\r\n1;"x;\r\ny"\r\n').records, 1);
    assert.deepEqual([shape('a,b\n1,2\r\n').lf, shape('a,b\n1,2\r\n').crlf], [1, 1]);
    assert.equal(shape('a,b\n1,"x\n2,3\n').unterminatedQuoteLine, 2);
    assert.equal(shape('a,b\n1,2\r3,4\n').loneCrLine, 2);
    assert.equal(shape('a,b\n1,"x\ry"\n').loneCrLine, undefined, 'a carriage return inside quotes is data');
  });
});

describe('clear errors for files that are not what they claim', () => {
  it('a directory exits 3 with a plain message (it used to be "internal error: EISDIR")', async () => {
    const store = await memoryStore();
    const dir = join(await tempDir(), 'folder');
    await mkdir(dir);
    await assert.rejects(importFile(store, { kind: 'episodes', path: dir }), (e: unknown) => e instanceof VaratlasError && e.exitCode === 3 && /is a directory/.test(e.message));
  });

  it('says a broken gzip file and a zip archive are what they are (they used to be read as text); a whole gzip file is read', async () => {
    const store = await memoryStore();
    const zipped = gzipSync(episodesCsv([episode('a')]));
    await refused(store, zipped.subarray(0, zipped.length - 8), /not a complete gzip file/);
    const path = await writeText(await tempDir(), 'file.csv', zipped);
    assert.equal((await importFile(store, { kind: 'episodes', path, refresh: false })).rowsAccepted, 1);
    await refused(store, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]), /zip archive/);
  });

  it('refuses a header that gives a column twice (it used to take the first silently)', async () => {
    const store = await memoryStore();
    await refused(store, 'year,municipality,district,sex,age,alder,population\n2023,5001,,1,45,45,100\n', /the same column more than once: age \(columns 5 and 6\)/, 'population');
  });

  it('lists at most a few hundred characters of ignored columns after an import', () => {
    const ignoredColumns = Array.from({ length: 100_000 }, (_, i) => `extra_${i}`);
    const text = describeImport({ kind: 'episodes', fileName: 'wide.csv', format: 'csv', importId: 1, rowsRead: 1, rowsAccepted: 1, rowsRejected: 0, replacedImports: [], ignoredColumns });
    assert.ok(text.length < 1000, `${text.length} characters`);
    assert.match(text, /extra_0, extra_1, .*characters in all/);
  });

  it('echoes at most a few hundred characters of a huge header line', async () => {
    const store = await memoryStore();
    const huge = Array.from({ length: 50_000 }, (_, i) => `column_${i}`).join(',');
    const path = await writeText(await tempDir(), 'wide.csv', `${huge}\n1\n`);
    await assert.rejects(importFile(store, { kind: 'episodes', path }), (e: unknown) => {
      assert.ok(e instanceof VaratlasError && e.exitCode === 3);
      assert.ok(e.message.length < 1000, `message of ${e.message.length} characters`);
      assert.match(e.message, /characters in all/);
      return true;
    });
  });
});

describe('values the analyses cannot use are rejected at import, with the reason', () => {
  it('rejects dates outside the window (1990 to the day of the import; --dates changes it)', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const rows = [episode('old', { start_date: '1800-01-01', end_date: '' }), episode('future', { start_date: '2031-01-01', end_date: '' }), episode('far', { end_date: '9999-12-31' }), episode('ok')];
    const report = await importFile(store, { kind: 'episodes', path: await writeText(dir, 'dates.csv', episodesCsv(rows)) });
    assert.deepEqual([report.rowsAccepted, report.rowsRejected], [1, 3]);
    const reasons = (await store.rejects({ limit: 10 })).map((r) => `${r.line} ${r.column} ${r.reason}`);
    assert.equal(reasons.filter((r) => /must lie between 1990-01-01 and \d{4}-\d{2}-\d{2}/.test(r)).length, 3, reasons.join('\n'));
    const wide = await importFile(await memoryStore(), {
      kind: 'episodes', path: await writeText(dir, 'dates2.csv', episodesCsv(rows)), dateWindow: { from: '1800-01-01', to: '9999-12-31' },
    });
    assert.equal(wide.rowsAccepted, 4);
  });

  it('rejects a population age group wider than one 5-year group (a typo like 55-69 used to be dropped, then rates crashed)', async () => {
    const store = await memoryStore();
    const path = await writeText(await tempDir(), 'pop.csv', 'year,municipality,district,sex,age,population\n2022,5001,,1,55-69,100\n2022,5001,,1,55-59,100\n2022,5001,,1,90+,5\n2022,5001,,1,45,30\n');
    const report = await importFile(store, { kind: 'population', path });
    assert.deepEqual([report.rowsAccepted, report.rowsRejected], [3, 1]);
    const [reject] = await store.rejects({ limit: 5 });
    assert.equal(reject!.line, 2);
    assert.match(reject!.reason, /one 5-year age group/);
  });

  it('takes as the default period only the years that have population as well as episodes', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv([episode('a', { start_date: '2021-05-01', end_date: '' }), episode('b')])) });
    assert.deepEqual(await store.episodeYears(), [2021, 2022]);
    await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', 'year,municipality,district,sex,age,population\n2022,5001,,1,45,30\n2023,5001,,1,45,30\n') });
    assert.deepEqual(await store.episodeYears(), [2022, 2022]);
  });
});
