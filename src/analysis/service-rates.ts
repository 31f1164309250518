import { ensureCube } from '../catalog/cube-subjects.js';
import { findService, loadCatalogue } from '../catalog/load-catalogue.js';
import { VaratlasError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Catalogue, RateCount, ServiceDefinition } from '../catalog/service.js';
import { isStayCount } from './stay-rates.js';
import { computeComparableRates, computeRates, type RateOptions, type RateTable } from './rates.js';

export interface ServiceRatesRequest extends Partial<RateOptions> {
  /** Service ids; all services of the catalogue when empty. */
  serviceIds: string[];
  catalogFiles?: string[];
  /** An already loaded catalogue (the server keeps one); otherwise the files are read. */
  catalogue?: Catalogue;
  /** Count this instead of each service's own unit (e.g. patients rather than episodes, or stays). */
  count?: RateCount;
  /** Count distinct patients (default true); a view that does not show them (a trend) leaves them out. */
  patients?: boolean;
  /** Unsuppressed tables only: the years to compute (null: the period), from the chosen options; default all. */
  frames?: (o: RateOptions) => (number | null)[];
}

/**
 * The entry point the CLI and the API use: load the catalogue, make sure the strata cube answers for
 * it, choose the period (default: every year with episodes), compute the rates.
 */
export async function serviceRates(store: Store, request: ServiceRatesRequest, defaults: (years: [number, number]) => RateOptions): Promise<RateTable[]> {
  const { chosen, options } = await prepare(store, request, defaults);
  return computeRates(store, chosen, options, { patients: request.patients ?? true, count: request.count });
}

/**
 * The tables that variation, labels and needs compare areas in, with their service definitions: each
 * count withheld as the published rate tables withhold it (computeComparableRates).
 */
export async function comparableServiceRates(
  store: Store,
  request: ServiceRatesRequest,
  defaults: (years: [number, number]) => RateOptions,
): Promise<{ tables: RateTable[]; services: ServiceDefinition[]; options: RateOptions }> {
  const { chosen, services, options } = await prepare(store, request, defaults);
  const frames = request.frames?.(options);
  return { tables: await computeComparableRates(store, chosen, options, { frames, count: request.count }), services, options };
}

async function prepare(store: Store, request: ServiceRatesRequest, defaults: (years: [number, number]) => RateOptions) {
  const catalogue = request.catalogue ?? (await loadCatalogue(request.catalogFiles ?? []));
  const chosen = request.serviceIds.length ? request.serviceIds.map((id) => findService(catalogue, id)) : catalogue.services;
  const count = request.count;
  const services = count && !isStayCount(count) ? chosen.map((s) => ({ ...s, count })) : chosen;
  await ensureCube(store, { catalogue });
  const available = await store.episodeYears();
  if (!available) throw new VaratlasError('usage', 'no year has both activity (episodes or counts) and population in the store; import them (or run varatlas demo) first');
  const options = { ...defaults(available), ...rateOptionsIn(request) };
  if (options.fromYear > options.toYear) throw new VaratlasError('usage', `the period ${options.fromYear}–${options.toYear} is empty`);
  return { services, chosen, options };
}

const rateOptionKeys: (keyof RateOptions)[] = ['fromYear', 'toYear', 'level', 'standard', 'multiplier', 'confidence', 'suppression'];

/** The rate options a request sets (anything else it carries is not an option). */
function rateOptionsIn(request: Partial<RateOptions>): Partial<RateOptions> {
  return Object.fromEntries(rateOptionKeys.filter((k) => request[k] !== undefined).map((k) => [k, request[k]]));
}
