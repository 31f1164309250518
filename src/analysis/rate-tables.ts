import type { LowValueMeasure } from '../catalog/measure.js';
import type { RatedService, ServiceDefinition } from '../catalog/service.js';
import { VaratlasError } from '../errors.js';
import { wilsonInterval } from '../stats/intervals.js';
import { crudeRate, directlyStandardisedRate, expectedEvents, indirectlyStandardisedRatio, type RateStratum } from '../stats/rates.js';
import { defaultSuppression, rateSuppression, type SuppressionRules } from '../stats/suppression.js';
import { blockOf, frameCount, strataCount, stratumCell, stratumProvider } from '../store/strata-block.js';
import { nationalUnit, type Level, type PopulationStratum, type StrataBlock, type Store, type StrataQuery } from '../store/store.js';
import { standardWeights, type StandardChoice } from './standard-weights.js';
import { cellAgeGroup, cellCount, cellIndex, cellSex } from './strata.js';
import { providerTypes, type Estimate, type RateRow, type RateTable, type Shown } from './rate-row.js';

/**
 * The rate engine: rate tables (counts, crude and standardised rates, O/E, the provider split) from
 * the store's strata and population, before the publication grid withholds anything (src/analysis/rates.ts
 * publishes them).
 */

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
  const query = strataQuery(services, o, patients || services.some((s) => s.count === 'patients'), !frames || frames.some((f) => f !== null));
  // Episode-level activity and aggregated counts (where only aggregates are available) add up.
  const activity = [await store.activityStrata(query), blockOf(await store.countsStrata(query), o.fromYear, o.toYear)];
  return rateTables(store, services, o, activity, frames);
}

export const strataQuery = (services: ServiceDefinition[], o: RateOptions, patients: boolean, years: boolean): StrataQuery => ({
  serviceIds: services.map((s) => s.id), fromYear: o.fromYear, toYear: o.toYear, level: o.level, patients, years,
});

/** The rate table of each service from the activity strata (blocks that add up, of all services) and the population. */
export async function rateTables(store: Store, services: RatedService[], o: RateOptions, activity: StrataBlock[], frames?: (number | null)[]): Promise<RateTable[]> {
  for (const b of activity) {
    if (b.fromYear !== o.fromYear || b.toYear !== o.toYear) throw new VaratlasError('store', `strata of ${b.fromYear}–${b.toYear} were given for rates of ${o.fromYear}–${o.toYear}`);
  }
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
    tables.push(rateTable(service, activity, population, standard, o, frames));
  }
  return tables;
}

/**
 * Rates of a low-value measure (its low-value episodes) by area, with the same engine: population at
 * risk inside the measure's (and its service's) age and sex limits; unsuppressed, like
 * computeUnsuppressedRates (published through the measure's grid: measure-grid.ts, low-value.ts).
 */
export async function computeMeasureRates(store: Store, measure: LowValueMeasure, service: ServiceDefinition, o: RateOptions): Promise<RateTable> {
  const activity = [await store.measureStrata(measure, { fromYear: o.fromYear, toYear: o.toYear, level: o.level })];
  const min = Math.max(service.age?.min ?? 0, measure.age?.min ?? 0);
  const max = Math.min(service.age?.max ?? 120, measure.age?.max ?? 120);
  const sex = service.sex === undefined ? undefined : service.sex === 'male' ? 1 : 2;
  const population = await store.populationStrata({ fromYear: o.fromYear, toYear: o.toYear, level: o.level, minAge: min, maxAge: max, sex });
  const standard = await standardWeights(o.standard, population, o.toYear, store);
  const asService: ServiceDefinition = { ...service, id: measure.id, name: measure.name, count: 'episodes', age: { min, max } };
  return rateTable(asService, activity, population, standard, o);
}

