import type { LowValueMeasure } from '../catalog/measure.js';
import { VaratlasError } from '../errors.js';
import type { Dialect } from './dialect.js';
import { measureKey } from './duckdb-cube.js';
import { providerTypeOrder } from './dialects/duckdb-schema.js';
import { firstEpisodeKey, firstsPeriod, mapped } from './duckdb-firsts.js';
import type { DuckDbSession, Params } from './duckdb-session.js';
import { toNumber } from './normalize.js';
import { emptyBlock, strataCount, stratumOf } from './strata-block.js';
import { nationalUnit, type ActivityStratum, type ResidenceCell, type Level, type PatientTotal, type PopulationQuery, type PopulationStratum, type StrataBlock, type StrataQuery } from './store.js';

/** Columns of cube_residence that name a unit at each level (a fixed list: never user input). */
export const levelColumns: Record<Level, { code: string; name: string }> = {
  area: { code: 'area_code', name: 'area_name' },
  region: { code: 'region_code', name: 'region_name' },
  local: { code: 'local_area_code', name: 'local_area_name' },
  municipality: { code: 'resolved_municipality', name: 'municipality_name' },
};

/** The 5-year age group (0, 5, …, 85, and 90 for 90+) of an age column. */
export const ageGroupOf = (age: string): string => `least(CAST(floor(${age} / 5) AS INTEGER) * 5, 90)`;

const providerTypes = providerTypeOrder;

/** Grouping sets: each unit and the nation, each year and the whole period pooled. */
const frames = (keys: string, unit: string) =>
  `GROUPING SETS ((${keys}, ${unit}, c.year), (${keys}, ${unit}), (${keys}, c.year), (${keys}))`;

/** Each stratum key the cube can hold (sex · 1000 + age group · 10 + provider type) and its number in a StrataBlock; -1 for any other. */
const stratumIndex = new Int16Array(10000).fill(-1);
for (const sex of [1, 2]) for (let g = 0; g <= 90; g += 5) for (let p = 0; p < 4; p++) stratumIndex[sex * 1000 + g * 10 + p] = stratumOf(sex, g, p);

/**
 * The slot in a block of a row read as numbers: subject (from 1), unit (0 the nation; its number from
 * numberedUnits), year (null: the period) and stratum key; an unknown key is an error.
 */
export function blockSlot(block: StrataBlock, subject: number, unit: number, year: number | null, k: number): number {
  const stratum = stratumIndex[k];
  if (stratum === undefined || stratum < 0) throw new VaratlasError('store', `a stratum key is unknown (${k}): expected sex · 1000 + age group · 10 + provider type`);
  const frames = block.toYear - block.fromYear + 2;
  return (((subject - 1) * block.units.length + unit) * frames + (year === null ? 0 : year - block.fromYear + 1)) * strataCount + stratum;
}

/** An empty block for these subjects by the units of a level (numbered as numberedUnits numbers them), the nation first. */
export async function levelBlock(s: DuckDbSession, level: Level, subjects: string[], fromYear: number, toYear: number, memo: Memo): Promise<StrataBlock> {
  const units = await unitsOf(s, level, undefined, memo);
  return emptyBlock(subjects, [{ code: nationalUnit, name: 'National' }, ...units.map((u) => ({ code: String(u.code), name: String(u.name ?? u.code) }))], fromYear, toYear);
}

/** The columns of a strata query, once its stratum column (at `column`) is checked to hold only known strata. */
function knownStrata<T extends (number | null)[][]>(columns: T, column: number): T {
  for (const k of columns[column] ?? []) {
    if (k === null || !(stratumIndex[k] !== undefined && stratumIndex[k]! >= 0)) throw new VaratlasError('store', `the strata cube holds an unknown stratum (${k}); run varatlas refresh`);
  }
  return columns;
}

