import type { LowValueMeasure } from '../catalog/measure.js';
import type { ServiceDefinition } from '../catalog/service.js';
import { wilsonInterval } from '../stats/intervals.js';
import { crudeRate, directlyStandardisedRate, expectedEvents, indirectlyStandardisedRatio } from '../stats/rates.js';
import { defaultSuppression, rateSuppression, type SuppressionRules } from '../stats/suppression.js';
import { nationalUnit, type ActivityStratum, type Level, type PopulationStratum, type Store } from '../store/store.js';
import { standardWeights, type StandardChoice } from './standard-weights.js';
import { cellKey, cells, groupBy, populationCells, type Cell } from './strata.js';
import { applyMasks, coordinateSuppression, gridLevel, gridPeriod, gridRows, regionRows } from './publication-grid.js';
import { VaratlasError } from '../errors.js';

export { isWithheld, providerTypes, type Estimate, type RateRow, type RateTable, type Shown, type Withheld } from './rate-row.js';
import { providerTypes, type Estimate, type RateRow, type RateTable, type Shown } from './rate-row.js';

export interface RateOptions {
  fromYear: number;
  toYear: number;
  level: Level;
  standard: StandardChoice;
  multiplier: number;
  confidence: number;
  suppression: SuppressionRules;
}

export const defaultRateOptions = (years: [number, number]): RateOptions => ({
  fromYear: years[0],
  toYear: years[1],
  level: 'area',
  standard: { kind: 'national' },
  multiplier: 100_000,
  confidence: 0.95,
  suppression: defaultSuppression,
});

/**
 * Use rates by area of residence for services of the catalogue, ready to publish: per year and pooled
 * over the period, for every unit of the level and the nation (every mapped place). The table must be
 * one of the publication grid's (src/analysis/publication-grid.ts): one year or the standard period
 * (every year with activity), by area or region. Small counts are withheld as the grid decides for the
 * whole of each service, so that no combination of published tables gives one away. `count` counts that
 * instead of each service's own unit (patients, say).
 */
export async function computeRates(
  store: Store,
  services: ServiceDefinition[],
  o: RateOptions,
  { patients = true, count }: { patients?: boolean; count?: ServiceDefinition['count'] } = {},
): Promise<RateTable[]> {
  const standard = await store.episodeYears();
  if (!standard) throw new VaratlasError('usage', 'there is no activity (episodes or counts) in the store; import some (or run varatlas demo) first');
  gridPeriod(o.fromYear, o.toYear, standard);
  gridLevel(o.level);
  // The grid's counts: every area, region and the nation over the standard period. The regions' rows
  // are sums of the areas' except distinct patients, counted without strata.
  const grid = { ...o, fromYear: standard[0], toYear: standard[1], level: 'area' as const };
  const byArea = await computeUnsuppressedRates(store, services, grid);
  const regionPatients = groupBy(
    await store.patientTotals({ serviceIds: services.map((s) => s.id), fromYear: standard[0], toYear: standard[1], level: 'region' }),
    (t) => t.serviceId,
  );
  const regionOf = new Map((await store.areas()).map((a) => [a.areaCode, a.regionCode]));
  const counted = count ? services.map((s) => ({ ...s, count })) : services;
  const sameAsGrid = !count && patients && o.level === 'area' && o.fromYear === standard[0] && o.toYear === standard[1];
  const tables = sameAsGrid ? byArea : await computeUnsuppressedRates(store, counted, o, { patients });
  return tables.map((t, i) => {
    const service = services[i]!;
    const patientsOf = new Map((regionPatients.get(service.id) ?? []).map((p) => [`${p.unit}|${p.year ?? 'all'}`, p.patients]));
    const rows = [...gridRows(byArea[i]!), ...regionRows(byArea[i]!, regionOf, patientsOf)];
    const masks = coordinateSuppression(rows, regionOf, o.suppression);
    const patientsAsEvents = count === 'patients' && service.count !== 'patients';
    return { ...t, rows: applyMasks(t, masks, o.suppression, patientsAsEvents) };
  });
}

/**
 * The same tables before small counts are withheld (rates on too few events are already withheld).
 * For further analysis only (variation, needs), never for output: those apply their own suppression.
 * `patients: false` skips counting distinct patients where the analysis does not use them; `frames`
 * computes only those years (null: the period), e.g. the period alone for variation and labels.
 */
