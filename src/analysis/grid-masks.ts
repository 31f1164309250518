import { measuresOn } from '../catalog/cube-subjects.js';
import { serviceFingerprint } from '../catalog/fingerprint.js';
import type { ServiceDefinition } from '../catalog/service.js';
import { localLevelUsable, type Store } from '../store/store.js';
import { VaratlasError } from '../errors.js';
import { coordinateSuppression, GridUnprotectable, gridRows, levelWithheldReasons, regionRows, type GridRow, type RowMask } from './publication-grid.js';
import { blockOf } from '../store/strata-block.js';
import { gridRowKey, noProviders, type GridOptions } from './grid-suppression.js';
import { providerTypes, type RateTable } from './rate-row.js';
import { computeUnsuppressedRates, rateTables, strataQuery, type RateOptions } from './rate-tables.js';
import { groupBy } from './strata.js';

export type Masks = Map<string, RowMask>;

/** One service's grid decided: the masks, and what they were decided on (for a finer level on top). */
interface Decision {
  masks: Masks;
  rows: GridRow[];
  regionOf: Map<string, string>;
  floor?: (area: string, year: number) => { total: number; types: number[] };
}

/**
 * The grid's decision per store and data version: every output of a service reads the same masks, and
 * they are computed once per service while the data stay the same (the store's generation and the
 * service's definition are in the key; an import, a refresh or a changed definition computes them again).
 */
const maskCache = new WeakMap<Store, Map<string, Promise<Decision>>>();

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
  const { decisions, byArea } = await decisionsOf(store, services, o, standard, wantTables);
  return { masks: decisions.map((x) => x.masks), byArea };
}

const cacheOf = (store: Store) => {
  let cache = maskCache.get(store);
  if (!cache) maskCache.set(store, (cache = new Map()));
  return cache;
};
const versionOf = (store: Store, o: RateOptions, standard: [number, number]) => `${store.generation}|${standard}|${JSON.stringify(o.suppression)}`;
const serviceKey = (store: Store, s: ServiceDefinition) => `${serviceFingerprint(s)}|${s.count}|${JSON.stringify(measuresOn(store, s.id))}`;

/** Each key's decision from one computation of all of them; a failed computation is forgotten, to be asked again. */
function remember(cache: Map<string, Promise<Decision>>, keys: string[], computed: Promise<Decision[]>): void {
  keys.forEach((key, i) => {
    const decision = computed.then((d) => d[i]!);
    cache.set(key, decision);
    decision.catch(() => cache.delete(key));
  });
}

async function decisionsOf(
  store: Store,
  services: ServiceDefinition[],
  o: RateOptions,
  standard: [number, number],
  wantTables: boolean,
): Promise<{ decisions: Decision[]; byArea?: RateTable[] }> {
  const cache = cacheOf(store);
  const version = versionOf(store, o, standard);
  const keyOf = (s: ServiceDefinition) => `${version}|${serviceKey(store, s)}`;
  const missing = services.filter((s) => !cache.has(keyOf(s)));
  let byArea: RateTable[] | undefined;
  if (missing.length > 0) {
    const computing = wantTables ? services : missing;
    const grid = computeGrid(store, computing, { ...o, fromYear: standard[0], toYear: standard[1], level: 'area' });
    remember(cache, computing.map(keyOf), grid.then((g) => g.decisions));
    if (wantTables) byArea = (await grid).tables;
  }
  return { decisions: await Promise.all(services.map((s) => cache.get(keyOf(s))!)), byArea };
}

/**
 * The masks of the grid with a finer level for these services: the local-hospital areas decided on top
 * of the areas' decision, the municipalities on top of the local areas' (or the areas' where the
 * geography names no local areas), each leaving the decision under it as it is
 * (src/analysis/grid-suppression.ts). A service whose small counts at the finer level cannot all be
 * protected that way is not published at that level: all its figures there are withheld.
 */
export async function finerMasks(store: Store, services: ServiceDefinition[], o: RateOptions, standard: [number, number], level: 'local' | 'municipality'): Promise<Masks[]> {
  return (await finerDecisions(store, services, o, standard, level)).map((x) => x.masks);
}

