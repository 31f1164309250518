import { datasetKinds } from '../model/contract.js';
import type { Dialect } from './dialect.js';
import { builtinImports, residenceMapSql } from './dialects/duckdb-schema.js';
import { importSelect, toImportRecord } from './duckdb-import.js';
import type { DuckDbSession, Params } from './duckdb-session.js';
import { toNullableString, toNumber } from './normalize.js';
import type { GeographyPlace, ImportRecord, LocalAreas, RejectRecord, StoreStatus } from './store.js';

export async function imports(s: DuckDbSession): Promise<ImportRecord[]> {
  return (await s.rows(`${importSelect} ORDER BY import_id`)).map(toImportRecord);
}

export async function rejects(s: DuckDbSession, filter: { importId?: number; limit: number }): Promise<RejectRecord[]> {
  const where = filter.importId === undefined ? '' : 'WHERE r.import_id = $id';
  const params: Params = { limit: filter.limit };
  if (filter.importId !== undefined) params.id = filter.importId;
  const rows = await s.rows(
    `SELECT r.import_id, i.file_name, r.line, r.column_name, r.reason, r.value
     FROM rejects r JOIN imports i USING (import_id) ${where}
     ORDER BY r.import_id, r.line, r.column_name LIMIT $limit`,
    params,
  );
  return rows.map((r) => ({
    importId: toNumber(r.import_id),
    fileName: String(r.file_name),
    line: toNumber(r.line),
    column: toNullableString(r.column_name),
    reason: String(r.reason),
    value: toNullableString(r.value),
  }));
}

export async function areas(s: DuckDbSession): Promise<StoreStatus['areas']> {
  const rows = await s.rows(
    `SELECT area_code, any_value(area_name) AS area_name, any_value(region_code) AS region_code,
       any_value(region_name) AS region_name, count(DISTINCT municipality) AS municipalities
     FROM geography GROUP BY area_code ORDER BY region_code, area_code`,
  );
  return rows.map((r) => ({
    areaCode: String(r.area_code),
    areaName: String(r.area_name),
    regionCode: String(r.region_code),
    regionName: String(r.region_name),
    municipalities: toNumber(r.municipalities),
  }));
}

