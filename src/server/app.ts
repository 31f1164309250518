import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import helmet from '@fastify/helmet';
import { defaultLabelOptions } from '../analysis/labels.js';
import { needsReport, unknownRegion } from '../analysis/needs-report.js';
import { syntheticNote } from '../import/import-file.js';
import { needsBook } from '../export/needs-xlsx.js';
import { effectsWorkbook } from '../export/effect-xlsx.js';
import { lowValueWorkbook } from '../export/lowvalue-xlsx.js';
import { parseTarget } from '../analysis/needs.js';
import { defaultRateOptions } from '../analysis/rates.js';
import { defaultSuppression } from '../stats/suppression.js';
import { serviceRates, comparableServiceRates } from '../analysis/service-rates.js';
import { variation } from '../analysis/variation.js';
import { variationUncertainty } from '../analysis/variation-uncertainty.js';
import { compareRates } from '../analysis/comparisons.js';
import { interventionEffect, loadInterventions, publishEffect, type Intervention } from '../analysis/interventions.js';
import { lowValueReport, lowValueSeries } from '../analysis/low-value.js';
import { ensureCube } from '../catalog/cube-subjects.js';
import { loadMeasures } from '../catalog/load-measures.js';
import { findService, loadCatalogue } from '../catalog/load-catalogue.js';
import type { Catalogue } from '../catalog/service.js';
import { isVaratlasError, VaratlasError } from '../errors.js';
import { rateTablesWorkbook } from '../export/rates-xlsx.js';
import { norwayFile } from '../geo/norway.js';
import { localLevelUsable, type Store } from '../store/store.js';
import type { About, FactSheet, LabelsAnswerRow, ServiceSummary } from './responses.js';
import { allowedHosts, registerAccess } from './access.js';
import { registerPatientRoutes } from './patient-routes.js';
import { registerReferralRoutes } from './referral-routes.js';
import { language, sendWorkbook, type RequestContext } from './request-kit.js';
import { openApi } from './openapi.js';
import * as p from './params.js';
import { SerialCache } from './serial-cache.js';
import { fixedStore, type StoreSource } from './store-source.js';


export interface AppOptions {
  /** One store for the app's lifetime (tests, the library) … */
  store?: Store;
  /** … or a source that swaps in a newer store after an import (varatlas serve). */
  source?: StoreSource;
  catalogFiles?: string[];
  /** When set, every request must carry it (Authorization: Bearer …) or a session from /login (src/server/access.ts). */
  token?: string;
  /** The address the server is bound to: an allowed Host besides the loopback names. */
  boundHost?: string;
  /** More Host names to answer for (a public name behind a proxy). */
  allowHosts?: string[];
  /** Folder with the built dashboard (web/ built by Vite); served at / when present. */
  webRoot?: string;
  /** The intervention register (YAML) served at /api/interventions. */
  interventions?: string;
  /** GeoJSON or TopoJSON of the areas (a property area_code or bohf per feature), served at /api/boundaries. */
  boundaries?: string;
  /** A request waits at most this long for its analysis (which goes on, and is cached); default 30 s. */
  timeoutMs?: number;
  /** Analyses that may wait for their turn before the server answers 503 busy; default 64. */
  maxWaiting?: number;
}

/**
 * What the atlas's header says about its data: the period, where the episodes and the geography come
 * from and when they were imported (the latest import of each kind; file names and row counts only).
 */
async function about(store: Store): Promise<About> {
  const imports = await store.imports();
  const latest = (kind: string) => {
    const r = imports.filter((i) => i.kind === kind).at(-1);
    return r ? { fileName: r.fileName, importedAt: r.importedAt, rows: r.rowsAccepted } : null;
  };
  return {
    period: await store.episodeYears(),
    lastImport: imports.at(-1)?.importedAt ?? null,
    episodes: latest('episodes') ?? latest('counts'),
    geography: latest('geography'),
    population: latest('population'),
    synthetic: imports.filter((i) => i.kind === 'episodes').at(-1)?.note === syntheticNote,
    localAreas: localLevelUsable(await store.localAreas()),
  };
}

const status: Record<string, number> = { not_configured: 404, usage: 400, input: 400, interrupted: 503, busy: 503, store: 500, duplicate_import: 409 };

/**
 * The HTTP API: aggregates only, with small-number suppression applied here, never patient rows.
 * Tests call it through `app.inject`, without a port.
 */
