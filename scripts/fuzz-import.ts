/**
 * More import fuzzing than npm test runs: `npm run fuzz:import -- --seed 7 --count 20000`.
 * Prints what was imported and refused, and every failure (exit 1 if any); see src/test-support/import-fuzz.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.js';
import { fuzzImports } from '../src/test-support/import-fuzz.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const seed = arg('--seed', 2);
const count = arg('--count', 5000);
const dir = await mkdtemp(join(tmpdir(), 'varatlas-fuzz-'));
const store = await openStore({ path: ':memory:' });
const started = performance.now();
try {
  const outcome = await fuzzImports(store, dir, seed, count);
  console.log(`seed ${seed}: ${outcome.files} files in ${((performance.now() - started) / 1000).toFixed(0)} s; imported ${outcome.imported}; refused ${JSON.stringify(Object.fromEntries(outcome.refused))}`);
  for (const f of outcome.failures) console.log(`FAIL ${f}`);
  process.exitCode = outcome.failures.length ? 1 : 0;
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
