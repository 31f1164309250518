/**
 * Benchmark of the strata cube at national scale, against the floor: one hand-written DuckDB query
 * that counts events for every service of the catalogue per year × residence × sex × age group ×
 * provider type in one pass over the episodes, with the matcher's own predicates (IN lists and
 * prefix tests, after the same cheap test on all the catalogue's codes at once) and grouping sets for
 * the years and the pooled period. Printed side by side:
 *   1. the floor;  2. the cube built from nothing (ratio to the floor);  3. an incremental refresh
 *   after importing one more month (ratio to the build);  4. rates for the whole catalogue from the cube.
 * The floor's total and the cube's must be equal, or the bench fails. Each step runs in its own
 * process, so its peak memory (VmHWM) is its own.
 *
 *   npm run bench                                   # scale 50, 2019–2023, generated once into bench-data/
 *   npm run bench -- --store /path/to/store.duckdb  # an existing store of episodes (kept unchanged: the bench works on a copy)
 *   npm run bench -- --scale 5                      # smaller, for a quick look
 *   npm run bench -- --rounds 3                     # floor and build N times, in alternating order
 *
 * On a machine whose speed drifts (a shared 2-core VM: ±15 % within minutes), one floor and one build
 * compare two moments as much as two queries. With --rounds N, floor and build run N times each, the
 * order alternating (floor first, then build first, …), and steps 1 and 2 print the medians, their ratio,
 * and every round's ratio.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const memoryLimit = arg('--memory-limit', '4GB');

function peakMemoryMiB(): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

type Result = { seconds: number; peakMiB: number; [key: string]: number };

function child(mode: string, ...rest: string[]): Result {
  const out = execFileSync(process.execPath, ['--import', 'tsx', here, '--child', mode, ...rest], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function runChild(mode: string, db: string, extra: string): Promise<void> {
  const { openStore } = await import('../src/store/open-store.js');
  const { loadCatalogue } = await import('../src/catalog/load-catalogue.js');
  const { ensureCube } = await import('../src/catalog/cube-subjects.js');
  const catalogue = await loadCatalogue();
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  let out: Record<string, number> = {};
  if (mode === 'floor') {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { duckdb } = await import('../src/store/dialects/duckdb.js');
    const { anyCodeTest, serviceTest } = await import('../src/store/service-match-sql.js');
    const tests = catalogue.services.map((s) => `CASE WHEN ${serviceTest(duckdb, s)} THEN '${s.id}' END`);
    const instance = await DuckDBInstance.create(db, { memory_limit: memoryLimit });
    const c = await instance.connect();
    const started = performance.now();
    const reader = await c.runAndReadAll(
      `SELECT sum(events) FILTER (WHERE year IS NOT NULL) AS total, count(*) AS cells FROM (
         SELECT service, year, municipality, district, sex, age_group, provider_type, count(*) AS events
         FROM (SELECT year(start_date) AS year, municipality, district, sex, least(CAST(floor(age / 5) AS INTEGER) * 5, 90) AS age_group, provider_type,
                 unnest(list_filter([${tests.join(', ')}], x -> x IS NOT NULL)) AS service
               FROM episodes WHERE ${anyCodeTest(duckdb, catalogue.services)})
         GROUP BY GROUPING SETS ((service, year, municipality, district, sex, age_group, provider_type), (service, municipality, district, sex, age_group, provider_type)))`,
    );
    const [total, cells] = reader.getRows()[0]!.map(Number);
    out = { seconds: (performance.now() - started) / 1000, total: total!, cells: cells! };
    c.closeSync();
    instance.closeSync();
  } else if (mode === 'build') {
    const store = await openStore({ path: db, memoryLimit });
    const started = performance.now();
    await ensureCube(store, { catalogue, full: true });
    const built = (performance.now() - started) / 1000;
    const status = await store.cubeStatus({ services: catalogue.services, measures: [] });
    await store.close();
    out = { seconds: built, total: status.events, rows: status.rows, repeatedRows: status.repeatedRows };
  } else if (mode === 'rates') {
    const { computeRates, defaultRateOptions } = await import('../src/analysis/rates.js');
    const store = await openStore({ path: db, memoryLimit, readOnly: true });
    // As the server and the CLI do before any answer (a no-op on a fresh cube; it names the measures
    // whose numerators the services' grids must allow for).
    await ensureCube(store, { catalogue });
    const years = (await store.episodeYears())!;
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const tables = await computeRates(store, catalogue.services, defaultRateOptions(years));
      times.push((performance.now() - started) / 1000);
      rows = tables.reduce((s, t) => s + t.rows.length, 0);
    }
    await store.close();
    out = { seconds: times[0]!, best: Math.min(...times), rows, services: catalogue.services.length };
  } else if (mode === 'month') {
    const { importFile } = await import('../src/import/import-file.js');
    const store = await openStore({ path: db, memoryLimit });
    const report = await importFile(store, { kind: 'episodes', path: extra, refresh: false });
    const started = performance.now();
    const r = await ensureCube(store, { catalogue });
    await store.close();
    out = { seconds: (performance.now() - started) / 1000, episodes: report.rowsAccepted, scannedImports: r.scannedImports, importSeconds: (started - t0) / 1000 };
  } else if (mode === 'generate') {
    const { generateDemo } = await import('../src/demo/generate.js');
    const { importFile } = await import('../src/import/import-file.js');
    const scale = Number(arg('--scale', '50'));
    const files = await generateDemo({ outDir: dirname(db), scale });
    const store = await openStore({ path: db, memoryLimit });
    for (const [kind, path] of [['geography', files.geography], ['renumbering', files.renumbering], ['standard_population', files.standardPopulation], ['population', files.population], ['episodes', files.episodes]] as const) {
      await importFile(store, { kind, path, refresh: false });
    }
    await store.close();
    // One more month (January of the next year) for the incremental refresh.
    const next = await generateDemo({ outDir: join(dirname(db), 'next-year'), scale, years: [2024] });
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(`COPY (SELECT * FROM read_csv($from, all_varchar = true, ignore_errors = true) WHERE start_date < '2024-02-01') TO '${join(dirname(db), 'month.csv')}' (HEADER)`, { from: next.episodes });
    c.closeSync();
    instance.closeSync();
    rmSync(join(dirname(db), 'next-year'), { recursive: true, force: true });
    out = { seconds: seconds(), episodes: files.episodeSummary.rows };
  }
  console.log(JSON.stringify({ ...out, peakMiB: peakMemoryMiB() }));
}

async function main(): Promise<void> {
  if (args[0] === '--child') return runChild(args[1]!, args[2]!, args[3] ?? '');
  const scale = arg('--scale', '50');
  const base = arg('--store', join(process.cwd(), 'bench-data', `cube-scale-${scale}`, 'store.duckdb'));
  const month = join(dirname(base), 'month.csv');
  if (!existsSync(base)) {
    console.log(`generating 2019–2023 at scale ${scale} and importing it into ${base} (kept for the next run) …`);
    const g = child('generate', base, '', '--scale', scale);
    console.log(`  ${g.episodes!.toLocaleString('en')} episodes in ${g.seconds.toFixed(0)} s`);
  }
  if (!existsSync(month)) throw new Error(`${month} is missing: one month of episodes (January 2024) for the incremental refresh`);
  const work = join(dirname(base), 'bench-work.duckdb');
  const fresh = () => {
    rmSync(work, { force: true });
    rmSync(`${work}.wal`, { force: true });
    copyFileSync(base, work);
  };
  fresh();
  const rounds = Math.max(1, Number(arg('--rounds', '1')));
  const floors: Result[] = [];
  const builds: Result[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      floors.push(child('floor', work));
      builds.push(child('build', work));
    } else {
      builds.push(child('build', work));
      floors.push(child('floor', work));
    }
  }
  const median = (xs: Result[]): Result => [...xs].sort((a, b) => a.seconds - b.seconds)[Math.floor((xs.length - 1) / 2)]!;
  const floor = median(floors);
  const build = median(builds);
  const rates = child('rates', work);
  const incremental = child('month', work, month);
  rmSync(work, { force: true });
  rmSync(`${work}.wal`, { force: true });

  const row = (label: string, seconds: number, ratio: string, peak: number) =>
    `${label.padEnd(66)} ${seconds.toFixed(2).padStart(8)} ${ratio.padStart(12)} ${`${peak} MiB`.padStart(11)}`;
  console.log(`\nstore ${base} (scale ${scale}); DuckDB memory limit ${memoryLimit}`);
  console.log(`${''.padEnd(66)} ${'seconds'.padStart(8)} ${'ratio'.padStart(12)} ${'peak memory'.padStart(11)}`);
  const of = rounds > 1 ? `, median of ${rounds}` : '';
  console.log(row(`1. floor: one hand-written query, all services, one pass${of}`, floor.seconds, '', Math.max(...floors.map((f) => f.peakMiB))));
  console.log(row(`2. cube built from nothing (all services, patients, low-value)${of}`, build.seconds, `${(build.seconds / floor.seconds).toFixed(2)} × floor`, Math.max(...builds.map((b) => b.peakMiB))));
  if (rounds > 1) {
    console.log(`   rounds (floor; build; ratio): ${floors.map((f, i) => `${f.seconds.toFixed(1)}; ${builds[i]!.seconds.toFixed(1)}; ${(builds[i]!.seconds / f.seconds).toFixed(2)}`).join('  |  ')}`);
  }
  console.log(row(`3. refresh after importing one more month (${incremental.episodes!.toLocaleString('en')} episodes)`, incremental.seconds, `${((incremental.seconds / build.seconds) * 100).toFixed(1)} % of 2`, incremental.peakMiB));
  console.log(row(`4. rates, whole catalogue (${rates.services} services, ${rates.rows!.toLocaleString('en')} rows), first call`, rates.seconds, `best ${rates.best!.toFixed(2)} s`, rates.peakMiB));
  console.log(`\ncube: ${build.rows!.toLocaleString('en')} episode rows (${build.repeatedRows!.toLocaleString('en')} of patients seen more than once for the subject); floor: ${floor.cells!.toLocaleString('en')} cells`);
  console.log(`totals: floor ${floor.total!.toLocaleString('en')} events, cube ${build.total!.toLocaleString('en')} events (every service, every place of residence as imported)`);
  if ([...floors, ...builds].some((x) => x.total !== floor.total)) {
    console.error('FAIL: the cube and the floor do not give the same total');
    process.exit(1);
  }
}

await main();
