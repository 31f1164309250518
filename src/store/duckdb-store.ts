import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { VaratlasError } from '../errors.js';
import { contract, datasetKinds, type DatasetKind } from '../model/contract.js';
import { rawColumn, type Dialect } from './dialect.js';
import { duckdb } from './dialects/duckdb.js';
import { toNullableString, toNumber, type Row } from './normalize.js';
import type { ServiceDefinition } from '../catalog/service.js';
import { hasDiagnosis, matchingProcedureCount, serviceTest } from './service-match-sql.js';
import type { LowValueMeasure } from '../catalog/measure.js';
import type {
  ActivityStratum,
  ImportPlan,
  ImportRecord,
  ImportResult,
  Level,
  PopulationQuery,
  PopulationStratum,
  RejectRecord,
  Store,
  StoreStatus,
  StrataQuery,
} from './store.js';
import { checkedRowsSql, tableColumns } from './validation-sql.js';

export interface DuckDbOptions {
  /** Database file; ':memory:' for a throw-away store. */
  path: string;
  /** DuckDB memory limit, e.g. '4GB'; DuckDB spills to disk beyond it. */
  memoryLimit?: string;
  threads?: number;
}

type Params = Record<string, string | number | boolean | null>;

const temp = { source: 'va_source', checked: 'va_checked', csvRejects: 'va_csv_rejects', csvScans: 'va_csv_scans' };

