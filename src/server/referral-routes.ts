import { assessmentVariation } from '../analysis/assessment-variation.js';
import { computeReferralRates, referralPeriod } from '../analysis/referral-rates.js';
import { defaultRateOptions } from '../analysis/rates.js';
import * as p from './params.js';
import { rateTablesWorkbook } from '../export/rates-xlsx.js';
import type { RouteKit } from './patient-routes.js';
import { language, sendWorkbook } from './request-kit.js';

/** The referrals' endpoints (docs/referrals.md): referral rates by area or region, with the receivers' split; the rights assessment by assessing unit. */
export function registerReferralRoutes({ app, get, answer, service }: Pick<RouteKit, 'app' | 'get' | 'answer' | 'service'>): void {
  const referralTable = (q: p.Query, ctx: Parameters<Parameters<typeof answer>[1]>[0]) => {
    const s = service(q);
    const asked = p.years(q);
    const level = p.level(q);
    return ctx.cached(`referrals|${s.id}|${asked}|${level}`, async () => {
      const { years } = await referralPeriod(ctx.store, asked);
      const [table] = await computeReferralRates(ctx.store, [s], { ...defaultRateOptions(years), level });
      return table!;
    });
  };
  get('/api/referrals', ['service', 'years', 'level'], referralTable);
  app.get('/api/export/referrals.xlsx', async (req, reply) => {
    const q = (req.query ?? {}) as p.Query;
    p.only(q, ['service', 'years', 'level', 'lang']);
    const table = await answer(reply, (ctx) => referralTable(q, ctx));
    return sendWorkbook(reply, rateTablesWorkbook([table], language(q)), `${table.service.id}-referrals.xlsx`);
  });
  get('/api/referrals/assessment', ['service', 'years'], async (q, ctx) => {
    const s = service(q);
    const asked = p.years(q);
    return ctx.cached(`referrals-assessment|${s.id}|${asked}`, () => assessmentVariation(ctx.store, s, asked));
  });
}