export async function computeUnsuppressedRates(
  store: Store,
  services: ServiceDefinition[],
  o: RateOptions,
  { patients = true, frames }: { patients?: boolean; frames?: (number | null)[] } = {},
): Promise<RateTable[]> {
  const countPatients = patients || services.some((s) => s.count === 'patients');
  const years = !frames || frames.some((f) => f !== null);
  const query = { serviceIds: services.map((s) => s.id), fromYear: o.fromYear, toYear: o.toYear, level: o.level, patients: countPatients, years };
  // Episode-level activity and aggregated counts (where only aggregates are available) add up.
  const activity = [...(await store.activityStrata(query)), ...(await store.countsStrata(query))];
  const activityByService = groupBy(activity, (a) => a.serviceId);
  const populations = new Map<string, PopulationStratum[]>();
  const tables: RateTable[] = [];
  for (const service of services) {
    const sex = service.sex === undefined ? undefined : service.sex === 'male' ? 1 : 2;
    const limits = `${service.age?.min ?? ''}-${service.age?.max ?? ''}-${sex ?? ''}`;
    let population = populations.get(limits);
    if (!population) {
      population = await store.populationStrata({
        fromYear: o.fromYear, toYear: o.toYear, level: o.level, minAge: service.age?.min, maxAge: service.age?.max, sex,
      });
      populations.set(limits, population);
    }
    const standard = await standardWeights(o.standard, population, o.toYear, store);
    tables.push(rateTable(service, activityByService.get(service.id) ?? [], population, standard, o, frames));
  }
  return tables;
}

/**
 * Rates of a low-value measure (its low-value episodes) by area, with the same engine: population at
 * risk inside the measure's (and its service's) age and sex limits; unsuppressed, like
 * computeUnsuppressedRates (suppress with suppressSmallCounts before output).
 */
export async function computeMeasureRates(store: Store, measure: LowValueMeasure, service: ServiceDefinition, o: RateOptions): Promise<RateTable> {
  const activity = await store.measureStrata(measure, { fromYear: o.fromYear, toYear: o.toYear, level: o.level });
  const min = Math.max(service.age?.min ?? 0, measure.age?.min ?? 0);
  const max = Math.min(service.age?.max ?? 120, measure.age?.max ?? 120);
  const sex = service.sex === undefined ? undefined : service.sex === 'male' ? 1 : 2;
  const population = await store.populationStrata({ fromYear: o.fromYear, toYear: o.toYear, level: o.level, minAge: min, maxAge: max, sex });
  const standard = await standardWeights(o.standard, population, o.toYear, store);
  const asService: ServiceDefinition = { ...service, id: measure.id, name: measure.name, count: 'episodes', age: { min, max } };
  return rateTable(asService, activity, population, standard, o);
}

function rateTable(
  service: ServiceDefinition,
  activity: ActivityStratum[],
  population: PopulationStratum[],
  standard: { weights: Map<number, number>; description: string },
  o: RateOptions,
  only?: (number | null)[],
): RateTable {
  const measure = (a: ActivityStratum) => (service.count === 'patients' ? a.patients : service.count === 'procedures' ? a.procedures : a.episodes);
  const all: (number | null)[] = [...Array.from({ length: o.toYear - o.fromYear + 1 }, (_, i) => o.fromYear + i), null];
  const frames = only ? all.filter((f) => only.includes(f)) : all;
  const names = new Map(population.map((p) => [p.unit, p.unitName]));
  for (const a of activity) if (a.unit !== nationalUnit) names.set(a.unit, a.unitName);
  const units = [...names.keys()].sort((a, b) => a.localeCompare(b, 'nb', { numeric: true }));
  const activityAt = groupBy(activity, (a) => `${a.unit}|${a.year ?? 'all'}`);
  const populationAt = populationFrames(population);

  const rows: RateRow[] = [];
  for (const year of frames) {
    const at = (unit: string) => activityAt.get(`${unit}|${year ?? 'all'}`) ?? [];
    const national = cells(at(nationalUnit), populationAt(nationalUnit, year), measure);
    const reference = new Map([...national].map(([k, c]) => [k, c.population > 0 ? c.events / c.population : 0]));
    const row = (unit: string, unitName: string, isNational: boolean, act: ActivityStratum[]) =>
      rateRow({ unit, unitName, national: isNational, year }, act, cells(act, populationAt(unit, year), measure), standard.weights, reference, o);
    for (const unit of units) rows.push(row(unit, names.get(unit)!, false, at(unit)));
    rows.push(row(nationalUnit, 'National', true, at(nationalUnit)));
  }
  return {
    service: { id: service.id, name: service.name, counts: service.count },
    level: o.level,
    years: [o.fromYear, o.toYear],
    standard: standard.description,
    multiplier: o.multiplier,
    confidence: o.confidence,
    minEvents: o.suppression.minEvents,
    rows,
  };
}

