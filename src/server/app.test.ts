import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import * as XLSX from 'xlsx';
import type { FastifyInstance } from 'fastify';
import { VaratlasError } from '../errors.js';
import type { Store } from '../store/store.js';
import { tempDir, writeText } from '../test-support/fixtures.js';
import { herniaStore } from '../test-support/hernias.js';
import { withheldCountReason } from '../analysis/grid-suppression.js';
import { buildApp } from './app.js';
import { checkTokenStrength } from './access.js';
import { startServer } from './start-server.js';

describe('HTTP API', () => {
  let app: FastifyInstance;
  let store: Store;
  before(async () => {
    store = await herniaStore({ keep: true });
    app = await buildApp({ store });
  });
  after(async () => {
    await app.close();
    await store.close();
  });
  const get = (url: string) => app.inject({ method: 'GET', url });

  it('lists services and areas', async () => {
    const services = (await get('/api/services')).json() as { id: string }[];
    assert.ok(services.some((s) => s.id === 'groin_hernia'));
    const areas = (await get('/api/areas')).json() as { areaCode: string }[];
    assert.deepEqual(areas.map((a) => a.areaCode).sort(), ['A', 'B', 'C']);
  });

  it('sends a large answer gzipped to a client that accepts it, the same JSON as plain', async () => {
    const plain = await app.inject({ method: 'GET', url: '/api/labels' });
    assert.equal(plain.headers['content-encoding'], undefined);
    const zipped = await app.inject({ method: 'GET', url: '/api/labels', headers: { 'accept-encoding': 'gzip, br' } });
    const big = plain.body.length >= 8192;
    assert.equal(zipped.headers['content-encoding'], big ? 'gzip' : undefined);
    assert.deepEqual(JSON.parse((big ? gunzipSync(zipped.rawPayload) : zipped.rawPayload).toString('utf8')), plain.json());
    const small = await app.inject({ method: 'GET', url: '/api/health', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(small.headers['content-encoding'], undefined, 'small answers go as they are');
  });

  it('serves rates with small numbers withheld on the server, never as 0', async () => {
    const res = await get('/api/rates?service=groin_hernia');
    assert.equal(res.statusCode, 200);
    const table = res.json() as { rows: { unit: string; year: number | null; events: unknown }[] };
    const c = table.rows.find((r) => r.unit === 'C' && r.year === null)!;
    assert.deepEqual(c.events, { withheld: withheldCountReason });
    assert.ok(!res.body.includes('PAT-') && !res.body.includes('"p-'), 'no patient id in any response');
  });

  it('offers the local-hospital level only where the geography names it: otherwise a 400 naming the problem', async () => {
    assert.equal(((await get('/api/about')).json() as { localAreas: boolean }).localAreas, false);
    for (const url of ['/api/rates?service=groin_hernia&level=local', '/api/variation?service=groin_hernia&level=local', '/api/series?service=groin_hernia&level=local']) {
      const res = await get(url);
      assert.equal(res.statusCode, 400, url);
      assert.match((res.json() as { error: string }).error, /names no local-hospital areas.*--by area or region/);
    }
    assert.match(((await get('/api/rates?service=groin_hernia&level=town')).json() as { error: string }).error, /level.*area, region, local, municipality/);
    // By municipality without local areas: on top of the areas' decision; what the areas show stays as it is.
    const byArea = (await get('/api/rates?service=groin_hernia')).json() as { rows: { unit: string; national: boolean; year: number | null; events: unknown }[] };
    const res = await get('/api/rates?service=groin_hernia&level=municipality');
    assert.equal(res.statusCode, 200);
    const byMunicipality = res.json() as typeof byArea;
    assert.ok(byMunicipality.rows.filter((r) => !r.national).length > 0);
    assert.deepEqual(byMunicipality.rows.filter((r) => r.national), byArea.rows.filter((r) => r.national));
  });

  it('compares rates: each area against the nation, and two areas, from the published rates', async () => {
    const rates = (await get('/api/rates?service=groin_hernia')).json() as { rows: { unit: string; year: number | null; national: boolean; standardisedRate: { value: number } }[] };
    const res = await get('/api/compare?service=groin_hernia&a=A&b=B');
    assert.equal(res.statusCode, 200);
    const c = res.json() as { units: { unit: string; versusNational: { ratio: { value: number; lower: number; upper: number } } }[]; between: { ratio: { value: number } } };
    const rate = (unit: string) => rates.rows.find((r) => r.unit === unit && r.year === null)!.standardisedRate.value;
    const national = rates.rows.find((r) => r.national && r.year === null)!.standardisedRate.value;
    const a = c.units.find((u) => u.unit === 'A')!.versusNational.ratio;
    assert.ok(Math.abs(a.value - rate('A') / national) < 1e-12 && a.lower < a.value && a.value < a.upper);
    // B and C are withheld by the publication grid (C's 3 operations, and B so that C's cannot be worked
    // out): whatever is compared with them is withheld too.
    assert.deepEqual(c.between.ratio as unknown, { withheld: 'the rate of Area B is withheld' });
    assert.deepEqual(c.units.find((u) => u.unit === 'C')!.versusNational.ratio as unknown, { withheld: 'the rate of Area C is withheld' });
  });

  it('serves series, variation with labels, and needs', async () => {
    const series = (await get('/api/series?service=groin_hernia')).json() as { series: { unit: string; points: unknown[] }[] };
    assert.ok(series.series.find((s) => s.unit === 'A')!.points.length >= 1);
    const v = (await get('/api/variation?service=groin_hernia')).json() as { areas: { label: { rule: { en: string } } }[] };
    assert.match(v.areas[0]!.label.rule.en, /Standardised rate/);
    const n = await get('/api/needs?service=groin_hernia&target=national:1.1');
    assert.equal(n.statusCode, 200);
  });

  const badRequests: [string, RegExp][] = [
    ['/api/rates', /parameter 'service' is required/],
    ['/api/rates?service=nope', /parameter 'service': no service 'nope'/],
    ['/api/rates?service=groin_hernia&years=20x9', /parameter 'years' must look like 2019-2023/],
    ['/api/rates?service=groin_hernia&years=2023-2019', /parameter 'years' must not end before it starts/],
    ['/api/rates?service=groin_hernia&level=county', /parameter 'level' must be one of area, region/],
    ['/api/rates?service=groin_hernia&level=town', /parameter 'level' must be one of area, region, local, municipality/],
    ['/api/rates?service=groin_hernia&years=2021-2022', /the period 2021–2022 is not published: ask for one year \(2022–2022\) or the whole period/],
    ['/api/series?service=groin_hernia&years=2021-2022', /is not published/],
    ['/api/export/rates.xlsx?service=groin_hernia&years=2021-2022', /is not published/],
    ['/api/rates?service=groin_hernia&confidence=90', /parameter 'confidence' must be 95 or 99.8/],
    ['/api/rates?service=groin_hernia&colour=red', /unknown parameter 'colour'/],
    ['/api/variation?service=groin_hernia&level=town', /parameter 'level' must be one of area, region, local, municipality/],
    ['/api/needs?service=groin_hernia&target=best', /parameter 'target'/],
    ['/api/needs?service=groin_hernia&target=national:0', /parameter 'target'.*above 0 and at most 10/],
    ['/api/needs?service=groin_hernia&target=national:1e308', /parameter 'target'/],
    ['/api/needs?service=groin_hernia&target=national:11', /at most 10/],
    ['/api/needs?service=groin_hernia&target=area:Z', /parameter 'target': no catchment area 'Z'/],
    ['/api/needs?service=groin_hernia&region=nowhere', /parameter 'region': no region 'nowhere'/],
    ['/api/factsheet?area=Z', /parameter 'area': no catchment area 'Z'/],
    ['/api/needs?service=groin_hernia&year=1999', /parameter 'year': 1999 is outside the period/],
    ['/api/factsheet', /parameter 'area' is required/],
    ['/api/compare?service=groin_hernia&a=A', /parameter 'b' is required/],
    ['/api/compare?service=groin_hernia&a=A&b=Z', /no area Z/],
    ['/api/compare?service=groin_hernia&year=1999', /outside the table's period/],
    ['/api/export/rates.xlsx?service=nope', /parameter 'service'/],
  ];
  for (const [url, message] of badRequests) {
    it(`400 naming the problem: ${url}`, async () => {
      const res = await get(url);
      assert.equal(res.statusCode, 400);
      assert.match((res.json() as { error: string }).error, message);
    });
  }

  it('a fact sheet has every service for one area, with its needs; small counts withheld', async () => {
    const sheet = (await get('/api/factsheet?area=C')).json() as { areaName: string; services: { service: { id: string }; needs: { observed: unknown } }[] };
    assert.equal(sheet.areaName, 'Area C');
    assert.ok(sheet.services.length > 30);
    assert.deepEqual(sheet.services.find((s) => s.service.id === 'groin_hernia')!.needs.observed, { withheld: withheldCountReason });
    assert.equal((await get('/api/factsheet?area=Z')).statusCode, 400);
  });

  it('exports rates as XLSX', async () => {
    const res = await get('/api/export/rates.xlsx?service=groin_hernia');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /spreadsheetml/);
    assert.equal(res.rawPayload.subarray(0, 2).toString(), 'PK');
    // In Norwegian: the sheets and heads in Norwegian, a withheld count as its Norwegian reason.
    const nb = XLSX.read((await get('/api/export/rates.xlsx?service=groin_hernia&lang=nb')).rawPayload);
    assert.deepEqual(nb.SheetNames, ['Rater', 'Om tallene']);
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(nb.Sheets['Rater']!);
    assert.ok('Standardisert rate' in rows[0]! && 'Hendelser' in rows[0]!);
    assert.ok(rows.some((r) => String(r['Hendelser']).startsWith('skjult: et antall på 1–4')), 'a withheld count in Norwegian');
    assert.equal((await get('/api/export/rates.xlsx?service=groin_hernia&lang=de')).statusCode, 400);
  });

  it('exports a low-value measure as XLSX: its shares first, then its rates', async () => {
    const res = await get('/api/export/lowvalue.xlsx?measure=gastroscopy_under_55&lang=nb');
    assert.equal(res.statusCode, 200);
    const book = XLSX.read(res.rawPayload);
    assert.deepEqual(book.SheetNames, ['Andeler', 'Rater', 'Om tallene']);
    const report = (await get('/api/lowvalue?measure=gastroscopy_under_55')).json() as { shares: { unitName: string; national: boolean }[] };
    const shares = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['Andeler']!, { header: 1 });
    assert.equal(shares.length, 2 + report.shares.length);
    assert.deepEqual(shares.slice(2).map((r) => r[0]), report.shares.map((r) => (r.national ? 'Landet' : r.unitName)));
    assert.equal((await get('/api/export/effects.xlsx')).statusCode, 404, 'no register configured');
  });

  it('serves low-value measures, a measure by area and its monthly series with small counts withheld', async () => {
    const measures = (await get('/api/measures')).json() as { id: string }[];
    assert.ok(measures.some((m) => m.id === 'gastroscopy_under_55'));
    assert.equal((await get('/api/lowvalue?measure=gastroscopy_under_55')).statusCode, 200);
    const series = (await get('/api/lowvalue/series?measure=gastroscopy_under_55')).json() as { series: unknown[] };
    assert.ok(Array.isArray(series.series));
    assert.equal((await get('/api/lowvalue?measure=nope')).statusCode, 400);
    assert.equal((await get('/api/interventions')).statusCode, 404, 'no register configured');
  });

  it('counts patients instead of events on request', async () => {
    const events = (await get('/api/rates?service=groin_hernia')).json() as { service: { counts: string } };
    const patients = (await get('/api/rates?service=groin_hernia&measure=patients')).json() as { service: { counts: string } };
    assert.equal(events.service.counts, 'episodes');
    assert.equal(patients.service.counts, 'patients');
    assert.equal((await get('/api/rates?service=groin_hernia&measure=beds')).statusCode, 400);
  });

  it('boundaries: 404 naming the option when none are configured', async () => {
    const res = await get('/api/boundaries');
    assert.equal(res.statusCode, 404);
    assert.match((res.json() as { error: string }).error, /--boundaries/);
  });

  it('serves the municipality boundaries (cached a day), the places of the geography and what the data are', async () => {
    const map = await get('/api/map/municipalities');
    assert.equal(map.statusCode, 200);
    assert.equal(map.headers['cache-control'], 'public, max-age=86400');
    const topology = map.json() as { type: string; objects: { municipalities: { geometries: unknown[] } } };
    assert.equal(topology.objects.municipalities.geometries.length, 357);
    const places = (await get('/api/places')).json() as { municipality: string; area: { code: string } }[];
    const areas = (await get('/api/areas')).json() as { areaCode: string }[];
    assert.ok(places.length > 0);
    assert.deepEqual(new Set(places.map((p) => p.area.code)), new Set(areas.map((a) => a.areaCode)));
    const about = (await get('/api/about')).json() as { period: number[]; episodes: { fileName: string; rows: number }; lastImport: string };
    assert.equal(about.period.length, 2);
    assert.ok(about.episodes.rows > 0 && about.episodes.fileName.length > 0 && about.lastImport);
  });

  it('404 for an unknown resource, and the server goes on answering', async () => {
    assert.equal((await get('/api/nothing')).statusCode, 404);
    assert.equal((await get('/api/health')).statusCode, 200);
  });

  it('describes itself in OpenAPI: every route and its parameters, and nothing else', async () => {
    const doc = (await get('/api/openapi.json')).json() as { openapi: string; paths: Record<string, { get: { parameters?: { name: string }[] } }> };
    assert.equal(doc.openapi, '3.1.0');
    // The server's routes, read from Fastify's own tree (one segment per line, four columns per level).
    const routes: string[] = [];
    const path: string[] = [];
    for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
      const m = /^([│├└─ ]*)(\S+) \(/.exec(line);
      if (!m) continue;
      const depth = m[1]!.length / 4;
      path.length = depth;
      path.push(m[2]!);
      routes.push(path.join('').replace(/^\/\//, '/'));
    }
    const api = routes.filter((r) => r.startsWith('/api/')).sort();
    assert.ok(api.includes('/api/rates') && api.includes('/api/lowvalue/series'), api.join(' '));
    assert.deepEqual(Object.keys(doc.paths).sort(), api);
    // Each endpoint names the parameters it takes when given one it does not: the same as documented.
    for (const [route, { get: op }] of Object.entries(doc.paths)) {
      const answer = await get(`${route}?not_a_parameter=1`);
      assert.equal(answer.statusCode, 400, route);
      const takes = /this endpoint takes (.*)\)/.exec((answer.json() as { error: string }).error)?.[1];
      const documented = (op.parameters ?? []).map((x) => x.name).sort().join(', ') || 'none';
      assert.equal(takes?.split(', ').sort().join(', '), documented, route);
    }
  });
});

describe('a slow analysis', () => {
  it('answers 503 with Retry-After when the wait limit passes, goes on, and serves the answer from the cache next time', async () => {
    const app = await buildApp({ store: await herniaStore(), timeoutMs: 1 });
    try {
      const first = await app.inject({ url: '/api/rates?service=groin_hernia' });
      assert.equal(first.statusCode, 503);
      assert.equal(first.headers['retry-after'], '10');
      assert.match((first.json() as { error: string }).error, /takes longer than .* it goes on/);
      let again = first;
      for (let i = 0; i < 50 && again.statusCode !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        again = await app.inject({ url: '/api/rates?service=groin_hernia' });
      }
      assert.equal(again.statusCode, 200, 'the analysis went on and its answer was kept');
    } finally {
      await app.close();
    }
  });
});

describe('configured boundaries', () => {
  it('serves the GeoJSON file given', async () => {
    const dir = await tempDir();
    const geo = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { area_code: 'A' }, geometry: { type: 'Polygon', coordinates: [[[10, 60], [11, 60], [11, 61], [10, 60]]] } }] };
    const app = await buildApp({ store: await herniaStore(), boundaries: await writeText(dir, 'areas.geojson', JSON.stringify(geo)) });
    try {
      assert.deepEqual((await app.inject({ url: '/api/boundaries' })).json(), geo);
    } finally {
      await app.close();
    }
  });
});