/** Keeps a small answer until the store is written to (DuckDbStore's); without one, every call asks. */
export type Memo = <T>(key: string, compute: () => Promise<T>) => Promise<T>;
const asked: Memo = (_key, compute) => compute();

interface Selection {
  /** Cube subjects (service ids or measure keys) and the id to report each under. */
  subjects: Map<string, string>;
  fromYear: number;
  toYear: number;
  level: Level;
  patients: boolean;
  /** Report procedures as the number of episodes (low-value measures count episodes). */
  proceduresAsEpisodes?: boolean;
  /** false: the period pooled only. */
  years?: boolean;
  /** Also the distinct patients (no strata) of each unit of this coarser level, from the same reads. */
  totalsLevel?: Level;
}

interface Counted {
  strata: StrataBlock;
  /** Distinct patients per subject × unit of the totals level × year (and the period: year null). */
  totals: PatientTotal[];
}

/**
 * The units of a level, numbered 1… in code order here and in SQL (numberedUnits): rows carry numbers,
 * not text. With a coarser level, each unit's coarser unit (numbered likewise, ci) and whether it is
 * the only one in any year (spread 1).
 */
export function unitsOf(s: DuckDbSession, level: Level, totalsLevel: Level | undefined, memo: Memo) {
  const unit = levelColumns[level];
  const coarse = totalsLevel ? levelColumns[totalsLevel] : undefined;
  return memo(`units|${level}|${totalsLevel}`, () =>
    s.rows(
      `SELECT code, name, coarse, spread, CAST(dense_rank() OVER (ORDER BY coarse) AS INTEGER) AS ci FROM (
         SELECT ${unit.code} AS code, any_value(${unit.name}) AS name, min(${coarse?.code ?? 'NULL'}) AS coarse, count(DISTINCT ${coarse?.code ?? 'NULL'}) AS spread
         FROM cube_residence WHERE area_code IS NOT NULL GROUP BY 1) ORDER BY code`,
    ),
  );
}

/** The units of unitsOf in SQL: code, number ui, coarser unit's number ci. */
export function numberedUnits(level: Level, totalsLevel: Level | undefined): string {
  const unit = levelColumns[level];
  const coarse = totalsLevel ? levelColumns[totalsLevel] : undefined;
  return `(SELECT code, CAST(row_number() OVER (ORDER BY code) AS INTEGER) AS ui, CAST(dense_rank() OVER (ORDER BY coarse) AS INTEGER) AS ci FROM (
    SELECT ${unit.code} AS code, min(${coarse?.code ?? 'NULL'}) AS coarse FROM cube_residence WHERE area_code IS NOT NULL GROUP BY 1))`;
}

/**
 * Activity strata from the cube: per subject, unit (and the nation) × year (and the period pooled) ×
 * sex × 5-year age group × provider type. Patients are counted once per unit and frame: each patient
 * in the stratum of their first episode there (see docs/store.md), so summing strata gives the exact
 * number of distinct patients of a unit, a region or the nation.
 *
 * SQL groups by unit × year only, with the stratum as one small integer (sex, age group, provider);
 * the period and the nation are sums of those, added here — except for patients with more than one
 * cube row, whose first episode per unit, nation, year and period needs a grouping per patient: done by
 * the refresh for the standard period (cube_firsts), by DuckDB here for any other.
 */