function rateTable(
  service: RatedService,
  blocks: StrataBlock[],
  population: PopulationStratum[],
  standard: { weights: Float64Array; description: string },
  o: RateOptions,
  only?: (number | null)[],
): RateTable {
  // What each stratum adds: events as the service counts them, or an amount that is not a count (bed
  // days: its blocks carry it with the sum of its squares, which gives its rows' dispersion).
  const counted = service.count === 'patients' ? 'patients' : service.count === 'procedures' ? 'procedures' : 'episodes';
  const byAmount = service.count === 'bed_days';
  const all: (number | null)[] = [...Array.from({ length: o.toYear - o.fromYear + 1 }, (_, i) => o.fromYear + i), null];
  const frames = only ? all.filter((f) => only.includes(f)) : all;
  const parts = blocks.flatMap((block) => (block.subjects.includes(service.id) ? [{ block, subject: block.subjects.indexOf(service.id) }] : []));
  // The units: those with population (shared by every service with the same limits) and any with activity only.
  const shared = unitNames(population);
  let names = shared;
  for (const { block, subject } of parts) {
    block.units.forEach((u, i) => {
      if (i === 0 || names.has(u.code) || !hasActivity(block, subject, i)) return;
      if (names === shared) names = new Map(shared);
      names.set(u.code, u.name);
    });
  }
  const units = [...names.keys()].sort(unitOrder.compare);
  // Activity summed into slots, one per unit (the nation last) × frame (the period first): per cell the
  // events counted, per slot the patients and the provider split. A stratum with no episodes adds nothing
  // (its patients are none, or not counted).
  const unitIndex = new Map(units.map((u, i) => [u, i]));
  unitIndex.set(nationalUnit, units.length);
  const frameSlots = o.toYear - o.fromYear + 2;
  const frameOf = (year: number | null) => (year === null ? 0 : year - o.fromYear + 1);
  const slots = (units.length + 1) * frameSlots;
  const events = new Float64Array(slots * cellCount);
  const patients = new Float64Array(slots);
  // For an amount: the units behind it (stays) and the sum of their squares, per slot.
  const behind = byAmount ? new Float64Array(slots) : undefined;
  const squares = byAmount ? new Float64Array(slots) : undefined;
  const providers = new Float64Array(slots * providerTypes.length);
  for (const { block, subject } of parts) {
    const U = block.units.length;
    if (byAmount && !block.amount) throw new VaratlasError('store', `the strata of ${service.id} carry no amount to count ${service.count} in`);
    const values = byAmount ? block.amount!.values : block[counted];
    const squared = block.amount?.squares;
    for (let u = 0; u < U; u++) {
      const target = unitIndex.get(block.units[u]!.code);
      if (target === undefined) continue;
      for (let f = 0; f < frameSlots; f++) {
        const slot = target * frameSlots + f;
        const base = ((subject * U + u) * frameSlots + f) * strataCount;
        for (let k = 0; k < strataCount; k++) {
          const n = block.episodes[base + k]!;
          const p = block.patients[base + k]!;
          if (n === 0 && !(p > 0)) continue;
          events[slot * cellCount + stratumCell(k)]! += values[base + k]!;
          patients[slot]! += p;
          if (behind) {
            behind[slot]! += n;
            squares![slot]! += squared![base + k]!;
          }
          // Counts files may leave the provider type out: such events are in the total, not in the split.
          const type = stratumProvider(k);
          if (type < providerTypes.length) providers[slot * providerTypes.length + type]! += n;
        }
      }
    }
  }
  const populationAt = populationFrames(population);

  const rows: RateRow[] = [];
  for (const year of frames) {
    const at = (unit: string) => unitIndex.get(unit)! * frameSlots + frameOf(year);
    const national = at(nationalUnit);
    const nationalPopulation = populationAt(nationalUnit, year);
    const reference = new Float64Array(cellCount);
    for (let c = 0; c < cellCount; c++) {
      const n = nationalPopulation[c]!;
      reference[c] = n > 0 ? events[national * cellCount + c]! / n : 0;
    }
    const row = (unit: string, unitName: string, isNational: boolean) => {
      const slot = at(unit);
      const split = providers.subarray(slot * providerTypes.length, (slot + 1) * providerTypes.length);
      return rateRow(
        { unit, unitName, national: isNational, year },
        { events: events.subarray(slot * cellCount, (slot + 1) * cellCount), patients: patients[slot]!, providers: split, amount: behind && { units: behind[slot]!, squares: squares![slot]! } },
        populationAt(unit, year), standard.weights, reference, o,
      );
    };
    for (const unit of units) rows.push(row(unit, names.get(unit)!, false));
    rows.push(row(nationalUnit, 'National', true));
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

/** Whether a unit of a block has any episodes (or patients) of a subject, in any frame. */
function hasActivity(block: StrataBlock, subject: number, unit: number): boolean {
  const size = frameCount(block) * strataCount;
  const from = (subject * block.units.length + unit) * size;
  for (let i = from; i < from + size; i++) if (block.episodes[i] !== 0 || block.patients[i]! > 0) return true;
  return false;
}

/** Unit codes in natural order (2 before 10), as the tables list them. */
const unitOrder = new Intl.Collator('nb', { numeric: true });

const unitNameCache = new WeakMap<PopulationStratum[], Map<string, string>>();

/** The units of a population list with their names, once per list. */
function unitNames(population: PopulationStratum[]): Map<string, string> {
  let names = unitNameCache.get(population);
  if (!names) {
    names = new Map();
    for (const p of population) if (!names.has(p.unit)) names.set(p.unit, p.unitName);
    unitNameCache.set(population, names);
  }
  return names;
}

const populationCellCache = new WeakMap<PopulationStratum[], Map<string, Float64Array>>();
const noPopulation = new Float64Array(cellCount);

/**
 * The population per cell of a unit (or the nation) in a year (or the period), summed once per
 * population list: every service with the same age and sex limits shares them.
 */
function populationFrames(population: PopulationStratum[]): (unit: string, year: number | null) => Float64Array {
  let byFrame = populationCellCache.get(population);
  if (!byFrame) {
    const frames = new Map<string, Float64Array>();
    const add = (key: string, cell: number, n: number) => {
      let cells = frames.get(key);
      if (!cells) frames.set(key, (cells = new Float64Array(cellCount)));
      cells[cell]! += n;
    };
    for (const p of population) {
      const cell = cellIndex(p.sex, p.ageGroup);
      add(`${p.unit}|${p.year}`, cell, p.population);
      add(`${p.unit}|all`, cell, p.population);
      add(`${nationalUnit}|${p.year}`, cell, p.population);
      add(`${nationalUnit}|all`, cell, p.population);
    }
    populationCellCache.set(population, (byFrame = frames));
  }
  const frames = byFrame;
  return (unit, year) => frames.get(`${unit}|${year ?? 'all'}`) ?? noPopulation;
}

/**
 * What a unit's frame holds: events per cell (as the service counts them), its patients and provider
 * split; for an amount that is not a count (bed days), the number of units behind it (stays, which the
 * provider split and the minimum for a rate count) and the sum of their squared amounts.
 */
interface Slot {
  events: Float64Array;
  patients: number;
  providers: Float64Array;
  amount?: { units: number; squares: number };
}

function rateRow(
  id: Pick<RateRow, 'unit' | 'unitName' | 'national' | 'year'>,
  slot: Slot,
  populationCells: Float64Array,
  weights: Float64Array,
  reference: Float64Array,
  o: RateOptions,
): RateRow {
  // One stratum per cell with population or events (events without population are an error below).
  let events = 0;
  let population = 0;
  const strata: RateStratum[] = [];
  for (let c = 0; c < cellCount; c++) {
    const n = slot.events[c]!;
    const p = populationCells[c]!;
    if (n === 0 && p === 0) continue;
    events += n;
    population += p;
    strata.push({ events: n, population: p, standard: weights[c]!, referenceRate: reference[c]! });
  }
  // NaN: not counted for this analysis (see computeUnsuppressedRates); never shown as a number.
  const patients: Shown<number> = Number.isNaN(slot.patients) ? { withheld: 'not counted' } : slot.patients;
  const providers = { public: slot.providers[0]!, private: slot.providers[1]!, contract_specialist: slot.providers[2]! };
  const byProvider = providers.public + providers.private + providers.contract_specialist;
  // An amount is φ × a Poisson count, φ = Σ a² / Σ a over the stays behind it (src/stats/rates.ts).
  const dispersion = slot.amount && events > 0 ? slot.amount.squares / events : 1;
  const options = { multiplier: o.multiplier, level: o.confidence, dispersion };
  const reason = rateSuppression(slot.amount ? slot.amount.units : events, o.suppression);
  // Events where the population file has nobody: the data disagree, and no rate can be right (a
  // row whose rates are withheld anyway is left as it is).
  for (let c = 0; !reason && c < cellCount; c++) {
    const n = slot.events[c]!;
    if (n > 0 && !(populationCells[c]! > 0)) {
      const group = cellAgeGroup(c);
      throw new VaratlasError(
        'input',
        `${id.unitName} (${id.unit}), ${id.year ?? 'the period'}: ${n} events among ${cellSex(c) === 1 ? 'men' : 'women'} aged ` +
          `${group === 90 ? '90+' : `${group}–${group + 4}`}, but the population has nobody there. Import a population that covers everyone treated.`,
      );
    }
  }
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
    observedExpected: reason ? { withheld: reason } : { ...pick(indirectlyStandardisedRatio(events, expected, o.confidence, dispersion)), expected },
    expected,
    providers,
    privateShare: share(providers.private),
    contractSpecialistShare: share(providers.contract_specialist),
  };
}

const pick = (e: Estimate): Estimate => ({ value: e.value, lower: e.lower, upper: e.upper });
