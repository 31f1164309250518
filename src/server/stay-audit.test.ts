import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { defaultRateOptions, isWithheld, providerTypes, type RateTable } from '../analysis/rates.js';
import { computeUnsuppressedStayRates } from '../analysis/stay-rates.js';
import { loadCatalogue } from '../catalog/load-catalogue.js';
import { importFile } from '../import/import-file.js';
import type { Store } from '../store/store.js';
import { AttackerModel, minus, sumOf, type Expr } from '../test-support/disclosure-lp.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText, type EpisodeFields } from '../test-support/fixtures.js';
import { buildApp } from './app.js';

/**
 * The privacy audit of rates counted in stays and bed days: every count the API publishes for them (stays,
 * bed days and the provider split, by area and region, per year and the period) goes into a linear model of
 * what an attacker knows — areas add up to regions and the nation, years to the period, the split to at
 * most the stays — and every count of 1–4 stays (or of stays at one provider type) must be able to be 5 or
 * more in data consistent with all of it.
 */
const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R1,Region 1\n2002,B,Area B,R1,Region 1\n3003,C,Area C,R2,Region 2\n';
const places: Record<string, string> = { A: '1001', B: '2002', C: '3003' };
const regions: Record<string, string[]> = { R1: ['A', 'B'], R2: ['C'] };
const years = [2022, 2023];
const population = ['year,municipality,sex,age,population', ...years.flatMap((y) => Object.values(places).flatMap((m) => [`${y},${m},1,45,4000`, `${y},${m},2,45,6000`]))].join('\n');
/** Stays with a gastroscopy per area and year; B is small in 2023, and C has 2 private stays in 2022. */
const stays: Record<string, Record<number, number>> = { A: { 2022: 40, 2023: 35 }, B: { 2022: 30, 2023: 3 }, C: { 2022: 25, 2023: 20 } };

function rows(): EpisodeFields[] {
  const out: EpisodeFields[] = [];
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  for (const [area, byYear] of Object.entries(stays)) {
    for (const year of years) {
      for (let i = 0; i < byYear[year]!; i++) {
        const id = `s${area}${year}-${i}`;
        const start = new Date(Date.UTC(year, 2, 1 + (i % 25)));
        const days = i % 3;
        const common = { patient_id: id, municipality: places[area]!, provider_type: area === 'C' && year === 2022 && i < 2 ? 'private' : 'public' };
        // Every third stay is a transfer: inpatient care and, the day after it ends, inpatient care elsewhere with the gastroscopy.
        if (i % 3 === 2) {
          const next = new Date(start.getTime() + (days + 1) * 86_400_000);
          out.push(episode(`${id}-a`, { ...common, start_date: iso(start), end_date: iso(new Date(start.getTime() + days * 86_400_000)), care_level: 'inpatient', procedures: '' }));
          out.push(episode(`${id}-b`, { ...common, start_date: iso(next), end_date: iso(next), care_level: 'inpatient' }));
        } else {
          out.push(episode(`${id}-a`, { ...common, start_date: iso(start), end_date: iso(new Date(start.getTime() + days * 86_400_000)), care_level: days ? 'inpatient' : 'outpatient' }));
        }
      }
    }
  }
  return out;
}

