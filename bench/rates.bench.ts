/**
 * Benchmark: rates for the whole catalogue × every catchment area × five years, against the floor —
 * one hand-written DuckDB query that computes the same counts straight from the episodes.
 *
 *   npm run bench                       # scale 50 (national volume, ≈ 10 million episodes a year), 2019–2023
 *   npm run bench -- --scale 10         # smaller
 * The data set and its database are generated once and kept in bench-data/ for the next run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadCatalogue } from '../src/catalog/load-catalogue.js';
import type { ServiceDefinition } from '../src/catalog/service.js';
import { defaultRateOptions } from '../src/analysis/rates.js';
import { serviceRates } from '../src/analysis/service-rates.js';
import { generateDemo } from '../src/demo/generate.js';
import { importFile } from '../src/import/import-file.js';
import { openStore } from '../src/store/open-store.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const scale = Number(arg('--scale', '50'));
const dir = join(process.cwd(), 'bench-data', `rates-scale-${scale}`);
const db = join(dir, 'bench.duckdb');
const seconds = (t0: number) => (performance.now() - t0) / 1000;

if (!existsSync(db)) {
  console.log(`generating and importing 2019–2023 at scale ${scale} into ${dir} (kept for the next run) …`);
  let t0 = performance.now();
  const files = await generateDemo({ outDir: dir, scale });
  console.log(`  generated ${files.episodeSummary.rows.toLocaleString('en')} episodes in ${seconds(t0).toFixed(0)} s`);
  t0 = performance.now();
  const store = await openStore({ path: db });
  for (const [kind, path] of [['geography', files.geography], ['renumbering', files.renumbering], ['population', files.population], ['episodes', files.episodes]] as const) {
    await importFile(store, { kind, path });
  }
  await store.close();
  console.log(`  imported in ${seconds(t0).toFixed(0)} s`);
}

const catalogue = await loadCatalogue();
const store = await openStore({ path: db });
let t0 = performance.now();
await store.ensureServiceMatches(catalogue.services, catalogue.fingerprint + '-bench'); // force a full match once
const matching = seconds(t0);
await store.ensureServiceMatches(catalogue.services, catalogue.fingerprint);
t0 = performance.now();
const tables = await serviceRates(store, { serviceIds: [] }, defaultRateOptions);
const rates = seconds(t0);
const oursTotal = tables.reduce((s, t) => s + (t.rows.find((r) => r.national && r.year === null)!.events as number), 0);
const episodes = (await store.status()).tables.find((t) => t.kind === 'episodes')!.rows;
await store.close();

// The floor: one query, written by hand with regular expressions, straight from the episodes.
const pattern = (codes: string[]) => `'^(${codes.map((c) => (c.endsWith('*') ? c.slice(0, -1) : `${c}$`)).join('|')})'`;
const predicate = (s: ServiceDefinition) => {
  const alternatives = s.include.map((a) => {
    const parts = [];
    if (a.diagnoses) parts.push(`regexp_matches(coalesce(main_diagnosis, ''), ${pattern(a.diagnoses)})`);
    if (a.procedures) parts.push(`list_bool_or(list_transform(coalesce(procedures, []), x -> regexp_matches(x, ${pattern(a.procedures)})))`);
    if (a.drg) parts.push(`regexp_matches(coalesce(drg, ''), ${pattern(a.drg)})`);
    return `(${parts.join(' AND ')})`;
  });
  const limits = [
    s.age?.min !== undefined ? `age >= ${s.age.min}` : 'true',
    s.age?.max !== undefined ? `age <= ${s.age.max}` : 'true',
    s.sex ? `sex = ${s.sex === 'male' ? 1 : 2}` : 'true',
  ];
  return `coalesce((${alternatives.join(' OR ')}) AND ${limits.join(' AND ')}, false)`;
};
const floorSql = `
  WITH e AS (
    SELECT municipality, district, CAST(year(start_date) AS INTEGER) AS year, sex, least(CAST(floor(age / 5) AS INTEGER) * 5, 90) AS age_group,
      provider_type, patient_id,
      unnest(list_filter([${catalogue.services.map((s) => `CASE WHEN ${predicate(s)} THEN '${s.id}' END`).join(', ')}], x -> x IS NOT NULL)) AS service
    FROM episodes WHERE year(start_date) BETWEEN 2019 AND 2023)
  SELECT service, r.area_code, e.year, e.sex, e.age_group, e.provider_type, count(*) AS events, count(DISTINCT patient_id) AS patients
  FROM e JOIN residence_map r ON r.municipality = e.municipality AND r.district IS NOT DISTINCT FROM e.district AND r.year = e.year
  WHERE r.area_code IS NOT NULL GROUP BY ALL`;
const instance = await DuckDBInstance.create(db);
const c = await instance.connect();
t0 = performance.now();
const reader = await c.runAndReadAll(`SELECT sum(events) AS total, count(*) AS cells FROM (${floorSql})`);
const floor = seconds(t0);
const [total, cells] = reader.getRows()[0]!.map(Number);
c.closeSync();
instance.closeSync();

console.log(`\n${episodes.toLocaleString('en')} episodes, ${catalogue.services.length} services × ${tables[0]!.rows.filter((r) => r.year === null).length - 1} areas × 5 years (+ pooled)`);
console.log(`counts agree: varatlas ${oursTotal.toLocaleString('en')} events, floor ${total!.toLocaleString('en')} events in ${cells!.toLocaleString('en')} cells`);
console.log('                                             seconds');
console.log(`varatlas: match every episode (once per import)  ${matching.toFixed(1).padStart(6)}`);
console.log(`varatlas: rates for the whole catalogue          ${rates.toFixed(1).padStart(6)}`);
console.log(`floor: one hand-written DuckDB query (counts)    ${floor.toFixed(1).padStart(6)}`);
console.log(`ratio rates / floor                              ${(rates / floor).toFixed(2).padStart(6)}`);
console.log(`ratio (match + rates) / floor                    ${((matching + rates) / floor).toFixed(2).padStart(6)}`);
