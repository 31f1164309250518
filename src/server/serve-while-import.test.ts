import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importFile } from '../import/import-file.js';
import { openStore } from '../store/open-store.js';
import { episode, episodesCsv, tempDir, writeText } from '../test-support/fixtures.js';

const cli = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R,Region\n2002,B,Area B,R,Region\n';
const population = ['year,municipality,sex,age,population', ...[2022, 2023].flatMap((y) => ['1001', '2002'].flatMap((m) => [`${y},${m},1,45,5000`, `${y},${m},2,45,5000`]))].join('\n');
const gastroscopies = (year: number, n: number) =>
  episodesCsv(Array.from({ length: n }, (_, i) => episode(`g${year}-${i}`, { start_date: `${year}-03-01`, end_date: '', municipality: i % 2 ? '1001' : '2002', sex: String((i % 2) + 1), patient_id: `p${year}-${i}` })));

const varatlas = (args: string[]): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VARATLAS_PROGRESS: '' } });

describe('importing while the atlas serves', () => {
  it('the running server keeps answering, never shows half an import, and answers with the new figures after it', async () => {
    const dir = await tempDir();
    const db = join(dir, 'store.duckdb');
    const store = await openStore({ path: db });
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
    await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', population) });
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e2022.csv', gastroscopies(2022, 400)) });
    await store.close();
    const next = await writeText(dir, 'e2023.csv', gastroscopies(2023, 300_000));

    const server = varatlas(['--db', db, 'serve', '--port', '0']);
    let out = '';
    server.stdout!.on('data', (d) => (out += String(d)));
    server.stderr!.on('data', (d) => (out += String(d)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /atlas at (http:\/\/[^ ]+\/)/.exec(out);
        if (m) clearInterval(timer), resolve(m[1]!);
        if (server.exitCode !== null) clearInterval(timer), reject(new Error(`the server stopped: ${out}`));
      }, 50);
    });
    try {
      assert.ok(existsSync(`${db}.serving`), 'the server marks the file as served');
      const national = async (bust: number) => {
        const res = await fetch(`${url}api/rates?service=gastroscopy&confidence=${bust % 2 ? '95' : '99.8'}`);
        assert.equal(res.status, 200, await res.clone().text());
        const table = (await res.json()) as { years: number[]; rows: { national: boolean; year: number | null; events: number }[] };
        return table.rows.find((r) => r.national && r.year === null)!.events;
      };
      assert.equal(await national(0), 400);

      const importer = varatlas(['--db', db, 'import', 'episodes', next]);
      let importOut = '';
      importer.stdout!.on('data', (d) => (importOut += String(d)));
      importer.stderr!.on('data', (d) => (importOut += String(d)));
      const done = once(importer, 'exit');
      let finished = false;
      void done.then(() => (finished = true));
      const seen: number[] = [];
      for (let i = 0; !finished; i++) {
        const [a, b] = await Promise.all([national(i), national(i + 1)]);
        seen.push(a, b);
        const labels = await fetch(`${url}api/labels`);
        assert.equal(labels.status, 200);
      }
      const [code] = (await done) as [number | null];
      assert.equal(code, 0, importOut);
      assert.match(importOut, /read 300.000, accepted 300.000/);
      assert.ok(seen.length >= 6, `the server answered ${seen.length} times during the import`);
      assert.ok(seen.every((n) => n === 400 || n === 300_400), `only whole states: ${[...new Set(seen)].join(', ')}`);

      // Without a restart, the next answers (a request ago or a moment later) carry the new figures.
      let after = 0;
      for (let i = 0; i < 100 && after !== 300_400; i++) {
        after = await national(i);
        if (after !== 300_400) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(after, 300_400);
    } finally {
      server.kill('SIGINT');
      await once(server, 'exit');
    }
    assert.equal(server.exitCode, 0, out);
    assert.ok(!existsSync(`${db}.serving`), 'the marker is gone when the server stops');
  });
});
