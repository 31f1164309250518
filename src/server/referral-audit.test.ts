import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { defaultRateOptions, isWithheld, providerTypes, type RateTable } from '../analysis/rates.js';
import { computeUnsuppressedReferralRates } from '../analysis/referral-rates.js';
import { loadCatalogue } from '../catalog/load-catalogue.js';
import { importFile } from '../import/import-file.js';
import type { Store } from '../store/store.js';
import { AttackerModel, minus, sumOf, type Expr } from '../test-support/disclosure-lp.js';
import { memoryStore, tempDir, writeText } from '../test-support/fixtures.js';
import { buildApp } from './app.js';

/**
 * The privacy audit of referral rates: every count /api/referrals publishes (referrals and the receivers'
 * split, by area and region, per year and the period) goes into a linear model of what an attacker
 * knows — areas add up to regions and the nation, years to the period, the split to the referrals — and
 * every count of 1–4 (referrals, or referrals to one receiver type) must be able to be 5 or more in data
 * consistent with all of it.
 */
const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R1,Region 1\n2002,B,Area B,R1,Region 1\n3003,C,Area C,R2,Region 2\n';
const places: Record<string, string> = { A: '1001', B: '2002', C: '3003' };
const regions: Record<string, string[]> = { R1: ['A', 'B'], R2: ['C'] };
const years = [2022, 2023];
const population = ['year,municipality,sex,age,population', ...years.flatMap((y) => Object.values(places).flatMap((m) => [`${y},${m},1,45,4000`, `${y},${m},2,45,6000`]))].join('\n');
/** Gastroscopy referrals per area and year: B is small in 2023, and C has 2 to private providers in 2022. */
const counts: Record<string, Record<number, number>> = { A: { 2022: 40, 2023: 35 }, B: { 2022: 30, 2023: 3 }, C: { 2022: 25, 2023: 20 } };

function csv(): string {
  const lines = ['referral_id,patient_id,received_date,age,sex,municipality,referrer_type,receiver_id,receiver_type,assessing_unit,assessment,requested_procedures'];
  for (const [area, byYear] of Object.entries(counts)) {
    for (const year of years) {
      for (let i = 0; i < byYear[year]!; i++) {
        const receiver = area === 'C' && year === 2022 && i < 2 ? 'private' : i % 5 === 0 ? 'contract_specialist' : 'public';
        lines.push(`r${area}${year}-${i},p${area}${year}-${i},${year}-0${(i % 9) + 1}-10,45,${1 + (i % 2)},${places[area]},gp,R,${receiver},Unit,right,UJD02`);
      }
    }
  }
  return lines.join('\n');
}

describe('privacy audit of referral rates', () => {
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
    await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', population) });
    await importFile(store, { kind: 'referrals', path: await writeText(dir, 'r.csv', csv()) });
    app = await buildApp({ store });
  });

  it('no withheld count of 1–4 can be worked out from everything published', async () => {
    const model = new AttackerModel();
    const rf = (a: string, y: number) => `rf_${a}_${y}`;
    const pr = (a: string, y: number, t: string) => `pr_${a}_${y}_${t}`;
    const areasOf = (level: string, unit: string) => (unit === 'national' ? Object.keys(places) : level === 'area' ? [unit] : regions[unit]!);
    const inFrame = (year: number | null) => (year === null ? years : [year]);
    const expr = (name: (a: string, y: number) => string, areas: string[], year: number | null) => sumOf(areas.flatMap((a) => inFrame(year).map((y) => name(a, y))));
    // What holds in any data: the receivers' split adds up to the referrals (every referral has a receiver type); counts are not negative.
    for (const a of Object.keys(places)) {
      for (const y of years) {
        model.add(minus(sumOf(providerTypes.map((t) => pr(a, y, t))), sumOf([rf(a, y)])), '=', 0);
        for (const name of [rf(a, y), ...providerTypes.map((t) => pr(a, y, t))]) model.add(sumOf([name]), '>=', 0);
      }
    }
    let published = 0;
    let withheld = 0;
    const know = (e: Expr, v: unknown, atLeastOne: boolean) => {
      if (typeof v === 'number') {
        model.add(e, '=', v);
        published++;
      } else if (isWithheld(v)) {
        withheld++;
        if (atLeastOne) model.add(e, '>=', 1);
      }
    };
    for (const level of ['area', 'region']) {
      for (const asked of ['2022', '2023', '2022-2023']) {
        const res = await app.inject({ url: `/api/referrals?service=gastroscopy&level=${level}&years=${asked}` });
        assert.equal(res.statusCode, 200, res.body);
        const table = res.json() as RateTable;
        assert.equal(table.service.counts, 'referrals');
        const single = asked.includes('-') ? null : Number(asked);
        for (const r of table.rows) {
          const areas = areasOf(level, r.unit);
          const frame = r.year ?? single;
          know(expr(rf, areas, frame), r.events, true);
          for (const t of providerTypes) know(expr((a, y) => pr(a, y, t), areas, frame), r.providers[t], false);
          if (isWithheld(r.events)) assert.ok(isWithheld(r.crudeRate) && isWithheld(r.standardisedRate) && isWithheld(r.observedExpected), 'a rate would give a withheld count away');
        }
      }
    }
    const [gastroscopy] = (await loadCatalogue()).services.filter((s) => s.id === 'gastroscopy');
    const small: { what: string; e: Expr }[] = [];
    for (const level of ['area', 'region'] as const) {
      const [truth] = await computeUnsuppressedReferralRates(store, [gastroscopy!], { ...defaultRateOptions([2022, 2023]), level });
      for (const r of truth!.rows) {
        const areas = areasOf(level, r.unit);
        const cells: [string, Expr, unknown][] = [['referrals', expr(rf, areas, r.year), r.events], ...providerTypes.map((t): [string, Expr, unknown] => [t, expr((a, y) => pr(a, y, t), areas, r.year), r.providers[t]])];
        for (const [what, e, value] of cells) if (typeof value === 'number' && value >= 1 && value <= 4) small.push({ what: `${what} ${level} ${r.unit} ${r.year ?? 'period'} = ${value}`, e });
      }
    }
    assert.ok(small.some((s) => s.what.startsWith('referrals area B 2023')), 'area B\'s 3 referrals of 2023 are among the small counts');
    assert.ok(small.some((s) => s.what.startsWith('private area C 2022')), 'and area C\'s 2 to private providers in 2022');
    const { reached, maximum } = await model.reach(small.map((s) => s.e), 5);
    small.forEach((s, i) => assert.ok(reached[i], `${s.what} is at most ${maximum[i]} in every data consistent with the published counts`));
    assert.ok(published > 40 && withheld > 2, `published ${published}, withheld ${withheld}`);
  });
});
