import type { LowValueMeasure } from '../catalog/measure.js';
import type { PathwayDefinition } from '../catalog/pathway.js';
import type { ServiceDefinition } from '../catalog/service.js';
import type { DatasetKind } from '../model/contract.js';

/**
 * The store: the only door to the database. Analysis code talks to this interface; engines
 * implement it (DuckDB today). Results are plain JavaScript values (numbers, strings), never BigInt.
 */
export interface Store {
  readonly engine: string;
  /** Load one source file as one transaction: either all of it (accepted + rejects) or nothing. */
  importDataset(plan: ImportPlan, onProgress?: (fraction: number) => void): Promise<ImportResult>;
  /** Column names of a Parquet file, in order. */
  describeParquet(path: string): Promise<string[]>;
  /** Earlier imports of the same kind with the same content or the same file name. */
  findEarlierImports(kind: DatasetKind, fileHash: string, fileName: string): Promise<ImportRecord[]>;
  imports(): Promise<ImportRecord[]>;
  rejects(filter: { importId?: number; limit: number }): Promise<RejectRecord[]>;
  status(): Promise<StoreStatus>;
  /**
   * Bring the strata cube up to date with the imports and these definitions (one transaction; a no-op
   * when nothing changed): only new imports and changed definitions are scanned. `full` rebuilds it all.
   */
  refreshCube(subjects: CubeSubjects, options?: { full?: boolean; onProgress?: (fraction: number) => void }): Promise<CubeRefresh>;
  cubeStatus(subjects: CubeSubjects): Promise<CubeStatus>;
  /** Opened for reading only (a served snapshot): imports and refreshes are refused. */
  readonly readOnly: boolean;
  /** Changes whenever this store's data change (an import, a refresh that changed the cube): part of a cache key. */
  readonly generation: number;
  /** Write everything into the database file, so that the file alone is the whole store. */
  checkpoint(): Promise<void>;
  /**
   * Activity from the strata cube by unit (and the nation, unit `national`) × year (and the period
   * pooled, year null) × sex × 5-year age group × provider type. Distinct patients are exact: each
   * patient is counted in one stratum per unit and frame (their first episode's), so strata sum to it.
   */
  activityStrata(query: StrataQuery): Promise<StrataBlock>;
  /**
   * The same strata from the aggregated `counts` input (service label = service id; area codes; levels
   * area and region). Provider type 'unknown' where the file gave none; patients 0 where it gave none.
   */
  countsStrata(query: StrataQuery): Promise<ActivityStratum[]>;
  /**
   * activityStrata, and from the same reads the distinct patients per service × unit of a coarser level
   * (area or region) × year (and the period pooled, year null), without strata: exact, plus the patients
   * of the aggregated `counts` input (summed). The publication grid needs both.
   */
  activityWithTotals(query: StrataQuery, totalsLevel: Level): Promise<{ strata: StrataBlock; totals: PatientTotal[] }>;
  /** Population by unit × year × sex × 5-year age group, inside the age and sex limits given. */
  populationStrata(query: PopulationQuery): Promise<PopulationStratum[]>;
  /**
   * Episodes of a low-value measure's service by area of residence and month: all of them
   * (denominator) and the low-value ones (numerator), from the cube.
   */
  lowValueMonthly(measure: LowValueMeasure): Promise<LowValueMonth[]>;
  /** Low-value episodes of measures (their numerators) by area of residence, year and provider type, in one read of the cube. */
  /** A service's events per cell of residence (a municipality's part in one local area) × year × provider type. */
  residenceCells(query: Pick<StrataQuery, 'serviceIds' | 'fromYear' | 'toYear'>): Promise<ResidenceCell[]>;
  lowValueYearly(measures: LowValueMeasure[]): Promise<{ measureId: string; unit: string; year: number; providerType: string; numerator: number }[]>;
  /** Strata (as activityStrata) of the low-value episodes of a measure; its subject is the measure id. */
  measureStrata(measure: LowValueMeasure, query: Omit<StrataQuery, 'serviceIds'>): Promise<StrataBlock>;
  /**
   * Each patient's use (stays, bed days or outpatient contacts) per unit of residence (and the
   * nation, unit null) and year (and the period, year null, when it spans several), as histograms: how
   * many patients used each amount. Stays are built from the episodes as docs/patients.md says.
   */
  useHistograms(query: PatientUseQuery): Promise<UseHistogramRow[]>;
  /** The heaviest users: rank, amount and main department only (individual-level: docs/patients.md says who may see it). */
  heavyUsers(query: PatientUseQuery & { unit?: string; count: number }): Promise<HeavyUser[]>;
  /** Who the heaviest users are, in counts only: their sex, age, diagnoses, departments, readmissions, regions (docs/patients.md). */
  heavyUserProfile(query: PatientUseQuery & { unit?: string; fractions: number[] }): Promise<HeavyProfileCount[]>;
  /**
   * Stays with each service (any of their episodes is one of the service's) in strata, as activityStrata
   * gives events: episodes are the stays, the amount their bed days (docs/patients.md#stays-in-rates).
   */
  stayStrata(query: StayStrataQuery): Promise<StrataBlock>;
  /** Referrals asking for each service (docs/referrals.md), in strata: episodes are the referrals, the provider type their receiver's. */
  referralStrata(services: ServiceDefinition[], query: { fromYear: number; toYear: number; level: Level }): Promise<StrataBlock>;
  /** The years with both referrals and population (the referrals' standard period), or null. */
  referralYears(): Promise<[number, number] | null>;
  /** A service's referrals per assessing unit, year and stratum, with how many had a right and how many were declined or returned. */
  assessmentCounts(service: ServiceDefinition, query: { fromYear: number; toYear: number }): Promise<AssessmentCount[]>;
  /** Median days to the deadline and to the assessment per assessing unit (null: all) and year (null: the period). */
  assessmentDays(service: ServiceDefinition, query: { fromYear: number; toYear: number }): Promise<AssessmentDays[]>;
  /** One patient's stays ending in the years asked (individual-level: for tests and the library, never an output). */
  patientStays(patientId: string, query: StayWindow): Promise<PatientStay[]>;
  /** A pathway's entries in the years asked, each with what followed in its window (no patient id: docs/patients.md#pathways). */
  pathwayEntries(pathway: PathwayDefinition, query: { fromYear: number; toYear: number }): Promise<PathwayEntry[]>;
  /** The catchment areas of the geography with their regions. */
  areas(): Promise<StoreStatus['areas']>;
  /**
   * The local-hospital areas of every mapped place of the cube, each with its catchment area; `missing`:
   * mapped places without one, `crossing`: local areas that lie in more than one catchment area.
   */
  localAreas(): Promise<LocalAreas>;
  /**
   * Every place of the geography as it stands now, once (a municipality, or a district of one): the
   * user's own files before the built-in one, the latest valid row; with its unit at every level.
   * What the map dissolves its municipalities by.
   */
  places(): Promise<GeographyPlace[]>;
  /**
   * First and last year with activity (episodes or counts) and, once a population is imported, population
   * too: the default period. null when there is none.
   */
  episodeYears(): Promise<[number, number] | null>;
  /** The imported standard population (e.g. ESP 2013), as age groups with an optional sex. */
  standardPopulation(): Promise<{ sex: number | null; ageLo: number; ageHi: number; population: number }[]>;
  /** Stop the running statement (Ctrl-C) and start no other; the import in progress rolls back. */
  interrupt(): void;
  close(): Promise<void>;
}

