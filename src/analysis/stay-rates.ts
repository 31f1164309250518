import { serviceFingerprint } from '../catalog/fingerprint.js';
import type { RateCount, ServiceDefinition } from '../catalog/service.js';
import { VaratlasError } from '../errors.js';
import type { StrataBlock, Store } from '../store/store.js';
import { memoOf, ownGridMasks } from './own-grid.js';
import { applyMasks, type RowMask } from './publication-grid.js';
import type { RateTable } from './rate-row.js';
import { rateTables, type RateOptions } from './rate-tables.js';

/**
 * Rates counted in stays or their bed days (docs/patients.md#stays-in-rates): a stay counts for a
 * service when any of its episodes is one of the service's, in the year it ends, at the residence of its
 * first such episode. Stays have a publication grid of their own — every area, region and the nation over
 * the standard period and each year, decided once on the stays (src/analysis/grid-suppression.ts) —
 * and a bed-day count is withheld wherever the stays behind it are. Published by area and region.
 */

export type StayCount = 'stays' | 'bed_days';

export const isStayCount = (count: RateCount | undefined): count is StayCount => count === 'stays' || count === 'bed_days';

/** The stays' strata per store generation and question, read once for the grid and the table alike. */
const blocks = memoOf<StrataBlock>();
const decisions = memoOf<Map<string, RowMask>>();

const servicesKey = (services: ServiceDefinition[]) => services.map((s) => serviceFingerprint(s)).join(',');

function staysOf(store: Store, services: ServiceDefinition[], o: RateOptions): Promise<StrataBlock> {
  return blocks(store, `${servicesKey(services)}|${o.fromYear}|${o.toYear}|${o.level}`, () =>
    store.stayStrata({ serviceIds: services.map((s) => s.id), fromYear: o.fromYear, toYear: o.toYear, level: o.level }),
  );
}

/** The tables before anything is withheld (rates on too few stays are already): for further analysis only. */
export async function computeUnsuppressedStayRates(store: Store, services: ServiceDefinition[], o: RateOptions, count: StayCount, frames?: (number | null)[]): Promise<RateTable[]> {
  if (o.level !== 'area' && o.level !== 'region') {
    throw new VaratlasError('usage', `stays and bed days are published by area and region, not by ${o.level === 'local' ? 'local-hospital area' : 'municipality'}: ask for the level (--by in the CLI) area or region`);
  }
  const counts = await store.countsStrata({ serviceIds: services.map((s) => s.id), fromYear: o.fromYear, toYear: o.toYear, level: o.level, patients: false });
  const aggregated = counts.find((c) => c.episodes > 0);
  if (aggregated) throw new VaratlasError('usage', `${aggregated.serviceId} has aggregated counts (no patients, no dates) in the store: its stays cannot be counted; count episodes instead`);
  const block = await staysOf(store, services, o);
  return rateTables(store, services.map((s) => ({ ...s, count })), o, [block], frames);
}

/** The stays' grid decided for each service: masks of every area, region and the nation over the standard period and each year. */
function stayMasks(store: Store, services: ServiceDefinition[], o: RateOptions, standard: [number, number]): Promise<Map<string, RowMask>[]> {
  return Promise.all(
    services.map((service) =>
      decisions(store, `${serviceFingerprint(service)}|${standard}|${JSON.stringify(o.suppression)}`, async () => {
        const grid = { ...o, fromYear: standard[0], toYear: standard[1], level: 'area' as const };
        const [table] = await computeUnsuppressedStayRates(store, [service], grid, 'stays');
        return ownGridMasks(store, table!, o.suppression);
      }),
    ),
  );
}

/** Rate tables counted in stays or bed days, ready to publish: withheld as the stays' grid decides. */
export async function computeStayRates(store: Store, services: ServiceDefinition[], o: RateOptions, count: StayCount, standard: [number, number], frames?: (number | null)[]): Promise<RateTable[]> {
  const tables = await computeUnsuppressedStayRates(store, services, o, count, frames);
  const masks = await stayMasks(store, services, o, standard);
  return tables.map((t, i) => ({ ...t, rows: applyMasks(t, masks[i]!, o.suppression, false) }));
}