const populationCellCache = new WeakMap<PopulationStratum[], Map<string, Map<number, Cell>>>();

/**
 * The population cells of a unit (or the nation) in a year (or the period), summed once per population
 * list: every service with the same age and sex limits shares them.
 */
function populationFrames(population: PopulationStratum[]): (unit: string, year: number | null) => Map<number, Cell> {
  let byFrame = populationCellCache.get(population);
  if (!byFrame) {
    byFrame = new Map();
    for (const [unit, list] of groupBy(population, (p) => p.unit)) {
      for (const [year, inYear] of groupBy(list, (p) => String(p.year))) byFrame.set(`${unit}|${year}`, populationCells(inYear));
      byFrame.set(`${unit}|all`, populationCells(list));
    }
    for (const [year, inYear] of groupBy(population, (p) => String(p.year))) byFrame.set(`${nationalUnit}|${year}`, populationCells(inYear));
    byFrame.set(`${nationalUnit}|all`, populationCells(population));
    populationCellCache.set(population, byFrame);
  }
  const frames = byFrame;
  return (unit, year) => frames.get(`${unit}|${year ?? 'all'}`) ?? new Map();
}

function rateRow(
  id: Pick<RateRow, 'unit' | 'unitName' | 'national' | 'year'>,
  activity: ActivityStratum[],
  cellMap: Map<number, Cell>,
  weights: Map<number, number>,
  reference: Map<number, number>,
  o: RateOptions,
): RateRow {
  const list = [...cellMap.values()];
  const events = list.reduce((s, c) => s + c.events, 0);
  const population = list.reduce((s, c) => s + c.population, 0);
  const patientCount = activity.reduce((s, a) => s + a.patients, 0);
  // NaN: not counted for this analysis (see computeUnsuppressedRates); never shown as a number.
  const patients: Shown<number> = Number.isNaN(patientCount) ? { withheld: 'not counted' } : patientCount;
  const providers = Object.fromEntries(providerTypes.map((t) => [t, 0])) as Record<(typeof providerTypes)[number], number>;
  for (const a of activity) {
    // Counts files may leave the provider type out: such events are in the total, not in the split.
    if (a.providerType in providers) providers[a.providerType as (typeof providerTypes)[number]] += a.episodes;
  }
  const byProvider = providerTypes.reduce((s, t) => s + providers[t], 0);
  const options = { multiplier: o.multiplier, level: o.confidence };
  const reason = rateSuppression(events, o.suppression);
  const strata = list.map((c) => ({
    events: c.events,
    population: c.population,
    standard: weights.get(cellKey(c.sex, c.ageGroup)) ?? 0,
    referenceRate: reference.get(cellKey(c.sex, c.ageGroup)) ?? 0,
  }));
  const expected = expectedEvents(strata);
  const share = (n: number): Shown<Estimate> => {
    if (byProvider === 0) return { withheld: 'no events' };
    const ci = wilsonInterval(n, byProvider, o.confidence);
    return { value: n / byProvider, lower: ci.lower, upper: ci.upper };
  };
  return {
    ...id,
    events,
    patients,
    population,
    crudeRate: reason ? { withheld: reason } : pick(crudeRate(events, population, options)),
    standardisedRate: reason ? { withheld: reason } : pick(directlyStandardisedRate(strata, options)),
    observedExpected: reason ? { withheld: reason } : { ...pick(indirectlyStandardisedRatio(events, expected, o.confidence)), expected },
    expected,
    providers,
    privateShare: share(providers.private),
    contractSpecialistShare: share(providers.contract_specialist),
  };
}

const pick = (e: Estimate): Estimate => ({ value: e.value, lower: e.lower, upper: e.upper });
