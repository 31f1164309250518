import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadPathways, type PathwayDefinition } from '../catalog/pathway.js';
import { importFile } from '../import/import-file.js';
import { buildApp } from '../server/app.js';
import { defaultSuppression } from '../stats/suppression.js';
import type { Store } from '../store/store.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText, type EpisodeFields } from '../test-support/fixtures.js';
import { followUpScenario, type FollowUpScenario } from './pathway-scenario.js';
import { otherProviders, pathwayByUnit, pathwayColumnReason, tooFewEntrantsReason, type PathwayRow } from './pathways.js';
import { isWithheld } from './rate-row.js';

const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R,Region\n2002,B,Area B,R,Region\n3003,C,Area C,R,Region\n';

/** `n` men of 70 entering knee osteoarthritis on 2022-03-01 at `provider`; the first `operated` operated 100 days later. */
function cohort(area: string, municipality: string, provider: string, n: number, operated: number, controlsIfOperated: number, controlsOtherwise: number): EpisodeFields[] {
  const rows: EpisodeFields[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${area}${i}`;
    const contact = (k: number, date: string, level = 'outpatient', procedure = '') =>
      rows.push(episode(`${id}-${k}`, { patient_id: id, municipality, provider_id: provider, start_date: date, end_date: date, care_level: level, main_diagnosis: 'M17.1', procedures: procedure, age: '70', sex: '1' }));
    contact(0, '2022-03-01');
    const isOperated = i < operated;
    if (isOperated) contact(1, '2022-06-09', 'inpatient', 'NGB12');
    const dates = isOperated ? ['2022-07-01', '2022-08-01', '2022-09-01'] : ['2022-04-01', '2022-05-01', '2022-05-15'];
    dates.slice(0, isOperated ? controlsIfOperated : controlsOtherwise).forEach((d, k) => contact(2 + k, d));
  }
  return rows;
}

const span = [episode('first', { start_date: '2021-01-01', end_date: '2021-01-01', municipality: '1001' }), episode('last', { start_date: '2024-12-31', end_date: '2024-12-31', municipality: '1001' })];

describe('pathways by hand: figures, standardisation, the scenario and what is withheld', () => {
  let dir: string;
  let store: Store;
  let small: Store;
  let knees: PathwayDefinition;
  after(() => Promise.all([store.close(), small.close(), rm(dir, { recursive: true, force: true })]));
  before(async () => {
    dir = await tempDir({ keep: true });
    knees = (await loadPathways()).find((p) => p.id === 'knee_osteoarthritis')!;
    const make = async (rows: EpisodeFields[], name: string) => {
      const s = await memoryStore({ keep: true });
      await importFile(s, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
      await importFile(s, { kind: 'episodes', path: await writeText(dir, name, episodesCsv(rows)) });
      return s;
    };
    // A: 30 entering, 10 operated with 3 controls each, 20 not with 1 (50 controls); B: 20, 5 operated with 3, 15 with 2 (45).
    const ab = [...cohort('A', '1001', 'H1', 30, 10, 3, 1), ...cohort('B', '2002', 'H2', 20, 5, 3, 2)];
    store = await make([...span, ...ab], 'ab.csv');
    // And C: 8 entering — too few to be shown on its own.
    small = await make([...span, ...ab, ...cohort('C', '3003', 'H3', 8, 2, 1, 1)], 'abc.csv');
  });

  const pooled = (rows: PathwayRow[], unit: string | null) => rows.find((r) => r.unit === unit && r.year === null)!;

  it('counts, shares and standardised ratios by hand', async () => {
    const result = await pathwayByUnit(store, knees, { by: 'area', suppression: defaultSuppression });
    assert.deepEqual(result.years, [2022, 2022]);
    const a = pooled(result.rows, 'A');
    const b = pooled(result.rows, 'B');
    const nation = pooled(result.rows, null);
    assert.deepEqual([nation.entrants, nation.operated, nation.controls, nation.medianDaysToOperation], [50, 15, 95, 100]);
    assert.deepEqual([a.entrants, a.operated, a.controls, b.entrants, b.operated, b.controls], [30, 10, 50, 20, 5, 45]);
    // One stratum (men 70–74): the national rates are 15/50 operated and 95/50 controls per patient.
    const close = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-12, `${x} ≠ ${y}`);
    if (isWithheld(a.operatedRatio) || isWithheld(b.controlsRatio) || isWithheld(a.controlsRatio) || isWithheld(a.operatedShare)) throw new Error('withheld');
    close(a.operatedRatio.expected, 30 * 0.3);
    close(a.operatedRatio.value, 10 / 9);
    close(a.controlsRatio.value, 50 / 57);
    close(b.controlsRatio.value, 45 / 38);
    close(a.operatedShare.value, 1 / 3);
    assert.equal(a.controlsPerPatient, 50 / 30);
  });

  it('the needs-based follow-up scenario by hand: the lower quartile of the ratios, controls avoided and hours freed', async () => {
    const result = await pathwayByUnit(store, knees, { by: 'area', suppression: defaultSuppression });
    const s = followUpScenario(result, 'lower_quartile', null) as FollowUpScenario;
    const [ra, rb] = [50 / 57, 45 / 38];
    const q1 = ra + 0.25 * (rb - ra); // type 7 quantile of two values
    assert.ok(Math.abs(s.targetRatio - q1) < 1e-12);
    const b = s.rows.find((r) => r.unit === 'B')!;
    assert.ok(Math.abs(b.avoided.value - (45 - 38 * q1)) < 1e-9);
    assert.equal(s.rows.find((r) => r.unit === 'A')!.avoided.value, 0, 'A is below the target: nothing to avoid');
    assert.ok(Math.abs(b.hours.physician!.value - ((45 - 38 * q1) * 20) / 60) < 1e-9);
    assert.ok(Math.abs(s.total.hours.nurse!.value - ((45 - 38 * q1) * 10) / 60) < 1e-9);
    assert.ok(b.avoided.lower <= b.avoided.value && b.avoided.value <= b.avoided.upper);
    // At the national level (ratio 1) A avoids nothing and B 45 − 38.
    const national = followUpScenario(result, 'national', null) as FollowUpScenario;
    assert.ok(Math.abs(national.total.avoided.value - 7) < 1e-9);
  });

  it('a unit with too few patients entering: every unit of the table withheld, the nation shown', async () => {
    const result = await pathwayByUnit(small, knees, { by: 'area', suppression: defaultSuppression });
    for (const unit of ['A', 'B', 'C']) assert.deepEqual(pooled(result.rows, unit).entrants, { withheld: tooFewEntrantsReason(20) });
    assert.equal(pooled(result.rows, null).entrants, 58);
    assert.ok('withheld' in followUpScenario(result, 'lower_quartile', null));
  });

  it('by provider, the small ones are gathered with the next smallest until that row holds 20', async () => {
    const result = await pathwayByUnit(small, knees, { by: 'provider', suppression: defaultSuppression });
    const units = result.rows.filter((r) => r.year === null).map((r) => [r.unit, r.entrants]);
    assert.deepEqual(units, [[null, 58], ['H1', 30], [otherProviders, 28]]);
    // The other row's 2 operated (C) + 5 (B) = 7: shown. A count of 1–4 in a column withholds the column for every provider.
    assert.equal(pooled(result.rows, otherProviders).operated, 7);
  });

  it('a count of 1–4 withholds its column for every unit, not the others', async () => {
    const rows = [...span, ...cohort('A', '1001', 'H1', 30, 10, 3, 1), ...cohort('B', '2002', 'H2', 20, 3, 3, 2)];
    const s = await memoryStore();
    await importFile(s, { kind: 'geography', path: await writeText(dir, 'g2.csv', geography) });
    await importFile(s, { kind: 'episodes', path: await writeText(dir, 'e2.csv', episodesCsv(rows)) });
    const result = await pathwayByUnit(s, knees, { by: 'area', suppression: defaultSuppression });
    assert.deepEqual(pooled(result.rows, 'A').operated, { withheld: pathwayColumnReason });
    assert.deepEqual(pooled(result.rows, 'A').operatedShare, { withheld: pathwayColumnReason });
    assert.equal(pooled(result.rows, 'A').entrants, 30);
    assert.equal(typeof pooled(result.rows, 'B').controls, 'number');
    assert.equal(pooled(result.rows, null).operated, 13);
  });

  it('the API answers, and names a bad parameter', async () => {
    const app: FastifyInstance = await buildApp({ store });
    try {
      const res = await app.inject({ url: '/api/pathway?pathway=knee_osteoarthritis&by=area' });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { rows: PathwayRow[]; scenario: FollowUpScenario };
      assert.equal(pooled(body.rows, 'A').controls, 50);
      assert.ok(body.scenario.total.avoided.value > 0);
      for (const [query, name] of [['pathway=nope', 'pathway'], ['pathway=knee_osteoarthritis&by=ward', 'by'], ['pathway=knee_osteoarthritis&target=-1', 'target'], ['pathway=knee_osteoarthritis&year=2019', 'year']] as const) {
        const bad = await app.inject({ url: `/api/pathway?${query}` });
        assert.equal(bad.statusCode, 400, query);
        assert.match(bad.json().error, new RegExp(name));
      }
      assert.equal((await app.inject({ url: '/api/pathways' })).json().length, 4);
    } finally {
      await app.close();
    }
  });
});
