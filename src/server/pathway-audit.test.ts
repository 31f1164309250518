import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { otherProviders, type PathwayRow } from '../analysis/pathways.js';
import { importFile } from '../import/import-file.js';
import type { Store } from '../store/store.js';
import { AttackerModel, sumOf, type Expr } from '../test-support/disclosure-lp.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText, type EpisodeFields } from '../test-support/fixtures.js';
import { buildApp } from './app.js';

/**
 * The privacy audit of /api/pathway: the finest places are (area, entry provider) cells; every count the
 * API publishes for the pathway (patients entering, operated, controls; by area, region and provider; each
 * whole year and the period) is a sum of cells. No count it withholds that is small — entering under 20,
 * operated or controls of 1–4 — may be worked out: in data consistent with everything published it can
 * be 20 (entering) or 5 (the others) or more.
 */
const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R1,Region 1\n2002,B,Area B,R1,Region 1\n3003,C,Area C,R2,Region 2\n';
const municipalities: Record<string, string> = { A: '1001', B: '2002', C: '3003' };
/** Entering per area and provider in 2022, with the operated among them: area C (and its region) has 14, and few of B's and C's patients at H2 and H3 are operated. */
const cohorts = [
  { area: 'A', provider: 'H1', n: 40, operated: 12 },
  { area: 'B', provider: 'H2', n: 25, operated: 3 },
  { area: 'B', provider: 'H1', n: 6, operated: 2 },
  { area: 'C', provider: 'H3', n: 9, operated: 1 },
  { area: 'C', provider: 'H1', n: 5, operated: 2 },
];

function rows(): EpisodeFields[] {
  const out = [episode('first', { start_date: '2021-01-01', end_date: '2021-01-01', municipality: '1001' }), episode('last', { start_date: '2023-12-31', end_date: '2023-12-31', municipality: '1001' })];
  for (const c of cohorts) {
    for (let i = 0; i < c.n; i++) {
      const id = `k${c.area}${c.provider}${i}`;
      const at = (k: number, date: string, level = 'outpatient', procedure = '') =>
        out.push(episode(`${id}-${k}`, { patient_id: id, municipality: municipalities[c.area]!, provider_id: c.provider, start_date: date, end_date: date, care_level: level, main_diagnosis: 'M17.1', procedures: procedure, age: '70' }));
      at(0, '2022-02-01');
      if (i < c.operated) at(1, '2022-05-01', 'inpatient', 'NGB12');
      at(2, '2022-08-01');
    }
  }
  return out;
}

describe('privacy audit of the pathways', () => {
  let store: Store;
  let app: FastifyInstance;
  after(async () => {
    await app.close();
    await store.close();
  });
  before(async () => {
    store = await memoryStore({ keep: true });
    const dir = await tempDir();
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv(rows())) });
    app = await buildApp({ store });
  });

  it('no small withheld count can be worked out from the published ones', async () => {
    const model = new AttackerModel();
    const cells = cohorts.map((c) => `${c.area}_${c.provider}`);
    const variable = (kind: string, cell: string) => `${kind}_${cell}`;
    const truth = (kind: string, cs: typeof cohorts) => cs.reduce((t, c) => t + (kind === 'e' ? c.n : kind === 'o' ? c.operated : c.n), 0);
    const targets: { what: string; e: Expr; bound: number }[] = [];
    let published = 0;
    for (const by of ['area', 'region', 'provider'] as const) {
      const res = await app.inject({ url: `/api/pathway?pathway=knee_osteoarthritis&by=${by}` });
      assert.equal(res.statusCode, 200, res.body);
      const answer = res.json() as { rows: PathwayRow[] };
      // The units of "other providers" are the providers no row names.
      const named = new Set(answer.rows.map((r) => r.unit).filter((u): u is string => u !== null && u !== otherProviders));
      for (const r of answer.rows) {
        const members = cohorts.filter((c) =>
          r.unit === null ? true : by === 'area' ? c.area === r.unit : by === 'region' ? (r.unit === 'R1' ? c.area !== 'C' : c.area === 'C') : r.unit === otherProviders ? !named.has(c.provider) : c.provider === r.unit);
        for (const [kind, value] of [['e', r.entrants], ['o', r.operated], ['c', r.controls]] as const) {
          const e = sumOf(members.flatMap((c) => [variable(kind, `${c.area}_${c.provider}`)]));
          if (typeof value === 'number') {
            model.add(e, '=', value);
            published++;
            continue;
          }
          const actual = truth(kind, members);
          const bound = kind === 'e' ? 20 : 5;
          if ((kind === 'e' && actual < 20) || (kind !== 'e' && actual >= 1 && actual <= 4)) targets.push({ what: `${by} ${r.unit} ${kind}`, e, bound });
        }
      }
    }
    // Operated patients are among those entering; every patient here has one control.
    for (const cell of cells) model.add(new Map([[variable('o', cell), 1], [variable('e', cell), -1]]), '<=', 0);
    assert.ok(published >= 10, `${published} published counts`);
    assert.ok(targets.length >= 2, 'the audit must have small withheld counts to attack');
    for (const bound of [5, 20]) {
      const these = targets.filter((t) => t.bound === bound);
      if (these.length === 0) continue;
      const { reached, maximum } = await model.reach(these.map((t) => t.e), bound);
      these.forEach((t, i) => assert.ok(reached[i], `${t.what} is at most ${maximum[i]} in every data consistent with the published counts`));
    }
  });
});