async function cubeStrata(s: DuckDbSession, d: Dialect, q: Selection, memo: Memo = asked): Promise<Counted> {
  if (q.subjects.size === 0) return { strata: emptyBlock([], [{ code: nationalUnit, name: 'National' }], q.fromYear, q.toYear), totals: [] };
  const unit = levelColumns[q.level];
  const coarse = q.totalsLevel ? levelColumns[q.totalsLevel] : undefined;
  if (coarse && (!q.patients || q.totalsLevel === 'municipality')) throw new VaratlasError('usage', 'patient totals need patients counted, at the area or region level');
  const subjectKeys = [...q.subjects.keys()];
  const subjects = subjectKeys.map(d.literal).join(', ');
  const params: Params = { from: q.fromYear, to: q.toYear };
  const units = await unitsOf(s, q.level, q.totalsLevel, memo);
  const numbered = numberedUnits(q.level, q.totalsLevel);
  // Areas lie in one region: totals group by the region's number; a geography where a unit moves between
  // coarser units over the years is grouped by the coarser unit's code of each row instead.
  const nested = coarse !== undefined && units.every((u) => toNumber(u.spread) === 1);
  const coarseOf = new Map(units.map((u) => [toNumber(u.ci), String(u.coarse)]));
  const from = (table: string) => `${mapped(table)} JOIN ${numbered} u ON u.code = r.${unit.code}`;
  const where = `c.service_id IN (${subjects}) AND c.year BETWEEN $from AND $to AND r.area_code IS NOT NULL`;
  const subject = `CAST(list_position([${subjects}], c.service_id) AS INTEGER)`;
  const years = q.toYear - q.fromYear + 2;
  const byYear = q.years !== false;
  const totals = new Map<string, PatientTotal>();
  const addTotal = (si: number, unitCode: string, year: number | null, patients: number) => {
    const key = `${si}|${unitCode}|${year}`;
    const t = totals.get(key);
    if (t) t.patients += patients;
    else totals.set(key, { serviceId: q.subjects.get(subjectKeys[si - 1]!)!, unit: unitCode, year, patients });
  };
  // Without the years, SQL groups the period directly: the year column is NULL.
  const yearColumn = byYear ? 'CAST(c.year AS INTEGER)' : 'CAST(NULL AS INTEGER)';
  // Cells in flat arrays, as a StrataBlock numbers them (strata-block.ts): unit 0 the nation, year slot
  // 0 the period; subjects and units are numbered from 1 in SQL.
  const U = units.length + 1;
  const K = strataCount;
  const strata = emptyBlock(
    subjectKeys.map((key) => q.subjects.get(key)!),
    [{ code: nationalUnit, name: 'National' }, ...units.map((u) => ({ code: String(u.code), name: String(u.name ?? u.code) }))],
    q.fromYear,
    q.toYear,
  );
  const { episodes, procedures, patients } = strata;
  const slot = (si: number, ui: number, year: number | null, k: number) => (((si - 1) * U + ui) * years + (year === null ? 0 : year - q.fromYear + 1)) * K + stratumIndex[k]!;
  const add = (to: Float64Array, at: number, n: number) => {
    to[at] = to[at]! + n;
  };
  // Events, and patients with one cube row for the service, counted where that row is (cube_strata
  // holds them per stratum). With totals, the coarser unit too: it does not split the rows (a unit lies
  // in one coarser unit a year).
  const events = s.columns(
    `SELECT ${subject} AS si, u.ui, ${yearColumn} AS year, CAST(c.k AS INTEGER) AS k,
       CAST(sum(c.episodes) AS INTEGER) AS episodes, CAST(sum(c.procedures) AS INTEGER) AS procedures,
       CAST(sum(c.single_patients) AS INTEGER) AS single${coarse && !nested ? `, r.${coarse.code} AS coarse` : ''}
     FROM ${from('cube_strata')} WHERE ${where} GROUP BY ALL`,
    params,
  );
  events.catch(() => undefined);
  // The other patients in the stratum of their first episode, asked for at once: DuckDB finds them while
  // the events are added up here.
  const stored = q.patients ? await firstsStored(s, q, memo) : false;
  const firsts = q.patients ? s.columns(stored ? storedFirstsSql(q, subjects, numbered) : liveFirstsSql(q, subjects, from, where, nested), params) : undefined;
  // Awaited below; should the events throw first, its failure is not left unhandled.
  firsts?.catch(() => undefined);
  const [eSubject, eUnit, eYear, eK, eEpisodes, eProcedures, eSingle, eCoarse] = knownStrata((await events) as number[][], 3);
  // Each unit-year row adds where it counts: the unit's period and year, the nation's period and year
  // (without the years, SQL gave the period: its unit and the nation). A plain loop over 100 000 rows.
  const addAt = (at: number, e: number, p: number, single: number) => {
    episodes[at] = episodes[at]! + e;
    procedures[at] = procedures[at]! + p;
    patients[at] = patients[at]! + single;
  };
  for (let i = 0; i < eSubject!.length; i++) {
    const nation = (eSubject![i]! - 1) * U * years * K + stratumIndex[eK![i]!]!;
    const own = nation + eUnit![i]! * years * K;
    const year = byYear ? (eYear![i]! - q.fromYear + 1) * K : -1;
    const e = eEpisodes![i]!;
    const p = q.proceduresAsEpisodes ? e : eProcedures![i]!;
    const single = firsts ? eSingle![i]! : 0;
    addAt(own, e, p, single);
    addAt(nation, e, p, single);
    if (year >= 0) {
      addAt(own + year, e, p, single);
      addAt(nation + year, e, p, single);
    }
    if (coarse && single > 0) {
      const code = nested ? String(units[eUnit![i]! - 1]!.coarse) : String(eCoarse![i]);
      addTotal(eSubject![i]!, code, null, single);
      if (byYear) addTotal(eSubject![i]!, code, eYear![i]!, single);
    }
  }
  if (firsts) {
    const [fSubject, fUnit, fYear, fK, fCoarse, fPatients] = knownStrata((await firsts) as (number | null)[][], 3);
    for (let i = 0; i < fSubject!.length; i++) {
      // The coarser unit: its number in a live grouping of a nested geography, otherwise its code.
      if (fCoarse![i] !== null) addTotal(fSubject![i]!, nested && !stored ? coarseOf.get(fCoarse![i]!)! : String(fCoarse![i]), fYear![i] ?? null, fPatients![i]!);
      else add(patients, slot(fSubject![i]!, fUnit![i]!, fYear![i] ?? null, fK![i]!), fPatients![i]!);
    }
  }

  if (!q.patients) patients.fill(Number.NaN);
  return { strata, totals: [...totals.values()] };
}

