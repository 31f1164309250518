import type { Dialect } from './dialect.js';
import { residenceMapSql } from './dialects/duckdb-schema.js';
import type { DuckDbSession, Params } from './duckdb-session.js';
import { toNumber } from './normalize.js';
import { serviceTest } from './service-match-sql.js';
import type { HeavyUser, Level, PatientStay, PatientUseQuery, StayWindow, UseHistogramRow } from './store.js';

/**
 * Patients behind the episodes (docs/patients.md): stays (episodes of care) built from each patient's
 * episodes, and each patient's use in a year, returned as histograms — how many patients used how much —
 * so that no patient id ever leaves this module.
 */

/** Columns of the residence map that name a unit at each level (a fixed list: never user input). */
export const unitColumn: Record<Level, string> = { area: 'area_code', region: 'region_code', local: 'local_area_code', municipality: 'resolved_municipality' };

/** Which episodes count: all, one catalogue service's, or one specialty's (a parameter). */
export function selectionTest(d: Dialect, q: Pick<PatientUseQuery, 'service' | 'specialty'>, params: Params): string {
  const tests: string[] = [];
  if (q.service) tests.push(serviceTest(d, q.service));
  if (q.specialty !== undefined) {
    params.specialty = q.specialty;
    tests.push('specialty = $specialty');
  }
  return tests.length ? tests.join(' AND ') : 'true';
}

/**
 * One row per stay of the episodes in the window: a patient's episodes in order of start, each joining
 * the stay before it when it starts on or before the latest end so far (an overlap, or the same day), or —
 * inpatient care after inpatient care — within `$gap` days of it (a transfer: the next day by default).
 * Episodes with the same start and end are taken inpatient care first, so that the rule does not depend
 * on the order they were read in. A missing end date is the start date. The stay's residence, age and
 * first provider are its first episode's (earliest start; on a tie, the lowest municipality, district and
 * provider). Bed days: end − start of a stay with inpatient care, else 0
 * (SKDE's Episode_of_care macro, with dates instead of times: docs/patients.md).
 *
 * The window: episodes ending at most `$lookback` days before `$from` (so that a stay begun before the
 * period is known as one), starting at most `$gap` days after `$to` (so that a stay going on after it is).
 */
export function staysSql(selection: string, patientFilter = 'true', withDiagnosis = false): string {
  return `WITH e AS (
      SELECT patient_id, start_date, coalesce(end_date, start_date) AS end_date, care_level = 'inpatient' AS inpatient,
        provider_id, specialty, municipality, district, age, sex, (${selection}) AS selected${withDiagnosis ? ', main_diagnosis' : ''}
      FROM episodes
      WHERE coalesce(end_date, start_date) >= CAST($from AS DATE) - CAST($lookback AS INTEGER)
        AND start_date <= CAST($to AS DATE) + CAST($gap AS INTEGER) AND ${patientFilter}),
    reached AS (
      SELECT *, max(end_date) OVER before AS reach, max(CASE WHEN inpatient THEN end_date END) OVER before AS inpatient_reach
      FROM e WINDOW before AS (PARTITION BY patient_id ORDER BY start_date, end_date, inpatient DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
    numbered AS (
      SELECT *, sum(CASE WHEN start_date <= reach OR (inpatient AND start_date <= inpatient_reach + CAST($gap AS INTEGER)) THEN 0 ELSE 1 END)
        OVER (PARTITION BY patient_id ORDER BY start_date, end_date, inpatient DESC ROWS UNBOUNDED PRECEDING) AS stay_no
      FROM reached)
    SELECT patient_id, stay_no, min(start_date) AS start_date, max(end_date) AS end_date, bool_or(inpatient) AS inpatient,
      CASE WHEN bool_or(inpatient) THEN max(end_date) - min(start_date) ELSE 0 END AS bed_days, count(*) AS episodes,
      arg_min({'provider': provider_id, 'municipality': municipality, 'district': district, 'age': age, 'sex': sex},
        {'start': start_date, 'municipality': municipality, 'district': district, 'provider': provider_id}) AS first,
      arg_max(provider_id, end_date) AS last_provider,
      arg_max(specialty, (end_date - start_date) * 100000 - (start_date - DATE '1900-01-01')) AS department,
      ${withDiagnosis ? `arg_max(main_diagnosis, (end_date - start_date) * 100000 - (start_date - DATE '1900-01-01')) AS diagnosis,` : ''}
      bool_or(selected) AS selected
    FROM numbered GROUP BY patient_id, stay_no`;
}

/** The parameters of the period, and of the stay rule when stays are built (DuckDB refuses a parameter a statement does not use). */
export function windowParams(q: StayWindow, stays = true): Params {
  const period = { from: `${q.fromYear}-01-01`, to: `${q.toYear}-12-31` };
  return stays ? { ...period, gap: q.gapDays ?? 1, lookback: q.lookBackDays ?? 90 } : period;
}

const byStay = (q: PatientUseQuery) => q.measure === 'stays' || q.measure === 'bed_days';

