import type { Dialect } from './dialect.js';
import { stratumKey } from './dialects/duckdb-schema.js';
import { staysSql, windowParams } from './duckdb-patients.js';
import type { DuckDbSession } from './duckdb-session.js';
import { blockSlot, levelBlock, levelColumns, numberedUnits, type Memo } from './duckdb-strata.js';
import { type StayStrataQuery, type StrataBlock } from './store.js';

/**
 * Stays with a service, in strata (docs/patients.md#stays-in-rates): a stay (built from all the
 * patient's episodes, staysSql) counts once for a service when any of its episodes is one of the
 * service's (cube_hits). It is counted in the year it ends, at the place of residence, sex, age and
 * provider type of its first such episode (earliest start; on a tie the lowest place and provider type),
 * with its bed days. Per unit and the nation × year and the period × stratum, as a StrataBlock whose
 * episodes are the stays and whose amount is the bed days (with their squares, for the intervals).
 * Only the patients with an episode of the services are read.
 */
export async function stayStrata(s: DuckDbSession, d: Dialect, q: StayStrataQuery, memo: Memo): Promise<StrataBlock> {
  const block = await levelBlock(s, q.level, q.serviceIds, q.fromYear, q.toYear, memo);
  const values = new Float64Array(block.episodes.length);
  const squares = new Float64Array(block.episodes.length);
  block.amount = { values, squares };
  block.patients.fill(Number.NaN);
  if (q.serviceIds.length === 0) return block;
  const subjects = q.serviceIds.map(d.literal).join(', ');
  const params = windowParams(q);
  const key = stratumKey('x.f.sex', 'x.f.age', 'x.f.provider_type');
  const [subject, unit, year, k, stays, bedDays, squared] = (await s.columns(
    `WITH hits AS (
        SELECT service_id, patient_id, start_date, year, municipality, district, sex, age, provider_type FROM cube_hits
        WHERE service_id IN (${subjects})
          AND start_date BETWEEN CAST($from AS DATE) - CAST($lookback AS INTEGER) AND CAST($to AS DATE) + CAST($gap AS INTEGER)),
      stays AS (
        SELECT patient_id, start_date, end_date, bed_days FROM (${staysSql('true', 'patient_id IN (SELECT patient_id FROM hits)')})
        WHERE end_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)),
      firsts AS (
        SELECT h.service_id, CAST(year(any_value(t.end_date)) AS INTEGER) AS stay_year, CAST(any_value(t.bed_days) AS DOUBLE) AS bed_days,
          arg_min({'year': h.year, 'municipality': h.municipality, 'district': h.district, 'sex': h.sex, 'age': h.age, 'provider_type': h.provider_type},
            {'start': h.start_date, 'municipality': h.municipality, 'district': h.district, 'provider_type': h.provider_type, 'age': h.age, 'sex': h.sex}) AS f
        FROM hits h JOIN stays t ON t.patient_id = h.patient_id AND h.start_date BETWEEN t.start_date AND t.end_date
        GROUP BY h.service_id, t.patient_id, t.start_date)
    SELECT CAST(list_position([${subjects}], x.service_id) AS INTEGER) AS si, coalesce(u.ui, 0) AS ui, x.stay_year AS year, CAST(${key} AS INTEGER) AS k,
      count(*)::DOUBLE AS stays, sum(x.bed_days) AS bed_days, sum(x.bed_days * x.bed_days) AS squares
    FROM firsts x
      JOIN cube_residence r ON r.municipality = x.f.municipality AND r.district IS NOT DISTINCT FROM x.f.district AND r.year = x.f.year
      JOIN ${numberedUnits(q.level, undefined)} u ON u.code = r.${levelColumns[q.level].code}
    WHERE r.area_code IS NOT NULL
    GROUP BY GROUPING SETS ((si, u.ui, x.stay_year, k), (si, u.ui, k), (si, x.stay_year, k), (si, k))`,
    params,
  )) as [number[], number[], (number | null)[], number[], number[], number[], number[]];
  for (let i = 0; i < subject.length; i++) {
    const at = blockSlot(block, subject[i]!, unit[i]!, year[i] ?? null, k[i]!);
    block.episodes[at] = stays[i]!;
    block.procedures[at] = stays[i]!;
    values[at] = bedDays[i]!;
    squares[at] = squared[i]!;
  }
  return block;
}
