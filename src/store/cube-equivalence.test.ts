import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { interventionEffect, loadInterventions } from '../analysis/interventions.js';
import { needsReport } from '../analysis/needs-report.js';
import { defaultLabelOptions } from '../analysis/labels.js';
import { computeMeasureRates, computeUnsuppressedRates, defaultRateOptions } from '../analysis/rates.js';
import { variation } from '../analysis/variation.js';
import { findService, loadCatalogue } from '../catalog/load-catalogue.js';
import { loadMeasures } from '../catalog/load-measures.js';
import { runDemo } from '../demo/run-demo.js';
import { tempDir } from '../test-support/fixtures.js';
import { episodePathStore } from '../test-support/episode-path-store.js';
import { serviceTest } from './service-match-sql.js';
import { duckdb } from './dialects/duckdb.js';
import { openStore } from './open-store.js';
import type { Level, PatientTotal, Store } from './store.js';

/** Every analysis the atlas publishes, computed through one store. */
async function everything(store: Store, interventionsFile: string) {
  const catalogue = await loadCatalogue();
  const measures = await loadMeasures(catalogue);
  const years = (await store.episodeYears())!;
  const out: Record<string, unknown> = {};
  for (const level of ['area', 'region', 'municipality'] as Level[]) {
    out[`rates-${level}`] = await computeUnsuppressedRates(store, catalogue.services, { ...defaultRateOptions(years), level });
  }
  out.variation = (out['rates-area'] as Awaited<ReturnType<typeof computeUnsuppressedRates>>).map((t) => variation(t, defaultLabelOptions));
  // Table 4 as the atlas computes it: the period alone (the cube then groups no years at all).
  out.labels = (await computeUnsuppressedRates(store, catalogue.services, defaultRateOptions(years), { patients: false, frames: [null] })).map((t) => variation(t, defaultLabelOptions));
  out['rates-period-patients'] = await computeUnsuppressedRates(store, catalogue.services, { ...defaultRateOptions(years), level: 'region' }, { frames: [null] });
  out.needs = await needsReport(
    store,
    { serviceIds: [], catalogue, labels: defaultLabelOptions, needs: { target: { kind: 'national', factor: 1 }, includeContractSpecialists: false } },
    defaultRateOptions,
  );
  for (const m of measures) {
    // The measure's counts and rates, before suppression: its grid's decision is a function of these
    // and of distinct patients, which the episode path counts per stratum only (compared apart below).
    out[`lowvalue-${m.id}`] = await computeMeasureRates(store, m, findService(catalogue, m.denominator), defaultRateOptions(years));
    out[`monthly-${m.id}`] = await store.lowValueMonthly(m);
  }
  for (const i of await loadInterventions(interventionsFile, catalogue, measures)) {
    out[`effect-${i.name}`] = await interventionEffect(store, i, measures, 0.95, { controls: true });
  }
  return out;
}

/** Walk two results side by side: numbers equal to 1e-12 (relative), everything else identical; patients apart. */
function compare(a: unknown, b: unknown, path: string, counts: { numbers: number }): void {
  if (typeof a === 'number' && typeof b === 'number') {
    counts.numbers++;
    if (Number.isNaN(a) && Number.isNaN(b)) return;
    assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)), `${path}: ${a} from the cube, ${b} from the episodes`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    assert.equal(a.length, b.length, `${path}: length`);
    a.forEach((x, i) => compare(x, b[i], `${path}[${i}]`, counts));
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (k === 'patients') continue; // exact now, summed over strata then: tested against COUNT(DISTINCT) below
      compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, counts);
    }
    return;
  }
  assert.deepEqual(a, b, path);
}

