import type { LowValueMeasure } from '../catalog/measure.js';
import { VaratlasError } from '../errors.js';
import type { DatasetKind } from '../model/contract.js';
import type { Dialect } from './dialect.js';
import { duckdb } from './dialects/duckdb.js';
import { cubeStatus, refreshCube } from './duckdb-cube.js';
import { findEarlierImports, finishImports, importDataset } from './duckdb-import.js';
import { DuckDbSession, type DuckDbOptions } from './duckdb-session.js';
import * as patients from './duckdb-patients.js';
import { pathwayEntries } from './duckdb-pathways.js';
import { heavyUserProfile } from './duckdb-heavy-profile.js';
import { stayStrata } from './duckdb-stay-strata.js';
import { assessmentCounts, assessmentDays, referralStrata, referralYears } from './duckdb-referrals.js';
import type { ServiceDefinition } from '../catalog/service.js';
import type { PathwayDefinition } from '../catalog/pathway.js';
import * as info from './duckdb-status.js';
import * as strata from './duckdb-strata.js';
import type {
  GeographyPlace,
  LocalAreas,
  ActivityStratum,
  CubeRefresh,
  CubeStatus,
  CubeSubjects,
  ImportPlan,
  ImportRecord,
  ImportResult,
  PopulationQuery,
  PopulationStratum,
  RejectRecord,
  Store,
  StoreStatus,
  Level,
  PatientTotal,
  StrataBlock,
  StrataQuery,
  PatientUseQuery,
  UseHistogramRow,
  HeavyUser,
  AssessmentCount,
  AssessmentDays,
  StayStrataQuery,
  StayWindow,
  PatientStay,
  PathwayEntry,
  HeavyProfileCount,
} from './store.js';

export type { DuckDbOptions } from './duckdb-session.js';

/**
 * The DuckDB store: one session, and the store's concerns in their own modules — import
 * (duckdb-import), the strata cube (duckdb-cube), reading strata from it (duckdb-strata), patients'
 * stays and use (duckdb-patients) and the store's own description (duckdb-status).
 */
export class DuckDbStore implements Store {
  readonly engine = 'duckdb';
  private readonly d: Dialect = duckdb;

  private constructor(private readonly s: DuckDbSession) {}

  static async open(options: DuckDbOptions): Promise<DuckDbStore> {
    const session = await DuckDbSession.open(options);
    const store = new DuckDbStore(session);
    if (!options.readOnly) {
      for (const statement of store.d.schema()) await session.run(statement);
      // An import stopped after its commit but before its rejected rows were removed is finished first.
      await finishImports(session, store.d);
    }
    return store;
  }

  get readOnly(): boolean {
    return this.s.readOnly;
  }

  /**
   * Small answers every analysis asks for again and again (population by period and level, the areas,
   * the units of each level, whether aggregated counts exist), kept until the store is written to. The
   * population, the areas and the measures' floors are read on the session's second connection, beside
   * the strata (DuckDbSession.reader).
   */
  private readonly populations = new Map<string, Promise<PopulationStratum[]>>();
  private readonly populationBases = new Map<string, Promise<strata.PopulationRow[]>>();
  private readonly kept = new Map<string, Promise<unknown>>();
  private written = 0;

  /** Changes whenever this store's data change: part of the key of anything computed from them. */
  get generation(): number {
    return this.written;
  }