describe('access token', () => {
  const token = 'a3f9c1d27b8e4f60a1c2d3e4f5061728';

  it('refuses a token that is easy to guess (VARATLAS_TOKEN=a used to open a public bind)', () => {
    for (const weak of ['a', 's3cret', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'abcabcabcabcabcabcabcabcabcabcabc', '0123456789']) {
      assert.throws(() => checkTokenStrength(weak, 'test'), /too easy to guess/, weak);
    }
    assert.equal(checkTokenStrength(token, 'test'), token);
  });

  it('with a token, a request needs the Bearer header or a session from /login; never the token in the URL', async () => {
    const app = await buildApp({ store: await herniaStore(), token });
    try {
      assert.equal((await app.inject({ url: '/api/services' })).statusCode, 401);
      assert.equal((await app.inject({ url: '/api/services', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
      assert.equal((await app.inject({ url: '/api/services', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
      assert.equal((await app.inject({ url: `/api/services?token=${token}` })).statusCode, 401, 'a token in the URL is not accepted');
      const page = await app.inject({ url: '/' });
      assert.equal(page.statusCode, 303, 'a browser is sent to sign in');
      assert.equal(page.headers.location, '/login');
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const wrong = await app.inject({ method: 'POST', url: '/login', headers: form, payload: 'token=nope' });
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.headers['set-cookie'], undefined);
      const signedIn = await app.inject({ method: 'POST', url: '/login', headers: form, payload: `token=${token}` });
      assert.equal(signedIn.statusCode, 303);
      const cookie = String(signedIn.headers['set-cookie']);
      assert.match(cookie, /^varatlas_session=[\w-]{40,}; HttpOnly; SameSite=Strict; Path=\//);
      assert.ok(!cookie.includes(token), 'the cookie is a session, not the token');
      const withSession = await app.inject({ url: '/api/services', headers: { cookie: cookie.split(';')[0]! } });
      assert.equal(withSession.statusCode, 200);
      assert.equal((await app.inject({ url: '/api/services', headers: { cookie: 'varatlas_session=forged' } })).statusCode, 401);
    } finally {
      await app.close();
    }
  });

  it('answers only for allowed Host names (no DNS rebinding), with security headers on every answer', async () => {
    const app = await buildApp({ store: await herniaStore(), allowHosts: ['atlas.example.org'] });
    try {
      const evil = await app.inject({ url: '/api/health', headers: { host: 'attacker.example:8080' } });
      assert.equal(evil.statusCode, 421);
      assert.match((evil.json() as { error: string }).error, /does not answer for the host 'attacker.example'/);
      for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'atlas.example.org']) {
        assert.equal((await app.inject({ url: '/api/health', headers: { host } })).statusCode, 200, host);
      }
      const res = await app.inject({ url: '/api/health' });
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'.*frame-ancestors 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
    } finally {
      await app.close();
    }
  });

  it('refuses to bind beyond loopback without a token; loopback needs none', async () => {
    const store = await herniaStore();
    await assert.rejects(startServer({ store, host: '0.0.0.0', port: 0 }), (e: unknown) => e instanceof VaratlasError && /needs an access token/.test(e.message));
    await assert.rejects(startServer({ store, host: '0.0.0.0', port: 0, token: 'a' }), (e: unknown) => e instanceof VaratlasError && /too easy to guess/.test(e.message));
    const { app, url } = await startServer({ store, host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${url}api/health`);
      assert.equal(res.status, 200);
    } finally {
      await app.close();
    }
  });
});