export type SourceFormat = 'csv' | 'parquet';

export interface ImportPlan {
  kind: DatasetKind;
  path: string;
  format: SourceFormat;
  /** CSV only: delimiter and number of columns in the header. */
  delimiter?: string;
  columnCount: number;
  /** Contract column name -> 0-based position of its column in the source. */
  positions: Map<string, number>;
  fileName: string;
  fileHash: string;
  encoding?: string;
  note?: string;
  /** Remove earlier imports of the same file (same content or same name) first, in the same transaction. */
  replace: boolean;
  /** CSV: the records after the header as the file's bytes count them; the import refuses a file whose reader counts otherwise. */
  records?: number;
  /** CSV: where records stop starting on the line of their number, and the empty lines the reader counts (see CsvShape). */
  lines?: { steps: { record: number; drift: number }[]; empty: { line: number; empty: number }[] };
  /** Dates outside it are rejected (default: 1990-01-01 to the day of the import). */
  dateWindow?: { from: string; to: string };
}

export interface ImportResult {
  importId: number;
  kind: DatasetKind;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  replacedImports: number[];
}

export interface ImportRecord {
  importId: number;
  kind: DatasetKind;
  fileName: string;
  fileHash: string;
  format: string;
  encoding: string | null;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  note: string | null;
  importedAt: string;
}

