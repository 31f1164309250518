import type { LowValueMeasure } from '../catalog/measure.js';
import type { Catalogue } from '../catalog/service.js';
import { duckdb } from '../store/dialects/duckdb.js';
import { residenceMapSql } from '../store/dialects/duckdb-schema.js';
import { DuckDbSession, type Params } from '../store/duckdb-session.js';
import { openStore } from '../store/open-store.js';
import * as info from '../store/duckdb-status.js';
import { countsStrata } from '../store/duckdb-strata.js';
import { toNumber, type Row } from '../store/normalize.js';
import { blockOf } from '../store/strata-block.js';
import { hasDiagnosis, matchingProcedureCount, serviceTest } from '../store/service-match-sql.js';
import { nationalUnit, type ActivityStratum, type Level, type PopulationQuery, type StrataQuery, type Store } from '../store/store.js';

/**
 * The way varatlas computed strata before the cube, kept only as a reference for the test that the
 * cube gives the same figures: every query matches the episodes themselves against the catalogue and
 * maps every episode's residence. Distinct patients are summed over strata, as then (NaN here: the
 * cube's exact counts are tested against COUNT(DISTINCT) instead).
 */
export async function episodePathStore(path: string, catalogue: Catalogue): Promise<Store & { sql(sql: string, params?: Params): Promise<Row[]> }> {
  const s = await DuckDbSession.open({ path, readOnly: true });
  let cubeStore: Promise<Store> | undefined;
  const cube = () => (cubeStore ??= openStore({ path, readOnly: true }));
  const d = duckdb;
  const residence = `(${residenceMapSql(`SELECT DISTINCT municipality, district, CAST(year(start_date) AS INTEGER) AS year FROM episodes
    UNION SELECT DISTINCT municipality, district, year FROM population`)})`;
  const levelColumns: Record<Level, { code: string; name: string }> = {
    area: { code: 'area_code', name: 'area_name' },
    region: { code: 'region_code', name: 'region_name' },
    local: { code: 'local_area_code', name: 'local_area_name' },
    municipality: { code: 'resolved_municipality', name: 'municipality_name' },
  };
  const ageGroupOf = (age: string): string => `least(CAST(floor(${age} / 5) AS INTEGER) * 5, 90)`;
  const toStratum = (r: Row): ActivityStratum => ({
    serviceId: String(r.service_id),
    unit: String(r.unit),
    unitName: String(r.unit_name ?? r.unit),
    year: r.year === null ? null : toNumber(r.year),
    sex: toNumber(r.sex),
    ageGroup: toNumber(r.age_group),
    providerType: String(r.provider_type),
    episodes: toNumber(r.episodes),
    patients: Number.NaN,
    procedures: toNumber(r.procedures),
  });
  /** The old engine summed the units for the nation. */
  const withNation = (strata: ActivityStratum[]): ActivityStratum[] => {
    const nation = new Map<string, ActivityStratum>();
    for (const a of strata) {
      const key = [a.serviceId, a.year, a.sex, a.ageGroup, a.providerType].join('|');
      const n = nation.get(key) ?? { ...a, unit: nationalUnit, unitName: 'National', episodes: 0, procedures: 0 };
      n.episodes += a.episodes;
      n.procedures += a.procedures;
      nation.set(key, n);
    }
    return [...strata, ...nation.values()];
  };
  const flagged = (m: LowValueMeasure) => {
    const service = catalogue.services.find((x) => x.id === m.denominator)!;
    const limits = [m.age?.min !== undefined ? `e.age >= ${Number(m.age.min)}` : 'true', m.age?.max !== undefined ? `e.age <= ${Number(m.age.max)}` : 'true'];
    const lookBack = m.exclude.lookBack;
    const earlier = lookBack
      ? `EXISTS (SELECT 1 FROM episodes p WHERE p.patient_id = e.patient_id AND p.start_date < e.start_date
           AND p.start_date >= e.start_date - INTERVAL ${Number(lookBack.months)} MONTH AND ${hasDiagnosis(d, lookBack.diagnoses, 'p')})`
      : 'false';
    return `SELECT e.*, CAST(year(e.start_date) AS INTEGER) AS year, strftime(e.start_date, '%Y-%m') AS month,
        (${limits.join(' AND ')}) AND NOT ${hasDiagnosis(d, m.exclude.diagnoses, 'e')} AND NOT ${earlier} AS low_value
      FROM episodes e WHERE ${serviceTest(d, service)}`;
  };
  const fail = (): never => {
    throw new Error('not part of the reference path');
  };
  return {
    engine: 'duckdb-episodes',
    readOnly: true,
    generation: 0,
    sql: (sql, params) => s.rows(sql, params),
    async activityStrata(q: StrataQuery) {
      const unit = levelColumns[q.level];
      const services = catalogue.services.filter((x) => q.serviceIds.includes(x.id));
      if (services.length === 0) return blockOf([], q.fromYear, q.toYear);
      const tests = services.map((x) => `CASE WHEN ${serviceTest(d, x)} THEN {'id': ${d.literal(x.id)}, 'n': ${matchingProcedureCount(d, x)}} END`);
      const rows = await s.rows(
        `WITH e AS (SELECT m.id AS service_id, m.n AS n_procedures, patient_id, municipality, district, sex, provider_type, year, age_group FROM (
            SELECT *, CAST(year(start_date) AS INTEGER) AS year, ${ageGroupOf('age')} AS age_group,
              unnest(list_filter([${tests.join(', ')}], x -> x IS NOT NULL)) AS m
            FROM episodes WHERE year(start_date) BETWEEN $from AND $to))
        SELECT e.service_id, r.${unit.code} AS unit, any_value(r.${unit.name}) AS unit_name, e.year, e.sex, e.age_group, e.provider_type,
          count(*) AS episodes, sum(e.n_procedures) AS procedures
        FROM e JOIN ${residence} r ON r.municipality = e.municipality AND r.district IS NOT DISTINCT FROM e.district AND r.year = e.year
        WHERE r.area_code IS NOT NULL
        GROUP BY GROUPING SETS ((e.service_id, unit, e.year, e.sex, e.age_group, e.provider_type), (e.service_id, unit, e.sex, e.age_group, e.provider_type))`,
        { from: q.fromYear, to: q.toYear },
      );
      return blockOf(withNation(rows.map(toStratum)), q.fromYear, q.toYear);
    },
    countsStrata: (q) => countsStrata(s, d, q),
    // The publication grid's decision needs exact distinct patients, which only the cube counts (checked
    // against COUNT(DISTINCT) in the other test): both paths read the same masks from the cube.
    activityWithTotals: async (q: StrataQuery, level: Level) => (await cube()).activityWithTotals(q, level),
    async populationStrata(q: PopulationQuery) {
      const unit = levelColumns[q.level];
      const rows = await s.rows(
        `WITH p AS (SELECT *, ${ageGroupOf('age_lo')} AS age_group FROM population
                    WHERE year BETWEEN $from AND $to AND age_lo >= $min AND age_hi <= $max AND ($sex = 0 OR sex = $sex))
        SELECT r.${unit.code} AS unit, any_value(r.${unit.name}) AS unit_name, p.year, p.sex, p.age_group, sum(p.population) AS population
        FROM p JOIN ${residence} r ON r.municipality = p.municipality AND r.district IS NOT DISTINCT FROM p.district AND r.year = p.year
        WHERE r.area_code IS NOT NULL AND (p.age_hi < p.age_group + 5 OR p.age_group = 90)
        GROUP BY ALL`,
        { from: q.fromYear, to: q.toYear, min: q.minAge ?? 0, max: q.maxAge ?? 120, sex: q.sex ?? 0 },
      );
      return rows.map((r) => ({
        unit: String(r.unit), unitName: String(r.unit_name ?? r.unit), year: toNumber(r.year), sex: toNumber(r.sex),
        ageGroup: toNumber(r.age_group), population: toNumber(r.population),
      }));
    },
    async lowValueMonthly(m: LowValueMeasure) {
      const rows = await s.rows(
        `WITH f AS (${flagged(m)})
        SELECT r.area_code AS unit, any_value(r.area_name) AS unit_name, f.month, f.provider_type,
          count(*) FILTER (WHERE f.low_value) AS numerator, count(*) AS denominator
        FROM f JOIN ${residence} r ON r.municipality = f.municipality AND r.district IS NOT DISTINCT FROM f.district AND r.year = f.year
        WHERE r.area_code IS NOT NULL GROUP BY ALL ORDER BY unit, month, f.provider_type`,
      );
      return rows.map((r) => ({ unit: String(r.unit), unitName: String(r.unit_name), month: String(r.month), providerType: String(r.provider_type), numerator: toNumber(r.numerator), denominator: toNumber(r.denominator) }));
    },
    async measureStrata(m: LowValueMeasure, q: Omit<StrataQuery, 'serviceIds'>) {
      const unit = levelColumns[q.level];
      const rows = await s.rows(
        `WITH f AS (${flagged(m)})
        SELECT ${d.literal(m.id)} AS service_id, r.${unit.code} AS unit, any_value(r.${unit.name}) AS unit_name, f.year, f.sex,
          ${ageGroupOf('f.age')} AS age_group, f.provider_type, count(*) AS episodes, count(*) AS procedures
        FROM f JOIN ${residence} r ON r.municipality = f.municipality AND r.district IS NOT DISTINCT FROM f.district AND r.year = f.year
        WHERE r.area_code IS NOT NULL AND f.low_value AND f.year BETWEEN $from AND $to
        GROUP BY GROUPING SETS ((service_id, unit, f.year, f.sex, age_group, f.provider_type), (service_id, unit, f.sex, age_group, f.provider_type))`,
        { from: q.fromYear, to: q.toYear },
      );
      return blockOf(withNation(rows.map(toStratum)), q.fromYear, q.toYear);
    },
    async lowValueYearly(this: Store, measures: LowValueMeasure[]) {
      const out = new Map<string, { measureId: string; unit: string; year: number; providerType: string; numerator: number }>();
      for (const m of measures) {
        for (const r of await this.lowValueMonthly(m)) {
          const year = Number(r.month.slice(0, 4));
          const key = `${m.id}|${r.unit}|${year}|${r.providerType}`;
          const row = out.get(key) ?? { measureId: m.id, unit: r.unit, year, providerType: r.providerType, numerator: 0 };
          row.numerator += r.numerator;
          out.set(key, row);
        }
      }
      return [...out.values()];
    },
    refreshCube: async () => ({ changed: false, scannedImports: 0, scannedSubjects: 0, seconds: 0 }),
    async episodeYears() {
      const [row] = await s.rows(
        `SELECT CAST(min(y) AS INTEGER) AS lo, CAST(max(y) AS INTEGER) AS hi
         FROM (SELECT year(start_date) AS y FROM episodes UNION ALL SELECT year AS y FROM counts)`,
      );
      return row?.lo === null || row?.lo === undefined ? null : [toNumber(row.lo), toNumber(row.hi)];
    },
    areas: () => info.areas(s),
    places: () => info.places(s),
    localAreas: () => info.localAreas(s),
    residenceCells: async (q) => (await cube()).residenceCells(q),
    standardPopulation: () => info.standardPopulation(s),
    useHistograms: fail,
    heavyUsers: fail,
    patientStays: fail,
    stayStrata: fail,
    referralStrata: fail,
    referralYears: fail,
    assessmentCounts: fail,
    assessmentDays: fail,
    pathwayEntries: fail,
    heavyUserProfile: fail,
    importDataset: fail,
    describeParquet: fail,
    findEarlierImports: fail,
    imports: () => info.imports(s),
    rejects: fail,
    status: fail,
    cubeStatus: fail,
    checkpoint: async () => undefined,
    interrupt: () => s.interrupt(),
    close: async () => {
      s.close();
      if (cubeStore) await (await cubeStore).close();
    },
  };
}
