/**
 * Benchmark: import a national-scale episodes file (one year, about 10 million episodes) and compare
 * with the floor — DuckDB alone loading the same CSV into a table with no validation at all.
 * Each measurement runs in its own process so that its peak memory (VmHWM) is its own.
 *
 *   npm run bench:import                 # scale 50 (≈ 10 million rows); the file is cached in bench-data/
 *   npm run bench:import -- --scale 5    # smaller, for a quick look
 *   npm run bench:import -- --memory-limit 2GB   # DuckDB's memory limit for the varatlas import (default 4GB)
 *   npm run bench:import -- --yearly     # also five yearly files (2019–2023) imported one after another into one store
 *   npm run bench:import -- --compressed # also the same file as .csv.gz and .csv.zst (made once with gzip and zstd) and as Parquet
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : fallback;
};

function peakMemoryMiB(): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

function child(mode: string, ...rest: string[]): { seconds: number; rows: number; peakMiB: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', here, '--child', mode, ...rest], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function runChild(mode: string, file: string, db: string): Promise<void> {
  const started = performance.now();
  let rows = 0;
  if (mode === 'generate') {
    const { generateDemo } = await import('../src/demo/generate.js');
    const files = await generateDemo({ outDir: file, scale: Number(arg('--scale', '50')), years: [Number(arg('--year', '2023'))] });
    rows = files.episodeSummary.rows;
  } else if (mode === 'varatlas') {
    const { openStore } = await import('../src/store/open-store.js');
    const { importFile } = await import('../src/import/import-file.js');
    const store = await openStore({ path: db, memoryLimit: arg('--memory-limit', '4GB') });
    const report = await importFile(store, { kind: 'episodes', path: file, refresh: false });
    rows = report.rowsRead;
    await store.close();
  } else if (mode === 'parquet') {
    // The file's rows as text columns (as an extract would hold them), written by DuckDB.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(`COPY (SELECT * FROM read_csv($path, header = true, all_varchar = true, ignore_errors = true)) TO '${db}' (FORMAT parquet)`, { path: file });
    c.closeSync();
    instance.closeSync();
  } else {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(db);
    const c = await instance.connect();
    await c.run(`CREATE TABLE raw AS SELECT * FROM read_csv($path, header = true, ignore_errors = true)`, { path: file });
    const reader = await c.runAndReadAll('SELECT count(*) AS n FROM raw');
    rows = Number(reader.getRows()[0]![0]);
    c.closeSync();
    instance.closeSync();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, rows, peakMiB: peakMemoryMiB() }));
}

async function main(): Promise<void> {
  if (args[0] === '--child') return runChild(args[1]!, args[2]!, args[3]!);
  const scale = arg('--scale', '50');
  const dir = join(process.cwd(), 'bench-data', `scale-${scale}`);
  const file = join(dir, 'episodes.csv');
  if (!existsSync(file)) {
    console.log(`generating one year of episodes at scale ${scale} into ${dir} (kept for the next run) …`);
    const g = child('generate', dir, '', '--scale', scale);
    console.log(`  ${g.rows.toLocaleString('en')} rows in ${g.seconds.toFixed(1)} s`);
  }
  const size = statSync(file).size;
  const dbs = [join(dir, 'varatlas.duckdb'), join(dir, 'floor.duckdb')];
  for (const db of dbs) rmSync(db, { force: true }), rmSync(`${db}.wal`, { force: true });
  const floor = child('floor', file, dbs[1]!);
  const ours = child('varatlas', file, dbs[0]!, '--memory-limit', arg('--memory-limit', '4GB'));
  for (const db of dbs) rmSync(db, { force: true });
  const rate = (r: { rows: number; seconds: number }) => Math.round(r.rows / r.seconds).toLocaleString('en');
  console.log(`\nfile: ${file} (${(size / 2 ** 30).toFixed(2)} GiB, ${ours.rows.toLocaleString('en')} rows); DuckDB memory limit ${arg('--memory-limit', '4GB')}`);
  console.log('                         seconds   rows/second   peak memory');
  console.log(`varatlas import          ${ours.seconds.toFixed(1).padStart(7)}   ${rate(ours).padStart(11)}   ${ours.peakMiB} MiB`);
  console.log(`floor: raw DuckDB load   ${floor.seconds.toFixed(1).padStart(7)}   ${rate(floor).padStart(11)}   ${floor.peakMiB} MiB`);
  console.log(`ratio varatlas / floor   ${(ours.seconds / floor.seconds).toFixed(2).padStart(7)}`);
  if (args.includes('--compressed')) compressed(file, dir, ours);
  if (args.includes('--yearly')) yearly(scale);
}

/** The same rows as gzip- and zstd-compressed CSV and as Parquet, each imported into a new store, against the plain import. */
function compressed(file: string, dir: string, plain: { seconds: number; rows: number; peakMiB: number }): void {
  const variants = [
    { name: 'gzip', path: `${file}.gz`, make: () => execFileSync('sh', ['-c', `gzip -c "${file}" > "${file}.gz.tmp"`]) },
    { name: 'zstd', path: `${file}.zst`, make: () => execFileSync('zstd', ['-q', '-T0', '-o', `${file}.zst.tmp`, file]) },
    {
      name: 'parquet',
      path: join(dir, 'episodes.parquet'),
      make: () => child('parquet', file, join(dir, 'episodes.parquet.tmp')),
    },
  ];
  console.log('\nthe same file compressed and as Parquet, each imported into a new store:');
  console.log(`  plain CSV ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB: ${plain.seconds.toFixed(1)} s, peak ${plain.peakMiB} MiB`);
  for (const v of variants) {
    if (!existsSync(v.path)) {
      v.make();
      renameSync(`${v.path}.tmp`, v.path);
    }
    const db = join(dir, `${v.name}.duckdb`);
    rmSync(db, { force: true }), rmSync(`${db}.wal`, { force: true });
    const r = child('varatlas', v.path, db, '--memory-limit', arg('--memory-limit', '4GB'));
    rmSync(db, { force: true });
    console.log(
      `  ${v.name} ${(statSync(v.path).size / 2 ** 20).toFixed(0)} MiB: ${r.seconds.toFixed(1)} s (${(r.seconds / plain.seconds).toFixed(2)} × plain), ${r.rows.toLocaleString('en')} rows, peak ${r.peakMiB} MiB`,
    );
  }
}

