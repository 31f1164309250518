import type { RateCount, ServiceDefinition } from '../catalog/service.js';
import type { Store } from '../store/store.js';
import { VaratlasError } from '../errors.js';
import { finerMasks, publicationMasks } from './grid-masks.js';
import { applyMasks, gridPeriod } from './publication-grid.js';
import { computeUnsuppressedRates, type RateOptions } from './rate-tables.js';
import { computeStayRates, isStayCount } from './stay-rates.js';
import type { RateTable } from './rate-row.js';

export { isWithheld, providerTypes, type Estimate, type RateRow, type RateTable, type Shown, type Withheld } from './rate-row.js';
export { computeMeasureRates, computeUnsuppressedRates, defaultRateOptions, type RateOptions } from './rate-tables.js';

/**
 * Use rates by area of residence for services of the catalogue, ready to publish: per year and pooled
 * over the period, for every unit of the level and the nation (every mapped place). The table must be
 * one of the publication grid's (src/analysis/publication-grid.ts): one year or the standard period
 * (every year with activity), by area, region, local-hospital area or municipality. Small counts are withheld as the grid decides for the
 * whole of each service, so that no combination of published tables gives one away. `count` counts that
 * instead of each service's own unit (patients, say; stays and bed days have a grid of their own:
 * src/analysis/stay-rates.ts).
 */
export async function computeRates(
  store: Store,
  services: ServiceDefinition[],
  o: RateOptions,
  { patients = true, count }: { patients?: boolean; count?: RateCount } = {},
): Promise<RateTable[]> {
  const standard = await gridOf(store, o);
  if (isStayCount(count)) return computeStayRates(store, services, o, count, standard);
  const sameAsGrid = !count && patients && o.level === 'area' && o.fromYear === standard[0] && o.toYear === standard[1];
  const { masks, byArea } = o.level === 'local' || o.level === 'municipality' ? { masks: await finerMasks(store, services, o, standard, o.level), byArea: undefined } : await publicationMasks(store, services, o, standard, sameAsGrid);
  const counted = count ? services.map((s) => ({ ...s, count })) : services;
  const tables = sameAsGrid && byArea ? byArea : await computeUnsuppressedRates(store, counted, o, { patients });
  return tables.map((t, i) => ({ ...t, rows: applyMasks(t, masks[i]!, o.suppression, count === 'patients' && services[i]!.count !== 'patients') }));
}

/**
 * Tables for the analyses that compare areas (variation, table-4 labels, needs, fact sheets): the
 * unsuppressed tables of the publication grid with every count withheld that the published rate
 * tables withhold, and with it what would reveal it (rates, O/E and expected, the provider shares).
 * Without this, a count withheld in the rate table could be read off another output (O/E × expected,
 * a private share × events): the grid's suppression holds for every output only if every output
 * withholds the same cells. Distinct patients are not counted (`count` may still ask for them).
 */
export async function computeComparableRates(
  store: Store,
  services: ServiceDefinition[],
  o: RateOptions,
  { frames, count }: { frames?: (number | null)[]; count?: RateCount } = {},
): Promise<RateTable[]> {
  const standard = await gridOf(store, o);
  if (isStayCount(count)) return computeStayRates(store, services, o, count, standard, frames);
  const masks = o.level === 'local' || o.level === 'municipality' ? await finerMasks(store, services, o, standard, o.level) : (await publicationMasks(store, services, o, standard, false)).masks;
  const counted = count ? services.map((s) => ({ ...s, count })) : services;
  const tables = await computeUnsuppressedRates(store, counted, o, { patients: false, frames });
  return tables.map((t, i) => ({ ...t, rows: applyMasks(t, masks[i]!, o.suppression, count === 'patients' && services[i]!.count !== 'patients') }));
}

/** The standard period, once the table asked for is checked to be one of the publication grid's. */
async function gridOf(store: Store, o: RateOptions): Promise<[number, number]> {
  const standard = await store.episodeYears();
  if (!standard) throw new VaratlasError('usage', 'no year has both activity (episodes or counts) and population in the store; import them (or run varatlas demo) first');
  gridPeriod(o.fromYear, o.toYear, standard);
  return standard;
}