export interface RejectRecord {
  importId: number;
  fileName: string;
  line: number;
  column: string | null;
  reason: string;
  value: string | null;
}

export interface StoreStatus {
  tables: { kind: DatasetKind; rows: number }[];
  imports: ImportRecord[];
  rejects: number;
  episodeYears: { year: number; episodes: number; mapped: number; unmapped: number }[];
  populationYears: { year: number; population: number; unmapped: number }[];
  areas: { areaCode: string; areaName: string; regionCode: string; regionName: string; municipalities: number }[];
  unmapped: { municipality: string; district: string | null; year: number; episodes: number }[];
}

export interface ResidenceCell {
  serviceId: string;
  municipality: string;
  local: string | null;
  area: string;
  year: number;
  providerType: string;
  episodes: number;
  procedures: number;
}

export interface LocalAreas {
  units: { code: string; name: string; areaCode: string }[];
  missing: number;
  crossing: string[];
}

/** Whether the local-hospital areas can be a level: every mapped place has one, and each lies in one catchment area. */
export const localLevelUsable = (l: LocalAreas): boolean => l.units.length > 0 && l.missing === 0 && l.crossing.length === 0;

/** Units of residence: catchment area, region, local-hospital area (within an area), municipality. */
export type Level = 'area' | 'region' | 'local' | 'municipality';

/** A measure's episodes in one area, month (`yyyy-mm`) and provider type: all of its service's, and the low-value ones. */
export interface LowValueMonth {
  unit: string;
  unitName: string;
  month: string;
  providerType: string;
  numerator: number;
  denominator: number;
}

/** The unit of the strata that hold the whole nation (every mapped place of residence). */
export const nationalUnit = 'national';

/** What the strata cube is built for: the services and the low-value measures (with their services). */
export interface CubeSubjects {
  services: ServiceDefinition[];
  measures: { measure: LowValueMeasure; service: ServiceDefinition }[];
}

export interface CubeRefresh {
  /** false: the cube was already up to date, nothing was done. */
  changed: boolean;
  scannedImports: number;
  scannedSubjects: number;
  seconds: number;
}

export interface CubeStatus {
  /** Up to date with every import and with the definitions asked about. */
  fresh: boolean;
  refreshedAt: string | null;
  seconds: number | null;
  /** Episodes in the cube (one row each: every service's and every measure's). */
  rows: number;
  /** Of those, the episodes of patients with more than one for the subject: the rows read per patient. */
  repeatedRows: number;
  /** Episodes of the services (not the measures) in the cube, every place of residence. */
  events: number;
  subjects: number;
  /** Subjects (service ids, `measure:` ids) not yet built for their current definition. */
  stale: string[];
}

export interface PatientTotal {
  serviceId: string;
  unit: string;
  year: number | null;
  patients: number;
}

export interface StrataQuery {
  serviceIds: string[];
  fromYear: number;
  toYear: number;
  level: Level;
  /** Count distinct patients (default true); false leaves them NaN, for analyses that do not use them. */
  patients?: boolean;
  /** Strata of each year too (default true); false: the period pooled only (year null). */
  years?: boolean;
}

/**
 * Activity strata as dense arrays: the shape the strata cube is read in and the rate engine adds up,
 * without an object per stratum (a whole catalogue at national scale has about 130 000 strata).
 *
 * Cells are numbered (((subject · units + unit) · frames + frame) · strataCount + stratum), where unit 0
 * is the nation, frame 0 the period pooled and frame f the year fromYear + f − 1, and the stratum
 * numbers sex (1, 2) × 5-year age group (0, 5, …, 85, 90 for 90+) × provider type (public, private,
 * contract specialist, other): src/store/strata-block.ts.
 */