/** Whether cube_firsts holds the first episodes this selection needs (the refresh's period, area or region). */
async function firstsStored(s: DuckDbSession, q: Selection, memo: Memo): Promise<boolean> {
  const levels = q.level === 'area' ? [undefined, 'region'] : q.level === 'region' ? [undefined] : [];
  if (!levels.includes(q.totalsLevel)) return false;
  const period = await memo('firsts-period', () => firstsPeriod(s));
  return period !== null && period[0] === q.fromYear && period[1] === q.toYear;
}

/** The first episodes (columns si, ui, year, k, coarse, patients) as the refresh counted them. */
function storedFirstsSql(q: Selection, subjects: string, numbered: string): string {
  const levels = [q.level, 'nation', ...(q.totalsLevel ? [q.totalsLevel] : [])].map((l) => `'${l}'`).join(', ');
  const coarse = q.totalsLevel ? `CASE WHEN f.level = '${q.totalsLevel}' THEN f.unit END` : 'CAST(NULL AS VARCHAR)';
  return `SELECT CAST(list_position([${subjects}], f.subject) AS INTEGER) AS si, coalesce(u.ui, 0) AS ui, f.year, CAST(f.k AS INTEGER) AS k,
      ${coarse} AS coarse, f.patients
    FROM cube_firsts f LEFT JOIN ${numbered} u ON f.level = '${q.level}' AND u.code = f.unit
    WHERE f.subject IN (${subjects}) AND f.from_year = $from AND f.to_year = $to AND f.level IN (${levels})${q.years === false ? ' AND f.year IS NULL' : ''}`;
}

