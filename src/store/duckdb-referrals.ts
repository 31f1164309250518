import type { ServiceDefinition } from '../catalog/service.js';
import { toNumber } from './normalize.js';
import type { Dialect } from './dialect.js';
import { stratumKey } from './dialects/duckdb-schema.js';
import type { DuckDbSession } from './duckdb-session.js';
import { blockSlot, levelBlock, levelColumns, numberedUnits, type Memo } from './duckdb-strata.js';
import { referralTest } from './service-match-sql.js';
import { type AssessmentCount, type AssessmentDays, type Level, type StrataBlock } from './store.js';

/**
 * Referrals asking for each service (referralTest), in strata: per unit of residence and the nation ×
 * year received (and the period) × sex × age group × receiver type (public, private, contract
 * specialist), as a StrataBlock whose episodes are the referrals. The place of residence is mapped as
 * the population's is (cube_residence); distinct patients are not counted.
 */
export async function referralStrata(
  s: DuckDbSession,
  d: Dialect,
  services: ServiceDefinition[],
  q: { fromYear: number; toYear: number; level: Level },
  memo: Memo,
): Promise<StrataBlock> {
  const block = await levelBlock(s, q.level, services.map((x) => x.id), q.fromYear, q.toYear, memo);
  block.patients.fill(Number.NaN);
  if (services.length === 0) return block;
  const subjects = services.map((x) => d.literal(x.id)).join(', ');
  const tests = services.map((x) => `CASE WHEN ${referralTest(d, x)} THEN ${d.literal(x.id)} END`);
  const [subject, unit, year, k, n] = (await s.columns(
    `WITH asked AS (
        SELECT unnest(list_filter([${tests.join(', ')}], x -> x IS NOT NULL)) AS service_id, CAST(year(received_date) AS INTEGER) AS year,
          municipality, district, ${stratumKey('sex', 'age', 'receiver_type')} AS k
        FROM referrals WHERE received_date BETWEEN make_date(CAST($from AS INTEGER), 1, 1) AND make_date(CAST($to AS INTEGER), 12, 31))
    SELECT CAST(list_position([${subjects}], a.service_id) AS INTEGER) AS si, coalesce(u.ui, 0) AS ui, a.year, CAST(a.k AS INTEGER) AS k, count(*)::DOUBLE AS n
    FROM asked a
      JOIN cube_residence r ON r.municipality = a.municipality AND r.district IS NOT DISTINCT FROM a.district AND r.year = a.year
      JOIN ${numberedUnits(q.level, undefined)} u ON u.code = r.${levelColumns[q.level].code}
    WHERE r.area_code IS NOT NULL
    GROUP BY GROUPING SETS ((si, u.ui, a.year, a.k), (si, u.ui, a.k), (si, a.year, a.k), (si, a.k))`,
    { from: q.fromYear, to: q.toYear },
  )) as [number[], number[], (number | null)[], number[], number[]];
  for (let i = 0; i < subject.length; i++) {
    const at = blockSlot(block, subject[i]!, unit[i]!, year[i] ?? null, k[i]!);
    block.episodes[at] = n[i]!;
    block.procedures[at] = n[i]!;
  }
  return block;
}

/** The years with referrals and population (the referrals' standard period), or null. */
export async function referralYears(s: DuckDbSession): Promise<[number, number] | null> {
  const [row] = await s.rows(
    `SELECT CAST(greatest(r.lo, p.lo) AS INTEGER) AS lo, CAST(least(r.hi, p.hi) AS INTEGER) AS hi
     FROM (SELECT min(year(received_date)) AS lo, max(year(received_date)) AS hi FROM referrals) r, (SELECT min(year) AS lo, max(year) AS hi FROM population) p`,
  );
  if (row?.lo === null || row?.lo === undefined || row.hi === null || toNumber(row.lo) > toNumber(row.hi)) return null;
  return [toNumber(row.lo), toNumber(row.hi)];
}

/** A service's referrals per assessing unit, year and stratum (sex, 5-year age group, reason category): how they were assessed. */
export async function assessmentCounts(s: DuckDbSession, d: Dialect, service: ServiceDefinition, q: { fromYear: number; toYear: number }): Promise<AssessmentCount[]> {
  const rows = await s.rows(
    `SELECT assessing_unit AS unit, CAST(year(received_date) AS INTEGER) AS year, CAST(sex AS INTEGER) AS sex, least(CAST(floor(age / 5) AS INTEGER) * 5, 90) AS age_group,
       coalesce(left(reason_codes[1], 3), '') AS reason, count(*) AS n, count(*) FILTER (WHERE assessment = 'right') AS rights,
       count(*) FILTER (WHERE assessment IN ('declined', 'returned')) AS turned_away
     FROM referrals WHERE ${referralTest(d, service)} AND received_date BETWEEN make_date(CAST($from AS INTEGER), 1, 1) AND make_date(CAST($to AS INTEGER), 12, 31)
     GROUP BY ALL ORDER BY ALL`,
    { from: q.fromYear, to: q.toYear },
  );
  return rows.map((r) => ({
    unit: String(r.unit), year: toNumber(r.year), sex: toNumber(r.sex), ageGroup: toNumber(r.age_group), reason: String(r.reason),
    referrals: toNumber(r.n), rights: toNumber(r.rights), turnedAway: toNumber(r.turned_away),
  }));
}

/** Median days from received to the deadline (referrals with a right) and to the assessment, per assessing unit (null: all) and year (null: the period). */
export async function assessmentDays(s: DuckDbSession, d: Dialect, service: ServiceDefinition, q: { fromYear: number; toYear: number }): Promise<AssessmentDays[]> {
  const rows = await s.rows(
    `SELECT assessing_unit AS unit, CAST(year(received_date) AS INTEGER) AS year, grouping(assessing_unit) AS all_units, grouping(year(received_date)) AS period,
       median(deadline_date - received_date) FILTER (WHERE assessment = 'right') AS to_deadline, median(assessed_date - received_date) AS to_assessment
     FROM referrals WHERE ${referralTest(d, service)} AND received_date BETWEEN make_date(CAST($from AS INTEGER), 1, 1) AND make_date(CAST($to AS INTEGER), 12, 31)
     GROUP BY GROUPING SETS ((assessing_unit, year(received_date)), (assessing_unit), (year(received_date)), ())`,
    { from: q.fromYear, to: q.toYear },
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    unit: toNumber(r.all_units) === 1 ? null : String(r.unit),
    year: toNumber(r.period) === 1 ? null : toNumber(r.year),
    toDeadline: num(r.to_deadline),
    toAssessment: num(r.to_assessment),
  }));
}