  private readonly memo: strata.Memo = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    let result = this.kept.get(key) as Promise<T> | undefined;
    if (!result) {
      this.kept.set(key, (result = compute()));
      result.catch(() => this.kept.delete(key));
    }
    return result;
  };

  private changed(): void {
    this.written++;
    this.populations.clear();
    this.populationBases.clear();
    this.kept.clear();
  }

  async importDataset(plan: ImportPlan, onProgress?: (fraction: number) => void): Promise<ImportResult> {
    try {
      return await importDataset(this.s, this.d, plan, onProgress);
    } finally {
      this.changed();
    }
  }

  async describeParquet(path: string): Promise<string[]> {
    try {
      const rows = await this.s.rows(`DESCRIBE SELECT * FROM read_parquet($path)`, { path });
      return rows.map((r) => String(r.column_name));
    } catch (error) {
      throw new VaratlasError('input', `${path} cannot be read as Parquet: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  findEarlierImports(kind: DatasetKind, fileHash: string, fileName: string): Promise<ImportRecord[]> {
    return findEarlierImports(this.s, kind, fileHash, fileName);
  }

  async refreshCube(subjects: CubeSubjects, options?: { full?: boolean; onProgress?: (fraction: number) => void }): Promise<CubeRefresh> {
    try {
      // The cube never reads an import's rejected rows: an import left finishing is finished first.
      if (!this.s.readOnly) await finishImports(this.s, this.d);
      const result = await refreshCube(this.s, this.d, subjects, options);
      if (result.changed) this.changed();
      return result;
    } catch (error) {
      throw storeError(error, 'refreshing the strata cube failed and was rolled back; the previous cube answers');
    }
  }

  cubeStatus(subjects: CubeSubjects): Promise<CubeStatus> {
    return cubeStatus(this.s, this.d, subjects);
  }

  activityStrata(q: StrataQuery): Promise<StrataBlock> {
    return strata.activityStrata(this.s, this.d, q, this.memo);
  }

  countsStrata(q: StrataQuery): Promise<ActivityStratum[]> {
    return strata.countsStrata(this.s, this.d, q, this.memo);
  }

  activityWithTotals(q: StrataQuery, totalsLevel: Level): Promise<{ strata: StrataBlock; totals: PatientTotal[] }> {
    return strata.activityWithTotals(this.s, this.d, q, totalsLevel, this.memo);
  }

  populationStrata(q: PopulationQuery): Promise<PopulationStratum[]> {
    const key = JSON.stringify([q.fromYear, q.toYear, q.level, q.minAge, q.maxAge, q.sex]);
    let result = this.populations.get(key);
    if (!result) {
      const baseKey = JSON.stringify([q.fromYear, q.toYear, q.level]);
      let base = this.populationBases.get(baseKey);
      if (!base) {
        this.populationBases.set(baseKey, (base = this.s.reader().then((reader) => strata.populationRows(reader, q, this.memo))));
        base.catch(() => this.populationBases.delete(baseKey));
      }
      this.populations.set(key, (result = base.then((rows) => strata.populationStrata(rows, q))));
      result.catch(() => this.populations.delete(key));
    }
    return result;
  }

  lowValueMonthly(m: LowValueMeasure) {
    return strata.lowValueMonthly(this.s, m);
  }

  async residenceCells(query: Pick<StrataQuery, 'serviceIds' | 'fromYear' | 'toYear'>) {
    return strata.residenceCells(await this.s.reader(), this.d, query);
  }

  async lowValueYearly(measures: LowValueMeasure[]) {
    return strata.lowValueYearly(await this.s.reader(), measures);
  }

  measureStrata(m: LowValueMeasure, q: Omit<StrataQuery, 'serviceIds'>): Promise<StrataBlock> {
    return strata.measureStrata(this.s, this.d, m, q);
  }

  async useHistograms(q: PatientUseQuery): Promise<UseHistogramRow[]> {
    return patients.useHistograms(this.s, this.d, q);
  }

  stayStrata(q: StayStrataQuery): Promise<StrataBlock> {
    return stayStrata(this.s, this.d, q, this.memo);
  }

  referralStrata(services: ServiceDefinition[], q: { fromYear: number; toYear: number; level: Level }): Promise<StrataBlock> {
    return referralStrata(this.s, this.d, services, q, this.memo);
  }

  referralYears(): Promise<[number, number] | null> {
    return referralYears(this.s);
  }

  assessmentCounts(service: ServiceDefinition, q: { fromYear: number; toYear: number }): Promise<AssessmentCount[]> {
    return assessmentCounts(this.s, this.d, service, q);
  }

  assessmentDays(service: ServiceDefinition, q: { fromYear: number; toYear: number }): Promise<AssessmentDays[]> {
    return assessmentDays(this.s, this.d, service, q);
  }

  async heavyUsers(q: PatientUseQuery & { unit?: string; count: number }): Promise<HeavyUser[]> {
    return patients.heavyUsers(this.s, this.d, q);
  }

  pathwayEntries(p: PathwayDefinition, q: { fromYear: number; toYear: number }): Promise<PathwayEntry[]> {
    return pathwayEntries(this.s, this.d, p, q);
  }

  heavyUserProfile(q: PatientUseQuery & { unit?: string; fractions: number[] }): Promise<HeavyProfileCount[]> {
    return heavyUserProfile(this.s, this.d, q);
  }

  async patientStays(patientId: string, q: StayWindow): Promise<PatientStay[]> {
    return patients.patientStays(this.s, patientId, q);
  }

  episodeYears(): Promise<[number, number] | null> {
    return info.episodeYears(this.s);
  }

  imports(): Promise<ImportRecord[]> {
    return info.imports(this.s);
  }

  rejects(filter: { importId?: number; limit: number }): Promise<RejectRecord[]> {
    return info.rejects(this.s, filter);
  }

  areas(): Promise<StoreStatus['areas']> {
    return this.memo('areas', async () => info.areas(await this.s.reader()));
  }

  localAreas(): Promise<LocalAreas> {
    return this.memo('local-areas', async () => info.localAreas(await this.s.reader()));
  }

  places(): Promise<GeographyPlace[]> {
    return this.memo('places', () => info.places(this.s));
  }

  standardPopulation() {
    return info.standardPopulation(this.s);
  }

  status(): Promise<StoreStatus> {
    return info.status(this.s, this.d);
  }

  /** Write everything to the database file (no write-ahead log left), e.g. before the file is swapped in. */
  async checkpoint(): Promise<void> {
    if (!this.s.readOnly) await this.s.run('CHECKPOINT');
  }

  interrupt(): void {
    this.s.interrupt();
  }

  async close(): Promise<void> {
    this.s.close();
  }
}

function storeError(error: unknown, message: string): unknown {
  const detail = ((error as Error).message ?? String(error)).split('\n')[0];
  if ((error instanceof VaratlasError && error.code === 'interrupted') || /interrupt/i.test(detail ?? '')) {
    return new VaratlasError('interrupted', `interrupted: ${message}`, { cause: error });
  }
  if (error instanceof VaratlasError) return error;
  return new VaratlasError('store', `${message}: ${detail}`, { cause: error });
}
