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
  /** Stop the running statement (Ctrl-C); the import in progress rolls back. */
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