export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const cache = new SerialCache(500, o.maxWaiting ?? 64);
  const timeoutMs = o.timeoutMs ?? 30_000;
  const source = o.source ?? fixedStore(o.store!);
  // A newer store (after an import) makes every cached answer stale: the cache is emptied, not the server restarted.
  source.onChange(() => cache.clear());
  const context = (signal: AbortSignal): RequestContext & { release(): void } => {
    const lease = source.acquire();
    const cached = <T>(key: string, compute: () => Promise<T>) => cache.get(`${lease.generation}|${key}`, compute, signal);
    return { store: lease.store, cached, areas: () => cached('areas', () => lease.store.areas()), release: lease.release };
  };
  const catalogue: Catalogue = await loadCatalogue(o.catalogFiles ?? []);
  const request = { catalogFiles: o.catalogFiles ?? [], catalogue };
  const service = (q: p.Query) => findServiceOr400(catalogue, p.required(q, 'service'));

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"], fontSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
    // Plain HTTP on loopback; behind a TLS proxy, the proxy sets HSTS.
    strictTransportSecurity: false,
  });
  registerAccess(app, { token: o.token, hosts: allowedHosts(o.boundHost, o.allowHosts) });

  app.setErrorHandler(async (error, _req, reply) => {
    if (isVaratlasError(error)) {
      if (error.code === 'busy') reply.header('retry-after', '10');
      return reply.code(status[error.code] ?? 500).send({ error: error.message });
    }
    const code = (error as { statusCode?: number }).statusCode;
    if (code && code >= 400 && code < 500) return reply.code(code).send({ error: (error as Error).message });
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler(async (req, reply) => reply.code(404).send({ error: `no such resource: ${req.method} ${req.url.split('?')[0]}` }));

  /**
   * Run a handler for one request: a client that leaves before its analysis starts cancels it, and a
   * request waits at most `timeoutMs` (the analysis goes on and its answer is cached for the next ask).
   */
  const answer = async <T>(reply: FastifyReply, run: (ctx: RequestContext) => Promise<T>): Promise<T> => {
    const left = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) left.abort();
    });
    const ctx = context(left.signal);
    const work = run(ctx);
    void work.then(ctx.release, ctx.release);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reply.header('retry-after', '10');
        reject(new VaratlasError('busy', `the analysis takes longer than ${Math.round(timeoutMs / 1000)} s; it goes on: ask again in a moment`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  };

  // Cached answers are the same objects: serialise each once, and compress a large one once for the
  // clients that accept gzip (a browser, fetch): Table 4 is 350 kB as JSON, a tenth of that gzipped.
  const serialised = new WeakMap<object, { json: string; gzip?: Buffer }>();
  const get = (path: string, params: string[], handler: (q: p.Query, ctx: RequestContext) => Promise<unknown>, maxAgeSeconds?: number) =>
    app.get(path, async (req, reply) => {
      const q = (req.query ?? {}) as p.Query;
      p.only(q, params);
      const result = await answer(reply, (ctx) => handler(q, ctx));
      if (maxAgeSeconds) reply.header('cache-control', `public, max-age=${maxAgeSeconds}`);
      if (typeof result !== 'object' || result === null) return result;
      let body = serialised.get(result);
      if (body === undefined) serialised.set(result, (body = { json: JSON.stringify(result) }));
      reply.type('application/json; charset=utf-8');
      if (body.json.length < 8192) return reply.send(body.json);
      reply.header('vary', 'accept-encoding');
      if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.send(body.json);
      body.gzip ??= gzipSync(body.json);
      return reply.header('content-encoding', 'gzip').send(body.gzip);
    });

  get('/api/health', [], async () => ({ ok: true }));
  get('/api/boundaries', [], async () => {
    if (!o.boundaries) throw new VaratlasError('not_configured', 'no boundary file is configured (varatlas serve --boundaries FILE.geojson); the atlas draws a tile map');
    return JSON.parse(await readFile(o.boundaries, 'utf8'));
  });
  // Kartverket's municipality boundaries (shipped, CC BY 4.0), read once; the browser keeps them a day.
  let municipalities: Promise<unknown> | undefined;
  get('/api/map/municipalities', [], async () => (municipalities ??= readFile(norwayFile('municipalities.topojson'), 'utf8').then(JSON.parse)), 86_400);
  get('/api/places', [], async (_q, ctx) => ctx.cached('places', () => ctx.store.places()));
  get('/api/about', [], async (_q, ctx) => ctx.cached('about', () => about(ctx.store)));
  get('/api/openapi.json', [], async () => openApi);
  get('/api/services', [], async () =>
    catalogue.services.map((s): ServiceSummary => ({
      id: s.id, name: s.name, specialty: s.specialty, count: s.count, contractVolume: s.contractVolume ?? null, confirm: s.confirm ?? null,
    })),
  );
  get('/api/areas', [], async (_q, ctx) => ctx.cached('areas', () => ctx.store.areas()));

  /** The rate table of /api/rates, cached under its parameters (/api/compare reads the same one). */
  const rateTable = (q: p.Query, ctx: RequestContext) => {
    const s = service(q);
    const ys = p.years(q);
    const level = p.level(q);
    const confidence = p.confidence(q);
    const count = p.measure(q);
    return ctx.cached(`rates|${s.id}|${ys}|${level}|${confidence}|${count}`, async () => {
      const [table] = await serviceRates(
        ctx.store,
        { ...request, serviceIds: [s.id], fromYear: ys?.[0], toYear: ys?.[1], level, confidence, count },
        defaultRateOptions,
      );
      return table!;
    });
  };
  get('/api/rates', ['service', 'years', 'level', 'confidence', 'measure'], rateTable);
  get('/api/compare', ['service', 'years', 'level', 'confidence', 'measure', 'year', 'a', 'b'], async (q, ctx) => {
    const year = p.optionalYear(q) ?? null;
    const between = q.a !== undefined || q.b !== undefined ? ([p.required(q, 'a'), p.required(q, 'b')] as [string, string]) : undefined;
    const { year: _y, a: _a, b: _b, ...rest } = q;
    const table = await rateTable(rest, ctx);
    return ctx.cached(`compare|${JSON.stringify(q)}|${table.years}`, async () => compareRates(table, { year, between }));
  });

  get('/api/series', ['service', 'years', 'level'], async (q, ctx) => {
    const s = service(q);
    const ys = p.years(q);
    const level = p.level(q);
    return ctx.cached(`series|${s.id}|${ys}|${level}`, async () => {
      const [table] = await serviceRates(ctx.store, { ...request, serviceIds: [s.id], fromYear: ys?.[0], toYear: ys?.[1], level, patients: false }, defaultRateOptions);
      const units = new Map<string, { unit: string; unitName: string; national: boolean; points: unknown[] }>();
      for (const r of table!.rows.filter((x) => x.year !== null)) {
        const u = units.get(r.unit) ?? { unit: r.unit, unitName: r.unitName, national: r.national, points: [] };
        u.points.push({ year: r.year, events: r.events, standardisedRate: r.standardisedRate });
        units.set(r.unit, u);
      }
      return { service: table!.service, years: table!.years, level, series: [...units.values()] };
    });
  });

  get('/api/variation', ['service', 'years', 'level', 'measure'], async (q, ctx) => {
    const s = service(q);
    const ys = p.years(q);
    const level = p.level(q);
    const count = p.measure(q);
    if (count === 'bed_days') p.bad('measure', 'variation statistics count events, and bed days are not a count of events: use stays', 'bed_days');
    return ctx.cached(`variation|${s.id}|${ys}|${level}|${count}`, async () => {
      const { tables } = await comparableServiceRates(ctx.store, { ...request, serviceIds: [s.id], fromYear: ys?.[0], toYear: ys?.[1], level, count, frames: periodOnly }, defaultRateOptions);
      const v = variation(tables[0]!, defaultLabelOptions);
      return { ...v, uncertainty: variationUncertainty(v, tables[0]!.confidence) };
    });
  });

  await registerPatientRoutes({ app, get, answer, service, token: o.token });
  registerReferralRoutes({ app, get, answer, service });

  app.get('/api/export/rates.xlsx', async (req, reply) => {
    const q = (req.query ?? {}) as p.Query;
    p.only(q, ['service', 'years', 'level', 'measure', 'lang']);
    const s = service(q);
    const ys = p.years(q);
    const level = p.level(q);
    const count = p.measure(q);
    const [table] = await answer(reply, (ctx) =>
      ctx.cached(`rates-table|${s.id}|${ys}|${level}|${count}`, () =>
        serviceRates(ctx.store, { ...request, serviceIds: [s.id], fromYear: ys?.[0], toYear: ys?.[1], level, count }, defaultRateOptions),
      ),
    );
    return sendWorkbook(reply, rateTablesWorkbook([table!], language(q)), `${s.id}-rates.xlsx`);
  });

  // Tables 4 and 5 for every service as the CLI's workbook (needs --format xlsx), in the reader's language.
  app.get('/api/export/needs.xlsx', async (req, reply) => {
    const q = (req.query ?? {}) as p.Query;
    p.only(q, ['years', 'year', 'lang']);
    const ys = p.years(q);
    const year = p.optionalYear(q);
    const lang = language(q);
    const report = await answer(reply, (ctx) =>
      ctx.cached(`needs-all|${ys}|${year}`, () =>
        needsReport(ctx.store, { ...request, serviceIds: [], fromYear: ys?.[0], toYear: ys?.[1], year, labels: defaultLabelOptions, needs: { target: parseTarget('national'), includeContractSpecialists: false } }, defaultRateOptions),
      ),
    );
    return sendWorkbook(reply, needsBook(report, lang), `tables-4-5-${report.year}.xlsx`);
  });

  // Table 4 for every service at once (one activity query): the labels view and the fact sheets.
  get('/api/labels', ['years'], async (q, ctx) => {
    const ys = p.years(q);
    return ctx.cached(`labels|${ys}`, async () => {
      const { tables } = await comparableServiceRates(ctx.store, { ...request, serviceIds: [], fromYear: ys?.[0], toYear: ys?.[1], level: 'area', frames: periodOnly }, defaultRateOptions);
      return tables.map((table): LabelsAnswerRow => {
        const v = variation(table, defaultLabelOptions);
        return {
          service: table.service,
          nationalRate: v.nationalRate,
          areas: v.areas.map((a) => ({ unit: a.unit, unitName: a.unitName, rate: a.standardisedRate, ratio: a.ratio, versusNational: a.versusNational, label: a.label })),
          leftOut: v.leftOut,
        };
      });
    });
  });

  const measures = await loadMeasures(catalogue);
  const measure = (q: p.Query) => {
    const id = p.required(q, 'measure');
    const m = measures.find((x) => x.id === id);
    if (!m) throw new VaratlasError('usage', `parameter 'measure': no measure '${id}' (see /api/measures)`);
    return m;
  };
  get('/api/measures', [], async () => measures);
  const lowValue = (q: p.Query, ctx: RequestContext) => {
    const m = measure(q);
    const ys = p.years(q);
    return ctx.cached(`lowvalue|${m.id}|${ys}`, async () => {
      await ensureCube(ctx.store, { catalogue });
      const available = (await ctx.store.episodeYears()) ?? [0, 0];
      return lowValueReport(ctx.store, m, findService(catalogue, m.denominator), ys ?? available);
    });
  };
  get('/api/lowvalue', ['measure', 'years'], lowValue);
  app.get('/api/export/lowvalue.xlsx', async (req, reply) => {
    const q = (req.query ?? {}) as p.Query;
    p.only(q, ['measure', 'years', 'lang']);
    const lang = language(q);
    const report = await answer(reply, (ctx) => lowValue(q, ctx));
    return sendWorkbook(reply, lowValueWorkbook(report, lang), `${report.measure.id}-${report.years.join('-')}.xlsx`);
  });
  // Monthly series of a measure's low-value episodes for one area (or the nation), withheld as its grid decides.
  get('/api/lowvalue/series', ['measure', 'area'], async (q, ctx) => {
    const m = measure(q);
    return ctx.cached(`lvseries|${m.id}|${q.area ?? 'national'}`, async () => {
      await ensureCube(ctx.store, { catalogue });
      return lowValueSeries(ctx.store, m, findService(catalogue, m.denominator), q.area === 'national' ? undefined : q.area, defaultSuppression);
    });
  });

  const register = async () => {
    if (!o.interventions) throw new VaratlasError('not_configured', 'no intervention register is configured (varatlas serve --interventions FILE.yaml)');
    return loadInterventions(o.interventions, catalogue, measures);
  };
  get('/api/interventions', [], async () => register());
  get('/api/interventions/effect', ['name', 'controls'], async (q, ctx) => {
    const name = p.required(q, 'name');
    const intervention = (await register()).find((i) => i.name === name);
    if (!intervention) throw new VaratlasError('usage', `parameter 'name': no intervention '${name}' in the register`);
    if (q.controls !== undefined && q.controls !== 'true' && q.controls !== 'false') throw new VaratlasError('usage', `parameter 'controls' must be true or false, got '${q.controls}'`);
    return effectOf(intervention, q.controls === 'true', ctx);
  });
  const effectOf = (intervention: Intervention, controls: boolean, ctx: RequestContext) =>
    ctx.cached(`effect|${intervention.name}|${controls}`, async () => {
      await ensureCube(ctx.store, { catalogue });
      const effect = await interventionEffect(ctx.store, intervention, measures, 0.95, { controls });
      return publishEffect(ctx.store, effect, await register(), catalogue, measures, defaultSuppression);
    });
  // The projects in force (start or execution), as the CLI's `intervention effect --format xlsx`.
  app.get('/api/export/effects.xlsx', async (req, reply) => {
    const q = (req.query ?? {}) as p.Query;
    p.only(q, ['lang']);
    const lang = language(q);
    const chosen = (await register()).filter((i) => i.phase === 'execution' || i.phase === 'start');
    const effects = await answer(reply, async (ctx) => {
      const all = [];
      for (const i of chosen) all.push(await effectOf(i, false, ctx));
      return all;
    });
    return sendWorkbook(reply, effectsWorkbook(effects, lang), 'interventions.xlsx');
  });

  // A fact sheet: every service for one area against the nation, its label and its needs.
  get('/api/factsheet', ['area', 'years', 'year'], async (q, ctx) => {
    const area = p.required(q, 'area');
    const ys = p.years(q);
    const year = p.optionalYear(q);
    if (!(await ctx.areas()).some((a) => a.areaCode === area)) throw new VaratlasError('usage', `parameter 'area': no catchment area '${area.slice(0, 40)}'`);
    const report = await ctx.cached(`factsheet|${ys}|${year}`, () =>
      needsReport(
        ctx.store,
        { ...request, serviceIds: [], fromYear: ys?.[0], toYear: ys?.[1], year, labels: defaultLabelOptions, needs: { target: { kind: 'national', factor: 1 }, includeContractSpecialists: false } },
        defaultRateOptions,
      ),
    );
    const known = report.services[0]?.needs.areas.some((a) => a.unit === area);
    if (!known) throw new VaratlasError('usage', `parameter 'area': no catchment area '${area}'`);
    const sheet: FactSheet = {
      area,
      areaName: report.services[0]!.needs.areas.find((a) => a.unit === area)!.unitName,
      years: report.years,
      year: report.year,
      services: report.services.map(({ variation: v, needs: n }) => {
        const compared = v.areas.find((a) => a.unit === area);
        const need = n.areas.find((a) => a.unit === area)!;
        return {
          service: v.service,
          nationalRate: v.nationalRate,
          rate: compared?.standardisedRate ?? null,
          ratio: compared?.ratio ?? null,
          label: compared?.label ?? null,
          leftOut: v.leftOut.find((a) => a.unit === area)?.reason ?? null,
          needs: { observed: need.observed, expected: need.expected, change: need.change, purchaseNeed: need.purchaseNeed },
        };
      }),
    };
    return sheet;
  });

  get('/api/needs', ['service', 'years', 'year', 'target', 'region'], async (q, ctx) => {
    const s = service(q);
    const ys = p.years(q);
    const year = p.optionalYear(q);
    let target;
    try {
      target = parseTarget(q.target ?? 'national');
    } catch (error) {
      throw new VaratlasError('usage', `parameter 'target': ${(error as Error).message.replace(/^--target /, '')}`);
    }
    // Every parameter is checked before the analysis is queued: a region or area the store does not have is a 400 at once.
    const areas = await ctx.areas();
    if (q.region !== undefined && !areas.some((a) => a.regionCode === q.region)) {
      throw new VaratlasError('usage', `parameter 'region': ${unknownRegion(q.region, areas).message} (see /api/areas)`);
    }
    if (target.kind === 'area' && !areas.some((a) => a.areaCode === target.unit)) {
      throw new VaratlasError('usage', `parameter 'target': no catchment area '${target.unit.slice(0, 40)}' (see /api/areas)`);
    }
    return ctx.cached(`needs|${s.id}|${ys}|${year}|${q.target}|${q.region}`, async () => {
      const report = await needsReport(
        ctx.store,
        { ...request, serviceIds: [s.id], fromYear: ys?.[0], toYear: ys?.[1], year, region: q.region, labels: defaultLabelOptions, needs: { target, includeContractSpecialists: false } },
        defaultRateOptions,
      );
      if (report.year < report.years[0] || report.year > report.years[1]) {
        throw new VaratlasError('usage', `parameter 'year': ${report.year} is outside the period ${report.years[0]}–${report.years[1]}`);
      }
      return report;
    });
  });

  if (o.webRoot && existsSync(o.webRoot)) await app.register(fastifyStatic, { root: o.webRoot });
  else app.get('/', async () => ({ varatlas: 'API at /api; the dashboard is not built (npm run build:web)', openapi: '/api/openapi.json' }));
  return app;
}

/** Variation and labels use the pooled period only. */
const periodOnly = () => [null];

function findServiceOr400(catalogue: Catalogue, id: string) {
  try {
    return findService(catalogue, id);
  } catch {
    throw new VaratlasError('usage', `parameter 'service': no service '${id}' in the catalogue (see /api/services)`);
  }
}
