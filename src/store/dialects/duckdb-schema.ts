/**
 * The store's tables and views in DuckDB. Every data table carries `import_id`, so an import can be
 * listed, replaced or explained. Mapping to areas is a view, never stored: a new geography or
 * renumbering file changes the mapping of everything already loaded.
 */
export function duckdbSchema(): string[] {
  return [
    `CREATE SEQUENCE IF NOT EXISTS import_seq START 1`,
    `CREATE TABLE IF NOT EXISTS imports (
      import_id INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
      file_hash VARCHAR NOT NULL, format VARCHAR NOT NULL, encoding VARCHAR, delimiter VARCHAR,
      rows_read BIGINT NOT NULL, rows_accepted BIGINT NOT NULL, rows_rejected BIGINT NOT NULL,
      note VARCHAR, imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`,
    `CREATE TABLE IF NOT EXISTS rejects (
      import_id INTEGER NOT NULL, line BIGINT NOT NULL, column_name VARCHAR, reason VARCHAR NOT NULL, value VARCHAR)`,
    `CREATE TABLE IF NOT EXISTS episodes (
      episode_id VARCHAR NOT NULL, patient_id VARCHAR NOT NULL, start_date DATE NOT NULL, end_date DATE,
      age SMALLINT NOT NULL, sex TINYINT NOT NULL, municipality VARCHAR NOT NULL, district VARCHAR,
      provider_id VARCHAR NOT NULL, provider_type VARCHAR NOT NULL, care_level VARCHAR NOT NULL,
      main_diagnosis VARCHAR, secondary_diagnoses VARCHAR[], procedures VARCHAR[], drg VARCHAR,
      specialty VARCHAR, import_id INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS counts (
      service VARCHAR NOT NULL, year INTEGER NOT NULL, area VARCHAR NOT NULL, sex TINYINT NOT NULL,
      age_lo SMALLINT NOT NULL, age_hi SMALLINT NOT NULL, provider_type VARCHAR, events BIGINT NOT NULL,
      patients BIGINT, import_id INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS population (
      year INTEGER NOT NULL, municipality VARCHAR NOT NULL, district VARCHAR, sex TINYINT NOT NULL,
      age_lo SMALLINT NOT NULL, age_hi SMALLINT NOT NULL, population BIGINT NOT NULL, import_id INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS geography (
      municipality VARCHAR NOT NULL, district VARCHAR, municipality_name VARCHAR, district_name VARCHAR,
      area_code VARCHAR NOT NULL, area_name VARCHAR NOT NULL, region_code VARCHAR NOT NULL,
      region_name VARCHAR NOT NULL, valid_from INTEGER, valid_to INTEGER, import_id INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS renumbering (
      year INTEGER NOT NULL, old_municipality VARCHAR NOT NULL, new_municipality VARCHAR NOT NULL,
      import_id INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS standard_population (
      sex TINYINT, age_lo SMALLINT NOT NULL, age_hi SMALLINT NOT NULL, population BIGINT NOT NULL,
      import_id INTEGER NOT NULL)`,
    // Which services each episode belongs to, computed once per import and catalogue fingerprint.
    `CREATE TABLE IF NOT EXISTS service_matches (
      service_id VARCHAR NOT NULL, episode_id VARCHAR NOT NULL, procedures SMALLINT NOT NULL, import_id INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS match_state (fingerprint VARCHAR NOT NULL, import_id INTEGER NOT NULL)`,
    // Follow renumbering chains (old -> 2020 -> 2024) until stable; later changes only, at most 20 steps.
    `CREATE OR REPLACE VIEW municipality_final AS
      WITH RECURSIVE chain(municipality, current, year, depth) AS (
        SELECT old_municipality, new_municipality, year, 1 FROM renumbering
        UNION ALL
        SELECT c.municipality, r.new_municipality, r.year, c.depth + 1
        FROM chain c JOIN renumbering r ON r.old_municipality = c.current AND r.year >= c.year
        WHERE c.depth < 20)
      SELECT municipality, arg_max(current, depth) AS final_municipality FROM chain GROUP BY municipality`,
    `CREATE OR REPLACE VIEW residence_keys AS
      SELECT DISTINCT municipality, district, CAST(year(start_date) AS INTEGER) AS year FROM episodes
      UNION SELECT DISTINCT municipality, district, year FROM population`,
    // One row per (municipality, district, year) seen in the data: the area it belongs to, or NULLs.
    // Preference: the number as written before the renumbered one, a district row before a whole-municipality row.
    `CREATE OR REPLACE VIEW residence_map AS
      WITH keys AS (
        SELECT k.municipality, k.district, k.year, coalesce(m.final_municipality, k.municipality) AS resolved
        FROM residence_keys k LEFT JOIN municipality_final m ON m.municipality = k.municipality),
      candidates AS (
        SELECT k.*, g.municipality_name, g.area_code, g.area_name, g.region_code, g.region_name,
          (CASE WHEN g.municipality = k.municipality THEN 0 ELSE 2 END) + (CASE WHEN g.district IS NULL THEN 1 ELSE 0 END) AS preference
        FROM keys k LEFT JOIN geography g
          ON g.municipality IN (k.municipality, k.resolved)
          AND (g.district IS NULL OR g.district = k.district)
          AND k.year BETWEEN coalesce(g.valid_from, 0) AND coalesce(g.valid_to, 9999))
      SELECT municipality, district, year, resolved AS resolved_municipality, municipality_name, area_code, area_name, region_code, region_name
      FROM candidates
      QUALIFY row_number() OVER (PARTITION BY municipality, district, year ORDER BY preference) = 1`,
  ];
}
