import type { FastifyInstance, FastifyReply } from 'fastify';
import { concentrationByUnit } from '../analysis/concentration.js';
import { heavyUserProfile } from '../analysis/heavy-profile.js';
import { followUpScenario, parseFollowUpTarget } from '../analysis/pathway-scenario.js';
import { pathwayByUnit } from '../analysis/pathways.js';
import { loadPathways } from '../catalog/pathway.js';
import type { ServiceDefinition } from '../catalog/service.js';
import { VaratlasError } from '../errors.js';
import { concentrationWorkbook } from '../export/concentration-xlsx.js';
import { pathwayWorkbook } from '../export/pathway-xlsx.js';
import { defaultSuppression } from '../stats/suppression.js';
import type { Store } from '../store/store.js';
import { sameToken } from './access.js';
import { language, sendWorkbook, type RequestContext } from './request-kit.js';
import * as p from './params.js';
import type { PathwayAnswer, PathwaySummary } from './responses.js';

/** What the app lends its routes: its GET helper (cached, serialised answers), its request runner and its service lookup. */
export interface RouteKit {
  app: FastifyInstance;
  get: (path: string, params: string[], handler: (q: p.Query, ctx: RequestContext) => Promise<unknown>, maxAgeSeconds?: number) => unknown;
  answer: <T>(reply: FastifyReply, run: (ctx: RequestContext) => Promise<T>) => Promise<T>;
  service: (q: p.Query) => ServiceDefinition;
  token?: string;
}

/**
 * The patients' endpoints (docs/patients.md): concentration of use and its workbook, the heaviest users'
 * profile and — individual-level, only with the token in a header — their list; the pathways, one
 * pathway with its follow-up scenario, and its workbook.
 */