export interface StrataBlock {
  /** Subject ids (services, or a measure) in block order. */
  subjects: string[];
  /** The units with their names; units[0] is the nation. */
  units: { code: string; name: string }[];
  fromYear: number;
  toYear: number;
  episodes: Float64Array;
  procedures: Float64Array;
  /** Distinct patients counted in the stratum of their first episode; NaN where not counted. */
  patients: Float64Array;
  /** An amount per stratum that is not a count (the bed days of stays), with the sum of its squares. */
  amount?: { values: Float64Array; squares: Float64Array };
}

export interface ActivityStratum {
  serviceId: string;
  unit: string;
  unitName: string;
  /** null for the whole period pooled. */
  year: number | null;
  sex: number;
  /** Lower bound of the 5-year age group (0, 5, …, 90 = 90+). */
  ageGroup: number;
  providerType: string;
  episodes: number;
  patients: number;
  procedures: number;
}

/** A place of the geography with its units (codes and names) at every level. */
export interface GeographyPlace {
  municipality: string;
  district: string | null;
  name: string;
  area: { code: string; name: string };
  region: { code: string; name: string };
  /** The local-hospital area, where the geography gives one. */
  localArea: { code: string; name: string } | null;
}

export interface PopulationQuery {
  fromYear: number;
  toYear: number;
  level: Level;
  minAge?: number;
  maxAge?: number;
  sex?: number;
}

export interface PopulationStratum {
  unit: string;
  unitName: string;
  year: number;
  sex: number;
  ageGroup: number;
  population: number;
}

/** The years whose stays are built, and the stay rule's options (docs/patients.md). */
export interface StayWindow {
  fromYear: number;
  toYear: number;
  /** Inpatient care starting up to this many days after inpatient care ends is the same stay (a transfer); default 1. */
  gapDays?: number;
  /** Episodes ending up to this many days before the first year are read, so that a stay begun before it is known as one; default 90. */
  lookBackDays?: number;
}

/** A service's referrals of one assessing unit, year and stratum (sex, 5-year age group, 3-character reason code; '' without one). */
export interface AssessmentCount {
  unit: string;
  year: number;
  sex: number;
  ageGroup: number;
  reason: string;
  referrals: number;
  rights: number;
  /** Declined or returned. */
  turnedAway: number;
}

export interface AssessmentDays {
  unit: string | null;
  year: number | null;
  toDeadline: number | null;
  toAssessment: number | null;
}

/** Which stays stayStrata counts: of these services, in these years, by units of this level. */
export interface StayStrataQuery extends StayWindow {
  serviceIds: string[];
  level: Level;
}

/** What a patient's use is counted in. */
export const useMeasures = ['stays', 'bed_days', 'outpatient'] as const;
export type UseMeasure = (typeof useMeasures)[number];

export interface PatientUseQuery extends StayWindow {
  level: Level;
  measure: UseMeasure;
  /** Only stays with an episode of this service (outpatient contacts: only its own). */
  service?: ServiceDefinition;
  /** Only stays with an episode of this specialty (outpatient contacts: only its own). */
  specialty?: string;
}

export interface UseHistogramRow {
  /** null: the nation. */
  unit: string | null;
  /** null: the period pooled. */
  year: number | null;
  value: number;
  patients: number;
}

export interface HeavyUser {
  rank: number;
  amount: number;
  department: string | null;
}

export interface PatientStay {
  start: string;
  end: string;
  inpatient: boolean;
  bedDays: number;
  episodes: number;
  firstProvider: string;
  lastProvider: string;
  department: string | null;
}

/** One entry into a pathway and what followed in its window. */
export interface PathwayEntry {
  /** The entry's catchment area and region of residence. */
  area: string;
  region: string;
  /** The provider of the entry contact, and its type. */
  provider: string;
  providerType: string;
  sex: number;
  age: number;
  year: number;
  operated: boolean;
  /** Days from the entry to the operation; null when not operated in the window. */
  daysToOperation: number | null;
  /** Controls in the window after the entry, and of those after the operation. */
  controls: number;
  controlsAfterOperation: number;
}

/** One count of the heaviest users' profile: patients (sex, age, readmitted, regions, total patients) or stays (chapter, department, total stays). */
export interface HeavyProfileCount {
  /** The top fraction of the patients (1: all of them). */
  fraction: number;
  dimension: 'total' | 'sex' | 'age' | 'chapter' | 'department' | 'readmitted' | 'regions';
  category: string;
  count: number;
}
