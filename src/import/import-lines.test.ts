import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { episode, episodeColumns, memoryStore, tempDir, writeText } from '../test-support/fixtures.js';
import { importFile } from './import-file.js';

const row = (id: string, changes: Parameters<typeof episode>[1] = {}) => {
  const fields = episode(id, changes);
  return episodeColumns.map((c) => fields[c]).join(',');
};

async function rejectsOf(path: string) {
  const store = await memoryStore();
  const report = await importFile(store, { kind: 'episodes', path, refresh: false });
  const rejects = (await store.rejects({ limit: 1000 })).map((r) => ({ line: r.line, column: r.column, reason: r.reason }));
  await store.close();
  return { report, rejects };
}

describe('reject line numbers are the lines of the file', () => {
  it('counts the lines of quoted line breaks and empty lines, for rows, malformed lines and first duplicates', async () => {
    const lines = [
      episodeColumns.join(','), // 1
      row('a'), // 2
      row('b', { specialty: '"gastro\nsurgery"' }), // 3–4
      '', // 5: an empty line is no record
      row('c', { age: 'old' }), // 6
      row('d', { specialty: '"p\nq\nr"' }), // 7–9
      'oops,1', // 10: malformed
      row('a'), // 11: duplicate of line 2
      row('e'), // 12
      row('d', { age: '-1' }), // 13: duplicate of line 7, and a bad age
    ];
    const dir = await tempDir();
    const { report, rejects } = await rejectsOf(await writeText(dir, 'lines.csv', lines.join('\n') + '\n'));
    assert.equal(report.rowsRead, 8);
    assert.equal(report.rowsAccepted, 4);
    const got = rejects.map((r) => `${r.line}:${r.column ?? '-'}:${r.reason.replace(/ \(.*\)$/, '')}`).sort();
    assert.deepEqual(got, [
      '10:-:malformed line: missing columns',
      '11:episode_id:duplicate episode_id, first at line 2',
      '13:age:must be a whole number from 0 to 120',
      '13:episode_id:duplicate episode_id, first at line 7',
      '6:age:must be a whole number from 0 to 120',
    ]);
  });

  it('stays exact in a file large enough to be read in parallel', async () => {
    // 300 000 records (about 30 MB): a bad age every 37 001 records, a quoted line break at record
    // 100 000 (every later record starts one line further down) and a duplicate near the end.
    const dir = await tempDir();
    const path = join(dir, 'big.csv');
    const out = createWriteStream(path);
    out.write(episodeColumns.join(',') + '\n');
    const template = row('X');
    const expected: string[] = [];
    let line = 1;
    for (let i = 1; i <= 300_000; i++) {
      line++;
      let text = template.replace(/^X,PAT-X/, `r${i},p${i % 5000}`);
      if (i % 37_001 === 0) {
        text = text.replace(',45,', ',999,');
        expected.push(`${line}:age`);
      }
      if (i === 100_000) text = text.replace(/,gastro$/, ',"gastro\nsurgery"');
      if (i === 299_999) {
        text = template.replace(/^X,PAT-X/, `r123456,p1`);
        expected.push(`${line}:episode_id:${123_456 + 1 + 1}`);
      }
      if (!out.write(text + '\n')) await once(out, 'drain');
      if (i === 100_000) line++;
    }
    out.end();
    await once(out, 'finish');
    const store = await memoryStore();
    const report = await importFile(store, { kind: 'episodes', path, refresh: false });
    assert.equal(report.rowsRead, 300_000);
    assert.equal(report.rowsRejected, expected.length);
    const rejects = await store.rejects({ limit: 1000 });
    const got = rejects.map((r) => `${r.line}:${r.column}${r.column === 'episode_id' ? `:${/line (\d+)/.exec(r.reason)![1]}` : ''}`);
    assert.deepEqual(got.sort(), expected.sort());
    // A later file against this large store: an id stored in the middle of its ids is found, a new one is not.
    const later = await writeText(dir, 'later.csv', [episodeColumns.join(','), row('r150000'), row('new1')].join('\n') + '\n');
    const second = await importFile(store, { kind: 'episodes', path: later, refresh: false });
    assert.equal(second.rowsAccepted, 1);
    const stored = (await store.rejects({ importId: second.importId, limit: 10 })).map((r) => `${r.line}:${r.reason}`);
    assert.deepEqual(stored, ['2:episode_id is already in the store (use --replace to replace the earlier import)']);
    await store.close();
  });
});