describe('privacy audit of rates in stays and bed days', () => {
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
    await importFile(store, { kind: 'episodes', path: await writeText(dir, 'e.csv', episodesCsv(rows())) });
    app = await buildApp({ store });
  });

  it('no withheld count of 1–4 stays can be worked out from everything published', async () => {
    const model = new AttackerModel();
    const st = (a: string, y: number) => `st_${a}_${y}`;
    const pr = (a: string, y: number, t: string) => `pr_${a}_${y}_${t}`;
    const bd = (a: string, y: number) => `bd_${a}_${y}`;
    const areasOf = (level: string, unit: string) => (unit === 'national' ? Object.keys(places) : level === 'area' ? [unit] : regions[unit]!);
    const inFrame = (year: number | null) => (year === null ? years : [year]);
    const expr = (name: (a: string, y: number) => string, areas: string[], year: number | null) => sumOf(areas.flatMap((a) => inFrame(year).map((y) => name(a, y))));
    // What holds in any data: the split is at most the stays; counts are not negative.
    for (const a of Object.keys(places)) {
      for (const y of years) {
        model.add(minus(sumOf(providerTypes.map((t) => pr(a, y, t))), sumOf([st(a, y)])), '<=', 0);
        for (const name of [st(a, y), bd(a, y), ...providerTypes.map((t) => pr(a, y, t))]) model.add(sumOf([name]), '>=', 0);
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
    for (const measure of ['stays', 'bed_days']) {
      for (const level of ['area', 'region']) {
        for (const asked of ['2022', '2023', '2022-2023']) {
          const res = await app.inject({ url: `/api/rates?service=gastroscopy&level=${level}&years=${asked}&measure=${measure}` });
          assert.equal(res.statusCode, 200, res.body);
          const table = res.json() as RateTable;
          assert.equal(table.service.counts, measure);
          const single = asked.includes('-') ? null : Number(asked);
          for (const r of table.rows) {
            const areas = areasOf(level, r.unit);
            const frame = r.year ?? single;
            know(expr(measure === 'stays' ? st : bd, areas, frame), r.events, measure === 'stays');
            for (const t of providerTypes) know(sumOf(areas.flatMap((a) => inFrame(frame).map((y) => pr(a, y, t)))), r.providers[t], false);
            if (isWithheld(r.events)) assert.ok(isWithheld(r.crudeRate) && isWithheld(r.standardisedRate) && isWithheld(r.observedExpected), 'a rate would give a withheld count away');
          }
        }
      }
    }
    // Every count of 1–4 stays, and of stays at a provider type, in the unsuppressed tables.
    const [gastroscopy] = (await loadCatalogue()).services.filter((s) => s.id === 'gastroscopy');
    const small: { what: string; e: Expr; value: number }[] = [];
    for (const level of ['area', 'region'] as const) {
      const [truth] = await computeUnsuppressedStayRates(store, [gastroscopy!], { ...defaultRateOptions([2022, 2023]), level }, 'stays');
      for (const r of truth!.rows) {
        const areas = areasOf(level, r.unit);
        const cells: [string, Expr, unknown][] = [['stays', expr(st, areas, r.year), r.events], ...providerTypes.map((t): [string, Expr, unknown] => [t, expr((a, y) => pr(a, y, t), areas, r.year), r.providers[t]])];
        for (const [what, e, value] of cells) if (typeof value === 'number' && value >= 1 && value <= 4) small.push({ what: `${what} ${level} ${r.unit} ${r.year ?? 'period'} = ${value}`, e, value });
      }
    }
    assert.ok(small.some((s) => s.what.startsWith('stays area B 2023')), 'area B\'s 3 stays of 2023 are among the small counts');
    assert.ok(small.some((s) => s.what.startsWith('private area C 2022')), 'and area C\'s 2 private stays of 2022');
    const { reached, maximum } = await model.reach(small.map((s) => s.e), 5);
    small.forEach((s, i) => assert.ok(reached[i], `${s.what} is at most ${maximum[i]} in every data consistent with the published counts`));
    assert.ok(published > 80 && withheld > 4, `published ${published}, withheld ${withheld}`);
  });

  it('the check is able to fail: without the grid\'s second cell, area B\'s 3 stays of 2023 follow from region 1 and area A', async () => {
    const model = new AttackerModel();
    model.add(sumOf(['st_A_2023']), '=', 35);
    model.add(sumOf(['st_A_2023', 'st_B_2023']), '=', 38);
    model.add(sumOf(['st_B_2023']), '>=', 1);
    const { reached, maximum } = await model.reach([sumOf(['st_B_2023'])], 5);
    assert.deepEqual([reached[0], maximum[0]], [false, 3]);
  });
});