export async function registerPatientRoutes({ app, get, answer, service, token }: RouteKit): Promise<void> {
  /** The years of a patients' analysis: as asked, or the last year with episodes. */
  const patientYears = async (q: p.Query, store: Store): Promise<[number, number]> => {
    const asked = p.years(q);
    if (asked) return asked;
    const available = await store.episodeYears();
    if (!available) throw new VaratlasError('usage', 'there are no episodes in the store');
    return [available[1], available[1]];
  };
  const selection = (q: p.Query) => ({ service: q.service !== undefined ? service(q) : undefined, specialty: q.specialty });

  const concentration = async (q: p.Query, ctx: RequestContext) => {
    const measure = p.useMeasure(q);
    const level = p.level(q);
    const chosen = selection(q);
    const years = await patientYears(q, ctx.store);
    return ctx.cached(`concentration|${measure}|${years}|${level}|${chosen.service?.id}|${chosen.specialty}`, () =>
      concentrationByUnit(ctx.store, { years, level, measure, ...chosen, suppression: defaultSuppression }),
    );
  };
  get('/api/concentration', ['measure', 'years', 'level', 'service', 'specialty'], concentration);
  app.get('/api/export/concentration.xlsx', async (req, reply) => {
    const q = (req.query ?? {}) as p.Query;
    p.only(q, ['measure', 'years', 'level', 'service', 'specialty', 'lang']);
    const lang = language(q);
    const { lang: _lang, ...rest } = q;
    const result = await answer(reply, (ctx) => concentration(rest, ctx));
    return sendWorkbook(reply, concentrationWorkbook(result, lang), `concentration-${result.measure}-${result.years.join('-')}.xlsx`);
  });

  const pathways = await loadPathways();
  get('/api/pathways', [], async () => pathways.map((x): PathwaySummary => ({ id: x.id, name: x.name, specialty: x.specialty, windowMonths: x.windowMonths, lookBackMonths: x.lookBackMonths, source: x.source })));
  /** A pathway's figures (every whole year and the period) and the scenario for the year asked. */
  const pathwayAnswer = async (q: p.Query, ctx: RequestContext) => {
    const id = p.required(q, 'pathway');
    const pathway = pathways.find((x) => x.id === id);
    if (!pathway) throw new VaratlasError('usage', `parameter 'pathway': no pathway '${id.slice(0, 40)}' (see /api/pathways)`);
    const by = q.by ?? 'area';
    if (by !== 'area' && by !== 'region' && by !== 'provider') throw new VaratlasError('usage', `parameter 'by' must be area, region or provider, got '${by.slice(0, 40)}'`);
    const year = p.optionalYear(q) ?? null;
    const target = parseFollowUpTarget(q.target ?? 'lower_quartile', "parameter 'target'");
    const result = await ctx.cached(`pathway|${id}|${by}`, () => pathwayByUnit(ctx.store, pathway, { by, suppression: defaultSuppression }));
    if (year !== null && (!result.years || year < result.years[0] || year > result.years[1])) {
      throw new VaratlasError('usage', `parameter 'year': ${year} is not a whole year of this pathway (${result.years ? result.years.join('–') : 'none'})`);
    }
    return { result, year, scenario: followUpScenario(result, target, year) };
  };
  get('/api/pathway', ['pathway', 'by', 'year', 'target'], async (q, ctx) => {
    const { result, year, scenario } = await pathwayAnswer(q, ctx);
    return ctx.cached(`pathway|${JSON.stringify(q)}`, async (): Promise<PathwayAnswer> => ({ ...result, rows: result.rows.filter((r) => r.year === year), year, scenario }));
  });
  app.get('/api/export/pathway.xlsx', async (req, reply) => {
    const q = (req.query ?? {}) as p.Query;
    p.only(q, ['pathway', 'by', 'target', 'lang']);
    const lang = language(q);
    const { lang: _lang, ...rest } = q;
    const { result, scenario } = await answer(reply, (ctx) => pathwayAnswer(rest, ctx));
    return sendWorkbook(reply, pathwayWorkbook(result, scenario, lang), `${result.pathway.id}-${result.by}.xlsx`);
  });

  get('/api/heavy-users/profile', ['measure', 'years', 'level', 'unit', 'service', 'specialty'], async (q, ctx) => {
    const measure = p.useMeasure(q);
    if (measure === 'outpatient') throw new VaratlasError('usage', "parameter 'measure' must be stays or bed_days for the profile (it describes stays)");
    const level = p.level(q);
    const chosen = selection(q);
    const years = await patientYears(q, ctx.store);
    return ctx.cached(`profile|${measure}|${years}|${level}|${q.unit}|${chosen.service?.id}|${chosen.specialty}`, () =>
      heavyUserProfile(ctx.store, { years, level, unit: q.unit, measure, ...chosen, suppression: defaultSuppression }),
    );
  });

  // Individual-level (docs/patients.md): only for a script that sends the server's access token, never
  // for the atlas in a browser (its session cookie is not enough), and never without a token.
  app.get('/api/heavy-users', async (req, reply) => {
    const q = (req.query ?? {}) as p.Query;
    p.only(q, ['measure', 'years', 'level', 'unit', 'service', 'specialty', 'count']);
    const header = req.headers.authorization;
    if (!token || !sameToken(header?.startsWith('Bearer ') ? header.slice(7) : undefined, token)) {
      return reply.code(403).send({ error: 'the list of heaviest users is individual-level: it is served only to a request with the access token (Authorization: Bearer TOKEN) of a server started with one (docs/patients.md)' });
    }
    const measure = p.useMeasure(q);
    const level = p.level(q);
    const count = p.count(q, 'count', 10, 1000);
    return answer(reply, async (ctx) => {
      const years = await patientYears(q, ctx.store);
      return { measure, years, level, unit: q.unit ?? null, heavyUsers: await ctx.store.heavyUsers({ fromYear: years[0], toYear: years[1], level, measure, ...selection(q), unit: q.unit, count }) };
    });
  });
}
