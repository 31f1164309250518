/**
 * Benchmark of stays and concentration of use at national scale, against the floor: one hand-written
 * DuckDB query that builds the same stays (the same episodes read, the same running-maximum rule) and
 * gives the share of the stays used by the heaviest 1, 5, 10 and 20 % of the patients, for the nation
 * and every catchment area, through a histogram of stays per patient.
 *
 * The product: `concentrationByUnit` (what `varatlas concentration` and /api/concentration run): the
 * stays with every column a stay has (bed days, first and last provider, main department), the
 * histograms, then the shares, Gini, Lorenz curve and 500 bootstrap draws per unit in Node.
 * Both must give the same shares (the bench fails if not). Each run is its own process (its own peak
 * memory, VmHWM); floor and product alternate, `--rounds` times.
 *
 *   npm run bench:patients -- --store /path/to/store.duckdb [--year 2023] [--rounds 2]
 *   npm run bench:patients                                  # the store of `npm run bench` (scale 50, 2019–2023)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const memoryLimit = arg('--memory-limit', '4GB');
const fractions = [0.01, 0.05, 0.1, 0.2];

function peakMemoryMiB(): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

interface Result {
  seconds: number;
  peakMiB: number;
  patients: number;
  shares: number[];
  units: number;
}

async function runChild(mode: string, db: string, year: number): Promise<Result> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  if (mode === 'floor') {
    const instance = await DuckDBInstance.create(db, { memory_limit: memoryLimit, access_mode: 'READ_ONLY' });
    const c = await instance.connect();
    const t0 = performance.now();
    const reader = await c.runAndReadAll(`
      WITH e AS (
        SELECT patient_id, start_date, coalesce(end_date, start_date) AS end_date, care_level = 'inpatient' AS inpatient, municipality, district
        FROM episodes WHERE coalesce(end_date, start_date) >= DATE '${year}-01-01' - 90 AND start_date <= DATE '${year}-12-31' + 1),
      r AS (
        SELECT *, max(end_date) OVER w AS reach, max(CASE WHEN inpatient THEN end_date END) OVER w AS inpatient_reach
        FROM e WINDOW w AS (PARTITION BY patient_id ORDER BY start_date, end_date, inpatient DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
      n AS (
        SELECT *, sum(CASE WHEN start_date <= reach OR (inpatient AND start_date <= inpatient_reach + 1) THEN 0 ELSE 1 END)
          OVER (PARTITION BY patient_id ORDER BY start_date, end_date, inpatient DESC ROWS UNBOUNDED PRECEDING) AS stay
        FROM r),
      stays AS (
        SELECT patient_id, max(end_date) AS end_date, arg_min({'m': municipality, 'd': district}, {'s': start_date, 'm': municipality, 'd': district}) AS first
        FROM n GROUP BY patient_id, stay),
      places AS (SELECT DISTINCT first.m AS municipality, first.d AS district, ${year} AS year FROM stays),
      map AS (SELECT municipality, district, area_code FROM (${(await import('../src/store/dialects/duckdb-schema.js')).residenceMapSql('SELECT * FROM places')}) WHERE area_code IS NOT NULL),
      per AS (
        SELECT m.area_code AS unit, s.patient_id, count(*) AS n
        FROM stays s JOIN map m ON m.municipality = s.first.m AND m.district IS NOT DISTINCT FROM s.first.d
        WHERE s.end_date BETWEEN DATE '${year}-01-01' AND DATE '${year}-12-31'
        GROUP BY GROUPING SETS ((m.area_code, s.patient_id), (s.patient_id))),
      histogram AS (SELECT unit, n, count(*) AS patients FROM per GROUP BY ALL),
      cumulative AS (
        SELECT unit, n, patients, sum(patients) OVER u AS patients_from_top, sum(patients * n) OVER u AS use_from_top,
          sum(patients) OVER (PARTITION BY unit) AS all_patients, sum(patients * n) OVER (PARTITION BY unit) AS all_use
        FROM histogram WINDOW u AS (PARTITION BY unit ORDER BY n DESC ROWS UNBOUNDED PRECEDING)),
      cuts AS (SELECT unnest([${fractions.join(', ')}]) AS fraction)
      SELECT c.unit, f.fraction, any_value(c.all_patients) AS patients,
        -- the top floor(f·N) patients: whole bins above the cut, and part of the bin it falls in
        (min(c.use_from_top - (c.patients_from_top - floor(f.fraction * c.all_patients + 1e-9)) * c.n)) / any_value(c.all_use) AS share
      FROM cumulative c, cuts f WHERE c.patients_from_top >= floor(f.fraction * c.all_patients + 1e-9)
      GROUP BY ALL ORDER BY c.unit NULLS FIRST, f.fraction`);
    const rows = reader.getRowObjectsJson() as { unit: string | null; patients: string; share: number }[];
    const nation = rows.filter((r) => r.unit === null);
    return { seconds: (performance.now() - t0) / 1000, peakMiB: peakMemoryMiB(), patients: Number(nation[0]!.patients), shares: nation.map((r) => Number(r.share)), units: new Set(rows.map((r) => r.unit)).size - 1 };
  }
  const { openStore } = await import('../src/store/open-store.js');
  const { concentrationByUnit } = await import('../src/analysis/concentration.js');
  const { defaultSuppression } = await import('../src/stats/suppression.js');
  const store = await openStore({ path: db, readOnly: true, memoryLimit });
  const t0 = performance.now();
  const result = await concentrationByUnit(store, { years: [year, year], level: 'area', measure: 'stays', suppression: defaultSuppression });
  const seconds = (performance.now() - t0) / 1000;
  const nation = result.rows.find((r) => r.unit === null)!;
  if (typeof nation.patients !== 'number' || !Array.isArray(nation.tops)) throw new Error('the nation is withheld');
  await store.close();
  return { seconds, peakMiB: peakMemoryMiB(), patients: nation.patients, shares: nation.tops.map((t) => t.share), units: result.rows.length - 1 };
}

function child(mode: string, db: string, year: number): Result {
  const out = execFileSync(process.execPath, ['--import', 'tsx', here, '--child', mode, '--store', db, '--year', String(year), '--memory-limit', memoryLimit], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

if (args.includes('--child')) {
  console.log(JSON.stringify(await runChild(arg('--child', ''), arg('--store', ''), Number(arg('--year', '0')))));
} else {
  const db = arg('--store', join(process.cwd(), 'bench-data', 'cube-scale-50', 'store.duckdb'));
  if (!existsSync(db)) throw new Error(`${db} does not exist: run npm run bench first (it generates the scale-50 store), or pass --store`);
  const year = Number(arg('--year', '2023'));
  const rounds = Number(arg('--rounds', '2'));
  console.log(`stays and concentration of stays, ${year}, nation and every catchment area: ${db}\n`);
  console.log('round  floor s  product s  ratio  floor MiB  product MiB');
  const ratios: number[] = [];
  for (let r = 1; r <= rounds; r++) {
    const floor = child('floor', db, year);
    const product = child('product', db, year);
    if (floor.patients !== product.patients || floor.shares.some((s, i) => Math.abs(s - product.shares[i]!) > 1e-12)) {
      throw new Error(`floor and product differ: ${JSON.stringify(floor)} against ${JSON.stringify(product)}`);
    }
    ratios.push(product.seconds / floor.seconds);
    console.log(`${String(r).padStart(5)}  ${floor.seconds.toFixed(2).padStart(7)}  ${product.seconds.toFixed(2).padStart(9)}  ${(product.seconds / floor.seconds).toFixed(2).padStart(5)}  ${String(floor.peakMiB).padStart(9)}  ${String(product.peakMiB).padStart(11)}`);
    if (r === 1) console.log(`       (${product.patients.toLocaleString('en')} patients with a stay; the top 1/5/10/20 % used ${product.shares.map((s) => (100 * s).toFixed(1)).join(' / ')} % of the stays; ${product.units} areas)`);
  }
  console.log(`\nratio product / floor: ${ratios.map((x) => x.toFixed(2)).join(', ')} (goal ≤ 1.5)`);
}