/**
 * Five yearly files imported one after another into one store: whether an import costs more the more
 * the store already holds (the duplicate check reads the stored ids).
 */
function yearly(scale: string): void {
  const years = [2019, 2020, 2021, 2022, 2023];
  const db = join(process.cwd(), 'bench-data', `scale-${scale}-yearly.duckdb`);
  rmSync(db, { force: true }), rmSync(`${db}.wal`, { force: true });
  console.log(`
five yearly files at scale ${scale} into one store:`);
  const times: number[] = [];
  for (const year of years) {
    const dir = join(process.cwd(), 'bench-data', `scale-${scale}-${year}`);
    // Named by year: the store refuses a second file of the same name.
    const file = join(dir, `episodes-${year}.csv`);
    if (!existsSync(file)) {
      child('generate', dir, '', '--scale', scale, '--year', String(year));
      renameSync(join(dir, 'episodes.csv'), file);
    }
    const r = child('varatlas', file, db, '--memory-limit', arg('--memory-limit', '4GB'));
    times.push(r.seconds);
    console.log(`  ${year}: ${r.rows.toLocaleString('en')} rows in ${r.seconds.toFixed(1)} s (${Math.round(r.rows / r.seconds).toLocaleString('en')} rows/s), peak ${r.peakMiB} MiB`);
  }
  console.log(`  fifth / first: ${(times[4]! / times[0]!).toFixed(2)}`);
  rmSync(db, { force: true });
}

await main();