/** The local-hospital areas of the cube's residence map (src/store/store.ts, Store.localAreas). */
export async function localAreas(s: DuckDbSession): Promise<LocalAreas> {
  const rows = await s.rows(
    `SELECT local_area_code AS code, any_value(local_area_name) AS name, min(area_code) AS area_code, count(DISTINCT area_code) AS spread, count(*) AS places
     FROM cube_residence WHERE area_code IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  const named = rows.filter((r) => r.code !== null);
  return {
    units: named.map((r) => ({ code: String(r.code), name: String(r.name ?? r.code), areaCode: String(r.area_code) })),
    missing: rows.filter((r) => r.code === null).reduce((n, r) => n + toNumber(r.places), 0),
    crossing: named.filter((r) => toNumber(r.spread) > 1).map((r) => String(r.code)),
  };
}

export async function places(s: DuckDbSession): Promise<GeographyPlace[]> {
  const rows = await s.rows(
    `SELECT municipality, district, coalesce(district_name, municipality_name, municipality) AS name, area_code, area_name,
       region_code, region_name, local_area_code, local_area_name
     FROM geography
     QUALIFY row_number() OVER (PARTITION BY municipality, district ORDER BY
       import_id IN (${builtinImports}), valid_to DESC NULLS FIRST, import_id DESC) = 1
     ORDER BY municipality, district NULLS FIRST`,
  );
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return rows.map((r) => ({
    municipality: String(r.municipality),
    district: text(r.district),
    name: String(r.name),
    area: { code: String(r.area_code), name: String(r.area_name) },
    region: { code: String(r.region_code), name: String(r.region_name) },
    localArea: text(r.local_area_code) === null ? null : { code: String(r.local_area_code), name: text(r.local_area_name) ?? String(r.local_area_code) },
  }));
}

export async function standardPopulation(s: DuckDbSession): Promise<{ sex: number | null; ageLo: number; ageHi: number; population: number }[]> {
  const rows = await s.rows(`SELECT sex, age_lo, age_hi, population FROM standard_population ORDER BY age_lo, sex`);
  return rows.map((r) => ({
    sex: r.sex === null ? null : toNumber(r.sex),
    ageLo: toNumber(r.age_lo),
    ageHi: toNumber(r.age_hi),
    population: toNumber(r.population),
  }));
}

/**
 * What the store holds, straight from the imported rows (not the cube): tables, years, the places no
 * area covers. Reads every episode once, so it is for `varatlas status`, not for the atlas.
 */
export async function status(s: DuckDbSession, d: Dialect): Promise<StoreStatus> {
  const tables = [];
  for (const kind of datasetKinds) {
    const [row] = await s.rows(`SELECT count(*) AS n FROM ${d.ident(kind)}`);
    tables.push({ kind, rows: toNumber(row!.n) });
  }
  const [meta] = await s.rows(`SELECT count(*) AS rejects FROM rejects`);
  // Episodes are read once: counted per place and year, then mapped; years and unmapped places come from that.
  const places = await s.rows(
    `WITH k AS (SELECT municipality, district, CAST(year(start_date) AS INTEGER) AS year, count(*) AS episodes FROM episodes GROUP BY ALL),
       m AS (${residenceMapSql(`SELECT municipality, district, year FROM k UNION SELECT DISTINCT municipality, district, year FROM population`)})
     SELECT k.*, m.area_code IS NOT NULL AS mapped FROM k LEFT JOIN m
       ON m.municipality = k.municipality AND m.district IS NOT DISTINCT FROM k.district AND m.year = k.year`,
  );
  const years = new Map<number, { year: number; episodes: number; mapped: number }>();
  for (const r of places) {
    const y = years.get(toNumber(r.year)) ?? { year: toNumber(r.year), episodes: 0, mapped: 0 };
    y.episodes += toNumber(r.episodes);
    if (r.mapped) y.mapped += toNumber(r.episodes);
    years.set(y.year, y);
  }
  const episodeYears = [...years.values()].sort((a, b) => a.year - b.year);
  const unmapped = places
    .filter((r) => !r.mapped)
    .sort((a, b) => toNumber(b.episodes) - toNumber(a.episodes) || String(a.municipality).localeCompare(String(b.municipality)))
    .slice(0, 50);
  const populationYears = await s.rows(
    `WITH m AS (${residenceMapSql(`SELECT DISTINCT municipality, district, year FROM population`)})
     SELECT p.year, sum(p.population) AS population, sum(p.population) FILTER (WHERE m.area_code IS NULL) AS unmapped
     FROM population p LEFT JOIN m ON m.municipality = p.municipality AND m.district IS NOT DISTINCT FROM p.district AND m.year = p.year
     GROUP BY ALL ORDER BY year`,
  );
  return {
    tables,
    imports: await imports(s),
    rejects: toNumber(meta!.rejects),
    episodeYears: episodeYears.map((y) => ({ ...y, unmapped: y.episodes - y.mapped })),
    populationYears: populationYears.map((r) => ({ year: toNumber(r.year), population: toNumber(r.population), unmapped: toNumber(r.unmapped) })),
    areas: await areas(s),
    unmapped: unmapped.map((r) => ({
      municipality: String(r.municipality),
      district: toNullableString(r.district),
      year: toNumber(r.year),
      episodes: toNumber(r.episodes),
    })),
  };
}

/**
 * First and last year with activity (episodes or counts), from the import summaries, not the episodes;
 * where a population is imported, only the years it covers too (a year without population has no rates).
 */
export async function episodeYears(s: DuckDbSession): Promise<[number, number] | null> {
  const [row] = await s.rows(
    `WITH activity AS (
       SELECT min(lo) AS lo, max(hi) AS hi FROM (
         SELECT first_year AS lo, last_year AS hi FROM import_years WHERE import_id IN (SELECT import_id FROM imports)
         UNION ALL SELECT min(year), max(year) FROM counts)),
     people AS (SELECT min(year) AS lo, max(year) AS hi FROM population)
     SELECT CAST(CASE WHEN people.lo IS NULL THEN activity.lo ELSE greatest(activity.lo, people.lo) END AS INTEGER) AS lo,
       CAST(CASE WHEN people.hi IS NULL THEN activity.hi ELSE least(activity.hi, people.hi) END AS INTEGER) AS hi
     FROM activity, people`,
  );
  if (row?.lo === null || row?.lo === undefined || toNumber(row.lo) > toNumber(row.hi)) return null;
  return [toNumber(row.lo), toNumber(row.hi)];
}
