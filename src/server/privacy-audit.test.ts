import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { runDemo } from '../demo/run-demo.js';
import type { Store } from '../store/store.js';
import { memoryStore, tempDir } from '../test-support/fixtures.js';
import { auditPrivacy } from '../test-support/privacy-audit.js';
import { buildApp } from './app.js';

// The whole catalogue, with every low-value measure and the demo's intervention (about a minute); the
// same as `npm run audit:privacy`, which prints every recoverable count.
describe('the privacy audit', () => {
  let store: Store;
  let app: FastifyInstance;
  let dir: string;
  before(async () => {
    store = await memoryStore({ keep: true });
    dir = await tempDir({ keep: true });
    const demo = await runDemo(store, { outDir: join(dir, 'demo'), scale: 0.05 });
    app = await buildApp({ store, interventions: demo.files.interventions });
  });
  after(async () => {
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('variation, table 4, needs and fact sheets show nothing of a cell the rate table withholds (O/E × expected used to give it back)', async () => {
    const get = async (url: string) => {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      return res.json() as any;
    };
    const years = (await store.episodeYears())!;
    let checked = 0;
    for (const service of ['pilonidal', 'varicose_veins', 'groin_hernia']) {
      for (const level of ['area', 'region']) {
        const rates = await get(`/api/rates?service=${service}&level=${level}`);
        const withheld = (r: any) => typeof r.events === 'object';
        const period = rates.rows.filter((r: any) => r.year === null && !r.national);
        const v = await get(`/api/variation?service=${service}&level=${level}`);
        for (const r of period) {
          const shown = v.areas.find((a: any) => a.unit === r.unit);
          if (withheld(r)) {
            assert.equal(shown, undefined, `${service} ${level} ${r.unit}: withheld in the rate table, compared in variation`);
            assert.ok(v.leftOut.some((a: any) => a.unit === r.unit), `${service} ${r.unit}: listed as left out`);
          } else if (shown) {
            assert.equal(shown.events, r.events, `${service} ${r.unit}: the same count`);
            if (typeof r.providers.private === 'object') assert.equal(shown.privateShare, null, `${service} ${r.unit}: no private share where the split is withheld`);
          }
          checked++;
        }
      }
      const labels = (await get('/api/labels')).find((t: any) => t.service.id === service);
      const rates = await get(`/api/rates?service=${service}`);
      for (const r of rates.rows.filter((x: any) => x.year === null && !x.national && typeof x.events === 'object')) {
        assert.ok(!labels.areas.some((a: any) => a.unit === r.unit), `${service} ${r.unit}: withheld, but labelled in table 4`);
      }
      for (let year = years[0]; year <= years[1]; year++) {
        const needs = await get(`/api/needs?service=${service}&year=${year}`);
        for (const r of rates.rows.filter((x: any) => x.year === year && !x.national)) {
          const n = needs.services[0].needs.areas.find((a: any) => a.unit === r.unit);
          if (!n) continue;
          if (typeof r.events === 'object') assert.equal(typeof n.observed, 'object', `${service} ${year} ${r.unit}: observed withheld in needs too`);
          else assert.equal(n.observed, r.events, `${service} ${year} ${r.unit}: the same observed count`);
          if (typeof r.providers.private === 'object') assert.equal(typeof n.private, 'object', `${service} ${year} ${r.unit}: private withheld in needs too`);
          checked++;
        }
      }
    }
    assert.ok(checked > 300, `checked ${checked} cells`);
  });

  it('a low-value measure’s variation leaves out every area its rate table withholds', async () => {
    const measures = (await app.inject({ url: '/api/measures' })).json() as { id: string }[];
    for (const m of measures) {
      const lv = (await app.inject({ url: `/api/lowvalue?measure=${m.id}` })).json() as any;
      for (const r of lv.rates.rows.filter((x: any) => x.year === null && !x.national && typeof x.events === 'object')) {
        assert.ok(!lv.variation.areas.some((a: any) => a.unit === r.unit), `${m.id} ${r.unit}: withheld in the rates, compared in the variation`);
      }
    }
  });

  it('publishes the local-hospital and municipality levels where their small counts can be protected (and withholds them whole elsewhere): shown counts add up to their area', async () => {
    const services = (await app.inject({ url: '/api/services' })).json() as { id: string }[];
    const places = await store.places();
    const localOf = new Map((await store.localAreas()).units.map((u) => [u.code, u.areaCode]));
    const municipalityOf = new Map(places.map((p) => [p.municipality, p.area.code]));
    // Oslo's and Bergen's districts lie in several areas: their municipalities add into none alone.
    const split = new Set(places.filter((p) => places.some((q) => q.municipality === p.municipality && q.area.code !== p.area.code)).map((p) => p.municipality));
    for (const [level, areaOf, reason] of [['local', localOf, /local-hospital area/], ['municipality', municipalityOf, /by municipality/]] as const) {
    let published = 0;
    let whole = 0;
    for (const { id } of services) {
      const local = (await app.inject({ url: `/api/rates?service=${id}&level=${level}` })).json() as any;
      const rows = local.rows.filter((r: any) => !r.national && r.year === null);
      if (level === 'local') assert.equal(rows.length, areaOf.size, `${id}: every local area`);
      else assert.ok(rows.length > 300, `${id}: ${rows.length} municipalities`);
      if (rows.every((r: any) => typeof r.events === 'object' && reason.test(r.events.withheld))) {
        whole++;
        continue;
      }
      published++;
      const area = (await app.inject({ url: `/api/rates?service=${id}` })).json() as any;
      for (const a of area.rows.filter((r: any) => !r.national && r.year === null && typeof r.events === 'number')) {
        const parts = rows.filter((r: any) => areaOf.get(r.unit) === a.unit);
        if (level === 'municipality' && places.some((p) => p.area.code === a.unit && split.has(p.municipality))) continue;
        if (parts.every((r: any) => typeof r.events === 'number')) assert.equal(parts.reduce((n: number, r: any) => n + r.events, 0), a.events, `${id} ${a.unit}`);
      }
    }
    assert.ok(published > 0 && whole > 0, `published by ${level}: ${published}, withheld whole: ${whole}`);
    }
  });

  it('finds no withheld count of 1–4 that every published output together pins below 5: every service, measure and intervention', async () => {
    const { audited, published, exposed } = await auditPrivacy(store, app);
    assert.ok(audited > 5000, `audited ${audited} withheld counts`);
    assert.ok(published > 50_000, `against ${published} published figures`);
    assert.deepEqual(exposed, []);
  });
});
