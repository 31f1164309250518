import type { Dialect } from './dialect.js';
import { residenceMapSql } from './dialects/duckdb-schema.js';
import { selectionTest, staysSql, unitColumn, windowParams } from './duckdb-patients.js';
import type { DuckDbSession } from './duckdb-session.js';
import { toNumber } from './normalize.js';
import type { HeavyProfileCount, PatientUseQuery } from './store.js';

/** ICD-10 chapters (WHO 2019) of a main diagnosis column, by its first three characters. */
const chapter = (code: string) => `CASE
  WHEN ${code} IS NULL THEN 'unknown'
  WHEN left(${code}, 1) IN ('A', 'B') THEN 'I' WHEN left(${code}, 1) = 'C' OR left(${code}, 3) BETWEEN 'D00' AND 'D48' THEN 'II'
  WHEN left(${code}, 1) = 'D' THEN 'III' WHEN left(${code}, 1) = 'E' THEN 'IV' WHEN left(${code}, 1) = 'F' THEN 'V' WHEN left(${code}, 1) = 'G' THEN 'VI'
  WHEN left(${code}, 3) BETWEEN 'H00' AND 'H59' THEN 'VII' WHEN left(${code}, 1) = 'H' THEN 'VIII' WHEN left(${code}, 1) = 'I' THEN 'IX'
  WHEN left(${code}, 1) = 'J' THEN 'X' WHEN left(${code}, 1) = 'K' THEN 'XI' WHEN left(${code}, 1) = 'L' THEN 'XII' WHEN left(${code}, 1) = 'M' THEN 'XIII'
  WHEN left(${code}, 1) = 'N' THEN 'XIV' WHEN left(${code}, 1) = 'O' THEN 'XV' WHEN left(${code}, 1) = 'P' THEN 'XVI' WHEN left(${code}, 1) = 'Q' THEN 'XVII'
  WHEN left(${code}, 1) = 'R' THEN 'XVIII' WHEN left(${code}, 1) IN ('S', 'T') THEN 'XIX' WHEN left(${code}, 1) IN ('V', 'W', 'X', 'Y') THEN 'XX'
  WHEN left(${code}, 1) = 'Z' THEN 'XXI' ELSE 'XXII' END`;

/** Age bands of the profile. */
const ageBand = (age: string) => `CASE WHEN ${age} < 18 THEN '0-17' WHEN ${age} < 50 THEN '18-49' WHEN ${age} < 67 THEN '50-66' WHEN ${age} < 80 THEN '67-79' ELSE '80+' END`;

/**
 * Who the heaviest users are, in counts (docs/patients.md#the-heaviest-users-profile): for the top
 * fractions of the patients ranked by stays or bed days (ties in a fixed, id-free order), their patients by
 * sex and age band at their first stay, their stays by ICD-10 chapter and by main department, the patients
 * readmitted (an inpatient stay starting within 30 days of the end of an earlier one), and those treated by
 * providers of two or more regions (a provider's region: where most of its patients of the period live).
 * Also the totals (patients and stays of each group, and of all users). Only counts leave the store.
 */
export async function heavyUserProfile(s: DuckDbSession, d: Dialect, q: PatientUseQuery & { unit?: string; fractions: number[] }): Promise<HeavyProfileCount[]> {
  const params = { ...windowParams(q), ...(q.unit !== undefined ? { unit: q.unit } : {}) };
  const selection = selectionTest(d, q, params);
  const rows = await s.rows(
    `WITH stays AS (SELECT * FROM (${staysSql(selection, 'true', true)}) WHERE selected AND end_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)),
      places AS (SELECT DISTINCT first.municipality AS municipality, first.district AS district, CAST(year(end_date) AS INTEGER) AS year FROM stays),
      map AS (SELECT municipality, district, year, ${unitColumn[q.level]} AS unit, region_code FROM (${residenceMapSql('SELECT * FROM places')}) WHERE area_code IS NOT NULL),
      mapped AS (SELECT s.*, m.unit, m.region_code FROM stays s JOIN map m ON m.municipality = s.first.municipality AND m.district IS NOT DISTINCT FROM s.first.district AND m.year = year(s.end_date)),
      homes AS (SELECT first.provider AS provider, mode(region_code ORDER BY region_code) AS region FROM mapped GROUP BY 1),
      chosen AS (SELECT * FROM mapped ${q.unit !== undefined ? 'WHERE unit = $unit' : ''}),
      per AS (
        SELECT patient_id, sum(${q.measure === 'bed_days' ? 'bed_days' : '1'}) AS amount, count(*) AS stays,
          arg_min(first.sex, start_date) AS sex, arg_min(first.age, start_date) AS age
        FROM chosen GROUP BY patient_id),
      ranked AS (SELECT *, row_number() OVER (ORDER BY amount DESC, hash(patient_id)) AS rank, count(*) OVER () AS users FROM per WHERE amount > 0),
      members AS (
        SELECT f.fraction, r.* FROM ranked r, (SELECT unnest([${q.fractions.map(Number).join(', ')}]) AS fraction) f
        WHERE r.rank <= floor(f.fraction * r.users + 1e-9)
        UNION ALL SELECT 1.0 AS fraction, r.* FROM ranked r),
      member_stays AS (SELECT m.fraction, c.* FROM members m JOIN chosen c USING (patient_id)),
      readmitted AS (
        SELECT DISTINCT fraction, patient_id FROM (
          SELECT fraction, patient_id, start_date - lag(end_date) OVER (PARTITION BY fraction, patient_id ORDER BY start_date, end_date) AS gap
          FROM member_stays WHERE inpatient) WHERE gap BETWEEN 0 AND 30),
      regions AS (
        SELECT fraction, patient_id FROM (
          SELECT s.fraction, s.patient_id, h.region FROM member_stays s JOIN homes h ON h.provider = s.first.provider
          UNION SELECT s.fraction, s.patient_id, h.region FROM member_stays s JOIN homes h ON h.provider = s.last_provider)
        GROUP BY ALL HAVING count(DISTINCT region) >= 2)
    SELECT fraction, 'total' AS dimension, 'patients' AS category, count(*) AS n FROM members GROUP BY ALL
    UNION ALL SELECT fraction, 'total', 'stays', count(*) FROM member_stays GROUP BY ALL
    UNION ALL SELECT fraction, 'sex', CAST(sex AS VARCHAR), count(*) FROM members GROUP BY ALL
    UNION ALL SELECT fraction, 'age', ${ageBand('age')}, count(*) FROM members GROUP BY ALL
    UNION ALL SELECT fraction, 'chapter', ${chapter('diagnosis')}, count(*) FROM member_stays GROUP BY ALL
    UNION ALL SELECT fraction, 'department', coalesce(department, 'unknown'), count(*) FROM member_stays GROUP BY ALL
    UNION ALL SELECT fraction, 'readmitted', 'yes', count(*) FROM readmitted GROUP BY ALL
    UNION ALL SELECT fraction, 'regions', 'two or more', count(*) FROM regions GROUP BY ALL
    ORDER BY ALL`,
    params,
  );
  return rows.map((r) => ({ fraction: toNumber(r.fraction), dimension: String(r.dimension) as HeavyProfileCount['dimension'], category: String(r.category), count: toNumber(r.n) }));
}
