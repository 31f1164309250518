import type { PathwayDefinition } from '../catalog/pathway.js';
import type { Dialect } from './dialect.js';
import { residenceMapSql } from './dialects/duckdb-schema.js';
import type { DuckDbSession } from './duckdb-session.js';
import { toNumber } from './normalize.js';
import { serviceTest } from './service-match-sql.js';
import type { PathwayEntry } from './store.js';

/**
 * A pathway's entries in the years asked, one row each with what followed in its window
 * (docs/patients.md#pathways): no patient id leaves the store, only the entry's place, provider, sex,
 * age, and the operation and controls that followed.
 *
 * Only whole years are counted, whose every day has its look-back and its follow-up inside the data: 1
 * January minus the look-back on or after the first day of the episodes, 31 December plus the window on
 * or before their last day (so a year's figures never mix complete and cut-off follow-up).
 */
export async function pathwayEntries(s: DuckDbSession, d: Dialect, p: PathwayDefinition, q: { fromYear: number; toYear: number }): Promise<PathwayEntry[]> {
  const test = (part: keyof Pick<PathwayDefinition, 'condition' | 'entry' | 'operation' | 'control'>) => serviceTest(d, p[part]);
  const rows = await s.rows(
    `WITH data AS (SELECT min(start_date) AS first_day, max(coalesce(end_date, start_date)) AS last_day FROM episodes),
      relevant AS (
        -- With a contact type, a control is a contact typed 'control', and a contact typed so is no entry;
        -- without one, any later contact is a control (docs/patients.md#pathways).
        SELECT patient_id, start_date, provider_id, provider_type, municipality, district, age, sex,
          ${test('condition')} AS condition, ${test('entry')} AND coalesce(contact_type, '') <> 'control' AS entry, ${test('operation')} AS operation,
          ${test('control')} AND coalesce(contact_type, 'control') = 'control' AS control
        FROM episodes
        WHERE (${test('condition')} OR ${test('operation')})
          AND start_date BETWEEN CAST(CAST($from AS DATE) - to_months($lookback) AS DATE) AND CAST(CAST($to AS DATE) + to_months($window) AS DATE)),
      conditions AS (
        SELECT *, max(start_date) OVER (PARTITION BY patient_id ORDER BY start_date RANGE BETWEEN UNBOUNDED PRECEDING AND INTERVAL 1 DAY PRECEDING) AS previous
        FROM relevant WHERE condition),
      entries AS (
        SELECT c.patient_id, c.start_date AS entry_date, c.provider_id, c.provider_type, c.municipality, c.district, c.age, c.sex
        FROM conditions c, data
        WHERE c.entry AND (c.previous IS NULL OR c.previous < CAST(c.start_date - to_months($lookback) AS DATE))
          AND c.start_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
          -- whole years only: every day of the entry's year has its look-back and its follow-up inside the data
          AND CAST(make_date(year(c.start_date), 1, 1) - to_months($lookback) AS DATE) >= data.first_day
          AND CAST(make_date(year(c.start_date), 12, 31) + to_months($window) AS DATE) <= data.last_day
        -- two entry contacts the same day: one entry, at the lowest provider id
        QUALIFY row_number() OVER (PARTITION BY c.patient_id, c.start_date ORDER BY c.provider_id, c.provider_type) = 1),
      followed AS (
        SELECT e.patient_id, e.entry_date, any_value(e.provider_id) AS provider_id, any_value(e.provider_type) AS provider_type,
          any_value(e.municipality) AS municipality, any_value(e.district) AS district, any_value(e.age) AS age, any_value(e.sex) AS sex,
          min(r.start_date) FILTER (WHERE r.operation) AS operation_date,
          list(r.start_date) FILTER (WHERE r.control AND NOT r.operation AND r.start_date > e.entry_date) AS control_dates
        FROM entries e JOIN relevant r ON r.patient_id = e.patient_id
          AND r.start_date BETWEEN e.entry_date AND CAST(e.entry_date + to_months($window) AS DATE)
        GROUP BY e.patient_id, e.entry_date),
      places AS (SELECT DISTINCT municipality, district, CAST(year(entry_date) AS INTEGER) AS year FROM followed),
      map AS (SELECT * FROM (${residenceMapSql('SELECT * FROM places')}) WHERE area_code IS NOT NULL)
    SELECT m.area_code, m.region_code, f.provider_id, f.provider_type, f.sex, f.age, year(f.entry_date) AS year,
      f.operation_date IS NOT NULL AS operated, f.operation_date - f.entry_date AS days_to_operation,
      coalesce(len(f.control_dates), 0) AS controls,
      coalesce(len(list_filter(f.control_dates, x -> x > f.operation_date)), 0) AS controls_after_operation
    FROM followed f JOIN map m ON m.municipality = f.municipality AND m.district IS NOT DISTINCT FROM f.district AND m.year = year(f.entry_date)
    ORDER BY ALL`,
    { from: `${q.fromYear}-01-01`, to: `${q.toYear}-12-31`, lookback: p.lookBackMonths, window: p.windowMonths },
  );
  return rows.map((r) => ({
    area: String(r.area_code),
    region: String(r.region_code),
    provider: String(r.provider_id),
    providerType: String(r.provider_type),
    sex: toNumber(r.sex),
    age: toNumber(r.age),
    year: toNumber(r.year),
    operated: Boolean(r.operated),
    daysToOperation: r.days_to_operation === null ? null : toNumber(r.days_to_operation),
    controls: toNumber(r.controls),
    controlsAfterOperation: toNumber(r.controls_after_operation),
  }));
}