async function finerDecisions(store: Store, services: ServiceDefinition[], o: RateOptions, standard: [number, number], level: 'local' | 'municipality'): Promise<Decision[]> {
  const locals = await store.localAreas();
  const byLocal = localLevelUsable(locals);
  if (level === 'local' && !byLocal) {
    if (locals.units.length === 0) {
      throw new VaratlasError('usage', 'the geography names no local-hospital areas: import one with local_area_code (e.g. varatlas import geography --builtin norway), or use --by area or region');
    }
    if (locals.missing > 0) throw new VaratlasError('usage', `${locals.missing} mapped places of residence have no local-hospital area in the geography: give every place one, or use --by area or region`);
    throw new VaratlasError('usage', `local-hospital areas ${locals.crossing.join(', ')} lie in more than one catchment area: each must lie in one, or use --by area or region`);
  }
  const cache = cacheOf(store);
  const keyOf = (s: ServiceDefinition) => `${versionOf(store, o, standard)}|${serviceKey(store, s)}|${level}`;
  const missing = services.filter((s) => !cache.has(keyOf(s)));
  if (missing.length > 0) {
    const computed = (async () => {
      const base = level === 'local' || !byLocal ? (await decisionsOf(store, missing, o, standard, false)).decisions : await finerDecisions(store, missing, o, standard, 'local');
      const tables = await computeUnsuppressedRates(store, missing, { ...o, fromYear: standard[0], toYear: standard[1], level });
      if (level === 'local') {
        const localOf = new Map(locals.units.map((u) => [u.code, u.areaCode]));
        return tables.map((t, i) => onTop(base[i]!, gridRows(t).filter((r) => r.level === 'local'), { localOf }, o, 'local'));
      }
      const cells = await cellRows(store, missing, standard, byLocal);
      return tables.map((t, i) => {
        const own = gridRows(t).filter((r) => r.level === 'municipality');
        // Distinct patients do not add up over cells: a service counting them is not published by municipality.
        if (missing[i]!.count === 'patients') return withheldWhole(base[i]!, own, 'municipality');
        const { rows, cellsOf } = cells[i]!;
        return onTop(base[i]!, [...own, ...rows], { cells: cellsOf }, o, 'municipality');
      });
    })();
    remember(cache, missing.map(keyOf), computed);
  }
  return Promise.all(services.map((s) => cache.get(keyOf(s))!));
}

/** The finer level's rows decided on top of the decision under it, or withheld whole where that cannot be. */
function onTop(decision: Decision, finer: GridRow[], options: Pick<GridOptions, 'localOf' | 'cells'>, o: RateOptions, level: 'local' | 'municipality'): Decision {
  const rows = [...decision.rows, ...finer];
  try {
    const masks = coordinateSuppression(rows, decision.regionOf, o.suppression, { ...options, fixed: decision.masks, floor: decision.floor });
    return { ...decision, rows, masks };
  } catch (error) {
    if (!(error instanceof GridUnprotectable)) throw error;
    return withheldWhole(decision, finer, level);
  }
}

function withheldWhole(decision: Decision, finer: GridRow[], level: 'local' | 'municipality'): Decision {
  const masks = new Map(decision.masks);
  const reason = levelWithheldReasons[level];
  const all = { events: reason, patients: reason, split: reason };
  for (const r of finer) if (r.level === level) masks.set(gridRowKey(level, r.unit, r.frame), all);
  return { ...decision, rows: [...decision.rows, ...finer], masks };
}

/**
 * Per service: the cells of residence — a municipality's part in a local area, or in a catchment area
 * when the decision below is the areas' — as grid rows, per year and the period.
 */
async function cellRows(store: Store, services: ServiceDefinition[], standard: [number, number], byLocal: boolean) {
  const all = await store.residenceCells({ serviceIds: services.map((s) => s.id), fromYear: standard[0], toYear: standard[1] });
  return services.map((service) => {
    const rows = new Map<string, GridRow>();
    const cellsOf = new Map<string, { municipality: string; local: string | null; area: string }>();
    for (const c of all) {
      if (c.serviceId !== service.id) continue;
      const local = byLocal ? c.local : null;
      const unit = `${c.municipality}|${local ?? c.area}`;
      cellsOf.set(unit, { municipality: c.municipality, local, area: c.area });
      const n = service.count === 'procedures' ? c.procedures : c.episodes;
      for (const frame of [c.year, null]) {
        const key = gridRowKey('cell', unit, frame);
        let r = rows.get(key);
        if (!r) rows.set(key, (r = { level: 'cell', unit, frame, events: 0, patients: 0, providers: noProviders() }));
        r.events += n;
        r.patients += n;
        if ((providerTypes as readonly string[]).includes(c.providerType)) r.providers[c.providerType as (typeof providerTypes)[number]] += n;
      }
    }
    return { rows: [...rows.values()], cellsOf };
  });
}

/**
 * The grid's counts: every area, region and the nation over the standard period. The regions' rows
 * are sums of the areas' except distinct patients, counted without strata in the same reads.
 */
async function computeGrid(store: Store, services: ServiceDefinition[], grid: RateOptions): Promise<{ tables: RateTable[]; decisions: Decision[] }> {
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
  const decisions = tables.map((t, i): Decision => {
    const patientsOf = new Map((regionPatients.get(services[i]!.id) ?? []).map((p) => [`${p.unit}|${p.year ?? 'all'}`, p.patients]));
    const least = floors[i];
    const floor = least && ((area: string, year: number) => least.get(`${area}|${year}`) ?? none);
    const rows = [...gridRows(t), ...regionRows(t, regionOf, patientsOf)];
    return { masks: coordinateSuppression(rows, regionOf, grid.suppression, floor && { floor }), rows, regionOf, floor };
  });
  return { tables, decisions };
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
