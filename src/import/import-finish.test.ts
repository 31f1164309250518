import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { openStore } from '../store/open-store.js';
import { episode, episodesCsv, tempDir, writeText } from '../test-support/fixtures.js';
import { importFile } from './import-file.js';

/** The episodes table as stored (id, specialty, whether it holds problems), read past the store. */
async function storedRows(db: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const c = await instance.connect();
  const reader = await c.runAndReadAll(`SELECT episode_id || ' ' || specialty || CASE WHEN import_problems IS NULL THEN '' ELSE ' problems' END FROM episodes ORDER BY rowid`);
  const rows = reader.getRows().map((r) => String(r[0]));
  c.closeSync();
  instance.closeSync();
  return rows;
}

describe('an import removes its rejected rows after it commits', () => {
  it('keeps the first row of a key repeated in the file and no row of a key already stored, nor a row with a problem', async () => {
    const dir = await tempDir();
    const db = join(dir, 'store.duckdb');
    const store = await openStore({ path: db });
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'a.csv', episodesCsv([episode('s1')])), refresh: false });
    const report = await importFile(store, {
      kind: 'episodes',
      refresh: false,
      path: await writeText(
        dir,
        'b.csv',
        episodesCsv([
          episode('bad', { age: 'old', specialty: 'first' }),
          episode('d1', { specialty: 'first' }),
          episode('s1', { specialty: 'again' }),
          episode('d1', { specialty: 'second' }),
          episode('bad', { specialty: 'second' }),
          episode('ok', { specialty: 'only' }),
        ]),
      ),
    });
    await store.close();
    assert.deepEqual([report.rowsRead, report.rowsAccepted, report.rowsRejected], [6, 2, 4]);
    // The second 'bad' is a duplicate of the first (rejected for its age): neither is kept.
    assert.deepEqual(await storedRows(db), ['s1 gastro', 'd1 first', 'ok only']);
  });

  it('finishes an import that stopped between its commit and the removal when the store is next opened for writing', async () => {
    const dir = await tempDir();
    const db = join(dir, 'store.duckdb');
    const store = await openStore({ path: db });
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'a.csv', episodesCsv([episode('a'), episode('b')])), refresh: false });
    await store.close();
    // The state a process leaves when it stops right after the import's transaction: rows with
    // problems, a repeated key's second row, the import marked finishing.
    const instance = await DuckDBInstance.create(db);
    const c = await instance.connect();
    await c.run(`INSERT INTO episodes SELECT * REPLACE ('late' AS specialty) FROM episodes WHERE episode_id = 'b'`);
    await c.run(`INSERT INTO episodes SELECT * REPLACE ('x' AS episode_id, [{'col': 'age', 'reason': 'r', 'val': 'old', 'ref': NULL}] AS import_problems) FROM episodes WHERE episode_id = 'a'`);
    await c.run(`INSERT INTO import_rejected_keys SELECT import_id, 'b', true FROM imports`);
    await c.run(`UPDATE imports SET finishing = true`);
    c.closeSync();
    instance.closeSync();
    assert.deepEqual(await storedRows(db), ['a gastro', 'b gastro', 'b late', 'x gastro problems']);

    const reopened = await openStore({ path: db });
    await reopened.close();
    assert.deepEqual(await storedRows(db), ['a gastro', 'b gastro']);
  });
});
