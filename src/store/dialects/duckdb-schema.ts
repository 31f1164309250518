import { builtinNote, datasetKinds } from '../../model/contract.js';

/** The type of a row's list of problems while its import runs (the dialect's `problem`). */
const problemListType = 'STRUCT(col VARCHAR, reason VARCHAR, val VARCHAR, ref BIGINT)[]';

/**
 * The store's tables and views in DuckDB. Every data table carries `import_id`, so an import can be
 * listed, replaced or explained. Mapping to areas is applied when the cube is read, through the small
 * cube_residence table that each refresh rebuilds: a new geography or renumbering file changes the
 * mapping of everything already loaded without rebuilding the cube.
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
      specialty VARCHAR, import_id INTEGER NOT NULL, contact_type VARCHAR)`,
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
      region_name VARCHAR NOT NULL, valid_from INTEGER, valid_to INTEGER, import_id INTEGER NOT NULL,
      local_area_code VARCHAR, local_area_name VARCHAR)`,
    // Stores made before the episodes' optional contact type (NPR's kontakttype: assessment, treatment, control, other).
    `ALTER TABLE episodes ADD COLUMN IF NOT EXISTS contact_type VARCHAR`,
    // Stores made before the local-hospital level.
    `ALTER TABLE geography ADD COLUMN IF NOT EXISTS local_area_code VARCHAR`,
    `ALTER TABLE geography ADD COLUMN IF NOT EXISTS local_area_name VARCHAR`,
    `CREATE TABLE IF NOT EXISTS renumbering (
      year INTEGER NOT NULL, old_municipality VARCHAR NOT NULL, new_municipality VARCHAR NOT NULL,
      import_id INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS referrals (
      referral_id VARCHAR NOT NULL, patient_id VARCHAR NOT NULL, received_date DATE NOT NULL, age SMALLINT NOT NULL,
      sex TINYINT NOT NULL, municipality VARCHAR NOT NULL, district VARCHAR, referrer_type VARCHAR NOT NULL, referrer_id VARCHAR,
      receiver_id VARCHAR NOT NULL, receiver_type VARCHAR NOT NULL, assessing_unit VARCHAR NOT NULL, assessment VARCHAR NOT NULL,
      deadline_date DATE, reason_codes VARCHAR[], requested_procedures VARCHAR[], assessed_date DATE, import_id INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS standard_population (
      sex TINYINT, age_lo SMALLINT NOT NULL, age_hi SMALLINT NOT NULL, population BIGINT NOT NULL,
      import_id INTEGER NOT NULL)`,
    // An import writes a file's rows, the rejected ones too, with their problems (NULL for an accepted
    // row), commits, and then removes the rejected ones (src/store/duckdb-import.ts): until it has,
    // the import is `finishing`, and the keys of its rejected duplicates wait in import_rejected_keys.
    ...datasetKinds.map((kind) => `ALTER TABLE ${kind} ADD COLUMN IF NOT EXISTS import_problems ${problemListType}`),
    `ALTER TABLE imports ADD COLUMN IF NOT EXISTS finishing BOOLEAN DEFAULT false`,
    `CREATE TABLE IF NOT EXISTS import_rejected_keys (import_id INTEGER NOT NULL, key VARCHAR NOT NULL, keep_first BOOLEAN NOT NULL)`,
    // The strata cube (src/store/duckdb-cube.ts). cube_hits: every episode of every service (and every
    // low-value episode of a measure, as service `measure:ID`) with the columns the analyses group by and
    // the number of its procedure codes that the service names; `single`: the patient's only episode for
    // the service. One table for activity and distinct patients: at national scale activity barely
    // aggregates (1.36 M rows for 1.30 M episodes), and one table is written once.
    `DROP TABLE IF EXISTS service_matches`,
    `DROP TABLE IF EXISTS match_state`,
    // Stores made before cube_hits kept the activity and the patients apart (rebuilt by the next refresh).
    `DROP TABLE IF EXISTS cube_events`,
    `DROP TABLE IF EXISTS cube_patients`,
    `CREATE TABLE IF NOT EXISTS cube_hits (
      import_id INTEGER NOT NULL, service_id VARCHAR NOT NULL, patient_id VARCHAR NOT NULL, year SMALLINT NOT NULL,
      start_date DATE NOT NULL, municipality VARCHAR NOT NULL, district VARCHAR, sex TINYINT NOT NULL, age SMALLINT NOT NULL,
      provider_type VARCHAR NOT NULL, care_level VARCHAR NOT NULL, procedures SMALLINT NOT NULL, single BOOLEAN)`,
    // The rates' view of cube_hits: per import, service, year, place and stratum (k = sex · 1000 + 5-year
    // age group · 10 + provider type: 0 public, 1 private, 2 contract specialist, 3 other), with the
    // patients whose only episode for the service is in that stratum (single_patients).
    `CREATE TABLE IF NOT EXISTS cube_strata (
      import_id INTEGER NOT NULL, service_id VARCHAR NOT NULL, year SMALLINT NOT NULL, municipality VARCHAR NOT NULL,
      district VARCHAR, k SMALLINT NOT NULL, episodes INTEGER NOT NULL, procedures INTEGER NOT NULL, single_patients INTEGER NOT NULL)`,
    // Low-value measures: the service's episodes inside the measure's limits, and the episodes whose
    // diagnoses exclude later ones within the look-back window (any service, same patient).
    `CREATE TABLE IF NOT EXISTS measure_candidates (
      import_id INTEGER NOT NULL, measure_id VARCHAR NOT NULL, patient_id VARCHAR NOT NULL, start_date DATE NOT NULL,
      municipality VARCHAR NOT NULL, district VARCHAR, sex TINYINT NOT NULL, age SMALLINT NOT NULL,
      provider_type VARCHAR NOT NULL, care_level VARCHAR NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS measure_lookback (
      import_id INTEGER NOT NULL, measure_id VARCHAR NOT NULL, patient_id VARCHAR NOT NULL, start_date DATE NOT NULL)`,
    // Which subject (service or measure, with its definition's fingerprint) has been scanned in which import.
    `CREATE TABLE IF NOT EXISTS cube_state (subject VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL, import_id INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS import_years (import_id INTEGER NOT NULL, first_year INTEGER, last_year INTEGER)`,
    `CREATE TABLE IF NOT EXISTS cube_meta (signature VARCHAR NOT NULL, refreshed_at TIMESTAMP NOT NULL, seconds DOUBLE)`,
    // A cube built before single_patients existed gets the column, counted by its next refresh (the
    // cube's layout is part of its signature: src/store/duckdb-cube.ts).
    `ALTER TABLE cube_strata ADD COLUMN IF NOT EXISTS single_patients INTEGER DEFAULT 0`,
    // Patients seen more than once for a subject, each counted once per unit (level: area, region or
    // nation) and frame (year; NULL: the period) in the stratum k of their first episode there, for the
    // standard period from_year–to_year: computed again by every refresh (src/store/duckdb-firsts.ts).
    `CREATE TABLE IF NOT EXISTS cube_firsts (
      subject VARCHAR NOT NULL, from_year INTEGER NOT NULL, to_year INTEGER NOT NULL, level VARCHAR NOT NULL, unit VARCHAR,
      year INTEGER, k SMALLINT NOT NULL, patients INTEGER NOT NULL)`,
    // The residence map of every place and year in the cube and the population, rebuilt (small) by each refresh.
    `CREATE TABLE IF NOT EXISTS cube_residence (
      municipality VARCHAR NOT NULL, district VARCHAR, year INTEGER NOT NULL, resolved_municipality VARCHAR,
      municipality_name VARCHAR, area_code VARCHAR, area_name VARCHAR, region_code VARCHAR, region_name VARCHAR,
      local_area_code VARCHAR, local_area_name VARCHAR)`,
    // Stores made before the local-hospital level (the cube's layout 5 rebuilds the map with it).
    `ALTER TABLE cube_residence ADD COLUMN IF NOT EXISTS local_area_code VARCHAR`,
    `ALTER TABLE cube_residence ADD COLUMN IF NOT EXISTS local_area_name VARCHAR`,
    // Follow renumbering chains (old -> 2020 -> 2024) until stable; later changes only, at most 20 steps.
    // Chains of equal length (a number renumbered in two different years) end at the lowest number, on every run alike.
    `CREATE OR REPLACE VIEW municipality_final AS
      WITH RECURSIVE chain(municipality, current, year, depth) AS (
        SELECT old_municipality, new_municipality, year, 1 FROM renumbering
        UNION ALL
        SELECT c.municipality, r.new_municipality, r.year, c.depth + 1
        FROM chain c JOIN renumbering r ON r.old_municipality = c.current AND r.year >= c.year
        WHERE c.depth < 20)
      SELECT municipality, first(current ORDER BY depth DESC, current) AS final_municipality FROM chain GROUP BY municipality`,
    `DROP VIEW IF EXISTS residence_map`,
    `DROP VIEW IF EXISTS residence_keys`,
  ];
}

/** The imports of reference data shipped with varatlas (`--builtin`): the user's own files rank before them. */
export const builtinImports = `SELECT import_id FROM imports WHERE starts_with(note, '${builtinNote}')`;