/**
 * The first episodes grouped per patient from cube_hits: the smallest (date, stratum) as one integer,
 * whose last digits are the stratum, per unit, the nation and the coarser units, per year and the period.
 */
function liveFirstsSql(q: Selection, subjects: string, from: (table: string) => string, where: string, nested: boolean): string {
  const coarse = q.totalsLevel ? levelColumns[q.totalsLevel] : undefined;
  const byYear = q.years !== false;
  const coarseColumn = !coarse ? 'CAST(NULL AS INTEGER)' : nested ? 'u.ci' : `r.${coarse.code}`;
  const coarseSets = coarse ? `, ${byYear ? `(si, c.patient_id, coarse, c.year), ` : ''}(si, c.patient_id, coarse)` : '';
  return `WITH firsts AS (
      SELECT CAST(list_position([${subjects}], c.service_id) AS INTEGER) AS si, u.ui, ${byYear ? 'CAST(c.year AS INTEGER)' : 'CAST(NULL AS INTEGER)'} AS year,
        ${coarseColumn} AS coarse, CAST(${firstEpisodeKey} AS INTEGER) AS k
      FROM ${from('cube_hits')} WHERE ${where} AND NOT coalesce(c.single, false)
      GROUP BY GROUPING SETS (${byYear ? '(si, c.patient_id, u.ui, c.year), ' : ''}(si, c.patient_id, u.ui), ${byYear ? '(si, c.patient_id, c.year), ' : ''}(si, c.patient_id)${coarseSets}))
    SELECT si, coalesce(ui, 0) AS ui, year, k, coarse, CAST(count(*) AS INTEGER) AS patients FROM firsts GROUP BY ALL`;
}

export async function activityStrata(s: DuckDbSession, d: Dialect, q: StrataQuery, memo: Memo = asked): Promise<StrataBlock> {
  return (await cubeStrata(s, d, { ...q, subjects: new Map(q.serviceIds.map((id) => [id, id])), patients: q.patients ?? true }, memo)).strata;
}

/**
 * activityStrata, and from the same reads the distinct patients of each unit of a coarser level
 * without strata (the publication grid's regions): patients with one cube row are counted by rows,
 * the others once per unit and frame. The aggregated counts input adds its patients (it has no ids).
 */
export async function activityWithTotals(s: DuckDbSession, d: Dialect, q: StrataQuery, totalsLevel: Level, memo: Memo = asked): Promise<Counted> {
  const counted = await cubeStrata(s, d, { ...q, subjects: new Map(q.serviceIds.map((id) => [id, id])), patients: true, totalsLevel }, memo);
  const totals = new Map(counted.totals.map((t) => [`${t.serviceId}|${t.unit}|${t.year}`, t]));
  for (const c of await countsStrata(s, d, { ...q, level: totalsLevel }, memo)) {
    if (c.unit === nationalUnit || (q.years === false && c.year !== null)) continue;
    const key = `${c.serviceId}|${c.unit}|${c.year}`;
    const t = totals.get(key);
    if (t) t.patients += c.patients;
    else totals.set(key, { serviceId: c.serviceId, unit: c.unit, year: c.year, patients: c.patients });
  }
  return { strata: counted.strata, totals: [...totals.values()] };
}

/** A measure's low-value episodes in strata, reported under the measure's id (as activityStrata). */
export async function measureStrata(s: DuckDbSession, d: Dialect, m: LowValueMeasure, q: Omit<StrataQuery, 'serviceIds'>): Promise<StrataBlock> {
  await requireMeasure(s, m);
  return (await cubeStrata(s, d, { ...q, subjects: new Map([[measureKey(m.id), m.id]]), patients: q.patients ?? true, proceduresAsEpisodes: true })).strata;
}

