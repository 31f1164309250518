import type { ServiceDefinition } from '../catalog/service.js';
import { VaratlasError } from '../errors.js';
import { toNumber } from './normalize.js';
import type { Dialect } from './dialect.js';
import { stratumKey } from './dialects/duckdb-schema.js';
import type { DuckDbSession } from './duckdb-session.js';
import { levelColumns, numberedUnits, unitsOf, type Memo } from './duckdb-strata.js';
import { referralTest } from './service-match-sql.js';
import { emptyBlock, strataCount, stratumOf } from './strata-block.js';
import { nationalUnit, type Level, type StrataBlock } from './store.js';

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
  const units = await unitsOf(s, q.level, undefined, memo);
  const block = emptyBlock(services.map((x) => x.id), [{ code: nationalUnit, name: 'National' }, ...units.map((u) => ({ code: String(u.code), name: String(u.name ?? u.code) }))], q.fromYear, q.toYear);
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
  const U = block.units.length;
  const frames = q.toYear - q.fromYear + 2;
  for (let i = 0; i < subject.length; i++) {
    const sex = Math.floor(k[i]! / 1000);
    const group = Math.floor((k[i]! % 1000) / 10);
    const receiver = k[i]! % 10;
    if (!((sex === 1 || sex === 2) && group % 5 === 0 && group <= 90 && receiver <= 3)) throw new VaratlasError('store', `a referral has an unknown stratum (${k[i]})`);
    const at = (((subject[i]! - 1) * U + unit[i]!) * frames + (year[i] === null ? 0 : year[i]! - q.fromYear + 1)) * strataCount + stratumOf(sex, group, receiver);
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