/**
 * One row per (municipality, district, year) of `keys`: the area and region it belongs to, or NULLs.
 * Preference: any row of the user's own geography files before the built-in one's (`--builtin norway`),
 * then the number as written before the renumbered one, a district row before a whole-municipality row.
 * A district keeps its last two digits when its municipality is renumbered (Bergen 120101 → 460101 in
 * 2020, Trondheim 160101 → 500101 in 2018), so an old district number finds its district.
 */
export function residenceMapSql(keys: string): string {
  return `WITH keys AS (
      SELECT k.municipality, k.district, k.year, coalesce(m.final_municipality, k.municipality) AS resolved
      FROM (${keys}) k LEFT JOIN municipality_final m ON m.municipality = k.municipality),
    candidates AS (
      SELECT k.*, g.municipality_name, g.area_code, g.area_name, g.region_code, g.region_name, g.local_area_code, g.local_area_name,
        (CASE WHEN g.municipality = k.municipality THEN 0 ELSE 2 END) + (CASE WHEN g.district IS NULL THEN 1 ELSE 0 END)
          + (CASE WHEN g.import_id IN (${builtinImports}) THEN 4 ELSE 0 END) AS preference
      FROM keys k LEFT JOIN geography g
        ON g.municipality IN (k.municipality, k.resolved)
        AND (g.district IS NULL OR g.district = k.district
          OR (starts_with(k.district, k.municipality) AND g.district = k.resolved || substr(k.district, 5)))
        AND k.year BETWEEN coalesce(g.valid_from, 0) AND coalesce(g.valid_to, 9999))
    SELECT municipality, district, year, resolved AS resolved_municipality, municipality_name, area_code, area_name, region_code, region_name,
      local_area_code, local_area_name
    FROM candidates
    QUALIFY row_number() OVER (PARTITION BY municipality, district, year ORDER BY preference) = 1`;
}

/** Provider types in the order of their number in a stratum key. */
/** Cube tables whose rows belong to one import: an import that is replaced takes its rows with it. */
export const cubeTablesByImport = ['cube_hits', 'cube_strata', 'measure_candidates', 'measure_lookback', 'cube_state', 'import_years'];

export const providerTypeOrder = ['public', 'private', 'contract_specialist', 'unknown'];

/** One small number for sex × 5-year age group × provider type: sex · 1000 + age group · 10 + provider. */
export function stratumKey(sex: string, age: string, providerType: string): string {
  const provider = `CASE ${providerType} ${providerTypeOrder.slice(0, 3).map((t, i) => `WHEN '${t}' THEN ${i}`).join(' ')} ELSE 3 END`;
  return `(${sex} * 1000 + least(CAST(floor(${age} / 5) AS INTEGER) * 5, 90) * 10 + ${provider})`;
}
