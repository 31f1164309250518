import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importFile } from '../import/import-file.js';
import { openStore } from '../store/open-store.js';
import type { StoreStatus } from '../store/store.js';
import { episode, episodeColumns, episodesCsv, writeText } from '../test-support/fixtures.js';

const cli = fileURLToPath(new URL('./main.ts', import.meta.url));

async function writeBigEpisodes(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(episodeColumns.join(',') + '\n');
  const template = episodesCsv([episode('X')]).split('\n')[1]!;
  for (let i = 0; i < rows; i++) {
    if (!out.write(template.replace(/^X,PAT-X/, `big${i},p${i % 50_000}`) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function statusOf(db: string): Promise<StoreStatus> {
  const store = await openStore({ path: db });
  try {
    return await store.status();
  } finally {
    await store.close();
  }
}

/** Start an import in a child process, stop it with `signal` after `delayMs`; return its exit code. */
async function interruptedImport(db: string, file: string, signal: NodeJS.Signals, delayMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--db', db, 'import', 'episodes', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const timer = setTimeout(() => child.kill(signal), delayMs);
  const [code, killedBy] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, killedBy, stderr };
}

describe('an interrupted import leaves the store exactly as it was', () => {
  let dir: string;
  let big: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'varatlas-interrupt-'));
    big = join(dir, 'big.csv');
    await writeBigEpisodes(big, 1_500_000);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`stopped by ${signal}`, async () => {
      const db = join(dir, `${signal}.duckdb`);
      const seed = await openStore({ path: db });
      await importFile(seed, { kind: 'episodes', path: await writeText(dir, `small-${signal}.csv`, episodesCsv([episode('a'), episode('b')])) });
      await seed.close();
      const before = await statusOf(db);

      let interrupted = 0;
      for (const delay of [1200, 2500]) {
        const run = await interruptedImport(db, big, signal, delay);
        if (run.code === 0) {
          // It finished before the signal (a very fast machine): then all of it is there.
          const after = await statusOf(db);
          assert.equal(after.tables.find((t) => t.kind === 'episodes')!.rows, 1_500_002);
          break;
        }
        interrupted++;
        if (signal === 'SIGINT') {
          assert.equal(run.code, 130, run.stderr);
          assert.match(run.stderr, /interrupted; the store is unchanged/);
        } else {
          assert.equal(run.killedBy, 'SIGKILL');
        }
        assert.deepEqual(await statusOf(db), before);
      }
      assert.ok(interrupted > 0, 'at least the earliest signal must land during the import');
    });
  }
});
