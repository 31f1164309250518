import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { importFile } from '../import/import-file.js';
import { buildApp } from '../server/app.js';
import { defaultSuppression } from '../stats/suppression.js';
import type { Store } from '../store/store.js';
import { episode, episodesCsv, tempDir, writeText, type EpisodeFields } from '../test-support/fixtures.js';
import { openStore } from '../store/open-store.js';
import { concentrationByUnit, fewPatientsReason, levelCountsReason, serviceCountsReason, type ConcentrationRow } from './concentration.js';
import { isWithheld } from './rate-row.js';
import { loadCatalogue } from '../catalog/load-catalogue.js';
import type { HeavyProfile } from './heavy-profile.js';

const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R,Region\n2002,B,Area B,R,Region\n';

/**
 * Area A: 600 patients — patient i has 1 + (i % 3 === 0 ? 1 : 0) + (i < 6 ? 20 : 0) separate day stays in
 * 2023 (a week apart); area B: 40 patients with one stay each. Every stay is one day case.
 */
function stays(): { rows: EpisodeFields[]; usesA: number[] } {
  const rows: EpisodeFields[] = [];
  const usesA: number[] = [];
  const add = (patient: string, municipality: string, n: number) => {
    for (let k = 0; k < n; k++) {
      const day = new Date(Date.UTC(2023, 0, 2 + 7 * k)).toISOString().slice(0, 10);
      rows.push(episode(`${patient}-${k}`, { patient_id: patient, municipality, start_date: day, end_date: day, care_level: 'day', specialty: k % 2 ? 'med' : 'surg' }));
    }
  };
  for (let i = 0; i < 600; i++) {
    const n = 1 + (i % 3 === 0 ? 1 : 0) + (i < 6 ? 20 : 0);
    usesA.push(n);
    add(`pa${i}`, '1001', n);
  }
  for (let i = 0; i < 40; i++) add(`pb${i}`, '2002', 1);
  return { rows, usesA };
}

const topShare = (uses: number[], fraction: number) => {
  const desc = [...uses].sort((a, b) => b - a);
  const n = Math.floor(fraction * uses.length + 1e-9);
  return desc.slice(0, n).reduce((a, b) => a + b, 0) / desc.reduce((a, b) => a + b, 0);
};