async function requireMeasure(s: DuckDbSession, m: LowValueMeasure): Promise<void> {
  const [row] = await s.rows(`SELECT count(*) AS n FROM cube_state WHERE subject = $key`, { key: measureKey(m.id) });
  const [episodes] = await s.rows(`SELECT count(*) AS n FROM imports WHERE kind = 'episodes'`);
  if (toNumber(row!.n) === 0 && toNumber(episodes!.n) > 0) {
    throw new VaratlasError('store', `the low-value measure '${m.id}' is not in the strata cube; run varatlas refresh`);
  }
}

/**
 * Episodes of a measure's service by area, month and provider type (denominator) and its low-value ones
 * (numerator).
 * A measure without exclusions (an intervention on a service with age limits) is read from the
 * service's rows with its age limits; any other measure from its own low-value rows.
 */
export async function lowValueMonthly(s: DuckDbSession, m: LowValueMeasure) {
  const params: Params = { service: m.denominator, key: measureKey(m.id) };
  const numerator = await numeratorTest(s, m, params, '');
  const rows = await s.rows(
    `SELECT r.area_code AS unit, any_value(r.area_name) AS unit_name, strftime(c.start_date, '%Y-%m') AS month, c.provider_type,
       count(*) FILTER (WHERE ${numerator}) AS numerator, count(*) FILTER (WHERE c.service_id = $service) AS denominator
     FROM ${mapped('cube_hits')}
     WHERE c.service_id IN ($service, $key) AND r.area_code IS NOT NULL GROUP BY ALL ORDER BY unit, month, c.provider_type`,
    params,
  );
  return rows.map((r) => ({
    unit: String(r.unit),
    unitName: String(r.unit_name),
    month: String(r.month),
    providerType: String(r.provider_type),
    numerator: toNumber(r.numerator),
    denominator: toNumber(r.denominator),
  }));
}

/** The test of a cube row that a measure counts as low-value, its parameters (suffixed) added to `params`. */
async function numeratorTest(s: DuckDbSession, m: LowValueMeasure, params: Params, suffix: string): Promise<string> {
  const simple = m.exclude.diagnoses.length === 0 && !m.exclude.lookBack;
  if (!simple) {
    await requireMeasure(s, m);
    params[`key${suffix}`] = measureKey(m.id);
    return `c.service_id = $key${suffix}`;
  }
  Object.assign(params, { [`service${suffix}`]: m.denominator, [`min${suffix}`]: m.age?.min ?? 0, [`max${suffix}`]: m.age?.max ?? 200 });
  return `c.service_id = $service${suffix} AND c.age BETWEEN $min${suffix} AND $max${suffix}`;
}

/**
 * Low-value episodes of measures by area, year and provider type, from their rows in cube_strata (every
 * measure of the cube has its low-value episodes there under its own key, whatever its exclusions).
 */
export async function lowValueYearly(s: DuckDbSession, measures: LowValueMeasure[]) {
  if (measures.length === 0) return [];
  const keys = measures.map((m) => measureKey(m.id));
  const params: Params = Object.fromEntries(keys.map((k, i) => [`key_${i}`, k]));
  const list = keys.map((_, i) => `$key_${i}`).join(', ');
  const [known] = await s.rows(`SELECT count(DISTINCT subject) AS n FROM cube_state WHERE subject IN (${list})`, params);
  if (toNumber(known!.n) < keys.length) for (const m of measures) await requireMeasure(s, m);
  const [units, years, subjects, types, numerators] = (await s.columns(
    `SELECT CAST(r.area_code AS VARCHAR), CAST(c.year AS INTEGER), CAST(list_position([${list}], c.service_id) AS INTEGER),
       CAST(c.k % 10 AS INTEGER), CAST(sum(c.episodes) AS INTEGER)
     FROM ${mapped('cube_strata')} WHERE c.service_id IN (${list}) AND r.area_code IS NOT NULL GROUP BY ALL`,
    params,
  )) as [string[], number[], number[], number[], number[]];
  return units.map((unit, i) => ({
    measureId: measures[subjects[i]! - 1]!.id, unit, year: years[i]!, providerType: providerTypes[types[i]!] ?? 'unknown', numerator: numerators[i]!,
  }));
}