describe('the strata cube gives the figures the episodes give', () => {
  let dir: string;
  let path: string;
  let interventions: string;
  before(async () => {
    dir = await tempDir({ keep: true });
    path = join(dir, 'store.duckdb');
    const store = await openStore({ path });
    const run = await runDemo(store, { outDir: join(dir, 'demo'), scale: 0.2 });
    interventions = run.files.interventions;
    await store.close();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('every analysis (rates at three levels, variation, needs, low-value, interventions) is identical to 1e-12', async () => {
    const store = await openStore({ path });
    const fromCube = await everything(store, interventions);
    await store.close();
    const reference = await episodePathStore(path, await loadCatalogue());
    const fromEpisodes = await everything(reference, interventions);
    await reference.close();
    const counts = { numbers: 0 };
    compare(fromCube, fromEpisodes, 'result', counts);
    assert.ok(counts.numbers > 100_000, `compared ${counts.numbers} numbers`);
  });

  it('counts every distinct patient once per area, region, nation, year and pooled period, as COUNT(DISTINCT) does', async () => {
    const store = await openStore({ path });
    const catalogue = await loadCatalogue();
    const years = (await store.episodeYears())!;
    const tables = new Map<Level, Awaited<ReturnType<typeof computeUnsuppressedRates>>>();
    const periodTables = new Map<Level, Awaited<ReturnType<typeof computeUnsuppressedRates>>>();
    const totals = new Map<Level, PatientTotal[]>();
    for (const level of ['area', 'region'] as Level[]) {
      // Totals at the level itself, and (for regions) from an area query, as the publication grid asks.
      const query = { serviceIds: catalogue.services.map((x) => x.id), fromYear: years[0], toYear: years[1], level };
      totals.set(level, (await store.activityWithTotals(query, level)).totals);
      if (level === 'region') {
        const fromAreas = (await store.activityWithTotals({ ...query, level: 'area' }, 'region')).totals;
        const key = (t: PatientTotal) => `${t.serviceId}|${t.unit}|${t.year}`;
        assert.deepEqual(new Map(fromAreas.map((t) => [key(t), t.patients])), new Map(totals.get(level)!.map((t) => [key(t), t.patients])), 'region totals from an area query');
      }
      tables.set(level, await computeUnsuppressedRates(store, catalogue.services, { ...defaultRateOptions(years), level }));
      periodTables.set(level, await computeUnsuppressedRates(store, catalogue.services, { ...defaultRateOptions(years), level }, { frames: [null] }));
    }
    await store.close();
    const reference = await episodePathStore(path, catalogue);
    let checked = 0;
    let repeated = 0;
    for (const service of catalogue.services) {
      for (const [level, column] of [['area', 'area_code'], ['region', 'region_code']] as const) {
        const rows = await reference.sql(
          `WITH m AS (${(await import('./dialects/duckdb-schema.js')).residenceMapSql(
            `SELECT DISTINCT municipality, district, CAST(year(start_date) AS INTEGER) AS year FROM episodes`,
          )}),
          e AS (SELECT e.patient_id, CAST(year(e.start_date) AS INTEGER) AS year, m.${column} AS unit FROM episodes e
                JOIN m ON m.municipality = e.municipality AND m.district IS NOT DISTINCT FROM e.district AND m.year = year(e.start_date)
                WHERE m.area_code IS NOT NULL AND ${serviceTest(duckdb, service)})
          SELECT coalesce(unit, 'national') AS unit, year, count(DISTINCT patient_id) AS patients, count(*) AS episodes
          FROM e GROUP BY GROUPING SETS ((unit, year), (unit), (year), ())`,
        );
        const table = tables.get(level)!.find((t) => t.service.id === service.id)!;
        for (const r of rows) {
          const row = table.rows.find((x) => x.unit === String(r.unit) && x.year === (r.year === null ? null : Number(r.year)));
          assert.ok(row, `${service.id} ${level} ${r.unit} ${r.year}: a row`);
          assert.equal(row.patients, Number(r.patients), `${service.id} ${level} ${r.unit} ${r.year ?? 'pooled'}: distinct patients`);
          if (r.unit !== 'national') {
            const total = totals.get(level)!.find((t) => t.serviceId === service.id && t.unit === String(r.unit) && t.year === (r.year === null ? null : Number(r.year)));
            assert.equal(total?.patients ?? 0, Number(r.patients), `${service.id} ${level} ${r.unit} ${r.year ?? 'pooled'}: patient totals without strata (absent: none)`);
          }
          if (r.year === null) {
            const period = periodTables.get(level)!.find((t) => t.service.id === service.id)!.rows.find((x) => x.unit === String(r.unit))!;
            assert.equal(period.patients, Number(r.patients), `${service.id} ${level} ${r.unit}: distinct patients, the period computed alone`);
          }
          if (Number(r.patients) < Number(r.episodes)) repeated++;
          checked++;
        }
      }
    }
    await reference.close();
    assert.ok(checked > 1000, `checked ${checked} totals`);
    assert.ok(repeated > 100, `${repeated} totals where patients repeat (so summing strata would be wrong)`);
  });
});
