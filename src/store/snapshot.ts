import { copyFile, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { VaratlasError } from '../errors.js';
import { openStore } from './open-store.js';
import type { Store } from './store.js';

/**
 * Importing while the atlas serves (docs/store.md): a running `varatlas serve` opens the database file
 * read-only and leaves a marker next to it. A writer that finds the marker copies the file, writes
 * into the copy (import and cube refresh, each its own transaction as always), and renames the copy
 * over the file when it is done: one atomic step. The server sees the new file and answers from it
 * from the next request on; requests already running finish on the old one. A writer that fails or is
 * killed leaves the served file untouched.
 */

export interface Serving {
  pid: number;
  /** The catalogue files the server answers for: a writer refreshes the cube for them too. */
  catalogFiles: string[];
}

const markerOf = (db: string) => `${db}.serving`;
const lockOf = (db: string) => `${db}.writing`;
const nextOf = (db: string) => `${db}.next`;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function readPidFile<T extends { pid: number }>(path: string): Promise<T | null> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as T;
    return typeof value.pid === 'number' && alive(value.pid) ? value : null;
  } catch {
    return null;
  }
}

/** The server serving this database file, if one is running. */
export const servedBy = (db: string): Promise<Serving | null> => (db === ':memory:' ? Promise.resolve(null) : readPidFile<Serving>(markerOf(db)));

/** Leave the marker of a running server; the returned function removes it. */
export async function markServing(db: string, catalogFiles: string[]): Promise<() => Promise<void>> {
  const other = await servedBy(db);
  if (other && other.pid !== process.pid) throw new VaratlasError('usage', `${db} is already served by process ${other.pid}`);
  const serving: Serving = { pid: process.pid, catalogFiles };
  await writeFile(markerOf(db), JSON.stringify(serving));
  return () => rm(markerOf(db), { force: true });
}

/** One writer at a time: a lock file with the writer's pid (a dead writer's lock is taken over). */
async function lockWriter(db: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockOf(db), 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid }));
      await handle.close();
      return () => rm(lockOf(db), { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readPidFile<{ pid: number }>(lockOf(db));
      if (holder) throw new VaratlasError('usage', `another import (process ${holder.pid}) is writing ${db}; try again when it is done`);
      await rm(lockOf(db), { force: true });
    }
  }
  throw new VaratlasError('store', `cannot lock ${db} for writing`);
}

/**
 * Run `work` on a writable store at `db`: the file itself, or, while a server serves it, a copy that
 * replaces the file when `work` succeeds (the server's catalogue is refreshed in it by `beforeSwap`).
 */
export async function withWritableStore<T>(
  options: { path: string; memoryLimit?: string },
  work: (store: Store, serving: Serving | null) => Promise<T>,
  beforeSwap?: (store: Store, serving: Serving) => Promise<void>,
): Promise<T> {
  const serving = await servedBy(options.path);
  if (!serving) {
    const store = await openStore(options);
    try {
      return await work(store, null);
    } finally {
      await store.close();
    }
  }
  const unlock = await lockWriter(options.path);
  const next = nextOf(options.path);
  try {
    await rm(next, { force: true });
    await rm(`${next}.wal`, { force: true });
    await copyFile(options.path, next);
    const store = await openStore({ ...options, path: next });
    let result: T;
    try {
      result = await work(store, serving);
      await beforeSwap?.(store, serving);
      await store.checkpoint();
    } finally {
      await store.close();
    }
    await rename(next, options.path);
    return result;
  } catch (error) {
    await rm(next, { force: true });
    await rm(`${next}.wal`, { force: true });
    throw error;
  } finally {
    await unlock();
  }
}