/**
 * A service's events per cell of residence — a municipality's part in one local-hospital area (or in one
 * catchment area where the geography names none) — × year × provider type (0 public, 1 private, 2
 * contract specialist, 3 unknown): the finest places of the municipality level's grid.
 */
export async function residenceCells(s: DuckDbSession, d: Dialect, q: Pick<StrataQuery, 'serviceIds' | 'fromYear' | 'toYear'>): Promise<ResidenceCell[]> {
  if (q.serviceIds.length === 0) return [];
  const services = q.serviceIds.map((id) => d.literal(id)).join(', ');
  const [service, municipality, local, area, year, type, episodes, procedures] = (await s.columns(
    `SELECT CAST(list_position([${services}], c.service_id) AS INTEGER), CAST(r.resolved_municipality AS VARCHAR), CAST(r.local_area_code AS VARCHAR),
       CAST(r.area_code AS VARCHAR), CAST(c.year AS INTEGER), CAST(c.k % 10 AS INTEGER), CAST(sum(c.episodes) AS INTEGER), CAST(sum(c.procedures) AS INTEGER)
     FROM ${mapped('cube_strata')} WHERE c.service_id IN (${services}) AND c.year BETWEEN $from AND $to AND r.area_code IS NOT NULL GROUP BY ALL`,
    { from: q.fromYear, to: q.toYear },
  )) as [number[], string[], (string | null)[], string[], number[], number[], number[], number[]];
  return service.map((si, i) => ({
    serviceId: q.serviceIds[si - 1]!, municipality: municipality[i]!, local: local[i] ?? null, area: area[i]!, year: year[i]!,
    providerType: providerTypes[type[i]!] ?? 'unknown', episodes: episodes[i]!, procedures: procedures[i]!,
  }));
}

export async function countsStrata(s: DuckDbSession, d: Dialect, q: StrataQuery, memo: Memo = asked): Promise<ActivityStratum[]> {
  if (q.serviceIds.length === 0) return [];
  const [any] = await memo('counts', () => s.rows(`SELECT EXISTS (SELECT 1 FROM counts) AS any`));
  if (!any?.any) return [];
  const services = q.serviceIds.map((id) => d.literal(id)).join(', ');
  if (q.level === 'local' || q.level === 'municipality') {
    // Aggregated counts come by catchment area: they cannot be split into local-hospital areas or municipalities.
    const [some] = await s.rows(`SELECT EXISTS (SELECT 1 FROM counts WHERE service IN (${services}) AND year BETWEEN $from AND $to) AS some`, { from: q.fromYear, to: q.toYear });
    if (some?.some) throw new VaratlasError('usage', 'these services have aggregated counts by catchment area, which cannot be split into local-hospital areas or municipalities: use --by area or region');
    return [];
  }
  const unit = q.level === 'area' ? { code: 'area_code', name: 'area_name' } : { code: 'region_code', name: 'region_name' };
  // A counts row counts only when its age group lies inside one 5-year group (as for population).
  const rows = await s.rows(
    `WITH areas AS (SELECT area_code, any_value(area_name) AS area_name, any_value(region_code) AS region_code,
                      any_value(region_name) AS region_name FROM geography GROUP BY area_code),
      c AS (SELECT *, ${ageGroupOf('age_lo')} AS age_group FROM counts
            WHERE service IN (${services}) AND year BETWEEN $from AND $to)
    SELECT c.service AS service_id, a.${unit.code} AS unit, any_value(a.${unit.name}) AS unit_name, c.year, c.sex, c.age_group,
      coalesce(c.provider_type, 'unknown') AS provider_type, sum(c.events) AS episodes, sum(coalesce(c.patients, 0)) AS patients,
      sum(c.events) AS procedures, grouping(a.${unit.code}) AS national
    FROM c JOIN areas a ON a.area_code = c.area
    WHERE c.age_hi < c.age_group + 5 OR c.age_group = 90
    GROUP BY ${frames('c.service, c.sex, c.age_group, provider_type', `a.${unit.code}`)}`,
    { from: q.fromYear, to: q.toYear },
  );
  return rows.map((r) => {
    const national = toNumber(r.national) === 1;
    return {
      serviceId: String(r.service_id),
      unit: national ? nationalUnit : String(r.unit),
      unitName: national ? 'National' : String(r.unit_name ?? r.unit),
      year: r.year === null ? null : toNumber(r.year),
      sex: toNumber(r.sex),
      ageGroup: toNumber(r.age_group),
      providerType: String(r.provider_type),
      episodes: toNumber(r.episodes),
      patients: toNumber(r.patients),
      procedures: toNumber(r.procedures),
    };
  });
}

