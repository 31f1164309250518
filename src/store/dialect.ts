import type { ValueType } from '../model/columns.js';

/**
 * Everything engine-specific about SQL, as meaning-level methods. Code outside `src/store/dialects`
 * never asks which engine it talks to; a second engine (PostgreSQL) adds one file beside duckdb.ts.
 */
export interface Dialect {
  readonly name: string;
  /** Quote an identifier. Only ever called with names from varatlas's own fixed lists. */
  ident(name: string): string;
  /** A string literal for text that varatlas itself wrote (reasons, column names). */
  literal(text: string): string;
  /** A table expression reading a CSV file given as the named parameter `$path`, all columns as text. */
  readCsv(options: CsvReadOptions): string;
  /** A table expression reading a Parquet file from `$path` (columns as written in the file). */
  readParquet(): string;
  /** A raw text value without its leading and trailing spaces, NULL when nothing is left. */
  trimmed(raw: string): string;
  /** A value of the type that a rejected row holds in a required column until its import has finished. */
  placeholder(type: ValueType): string;
  /** SQL for the typed value of a trimmed text expression, or NULL when it is not valid. */
  parse(type: ValueType, text: string): string | { lo: string; hi: string };
  /**
   * A structure describing one broken rule, for the per-row list of problems: column, reason, the
   * value shown, and optionally the record number of another row it refers to (a first duplicate).
   */
  problem(column: string, reason: string, valueSql: string | null, refSql?: string): string;
  /** A 64-bit hash of a value: equal values hash alike (a cheap first test for repeated keys). */
  hash(value: string): string;
  /** Keep the non-null problems of a row. */
  problems(items: string[]): string;
  /** DDL for the store's tables and views. */
  schema(): string[];
}

export interface CsvReadOptions {
  columnCount: number;
  delimiter: string;
  /** Names of the tables where the reader keeps malformed lines. */
  rejectsTable: string;
  rejectsScanTable: string;
}

/** Name of the i-th raw column of a CSV source. Raw header text never reaches SQL. */
export const rawColumn = (index: number): string => `c${index}`;
