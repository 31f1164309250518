import { assessmentVariation } from '../analysis/assessment-variation.js';
import { computeReferralRates, referralPeriod } from '../analysis/referral-rates.js';
import { defaultRateOptions } from '../analysis/rates.js';
import * as p from './params.js';
import type { RouteKit } from './patient-routes.js';

/** The referrals' endpoints (docs/referrals.md): referral rates by area or region, with the receivers' split; the rights assessment by assessing unit. */
export function registerReferralRoutes({ get, service }: Pick<RouteKit, 'get' | 'service'>): void {
  get('/api/referrals', ['service', 'years', 'level'], async (q, ctx) => {
    const s = service(q);
    const asked = p.years(q);
    const level = p.level(q);
    return ctx.cached(`referrals|${s.id}|${asked}|${level}`, async () => {
      const { years } = await referralPeriod(ctx.store, asked);
      const [table] = await computeReferralRates(ctx.store, [s], { ...defaultRateOptions(years), level });
      return table!;
    });
  });
  get('/api/referrals/assessment', ['service', 'years'], async (q, ctx) => {
    const s = service(q);
    const asked = p.years(q);
    return ctx.cached(`referrals-assessment|${s.id}|${asked}`, () => assessmentVariation(ctx.store, s, asked));
  });
}