/** Population by unit × year × sex × age span as imported (single years, mostly), for one period and level. */
export interface PopulationRow {
  unit: string;
  unitName: string;
  year: number;
  sex: number;
  ageLo: number;
  ageHi: number;
  population: number;
}

export async function populationRows(s: DuckDbSession, q: Pick<PopulationQuery, 'fromYear' | 'toYear' | 'level'>, memo: Memo = asked): Promise<PopulationRow[]> {
  const unit = levelColumns[q.level];
  const names = await unitsOf(s, q.level, undefined, memo);
  const [units, years, sexes, ageLos, ageHis, populations] = (await s.columns(
    `SELECT u.ui, CAST(c.year AS INTEGER), CAST(c.sex AS INTEGER), CAST(c.age_lo AS INTEGER), CAST(c.age_hi AS INTEGER), CAST(sum(c.population) AS DOUBLE)
     FROM ${mapped('population')} JOIN ${numberedUnits(q.level, undefined)} u ON u.code = r.${unit.code}
     WHERE c.year BETWEEN $from AND $to AND r.area_code IS NOT NULL GROUP BY ALL`,
    { from: q.fromYear, to: q.toYear },
  )) as number[][];
  const codes = names.map((u) => String(u.code));
  const unitNames = names.map((u) => String(u.name ?? u.code));
  return units!.map((ui, i) => ({
    unit: codes[ui - 1]!, unitName: unitNames[ui - 1]!, year: years![i]!, sex: sexes![i]!, ageLo: ageLos![i]!, ageHi: ageHis![i]!, population: populations![i]!,
  }));
}

/**
 * The population at risk by unit × year × sex × 5-year age group inside a service's limits: a row counts
 * only when it lies inside one 5-year group (single years always do) and inside the limits.
 */
export function populationStrata(rows: PopulationRow[], q: PopulationQuery): PopulationStratum[] {
  const min = q.minAge ?? 0;
  const max = q.maxAge ?? 120;
  // Per unit, the cells by number (year · 10⁵ + sex · 10³ + age group): no key text per row.
  const byUnit = new Map<string, Map<number, PopulationStratum>>();
  const out: PopulationStratum[] = [];
  for (const r of rows) {
    const ageGroup = Math.min(Math.floor(r.ageLo / 5) * 5, 90);
    if (r.ageLo < min || r.ageHi > max || (q.sex && r.sex !== q.sex) || !(r.ageHi < ageGroup + 5 || ageGroup === 90)) continue;
    let cells = byUnit.get(r.unit);
    if (!cells) byUnit.set(r.unit, (cells = new Map()));
    const key = r.year * 100_000 + r.sex * 1000 + ageGroup;
    const p = cells.get(key);
    if (p) p.population += r.population;
    else {
      const cell = { unit: r.unit, unitName: r.unitName, year: r.year, sex: r.sex, ageGroup, population: r.population };
      cells.set(key, cell);
      out.push(cell);
    }
  }
  return out;
}