describe('concentration of use: analysis, API and CLI', () => {
  let dir: string;
  let db: string;
  let store: Store;
  let app: FastifyInstance;
  const token = 'c0ncentration-Test-token-0123456789abcdef';
  const { rows, usesA } = stays();
  before(async () => {
    dir = await tempDir({ keep: true });
    db = join(dir, 'store.duckdb');
    store = await openStore({ path: db });
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv(rows)) });
    app = await buildApp({ store, token });
  });
  after(async () => {
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const row = (rs: ConcentrationRow[], unit: string | null) => rs.find((r) => r.unit === unit && r.year === null) ?? rs.find((r) => r.unit === unit)!;

  it('shares by hand for the nation and a large area; a small area withheld, and the counts of its level with it', async () => {
    const result = await concentrationByUnit(store, { years: [2023, 2023], level: 'area', measure: 'stays', suppression: defaultSuppression });
    const nation = row(result.rows, null);
    const a = row(result.rows, 'A');
    const b = row(result.rows, 'B');
    const all = [...usesA, ...Array(40).fill(1)];
    assert.equal(nation.patients, 640);
    assert.equal(nation.total, all.reduce((x, y) => x + y, 0));
    assert.ok(!isWithheld(nation.tops) && !isWithheld(a.tops));
    for (const [i, f] of [0.01, 0.05, 0.1, 0.2].entries()) {
      assert.ok(Math.abs(nation.tops[i]!.share - topShare(all, f)) < 1e-12, `nation top ${f}`);
      assert.ok(Math.abs(a.tops[i]!.share - topShare(usesA, f)) < 1e-12, `A top ${f}`);
      assert.ok(nation.tops[i]!.lower <= nation.tops[i]!.share && nation.tops[i]!.share <= nation.tops[i]!.upper);
    }
    // B has 40 patients (< 500): nothing of it is shown; A's counts would give B's away (nation − A).
    assert.deepEqual(b.tops, { withheld: fewPatientsReason(500) });
    assert.deepEqual(b.patients, { withheld: fewPatientsReason(500) });
    assert.deepEqual(a.patients, { withheld: levelCountsReason });
    assert.deepEqual(a.total, { withheld: levelCountsReason });
  });

  it("one service's: the same shares, but no counts, which its rate tables publish under their own grid", async () => {
    const [gastroscopy] = (await loadCatalogue()).services.filter((x) => x.id === 'gastroscopy');
    const all = await concentrationByUnit(store, { years: [2023, 2023], level: 'area', measure: 'stays', suppression: defaultSuppression });
    const one = await concentrationByUnit(store, { years: [2023, 2023], level: 'area', measure: 'stays', suppression: defaultSuppression, service: gastroscopy });
    const nation = row(one.rows, null);
    assert.deepEqual(nation.tops, row(all.rows, null).tops, 'every stay here has a gastroscopy');
    assert.deepEqual([nation.patients, nation.total], [{ withheld: serviceCountsReason }, { withheld: serviceCountsReason }]);
    assert.ok(one.rows.every((r) => isWithheld(r.patients) && isWithheld(r.total)));
  });

  it('the API answers the same, and names a bad parameter', async () => {
    const res = await app.inject({ url: '/api/concentration?years=2023&measure=stays', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { rows: ConcentrationRow[] };
    assert.equal(row(body.rows, null).patients, 640);
    assert.ok(!/\bp[ab]\d+\b/.test(res.body), 'no patient id in the answer');
    const book = await app.inject({ url: '/api/export/concentration.xlsx?years=2023&lang=nb', headers: { authorization: `Bearer ${token}` } });
    assert.equal(book.statusCode, 200, book.body);
    assert.equal(book.rawPayload.subarray(0, 2).toString(), 'PK');
    assert.match(String(book.headers['content-disposition']), /concentration-stays-2023-2023\.xlsx/);
    const bad = await app.inject({ url: '/api/concentration?measure=visits', headers: { authorization: `Bearer ${token}` } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error, /measure/);
  });

  it("the heaviest users' profile by hand: the top 1 % are 6 patients with 128 stays, half in each department", async () => {
    const res = await app.inject({ url: '/api/heavy-users/profile?years=2023', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200, res.body);
    const profile = res.json() as HeavyProfile;
    if ('withheld' in profile) throw new Error('withheld');
    const top = profile.groups.find((g) => g.fraction === 0.01)!;
    assert.deepEqual([top.patients, top.stays], [6, 128]);
    // Patients 0–5 have 22, 21, 21, 22, 21, 21 stays, every other one in surgery ('surg' first).
    assert.deepEqual(top.department.map((d) => [d.category, d.count, d.share]), [['med', 62, 62 / 128], ['surg', 66, 66 / 128]]);
    assert.deepEqual(top.sex.map((x) => [x.category, x.count]), [['1', 6]]);
    assert.deepEqual([top.readmitted.count, top.readmitted.share], [0, 0], 'day cases are never readmissions');
    const all = profile.groups.find((g) => g.fraction === 1)!;
    assert.equal(all.patients, 640);
    // For a unit: shares only, never counts.
    const a = (await app.inject({ url: '/api/heavy-users/profile?years=2023&unit=A', headers: { authorization: `Bearer ${token}` } })).json() as HeavyProfile;
    if ('withheld' in a) throw new Error('withheld');
    assert.ok(a.groups.every((g) => g.patients === null && g.department.every((d) => d.count === null)));
    // Area B (40 patients) is withheld whole.
    const b = (await app.inject({ url: '/api/heavy-users/profile?years=2023&unit=B', headers: { authorization: `Bearer ${token}` } })).json() as HeavyProfile;
    assert.ok('withheld' in b);
    assert.ok(!/\bp[ab]\d+\b/.test(res.body));
  });

  it('the heaviest users only to a request with the token, and never an id', async () => {
    const refused = await app.inject({ url: '/api/heavy-users?years=2023' });
    assert.equal(refused.statusCode, 401);
    const login = await app.inject({ method: 'POST', url: '/login', payload: { token } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const withCookie = await app.inject({ url: '/api/heavy-users?years=2023', headers: { cookie } });
    assert.equal(withCookie.statusCode, 403, 'a browser session is not enough');
    const res = await app.inject({ url: '/api/heavy-users?years=2023&count=3', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { heavyUsers: { rank: number; amount: number; department: string }[] };
    assert.deepEqual(body.heavyUsers.map((h) => [h.rank, h.amount]), [[1, 22], [2, 22], [3, 21]]);
    assert.ok(!/\bp[ab]\d+\b/.test(res.body), 'no patient id in the answer');
    for (const h of body.heavyUsers) assert.deepEqual(Object.keys(h).sort(), ['amount', 'department', 'rank']);
    const open = await buildApp({ store });
    assert.equal((await open.inject({ url: '/api/heavy-users?years=2023' })).statusCode, 403, 'never without a token');
    await open.close();
  });

  it('the CLI prints the sentence, and the list only with --individual', async () => {
    const cli = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
    const run = async (...args: string[]) => {
      try {
        const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, '--db', db, ...args], { encoding: 'utf8' });
        return { code: 0, stdout, stderr: '' };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return e;
      }
    };
    await store.close();
    try {
      // The issue's own words: --year (one year) and --measure stays.
      const ok = await run('concentration', '--area', 'A', '--year', '2023', '--measure', 'stays');
      assert.equal(ok.code, 0, ok.stderr);
      const pct = (f: number) => (100 * topShare(usesA, f)).toFixed(1);
      assert.match(ok.stdout, new RegExp(`Area A: 1 % of patients used ${pct(0.01)} % \\(`));
      assert.match(ok.stdout, new RegExp(`10 % used ${pct(0.1)} % \\(`));
      const refused = await run('concentration', '--top', '5');
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /--individual/);
      const listed = await run('concentration', '--top', '3', '--individual', '--lang', 'nb');
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /De 3 som brukte flest opphold, Landet, 2023/);
      assert.ok(!/\bp[ab]\d+\b/.test(listed.stdout + ok.stdout));
    } finally {
      store = await openStore({ path: db });
    }
  });
});
