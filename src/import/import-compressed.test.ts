import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { VaratlasError } from '../errors.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText } from '../test-support/fixtures.js';
import { importFile } from './import-file.js';

/**
 * A valid Zstandard frame holding `bytes` in stored (raw) blocks: Node 20 cannot compress zstd, and
 * this exercises the same frame parsing in varatlas's inspection (zstd-napi).
 * Frame header: magic, descriptor 0xA0 (single segment, 4-byte content size), the size; then blocks of
 * at most 128 KiB, each a 3-byte header (last flag, type 0 = raw, size).
 */
function zstdStored(bytes: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0]), Buffer.alloc(4)];
  parts[1]!.writeUInt32LE(bytes.length);
  const max = 128 * 1024;
  let at = 0;
  do {
    const block = bytes.subarray(at, at + max);
    at += max;
    const header = (block.length << 3) | (at >= bytes.length ? 1 : 0);
    parts.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]), block);
  } while (at < bytes.length);
  return Buffer.concat(parts);
}

/**
 * Episodes with a bad age on line 3, a quoted field over two lines (record 3 = lines 4–5), a bad date in
 * record 4 (line 6 of the file); the compressed files must say exactly what the plain one says.
 */
function trickyCsv(): string {
  const lines = episodesCsv([
    episode('a'),
    episode('b', { age: 'old' }),
    episode('c', { specialty: 'QUOTED' }),
    episode('d', { start_date: '2022-02-30' }),
    ...Array.from({ length: 3000 }, (_, i) => episode(`bulk${i}`)),
  ]);
  return lines.replace('QUOTED', '"gastro\nsurgery"');
}

async function importAndRead(path: string) {
  const store = await memoryStore();
  const report = await importFile(store, { kind: 'episodes', path, refresh: false });
  const rejects = (await store.rejects({ limit: 100 })).map((r) => `${r.line}:${r.column}:${r.reason}`);
  await store.close();
  return { report, rejects };
}

describe('compressed CSV (.csv.gz, .csv.zst) is read directly', () => {
  it('gives the same rows, rejects and line numbers as the plain file, quoted newlines included', async () => {
    const dir = await tempDir();
    const text = Buffer.from(trickyCsv());
    const plain = await importAndRead(await writeText(dir, 'e.csv', text));
    assert.equal(plain.report.rowsRead, 3004);
    assert.equal(plain.report.rowsRejected, 2);
    assert.deepEqual(plain.rejects.map((r) => r.split(':').slice(0, 2).join(':'))[0], '3:age');
    assert.equal(plain.rejects.length, 2);
    assert.match(plain.rejects[1]!, /^6:start_date:/);
    for (const [name, bytes, format] of [
      ['e.csv.gz', gzipSync(text), 'csv (gzip)'],
      // Two gzip members, as `cat a.gz b.gz` makes: both are read.
      ['e2.csv.gz', Buffer.concat([gzipSync(text.subarray(0, 5000)), gzipSync(text.subarray(5000))]), 'csv (gzip)'],
      ['e.csv.zst', zstdStored(text), 'csv (zstd)'],
    ] as const) {
      const got = await importAndRead(await writeText(dir, name, bytes));
      assert.equal(got.report.format, format, name);
      assert.equal(got.report.rowsRead, plain.report.rowsRead, name);
      assert.equal(got.report.rowsAccepted, plain.report.rowsAccepted, name);
      assert.deepEqual(got.rejects, plain.rejects, name);
    }
  });

  it('reads a zstd file compressed for real (written by DuckDB), and a gzip file that needs a readable copy (mixed line ends)', async () => {
    const dir = await tempDir();
    const rows = Array.from({ length: 5000 }, (_, i) => episode(`z${i}`, { patient_id: `P${i % 700}` }));
    const csvPath = await writeText(dir, 'src.csv', episodesCsv(rows));
    const zst = join(dir, 'real.csv.zst');
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(`COPY (SELECT * FROM read_csv($src, all_varchar = true)) TO '${zst}' (FORMAT csv, HEADER true, COMPRESSION zstd)`, { src: csvPath });
    c.closeSync();
    instance.closeSync();
    assert.deepEqual([...(await readFile(zst)).subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd]);
    const real = await importAndRead(zst);
    assert.equal(real.report.rowsAccepted, 5000);
    assert.equal(real.report.rowsRejected, 0);

    const mixed = episodesCsv(rows.slice(0, 10)).split('\n');
    const text = mixed.map((line, i) => (i % 2 === 0 && line ? `${line}\r` : line)).join('\n');
    const got = await importAndRead(await writeText(dir, 'mixed.csv.gz', gzipSync(Buffer.from(text))));
    assert.equal(got.report.rowsAccepted, 10);
    assert.equal(got.report.rowsRejected, 0);
  });

  it('refuses a truncated gzip or zstd file, a broken zstd file and a compressed Parquet or JSON file, leaving the store unchanged', async () => {
    const dir = await tempDir();
    const whole = gzipSync(Buffer.from(episodesCsv([episode('a'), episode('b')])));
    const store = await memoryStore();
    for (const [name, bytes, says] of [
      ['cut.csv.gz', whole.subarray(0, whole.length - 12), /not a complete gzip file/],
      // A Zstandard frame cut short, and one whose block is garbage: the worker thread that unpacks says so.
      ['cut.csv.zst', zstdStored(Buffer.from(episodesCsv([episode('a'), episode('b')]))).subarray(0, 40), /not a complete zstd file/],
      ['bad.csv.zst', Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(64, 0xff)]), /not a complete zstd file/],
      ['p.json.gz', gzipSync(Buffer.from('{"dataset": {}}')), /gzip-compressed json; only CSV is read compressed/],
    ] as const) {
      await assert.rejects(
        importFile(store, { kind: 'episodes', path: await writeText(dir, name, bytes), refresh: false }),
        (e: unknown) => e instanceof VaratlasError && e.code === 'input' && says.test(e.message) && /store is unchanged/.test(e.message),
        name,
      );
    }
    assert.equal((await store.imports()).length, 0);
    await store.close();
  });
});
