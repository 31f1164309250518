import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, DuckDBTypeId, JSDuckDBValueConverter, type DuckDBConnection, type DuckDBDataChunk, type DuckDBResultReader } from '@duckdb/node-api';
import { VaratlasError } from '../errors.js';
import type { Row } from './normalize.js';

export type Params = Record<string, string | number | boolean | null>;

export interface DuckDbOptions {
  /** Database file; ':memory:' for a throw-away store. */
  path: string;
  /** DuckDB memory limit, e.g. '4GB'; DuckDB spills to disk beyond it. */
  memoryLimit?: string;
  threads?: number;
  /** Open for reading only: any number of readers may share the file, no writer. */
  readOnly?: boolean;
}

/**
 * One open DuckDB database and its connection: statements with parameters, rows as plain objects,
 * DuckDB's progress, interrupt and rollback. The store's modules (import, cube, strata, status) all
 * talk to the database through this.
 */
export class DuckDbSession {
  /** Set by interrupt(): no further statement starts, so a stopped import cannot continue. */
  private interrupted = false;
  /** Inside transaction(): every statement must see its writes, so all go through this connection. */
  private inTransaction = false;
  private second?: Promise<DuckDbSession>;
  private opened?: DuckDbSession;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly readOnly: boolean,
  ) {}

  static async open(options: DuckDbOptions): Promise<DuckDbSession> {
    const config: Record<string, string> = {};
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    let instance: DuckDBInstance;
    try {
      if (options.path !== ':memory:' && !options.readOnly) await mkdir(dirname(resolve(options.path)), { recursive: true });
      instance = await DuckDBInstance.create(options.path, config);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? '';
      const hint = /lock/i.test(message) ? ' (another varatlas process has it open; see docs/store.md on importing while serving)' : '';
      throw new VaratlasError('store', `cannot open the database ${options.path}: ${message}${hint}`, { cause: error });
    }
    return new DuckDbSession(instance, await instance.connect(), options.readOnly ?? false);
  }

  /**
   * A second connection to the same database, for reads that can run beside this one's (DuckDB runs
   * them at once): an analysis asks for the population and the measures' floors while the strata are
   * being read, instead of queueing them behind. Inside a transaction, this session itself, which
   * sees the transaction's writes.
   */
  async reader(): Promise<DuckDbSession> {
    if (this.inTransaction) return this;
    this.second ??= this.instance.connect().then((connection) => (this.opened = new DuckDbSession(this.instance, connection, this.readOnly)));
    return this.second;
  }

  async run(sql: string, params?: Params): Promise<void> {
    this.throwIfInterrupted();
    try {
      await this.connection.run(sql, params);
    } catch (error) {
      throw this.interruptedOr(error);
    }
  }

  async rows(sql: string, params?: Params): Promise<Row[]> {
    return this.read(sql, params, (r) => r.getRowObjectsJS() as Row[]);
  }

  /** Rows as arrays in the order of the SELECT list: for the few queries whose rows are many. */
  async arrays(sql: string, params?: Params): Promise<unknown[][]> {
    return this.read(sql, params, (r) => r.getRowsJS() as unknown[][]);
  }

  /**
   * Columns in the order of the SELECT list, each an array of its values: the cheapest way to read many
   * rows of numbers. Integer and double columns are copied from DuckDB's vectors as they are (the strata
   * reads are hundreds of thousands of small integers; reading them value by value cost more than the
   * query), with null where a value is NULL; text as plain strings; any other type through the generic
   * conversion.
   */
  async columns(sql: string, params?: Params): Promise<unknown[][]> {
    this.throwIfInterrupted();
    try {
      const result = await this.connection.run(sql, params);
      const chunks = await result.fetchAllChunks();
      return Array.from({ length: result.columnCount }, (_, c) => columnValues(chunks, c, result.columnTypeId(c)));
    } catch (error) {
      throw this.interruptedOr(error);
    }
  }

  private async read<T>(sql: string, params: Params | undefined, convert: (reader: DuckDBResultReader) => T): Promise<T> {
    this.throwIfInterrupted();
    try {
      return convert(await this.connection.runAndReadAll(sql, params));
    } catch (error) {
      throw this.interruptedOr(error);
    }
  }

  /** Run a long statement while reporting DuckDB's own progress estimate. */
  async runWatched(sql: string, params: Params, onProgress?: (fraction: number) => void): Promise<void> {
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

  /** Run `work` as one transaction: committed when it returns, rolled back (temp tables dropped) when it throws. */
  async transaction<T>(work: () => Promise<T>, temps: string[] = []): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    this.inTransaction = true;
    try {
      const result = await work();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.rollback(temps);
      throw error;
    } finally {
      this.inTransaction = false;
    }
  }

  /** Straight to the connection: a rollback must run even after an interrupt. */
  async rollback(temps: string[]): Promise<void> {
    try {
      await this.connection.run('ROLLBACK');
    } catch {
      // The transaction may already be gone (an interrupt aborts it); the store is unchanged either way.
    }
    for (const name of temps) await this.connection.run(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
  }

  interrupt(): void {
    this.interrupted = true;
    this.connection.interrupt();
    this.opened?.interrupt();
  }

  close(): void {
    this.opened?.connection.closeSync();
    this.connection.closeSync();
    this.instance.closeSync();
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
}

/** Numeric types whose vectors hold their values in a typed array (`items`), NULLs marked in the validity. */
const typedTypes = new Set<DuckDBTypeId>([DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.DOUBLE]);

/** One column of a result, over all its chunks. */
function columnValues(chunks: DuckDBDataChunk[], column: number, type: DuckDBTypeId): unknown[] {
  const out: unknown[] = new Array(chunks.reduce((n, chunk) => n + chunk.rowCount, 0));
  let at = 0;
  for (const chunk of chunks) {
    const vector = chunk.getColumnVector(column);
    const n = chunk.rowCount;
    if (typedTypes.has(type)) {
      const { items, validity } = vector as unknown as { items: ArrayLike<number>; validity: Validity };
      const valid = validBits(validity);
      if (valid === null) for (let i = 0; i < n; i++) out[at + i] = items[i];
      else if (valid) for (let i = 0; i < n; i++) out[at + i] = (valid[i >> 3]! >> (i & 7)) & 1 ? items[i] : null;
      else for (let i = 0; i < n; i++) out[at + i] = validity.itemValid(i) ? items[i] : null;
    } else if (type === DuckDBTypeId.VARCHAR) {
      for (let i = 0; i < n; i++) out[at + i] = vector.getItem(i);
    } else {
      const values = chunk.convertColumnValues(column, JSDuckDBValueConverter);
      for (let i = 0; i < n; i++) out[at + i] = values[i];
    }
    at += n;
  }
  return out;
}

interface Validity {
  itemValid(i: number): boolean;
  data?: BigUint64Array | null;
  offset?: number;
}

/**
 * The validity bits of a vector as bytes (bit i of byte i / 8: DuckDB's little-endian mask), null when
 * every value is valid, or undefined when the vector's validity is not laid out as expected (then
 * itemValid answers, one BigInt test per value: slow, but right).
 */
function validBits(validity: Validity): Uint8Array | null | undefined {
  if (validity.data === null) return null;
  if (!(validity.data instanceof BigUint64Array) || validity.offset !== 0 || !littleEndian) return undefined;
  return new Uint8Array(validity.data.buffer, validity.data.byteOffset, validity.data.byteLength);
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