export class DuckDbStore implements Store {
  readonly engine = 'duckdb';
  private readonly d: Dialect = duckdb;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(options: DuckDbOptions): Promise<DuckDbStore> {
    const config: Record<string, string> = {};
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    let instance: DuckDBInstance;
    try {
      if (options.path !== ':memory:') await mkdir(dirname(resolve(options.path)), { recursive: true });
      instance = await DuckDBInstance.create(options.path, config);
    } catch (error) {
      throw new VaratlasError('store', `cannot open the database ${options.path}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
    const store = new DuckDbStore(instance, await instance.connect());
    for (const statement of store.d.schema()) await store.run(statement);
    return store;
  }

  /** Set by interrupt(): no further statement starts, so a stopped import cannot continue. */
  private interrupted = false;

  private async run(sql: string, params?: Params): Promise<void> {
    this.throwIfInterrupted();
    try {
      await this.connection.run(sql, params);
    } catch (error) {
      throw this.interruptedOr(error);
    }
  }

  /** DuckDB's own interrupt error becomes ours, whichever statement it stopped. */
  private interruptedOr(error: unknown): unknown {
    return this.interrupted && /interrupt/i.test(String((error as Error)?.message))
      ? new VaratlasError('interrupted', 'interrupted; the store is unchanged', { cause: error })
      : error;
  }

  private throwIfInterrupted(): void {
    if (this.interrupted) throw new VaratlasError('interrupted', 'interrupted; the store is unchanged');
  }

  private async rows(sql: string, params?: Params): Promise<Row[]> {
    this.throwIfInterrupted();
    try {
      const reader = await this.connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as Row[];
    } catch (error) {
      throw this.interruptedOr(error);
    }
  }

  /** Run a long statement while reporting DuckDB's own progress estimate. */
  private async runWatched(sql: string, params: Params, onProgress?: (fraction: number) => void): Promise<void> {
    if (!onProgress) return this.run(sql, params);
    const timer = setInterval(() => {
      const p = this.connection.progress.percentage;
      if (p >= 0) onProgress(Math.min(1, p / 100));
    }, 250);
    try {
      await this.run(sql, params);
    } finally {
      clearInterval(timer);
    }
  }

  interrupt(): void {
    this.interrupted = true;
    this.connection.interrupt();
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  async describeParquet(path: string): Promise<string[]> {
    try {
      const rows = await this.rows(`DESCRIBE SELECT * FROM read_parquet($path)`, { path });
      return rows.map((r) => String(r.column_name));
    } catch (error) {
      throw new VaratlasError('input', `${path} cannot be read as Parquet: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  async findEarlierImports(kind: DatasetKind, fileHash: string, fileName: string): Promise<ImportRecord[]> {
    const rows = await this.rows(
      `${importSelect} WHERE kind = $kind AND (file_hash = $hash OR file_name = $name) ORDER BY import_id`,
      { kind, hash: fileHash, name: fileName },
    );
    return rows.map(toImportRecord);
  }

  async imports(): Promise<ImportRecord[]> {
    return (await this.rows(`${importSelect} ORDER BY import_id`)).map(toImportRecord);
  }

  async importDataset(plan: ImportPlan, onProgress?: (fraction: number) => void): Promise<ImportResult> {
    const spec = contract[plan.kind];
    const d = this.d;
    const table = d.ident(plan.kind);
    await this.run('BEGIN TRANSACTION');
    try {
      await this.dropTemps();
      const earlier = await this.findEarlierImports(plan.kind, plan.fileHash, plan.fileName);
      if (earlier.length > 0 && !plan.replace) {
        const first = earlier[0]!;
        throw new VaratlasError(
          'duplicate_import',
          `${plan.fileName} was already imported as ${plan.kind} (import ${first.importId}, ${first.importedAt}); ` +
            'nothing was changed. Use --replace to replace the earlier import.',
        );
      }
      for (const old of earlier) {
        await this.run(`DELETE FROM ${table} WHERE import_id = $id`, { id: old.importId });
        await this.run(`DELETE FROM rejects WHERE import_id = $id`, { id: old.importId });
        await this.run(`DELETE FROM imports WHERE import_id = $id`, { id: old.importId });
        await this.run(`DELETE FROM service_matches WHERE import_id = $id`, { id: old.importId });
        await this.run(`DELETE FROM match_state WHERE import_id = $id`, { id: old.importId });
      }
      const [idRow] = await this.rows(`SELECT nextval('import_seq') AS id`);
      const importId = toNumber(idRow!.id);

      await this.runWatched(`CREATE TEMP TABLE ${temp.source} AS ${this.sourceSelect(plan)}`, { path: plan.path }, (f) =>
        onProgress?.(f * 0.6),
      );
      const malformed = plan.format === 'csv' ? await this.keepMalformedLines(importId) : 0;
      const raw = new Map([...plan.positions].map(([name, position]) => [name, rawColumn(position)]));
      const source = `(SELECT ordinality AS rec, * FROM ${temp.source})`;
      await this.runWatched(`CREATE TEMP TABLE ${temp.checked} AS ${checkedRowsSql(d, spec, raw, source)}`, {}, (f) =>
        onProgress?.(0.6 + f * 0.3),
      );
      await this.run(`DROP TABLE ${temp.source}`); // frees memory before the insert
      await this.run(this.rejectsInsert(plan, malformed), { id: importId });
      const columns = tableColumns(spec).map((c) => d.ident(c.name));
      await this.runWatched(
        `INSERT INTO ${table} (${columns.join(', ')}, import_id)
         SELECT ${columns.join(', ')}, $id FROM ${temp.checked} WHERE problems IS NULL`,
        { id: importId },
        (f) => onProgress?.(0.9 + f * 0.1),
      );
      const [counts] = await this.rows(
        `SELECT count(*) AS parsed, count(*) FILTER (WHERE problems IS NULL) AS accepted FROM ${temp.checked}`,
      );
      const parsed = toNumber(counts!.parsed);
      const accepted = toNumber(counts!.accepted);
      const result: ImportResult = {
        importId,
        kind: plan.kind,
        rowsRead: parsed + malformed,
        rowsAccepted: accepted,
        rowsRejected: parsed - accepted + malformed,
        replacedImports: earlier.map((e) => e.importId),
      };
      await this.run(
        `INSERT INTO imports (import_id, kind, file_name, file_hash, format, encoding, delimiter, rows_read, rows_accepted, rows_rejected, note)
         VALUES ($id, $kind, $name, $hash, $format, $encoding, $delimiter, $read, $accepted, $rejected, $note)`,
        {
          id: importId,
          kind: plan.kind,
          name: plan.fileName,
          hash: plan.fileHash,
          format: plan.format,
          encoding: plan.encoding ?? null,
          delimiter: plan.delimiter ?? null,
          read: result.rowsRead,
          accepted: result.rowsAccepted,
          rejected: result.rowsRejected,
          note: plan.note ?? null,
        },
      );
      await this.dropTemps();
      await this.run('COMMIT');
      onProgress?.(1);
      return result;
    } catch (error) {
      await this.rollback();
      throw translateError(error, plan);
    }
  }

  private async rollback(): Promise<void> {
    // Straight to the connection: a rollback must run even after an interrupt.
    try {
      await this.connection.run('ROLLBACK');
    } catch {
      // The transaction may already be gone (an interrupt aborts it); the store is unchanged either way.
    }
    for (const name of Object.values(temp)) await this.connection.run(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
  }

  private async dropTemps(): Promise<void> {
    for (const name of Object.values(temp)) await this.run(`DROP TABLE IF EXISTS ${name}`);
  }

  private sourceSelect(plan: ImportPlan): string {
    if (plan.format === 'csv') {
      return `SELECT * FROM ${this.d.readCsv({
        columnCount: plan.columnCount,
        delimiter: plan.delimiter ?? ',',
        rejectsTable: temp.csvRejects,
        rejectsScanTable: temp.csvScans,
      })}`;
    }
    // Positional references: column names written in a user's file never reach SQL.
    const columns = Array.from({ length: plan.columnCount }, (_, i) => `CAST(#${i + 1} AS VARCHAR) AS ${rawColumn(i)}`);
    return `SELECT ${columns.join(', ')}, ordinality FROM ${this.d.readParquet()}`;
  }

  /**
   * Write the problems of the rejected rows with their line numbers. Rows are numbered by record
   * (`rec`) while checking; only the rejected few are turned into lines here. The CSV reader numbers
   * the rows it kept 1, 2, … and reports the line of each malformed one, so kept record k sits on line
   * k + 1 (header) + the number of malformed lines before it. Parquet has no lines: its "line" is the
   * row number.
   */
  private rejectsInsert(plan: ImportPlan, malformed: number): string {
    const header = plan.format === 'csv' ? 1 : 0;
    const steps =
      malformed === 0
        ? `SELECT CAST(NULL AS BIGINT) AS kept_before, CAST(NULL AS BIGINT) AS skipped WHERE false`
        : `WITH bad AS (SELECT DISTINCT line FROM ${temp.csvRejects}),
             numbered AS (SELECT line - row_number() OVER (ORDER BY line) - 1 AS kept_before, row_number() OVER (ORDER BY line) AS skipped FROM bad)
           SELECT kept_before, max(skipped) AS skipped FROM numbered GROUP BY kept_before`;
    return `INSERT INTO rejects (import_id, line, column_name, reason, value)
      WITH steps AS (${steps}),
        problems AS (SELECT rec, unnest(problems) AS p FROM ${temp.checked} WHERE problems IS NOT NULL),
        lined AS (SELECT problems.*, rec + ${header} + coalesce(s.skipped, 0) AS line
          FROM problems ASOF LEFT JOIN steps s ON problems.rec > s.kept_before),
        referred AS (SELECT lined.*, lined.p.ref + ${header} + coalesce(s.skipped, 0) AS ref_line
          FROM lined ASOF LEFT JOIN steps s ON lined.p.ref > s.kept_before)
      SELECT $id, line, p.col, p.reason || coalesce(' ' || CAST(ref_line AS VARCHAR), ''), p.val FROM referred`;
  }

  private async keepMalformedLines(importId: number): Promise<number> {
    // One reject per malformed line; the reader's message says what is wrong with its shape.
    await this.run(
      `INSERT INTO rejects (import_id, line, column_name, reason, value)
       SELECT $id, line, NULL, 'malformed line: ' || lower(arg_min(error_type, column_idx)) || ' (' || arg_min(error_message, column_idx) || ')', NULL
       FROM ${temp.csvRejects} GROUP BY line`,
      { id: importId },
    );
    const [row] = await this.rows(`SELECT count(DISTINCT line) AS n FROM ${temp.csvRejects}`);
    return toNumber(row!.n);
  }

  async ensureServiceMatches(services: ServiceDefinition[], fingerprint: string): Promise<{ matchedImports: number }> {
    await this.run('BEGIN TRANSACTION');
    try {
      await this.run(`DELETE FROM service_matches WHERE import_id IN (SELECT import_id FROM match_state WHERE fingerprint <> $f)`, { f: fingerprint });
      await this.run(`DELETE FROM match_state WHERE fingerprint <> $f`, { f: fingerprint });
      const pending = await this.rows(
        `SELECT import_id FROM imports WHERE kind = 'episodes' AND import_id NOT IN (SELECT import_id FROM match_state) ORDER BY import_id`,
      );
      // One scan per import: every service's test gives its id or NULL; the list is unnested.
      const tests = services.map(
        (s) => `CASE WHEN ${serviceTest(this.d, s)} THEN {'id': ${this.d.literal(s.id)}, 'n': ${matchingProcedureCount(this.d, s)}} END`,
      );
      for (const row of pending) {
        const id = toNumber(row.import_id);
        if (tests.length > 0) {
          await this.run(
            `INSERT INTO service_matches (service_id, episode_id, procedures, import_id)
             SELECT m.id, episode_id, m.n, $id FROM (
               SELECT episode_id, unnest(list_filter([${tests.join(',\n')}], x -> x IS NOT NULL)) AS m
               FROM episodes WHERE import_id = $id)`,
            { id },
          );
        }
        await this.run(`INSERT INTO match_state VALUES ($f, $id)`, { f: fingerprint, id });
      }
      await this.run('COMMIT');
      return { matchedImports: pending.length };
    } catch (error) {
      await this.rollback();
      throw translateStoreError(error);
    }
  }

  async activityStrata(q: StrataQuery): Promise<ActivityStratum[]> {
    if (q.serviceIds.length === 0) return [];
    const unit = levelColumns[q.level];
    const services = q.serviceIds.map((id) => this.d.literal(id)).join(', ');
    const rows = await this.rows(
      `WITH m AS (SELECT * FROM service_matches WHERE service_id IN (${services})),
        e AS (SELECT m.service_id, m.procedures AS n_procedures, e.patient_id, e.municipality, e.district, e.sex, e.provider_type,
                CAST(year(e.start_date) AS INTEGER) AS year, ${ageGroupOf('e.age')} AS age_group
              FROM m JOIN episodes e ON e.episode_id = m.episode_id
              WHERE year(e.start_date) BETWEEN $from AND $to)
      SELECT e.service_id, r.${unit.code} AS unit, any_value(r.${unit.name}) AS unit_name, e.year, e.sex, e.age_group, e.provider_type,
        count(*) AS episodes, count(DISTINCT e.patient_id) AS patients, sum(e.n_procedures) AS procedures
      FROM e JOIN residence_map r ON r.municipality = e.municipality AND r.district IS NOT DISTINCT FROM e.district AND r.year = e.year
      WHERE r.area_code IS NOT NULL
      GROUP BY GROUPING SETS ((e.service_id, unit, e.year, e.sex, e.age_group, e.provider_type), (e.service_id, unit, e.sex, e.age_group, e.provider_type))`,
      { from: q.fromYear, to: q.toYear },
    );
    return rows.map(toActivityStratum);
  }

  async countsStrata(q: StrataQuery): Promise<ActivityStratum[]> {
    if (q.serviceIds.length === 0 || q.level === 'municipality') return [];
    const services = q.serviceIds.map((id) => this.d.literal(id)).join(', ');
    const unit = q.level === 'area' ? { code: 'area_code', name: 'area_name' } : { code: 'region_code', name: 'region_name' };
    // A counts row counts only when its age group lies inside one 5-year group (as for population).
    const rows = await this.rows(
      `WITH areas AS (SELECT area_code, any_value(area_name) AS area_name, any_value(region_code) AS region_code,
                        any_value(region_name) AS region_name FROM geography GROUP BY area_code),
        c AS (SELECT *, ${ageGroupOf('age_lo')} AS age_group FROM counts
              WHERE service IN (${services}) AND year BETWEEN $from AND $to)
      SELECT c.service AS service_id, a.${unit.code} AS unit, any_value(a.${unit.name}) AS unit_name, c.year, c.sex, c.age_group,
        coalesce(c.provider_type, 'unknown') AS provider_type, sum(c.events) AS episodes, sum(coalesce(c.patients, 0)) AS patients,
        sum(c.events) AS procedures
      FROM c JOIN areas a ON a.area_code = c.area
      WHERE c.age_hi < c.age_group + 5 OR c.age_group = 90
      GROUP BY GROUPING SETS ((service_id, unit, c.year, c.sex, c.age_group, provider_type), (service_id, unit, c.sex, c.age_group, provider_type))`,
      { from: q.fromYear, to: q.toYear },
    );
    return rows.map(toActivityStratum);
  }

  async populationStrata(q: PopulationQuery): Promise<PopulationStratum[]> {
    const unit = levelColumns[q.level];
    const params: Params = { from: q.fromYear, to: q.toYear, min: q.minAge ?? 0, max: q.maxAge ?? 120, sex: q.sex ?? 0 };
    // A row counts only when it lies inside one 5-year group (single years always do) and inside the limits.
    const rows = await this.rows(
      `WITH p AS (SELECT *, ${ageGroupOf('age_lo')} AS age_group FROM population
                  WHERE year BETWEEN $from AND $to AND age_lo >= $min AND age_hi <= $max AND ($sex = 0 OR sex = $sex))
      SELECT r.${unit.code} AS unit, any_value(r.${unit.name}) AS unit_name, p.year, p.sex, p.age_group, sum(p.population) AS population
      FROM p JOIN residence_map r ON r.municipality = p.municipality AND r.district IS NOT DISTINCT FROM p.district AND r.year = p.year
      WHERE r.area_code IS NOT NULL AND (p.age_hi < p.age_group + 5 OR p.age_group = 90)
      GROUP BY ALL`,
      params,
    );
    return rows.map((r) => ({
      unit: String(r.unit),
      unitName: String(r.unit_name ?? r.unit),
      year: toNumber(r.year),
      sex: toNumber(r.sex),
      ageGroup: toNumber(r.age_group),
      population: toNumber(r.population),
    }));
  }

  /** The episodes of a measure's service with a `low_value` flag (SQL over `episodes` and its own service matches). */
  private flaggedEpisodesSql(m: LowValueMeasure): string {
    const d = this.d;
    const limits = [m.age?.min !== undefined ? `e.age >= ${Number(m.age.min)}` : 'true', m.age?.max !== undefined ? `e.age <= ${Number(m.age.max)}` : 'true'];
    const lookBack = m.exclude.lookBack;
    // Earlier episodes of the same patient inside the window with an excluding diagnosis.
    const earlier = lookBack
      ? `EXISTS (SELECT 1 FROM episodes p WHERE p.patient_id = e.patient_id AND p.start_date < e.start_date
           AND p.start_date >= e.start_date - INTERVAL ${Number(lookBack.months)} MONTH AND ${hasDiagnosis(d, lookBack.diagnoses, 'p')})`
      : 'false';
    return `SELECT e.*, CAST(year(e.start_date) AS INTEGER) AS year, strftime(e.start_date, '%Y-%m') AS month,
        (${limits.join(' AND ')}) AND NOT ${hasDiagnosis(d, m.exclude.diagnoses, 'e')} AND NOT ${earlier} AS low_value
      FROM service_matches s JOIN episodes e ON e.episode_id = s.episode_id WHERE s.service_id = $service`;
  }

  async lowValueMonthly(m: LowValueMeasure) {
    const rows = await this.rows(
      `WITH f AS (${this.flaggedEpisodesSql(m)})
      SELECT r.area_code AS unit, any_value(r.area_name) AS unit_name, f.month,
        count(*) FILTER (WHERE f.low_value) AS numerator, count(*) AS denominator
      FROM f JOIN residence_map r ON r.municipality = f.municipality AND r.district IS NOT DISTINCT FROM f.district AND r.year = f.year
      WHERE r.area_code IS NOT NULL GROUP BY ALL ORDER BY unit, month`,
      { service: m.denominator },
    );
    return rows.map((r) => ({
      unit: String(r.unit),
      unitName: String(r.unit_name),
      month: String(r.month),
      numerator: toNumber(r.numerator),
      denominator: toNumber(r.denominator),
    }));
  }

  async measureStrata(m: LowValueMeasure, q: Omit<StrataQuery, 'serviceIds'>): Promise<ActivityStratum[]> {
    const unit = levelColumns[q.level];
    const rows = await this.rows(
      `WITH f AS (${this.flaggedEpisodesSql(m)})
      SELECT ${this.d.literal(m.id)} AS service_id, r.${unit.code} AS unit, any_value(r.${unit.name}) AS unit_name, f.year, f.sex,
        ${ageGroupOf('f.age')} AS age_group, f.provider_type, count(*) AS episodes, count(DISTINCT f.patient_id) AS patients, count(*) AS procedures
      FROM f JOIN residence_map r ON r.municipality = f.municipality AND r.district IS NOT DISTINCT FROM f.district AND r.year = f.year
      WHERE r.area_code IS NOT NULL AND f.low_value AND f.year BETWEEN $from AND $to
      GROUP BY GROUPING SETS ((service_id, unit, f.year, f.sex, age_group, f.provider_type), (service_id, unit, f.sex, age_group, f.provider_type))`,
      { service: m.denominator, from: q.fromYear, to: q.toYear },
    );
    return rows.map(toActivityStratum);
  }

  async areas(): Promise<StoreStatus['areas']> {
    const rows = await this.rows(
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

  async episodeYears(): Promise<[number, number] | null> {
    const [row] = await this.rows(
      `SELECT CAST(min(y) AS INTEGER) AS lo, CAST(max(y) AS INTEGER) AS hi
       FROM (SELECT year(start_date) AS y FROM episodes UNION ALL SELECT year AS y FROM counts)`,
    );
    return row?.lo === null || row?.lo === undefined ? null : [toNumber(row.lo), toNumber(row.hi)];
  }

  async standardPopulation(): Promise<{ sex: number | null; ageLo: number; ageHi: number; population: number }[]> {
    const rows = await this.rows(`SELECT sex, age_lo, age_hi, population FROM standard_population ORDER BY age_lo, sex`);
    return rows.map((r) => ({
      sex: r.sex === null ? null : toNumber(r.sex),
      ageLo: toNumber(r.age_lo),
      ageHi: toNumber(r.age_hi),
      population: toNumber(r.population),
    }));
  }

  async rejects(filter: { importId?: number; limit: number }): Promise<RejectRecord[]> {
    const where = filter.importId === undefined ? '' : 'WHERE r.import_id = $id';
    const params: Params = { limit: filter.limit };
    if (filter.importId !== undefined) params.id = filter.importId;
    const rows = await this.rows(
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

  async status(): Promise<StoreStatus> {
    const tables = [];
    for (const kind of datasetKinds) {
      const [row] = await this.rows(`SELECT count(*) AS n FROM ${this.d.ident(kind)}`);
      tables.push({ kind, rows: toNumber(row!.n) });
    }
    const [meta] = await this.rows(`SELECT count(*) AS rejects FROM rejects`);
    await this.run(`CREATE OR REPLACE TEMP TABLE va_residence AS SELECT * FROM residence_map`);
    try {
      const episodeYears = await this.rows(
        `SELECT CAST(year(e.start_date) AS INTEGER) AS year, count(*) AS episodes, count(m.area_code) AS mapped
         FROM episodes e LEFT JOIN va_residence m
           ON m.municipality = e.municipality AND m.district IS NOT DISTINCT FROM e.district AND m.year = year(e.start_date)
         GROUP BY ALL ORDER BY year`,
      );
      const populationYears = await this.rows(
        `SELECT p.year, sum(p.population) AS population, sum(p.population) FILTER (WHERE m.area_code IS NULL) AS unmapped
         FROM population p LEFT JOIN va_residence m
           ON m.municipality = p.municipality AND m.district IS NOT DISTINCT FROM p.district AND m.year = p.year
         GROUP BY ALL ORDER BY year`,
      );

      const unmapped = await this.rows(
        `SELECT e.municipality, e.district, CAST(year(e.start_date) AS INTEGER) AS year, count(*) AS episodes
         FROM episodes e JOIN va_residence m
           ON m.municipality = e.municipality AND m.district IS NOT DISTINCT FROM e.district AND m.year = year(e.start_date)
         WHERE m.area_code IS NULL GROUP BY ALL ORDER BY episodes DESC, municipality LIMIT 50`,
      );
      return {
        tables,
        imports: await this.imports(),
        rejects: toNumber(meta!.rejects),
        episodeYears: episodeYears.map((r) => {
          const episodes = toNumber(r.episodes);
          const mapped = toNumber(r.mapped);
          return { year: toNumber(r.year), episodes, mapped, unmapped: episodes - mapped };
        }),
        populationYears: populationYears.map((r) => ({
          year: toNumber(r.year),
          population: toNumber(r.population),
          unmapped: toNumber(r.unmapped),
        })),
        areas: await this.areas(),
        unmapped: unmapped.map((r) => ({
          municipality: String(r.municipality),
          district: toNullableString(r.district),
          year: toNumber(r.year),
          episodes: toNumber(r.episodes),
        })),
      };
    } finally {
      await this.run(`DROP TABLE IF EXISTS va_residence`);
    }
  }
}

/** Columns of residence_map that name a unit at each level (a fixed list: never user input). */
const levelColumns: Record<Level, { code: string; name: string }> = {
  area: { code: 'area_code', name: 'area_name' },
  region: { code: 'region_code', name: 'region_name' },
  municipality: { code: 'resolved_municipality', name: 'municipality_name' },
};

/** The 5-year age group (0, 5, …, 85, and 90 for 90+) of an age column. */
const ageGroupOf = (age: string): string => `least(CAST(floor(${age} / 5) AS INTEGER) * 5, 90)`;

function toActivityStratum(r: Row): ActivityStratum {
  return {
    serviceId: String(r.service_id),
    unit: String(r.unit),
    unitName: String(r.unit_name ?? r.unit),
    year: r.year === null ? null : toNumber(r.year),
    sex: toNumber(r.sex),
    ageGroup: toNumber(r.age_group),
    providerType: String(r.provider_type),
    episodes: toNumber(r.episodes),
    patients: toNumber(r.patients),
    procedures: toNumber(r.procedures),
  };
}

function translateStoreError(error: unknown): unknown {
  if (error instanceof VaratlasError) return error;
  return new VaratlasError('store', `the database failed: ${((error as Error).message ?? String(error)).split('\n')[0]}`, { cause: error });
}

const importSelect = `SELECT import_id, kind, file_name, file_hash, format, encoding, rows_read, rows_accepted,
  rows_rejected, note, strftime(imported_at, '%Y-%m-%d %H:%M:%S') AS imported_at FROM imports`;

function toImportRecord(r: Row): ImportRecord {
  return {
    importId: toNumber(r.import_id),
    kind: r.kind as DatasetKind,
    fileName: String(r.file_name),
    fileHash: String(r.file_hash),
    format: String(r.format),
    encoding: toNullableString(r.encoding),
    rowsRead: toNumber(r.rows_read),
    rowsAccepted: toNumber(r.rows_accepted),
    rowsRejected: toNumber(r.rows_rejected),
    note: toNullableString(r.note),
    importedAt: String(r.imported_at),
  };
}

function translateError(error: unknown, plan: ImportPlan): unknown {
  if (error instanceof VaratlasError) return error;
  const message = (error as Error).message ?? String(error);
  if (/interrupt/i.test(message)) {
    return new VaratlasError('interrupted', `import of ${plan.fileName} was interrupted; the store is unchanged`, { cause: error });
  }
  if (/invalid unicode|utf-?8/i.test(message)) {
    return new VaratlasError(
      'input',
      `${plan.fileName} is not valid UTF-8 (pass --encoding windows-1252 for files saved by Excel); the store is unchanged`,
      { cause: error },
    );
  }
  return new VaratlasError('store', `import of ${plan.fileName} failed and was rolled back: ${message.split('\n')[0]}`, { cause: error });
}
