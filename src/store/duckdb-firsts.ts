import { stratumKey } from './dialects/duckdb-schema.js';
import type { DuckDbSession } from './duckdb-session.js';
import { episodeYears } from './duckdb-status.js';

/**
 * The first episodes of patients seen more than once for a subject, counted per unit: each such patient
 * once per area, region and the nation, each year and the standard period, in the stratum (sex, age
 * group, provider type) of their first episode there. This is what makes distinct patients exact when
 * strata are summed (docs/store.md), and it is the one part of the rates that needs a grouping per
 * patient: about 0.3 s at national scale, on every first answer. The refresh computes it once for the
 * standard period, after the residence map it depends on (so a new geography is in it); a read of
 * another period asks the cube directly (duckdb-strata.ts).
 */

/** The smallest (start date, stratum) of a patient's rows as one integer, whose last four digits are the stratum. */
export const firstEpisodeKey = `min(CAST(date_diff('day', DATE '1900-01-01', c.start_date) AS BIGINT) * 10000 + ${stratumKey('c.sex', 'c.age', 'c.provider_type')}) % 10000`;

/** Join a cube table (alias c) to its place of residence mapped to units (alias r). */
export const mapped = (table: string) =>
  `${table} c JOIN cube_residence r ON r.municipality = c.municipality AND r.district IS NOT DISTINCT FROM c.district AND r.year = c.year`;

/** Compute cube_firsts again for the store's standard period (inside the refresh's transaction). */
export async function precomputeFirsts(s: DuckDbSession): Promise<void> {
  await s.run(`DELETE FROM cube_firsts`);
  const period = await episodeYears(s);
  if (!period) return;
  await s.run(
    `INSERT INTO cube_firsts
     WITH firsts AS (
       SELECT c.service_id AS subject,
         CASE WHEN grouping(r.area_code) = 0 THEN 'area' WHEN grouping(r.region_code) = 0 THEN 'region' ELSE 'nation' END AS level,
         coalesce(r.area_code, r.region_code) AS unit, CAST(c.year AS INTEGER) AS year, CAST(${firstEpisodeKey} AS SMALLINT) AS k
       FROM ${mapped('cube_hits')}
       WHERE c.year BETWEEN $from AND $to AND r.area_code IS NOT NULL AND NOT coalesce(c.single, false)
       GROUP BY GROUPING SETS ((c.service_id, c.patient_id, r.area_code, c.year), (c.service_id, c.patient_id, r.area_code),
         (c.service_id, c.patient_id, r.region_code, c.year), (c.service_id, c.patient_id, r.region_code),
         (c.service_id, c.patient_id, c.year), (c.service_id, c.patient_id)))
     SELECT subject, $from, $to, level, unit, year, k, count(*) FROM firsts
     WHERE unit IS NOT NULL OR level = 'nation' GROUP BY ALL ORDER BY subject`,
    { from: period[0], to: period[1] },
  );
}

/** The period cube_firsts holds (null: none, e.g. no patient is seen twice, or a cube refreshed before it existed). */
export async function firstsPeriod(s: DuckDbSession): Promise<[number, number] | null> {
  const [row] = await s.rows(`SELECT min(from_year) AS lo, min(to_year) AS hi FROM cube_firsts`);
  return row?.lo === null || row?.lo === undefined ? null : [Number(row.lo), Number(row.hi)];
}
