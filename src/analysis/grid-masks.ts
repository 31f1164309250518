import { measuresOn } from '../catalog/cube-subjects.js';
import { serviceFingerprint } from '../catalog/fingerprint.js';
import type { ServiceDefinition } from '../catalog/service.js';
import type { Store } from '../store/store.js';
import { coordinateSuppression, gridRows, regionRows, type RowMask } from './publication-grid.js';
import { blockOf } from '../store/strata-block.js';
import { providerTypes, type RateTable } from './rate-row.js';
import { rateTables, strataQuery, type RateOptions } from './rate-tables.js';
import { groupBy } from './strata.js';

export type Masks = Map<string, RowMask>;

/**
 * The grid's decision per store and data version: every output of a service reads the same masks, and
 * they are computed once per service while the data stay the same (the store's generation and the
 * service's definition are in the key; an import, a refresh or a changed definition computes them again).
 */
const maskCache = new WeakMap<Store, Map<string, Promise<Masks>>>();

/**
 * The publication grid's masks for these services: counts of every area, region and the nation over
 * the standard period and each year, suppressed together (src/analysis/grid-suppression.ts). With
 * `wantTables`, the area tables of the standard period come back too when they had to be computed.
 */
export async function publicationMasks(
  store: Store,
  services: ServiceDefinition[],
  o: RateOptions,
  standard: [number, number],
  wantTables: boolean,
): Promise<{ masks: Masks[]; byArea?: RateTable[] }> {
  let cache = maskCache.get(store);
  if (!cache) maskCache.set(store, (cache = new Map()));
  const version = `${store.generation}|${standard}|${JSON.stringify(o.suppression)}`;
  const keyOf = (s: ServiceDefinition) => `${version}|${serviceFingerprint(s)}|${s.count}|${JSON.stringify(measuresOn(store, s.id))}`;
  const missing = services.filter((s) => !cache.has(keyOf(s)));
  let byArea: RateTable[] | undefined;
  if (missing.length > 0) {
    const computing = wantTables ? services : missing;
    const grid = computeGrid(store, computing, { ...o, fromYear: standard[0], toYear: standard[1], level: 'area' });
    computing.forEach((s, i) => {
      const masks = grid.then((g) => g.masks[i]!);
      cache.set(keyOf(s), masks);
      masks.catch(() => cache.delete(keyOf(s)));
    });
    if (wantTables) byArea = (await grid).tables;
  }
  return { masks: await Promise.all(services.map((s) => cache.get(keyOf(s))!)), byArea };
}

/**
 * The grid's counts: every area, region and the nation over the standard period. The regions' rows
 * are sums of the areas' except distinct patients, counted without strata in the same reads.
 */
async function computeGrid(store: Store, services: ServiceDefinition[], grid: RateOptions): Promise<{ tables: RateTable[]; masks: Masks[] }> {
  const gridQuery = strataQuery(services, grid, true, true);
  const activity = store.activityWithTotals(gridQuery, 'region');
  // Asked at once, so that the store reads them beside the strata (DuckDB answers on its own threads):
  // the population (every service's limits are cut from the same rows; the tables ask for it again),
  // the areas and the measures' floors.
  const side = Promise.all([store.populationStrata({ fromYear: grid.fromYear, toYear: grid.toYear, level: grid.level }), store.areas(), measureFloors(store, services)]);
  side.catch(() => undefined);
  const gridActivity = await activity;
  const counts = await store.countsStrata(gridQuery);
  const tables = await rateTables(store, services, grid, [gridActivity.strata, blockOf(counts, grid.fromYear, grid.toYear)]);
  const [, areas, floors] = await side;
  const regionPatients = groupBy(gridActivity.totals, (t) => t.serviceId);
  const regionOf = new Map(areas.map((a) => [a.areaCode, a.regionCode]));
  const masks = tables.map((t, i) => {
    const patientsOf = new Map((regionPatients.get(services[i]!.id) ?? []).map((p) => [`${p.unit}|${p.year ?? 'all'}`, p.patients]));
    const floor = floors[i];
    return coordinateSuppression([...gridRows(t), ...regionRows(t, regionOf, patientsOf)], regionOf, grid.suppression, floor && { floor: (area, year) => floor.get(`${area}|${year}`) ?? none });
  });
  return { tables, masks };
}

const none = { total: 0, types: providerTypes.map(() => 0) };

/**
 * The least each area's year of a service may hold, in all and per provider type: the most low-value
 * episodes any of its measures counts there (a measure's numerator is published too, and never exceeds
 * the service's count). Only for services that count episodes and have measures; undefined otherwise.
 */
async function measureFloors(store: Store, services: ServiceDefinition[]): Promise<(Map<string, { total: number; types: number[] }> | undefined)[]> {
  const linked = services.map((s) => (s.count === 'episodes' ? measuresOn(store, s.id) : []));
  // Per measure, area and year: its numerator in all and per provider type.
  const perMeasure = new Map<string, Map<string, { total: number; types: number[] }>>();
  for (const r of await store.lowValueYearly(linked.flat())) {
    let cells = perMeasure.get(r.measureId);
    if (!cells) perMeasure.set(r.measureId, (cells = new Map()));
    const at = `${r.unit}|${r.year}`;
    let cell = cells.get(at);
    if (!cell) cells.set(at, (cell = { total: 0, types: providerTypes.map(() => 0) }));
    cell.total += r.numerator;
    const t = (providerTypes as readonly string[]).indexOf(r.providerType);
    if (t >= 0) cell.types[t]! += r.numerator;
  }
  // Per service: the most of its measures', cell by cell.
  return linked.map((measures) => {
    if (measures.length === 0) return undefined;
    const floor = new Map<string, { total: number; types: number[] }>();
    for (const m of measures) {
      for (const [at, cell] of perMeasure.get(m.id) ?? []) {
        const f = floor.get(at);
        floor.set(at, f ? { total: Math.max(f.total, cell.total), types: f.types.map((v, t) => Math.max(v, cell.types[t]!)) } : cell);
      }
    }
    return floor;
  });
}
