import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { importFile } from '../import/import-file.js';
import { openStore } from '../store/open-store.js';
import type { StoreStatus } from '../store/store.js';
import { episode, episodesCsv, writeBigEpisodes, writeText } from '../test-support/fixtures.js';
import { interruptedCli } from '../test-support/interrupted-cli.js';



async function statusOf(db: string): Promise<StoreStatus> {
  const store = await openStore({ path: db });
  try {
    return await store.status();
  } finally {
    await store.close();
  }
}

/**
 * Start an import in a child process and stop it with `signal` as soon as it reports the stage
 * `when` ('reading' the file, or 'importing' into the store); return how it ended.
 */
function interruptedImport(db: string, file: string, signal: NodeJS.Signals, when: 'reading' | 'importing') {
  return interruptedCli(['--db', db, 'import', 'episodes', file], (stderr) => stderr.split('\n').some((line) => line.startsWith(when)), signal);
}

describe('an interrupted import leaves the store exactly as it was', () => {
  let dir: string;
  let big: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'varatlas-interrupt-'));
    big = join(dir, 'big.csv');
    await writeBigEpisodes(big, 1_000_000);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const cases: [NodeJS.Signals, 'reading' | 'importing'][] = [
    ['SIGINT', 'reading'],
    ['SIGINT', 'importing'],
    ['SIGKILL', 'importing'],
  ];
  for (const [signal, when] of cases) {
    it(`stopped by ${signal} while ${when}`, async () => {
      const db = join(dir, `${signal}-${when}.duckdb`);
      const seed = await openStore({ path: db });
      await importFile(seed, { kind: 'episodes', path: await writeText(dir, `small-${signal}-${when}.csv`, episodesCsv([episode('a'), episode('b')])) });
      await seed.close();
      const before = await statusOf(db);

      const run = await interruptedImport(db, big, signal, when);
      assert.ok(run.sent, `the import reported '${when}': ${run.stderr}`);
      if (signal === 'SIGINT') {
        assert.equal(run.code, 130, run.stderr);
        assert.match(run.stderr, /interrupted; the store is unchanged/);
      } else {
        assert.equal(run.killedBy, 'SIGKILL');
      }
      assert.deepEqual(await statusOf(db), before);
    });
  }
});
