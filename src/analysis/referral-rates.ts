import { serviceFingerprint } from '../catalog/fingerprint.js';
import type { ServiceDefinition } from '../catalog/service.js';
import { VaratlasError } from '../errors.js';
import type { StrataBlock, Store } from '../store/store.js';
import { memoOf, ownGridMasks } from './own-grid.js';
import { applyMasks, gridPeriod, type RowMask } from './publication-grid.js';
import type { RateTable } from './rate-row.js';
import { rateTables, type RateOptions } from './rate-tables.js';

/**
 * Referral rates by area of residence (docs/referrals.md): the referrals asking for a service
 * (referralTest) per 100 000 inhabitants, age/sex-standardised with intervals as service rates are; the
 * provider split is the receiver's type. Referrals have a publication grid of their own (the referrals'
 * standard period: every year with referrals and population, and each year), by area and region.
 */

const blocks = memoOf<StrataBlock>();
const decisions = memoOf<Map<string, RowMask>>();

/** The referrals' standard period, once the period asked for is checked to be one of their grid's. */
export async function referralPeriod(store: Store, asked?: [number, number]): Promise<{ standard: [number, number]; years: [number, number] }> {
  const standard = await store.referralYears();
  if (!standard) throw new VaratlasError('usage', 'no year has both referrals and population in the store: import referrals (varatlas import referrals FILE) and a population first');
  const years = asked ?? standard;
  gridPeriod(years[0], years[1], standard);
  return { standard, years };
}

/** The tables before anything is withheld (rates on fewer than 10 referrals are already): for further analysis only. */
export async function computeUnsuppressedReferralRates(store: Store, services: ServiceDefinition[], o: RateOptions): Promise<RateTable[]> {
  if (o.level !== 'area' && o.level !== 'region') throw new VaratlasError('usage', `referral rates are published by area and region, not by ${o.level === 'local' ? 'local-hospital area' : 'municipality'}: ask for the level (--by in the CLI) area or region`);
  const key = `${services.map(serviceFingerprint).join(',')}|${o.fromYear}|${o.toYear}|${o.level}`;
  const block = await blocks(store, key, () => store.referralStrata(services, { fromYear: o.fromYear, toYear: o.toYear, level: o.level }));
  return rateTables(store, services.map((s) => ({ ...s, count: 'referrals' as const })), o, [block]);
}

/** Referral rate tables ready to publish: withheld as the referrals' grid decides, for each service on its own. */
export async function computeReferralRates(store: Store, services: ServiceDefinition[], o: RateOptions): Promise<RateTable[]> {
  const { standard } = await referralPeriod(store, [o.fromYear, o.toYear]);
  const tables = await computeUnsuppressedReferralRates(store, services, o);
  const masks = await Promise.all(
    services.map((service) =>
      decisions(store, `${serviceFingerprint(service)}|${standard}|${JSON.stringify(o.suppression)}`, async () => {
        const [byArea] = await computeUnsuppressedReferralRates(store, [service], { ...o, fromYear: standard[0], toYear: standard[1], level: 'area' });
        return ownGridMasks(store, byArea!, o.suppression);
      }),
    ),
  );
  return tables.map((t, i) => ({ ...t, rows: applyMasks(t, masks[i]!, o.suppression, false) }));
}