/** A patient's stays with an end in the window (individual-level: for tests and the library, never an output). */
export async function patientStays(s: DuckDbSession, patientId: string, q: StayWindow): Promise<PatientStay[]> {
  const params = { ...windowParams(q), patient: patientId };
  const rows = await s.rows(
    `SELECT strftime(start_date, '%Y-%m-%d') AS start_date, strftime(end_date, '%Y-%m-%d') AS end_date, inpatient, bed_days, episodes,
       first.provider AS first_provider, last_provider, department
     FROM (${staysSql('true', 'patient_id = $patient')}) WHERE end_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) ORDER BY start_date`,
    params,
  );
  return rows.map((r) => ({
    start: String(r.start_date),
    end: String(r.end_date),
    inpatient: Boolean(r.inpatient),
    bedDays: toNumber(r.bed_days),
    episodes: toNumber(r.episodes),
    firstProvider: String(r.first_provider),
    lastProvider: String(r.last_provider),
    department: r.department === null ? null : String(r.department),
  }));
}

/**
 * What each patient used, one row per stay (ending in the period, at the residence of its first episode)
 * or outpatient contact (starting in it, at its own), with the place's unit at the level asked (`unit`)
 * and the amount: 1 for a stay or contact, the stay's bed days for bed_days. Unmapped places are left out.
 */
function usedSql(d: Dialect, q: PatientUseQuery, params: Params): string {
  const selection = selectionTest(d, q, params);
  const rows = byStay(q)
    ? `SELECT patient_id, year(end_date) AS year, first.municipality AS municipality, first.district AS district,
         ${q.measure === 'stays' ? '1' : 'bed_days'} AS amount, department
       FROM (${staysSql(selection)}) WHERE selected AND end_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)`
    : `SELECT patient_id, year(start_date) AS year, municipality, district, 1 AS amount, specialty AS department FROM episodes
       WHERE start_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) AND (${selection}) AND care_level = 'outpatient'`;
  return `WITH used AS (${rows}),
      places AS (SELECT DISTINCT municipality, district, year FROM used),
      map AS (SELECT municipality, district, year, ${unitColumn[q.level]} AS unit FROM (${residenceMapSql('SELECT * FROM places')}) WHERE area_code IS NOT NULL)
    SELECT u.*, m.unit FROM used u JOIN map m ON m.municipality = u.municipality AND m.district IS NOT DISTINCT FROM u.district AND m.year = u.year`;
}

/**
 * Each patient's use per unit of residence (and the nation, unit null) and year (and the period, year
 * null, when it has more than one): a patient who moved is in two units, once in the nation.
 */
function perPatientSql(d: Dialect, q: PatientUseQuery, params: Params): string {
  const pooled = q.fromYear < q.toYear;
  const sets = ['(unit, year, patient_id)', '(year, patient_id)', ...(pooled ? ['(unit, patient_id)', '(patient_id)'] : [])];
  return `SELECT unit, year, patient_id, sum(amount) AS amount, grouping(unit) AS national, grouping(year) AS period
    FROM (${usedSql(d, q, params)}) GROUP BY GROUPING SETS (${sets.join(', ')})`;
}

export async function useHistograms(s: DuckDbSession, d: Dialect, q: PatientUseQuery): Promise<UseHistogramRow[]> {
  const params = windowParams(q, byStay(q));
  const rows = await s.rows(
    `SELECT CASE WHEN national = 1 THEN NULL ELSE unit END AS unit, CASE WHEN period = 1 THEN NULL ELSE year END AS year,
       amount AS value, count(*) AS patients
     FROM (${perPatientSql(d, q, params)}) WHERE amount > 0 GROUP BY ALL ORDER BY ALL`,
    params,
  );
  return rows.map((r) => ({
    unit: r.unit === null ? null : String(r.unit),
    year: r.year === null ? null : toNumber(r.year),
    value: toNumber(r.value),
    patients: toNumber(r.patients),
  }));
}

/**
 * The heaviest users of the nation (or of one unit) in the period: rank, amount and main department (the
 * department of most of their stays or contacts), nothing else — never an id, an age or a place.
 */
export async function heavyUsers(s: DuckDbSession, d: Dialect, q: PatientUseQuery & { unit?: string; count: number }): Promise<HeavyUser[]> {
  const params: Params = { ...windowParams(q, byStay(q)), count: q.count };
  if (q.unit !== undefined) params.unit = q.unit;
  const ranked = await s.rows(
    `WITH chosen AS (SELECT * FROM (${usedSql(d, q, params)}) ${q.unit !== undefined ? 'WHERE unit = $unit' : ''}),
       departments AS (SELECT patient_id, department, sum(amount) AS amount, count(*) AS times FROM chosen GROUP BY ALL)
     SELECT sum(amount) AS amount, arg_min(department, {'times': -times, 'name': department}) AS department
     FROM departments GROUP BY patient_id ORDER BY amount DESC, hash(patient_id) LIMIT CAST($count AS INTEGER)`,
    params,
  );
  return ranked.map((r, i) => ({ rank: i + 1, amount: toNumber(r.amount), department: r.department === null ? null : String(r.department) }));
}
