import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fewPatientsReason, minimumPatients, type ConcentrationRow } from '../analysis/concentration.js';
import { defaultSuppression } from '../stats/suppression.js';
import { importFile } from '../import/import-file.js';
import type { Store } from '../store/store.js';
import { AttackerModel, sumOf, type Expr } from '../test-support/disclosure-lp.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText, type EpisodeFields } from '../test-support/fixtures.js';
import { useMeasures } from '../store/store.js';
import { buildApp } from './app.js';

/**
 * The privacy audit of /api/concentration: every count it publishes (patients and total use, per unit,
 * year and the period, at the area and region levels, for every measure) goes into a linear model of
 * what an attacker knows — areas add up to regions and the nation, years to the period (patients too:
 * no patient here moves, so they add up exactly) — and every count withheld because its unit has too few
 * patients must stay unknown: in data consistent with everything published it can be 500 or more, so the
 * attacker cannot even tell that it is small (as the rates' audit asks of a count of 1–4). Counts withheld
 * only to protect those (levelCountsReason) may be worked out: they are not small.
 */
const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R1,Region 1\n2002,B,Area B,R1,Region 1\n3003,C,Area C,R2,Region 2\n';
const places: Record<string, string> = { A: '1001', B: '2002', C: '3003' };
const regions: Record<string, string[]> = { R1: ['A', 'B'], R2: ['C'] };
const years = [2022, 2023];
/** Patients per area and year: B is large in 2022 and small in 2023. */
const patients: Record<string, Record<number, number>> = { A: { 2022: 700, 2023: 650 }, B: { 2022: 600, 2023: 40 }, C: { 2022: 550, 2023: 580 } };

function rows(): EpisodeFields[] {
  const out: EpisodeFields[] = [];
  for (const [area, byYear] of Object.entries(patients)) {
    for (const year of years) {
      for (let i = 0; i < byYear[year]!; i++) {
        const id = `q${area}${year}-${i}`;
        const stays = 1 + (i % 4 === 0 ? 2 : 0) + (i < 3 ? 9 : 0);
        for (let k = 0; k < stays; k++) {
          const start = new Date(Date.UTC(year, 1, 1 + 20 * k));
          const days = k % 2 === 0 ? (i % 3) + 1 : 0;
          const iso = (d: Date) => d.toISOString().slice(0, 10);
          out.push(episode(`${id}-${k}`, {
            patient_id: id, municipality: places[area]!, start_date: iso(start), end_date: iso(new Date(start.getTime() + days * 86_400_000)),
            care_level: k % 2 === 0 ? 'inpatient' : 'outpatient',
          }));
        }
      }
    }
  }
  return out;
}

const minimum = minimumPatients(defaultSuppression);

describe('privacy audit of the concentration of use', () => {
  let store: Store;
  let app: FastifyInstance;
  let dir: string;
  after(async () => {
    await app.close();
    await store.close();
  });
  before(async () => {
    store = await memoryStore({ keep: true });
    dir = await tempDir();
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv(rows())) });
    app = await buildApp({ store });
  });

  it('no withheld count can be worked out from the published ones', async () => {
    let published = 0;
    let withheldCounts = 0;
    for (const measure of useMeasures) {
      const model = new AttackerModel();
      const withheld: { what: string; e: Expr }[] = [];
      // A unit's count in a frame: the sum of its areas' counts in the frame's years.
      const expr = (kind: string, areas: string[], year: number | null) => sumOf(areas.flatMap((a) => (year === null ? years : [year]).map((y) => `${kind}_${a}_${y}`)));
      for (const level of ['area', 'region'] as const) {
        for (const asked of ['2022', '2023', '2022-2023']) {
          const res = await app.inject({ url: `/api/concentration?measure=${measure}&level=${level}&years=${asked}` });
          assert.equal(res.statusCode, 200, res.body);
          for (const r of (res.json() as { rows: ConcentrationRow[] }).rows) {
            const areas = r.unit === null ? Object.keys(places) : level === 'area' ? [r.unit] : regions[r.unit]!;
            for (const [kind, value] of [['p', r.patients], ['t', r.total]] as const) {
              const e = expr(kind, areas, r.year);
              if (typeof value === 'number') {
                model.add(e, '=', value);
                published++;
              } else if (value.withheld === fewPatientsReason(minimum)) withheld.push({ what: `${measure} ${level} ${r.unit} ${r.year ?? 'period'} ${kind}`, e });
            }
          }
        }
      }
      assert.ok(withheld.length > 0, `${measure}: the audit must have withheld counts to attack`);
      withheldCounts += withheld.length;
      const { reached, maximum } = await model.reach(withheld.map((w) => w.e), minimum);
      withheld.forEach((w, i) => assert.ok(reached[i], `${w.what} is at most ${maximum[i]} in every data consistent with the published counts`));
    }
    assert.ok(published > 50, `only ${published} published counts`);
    assert.ok(withheldCounts > 20);
  });

  it('the check is able to fail: with the level rule off, area B in 2023 would follow from the others', async () => {
    // Every area's count shown except B in 2023 (what publishing each unit on its own would give), and the nation's.
    const model = new AttackerModel();
    const x = (a: string, y: number) => `t_${a}_${y}`;
    for (const a of Object.keys(places)) for (const y of years) if (!(a === 'B' && y === 2023)) model.add(sumOf([x(a, y)]), '=', 1000);
    model.add(sumOf(Object.keys(places).map((a) => x(a, 2023))), '=', 2040);
    const { reached, maximum } = await model.reach([sumOf([x('B', 2023)])], minimum);
    assert.deepEqual([reached[0], maximum[0]], [false, 40]);
  });
});
