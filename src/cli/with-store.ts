import { existsSync } from 'node:fs';
import { VaratlasError } from '../errors.js';
import { ensureCube } from '../catalog/cube-subjects.js';
import { openStore } from '../store/open-store.js';
import { servedBy, withWritableStore } from '../store/snapshot.js';
import type { Store } from '../store/store.js';

export interface StoreOptions {
  db: string;
  memoryLimit?: string;
}

/**
 * Open the store for one command. Ctrl-C (or SIGTERM) interrupts the running statement, which rolls
 * back, and aborts `signal` so that no further step starts.
 *
 * `write` (import, refresh, demo): while `varatlas serve` serves the file, the command writes into a
 * copy that replaces the file when it is done, with the cube refreshed for the server's catalogue too
 * (src/store/snapshot.ts). `read` (rates, variation, …): while it is served, the file is opened
 * read-only next to the server.
 */
export async function withStore<T>(options: StoreOptions, work: (store: Store, signal: AbortSignal) => Promise<T>, mode: 'read' | 'write' = 'write'): Promise<T> {
  const guarded = async (store: Store) => {
    const controller = new AbortController();
    const onInterrupt = () => {
      controller.abort();
      store.interrupt();
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);
    try {
      return await work(store, controller.signal);
    } finally {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
    }
  };
  // A command that only reads never creates a store: a mistyped --db would otherwise answer from an empty one.
  if (mode === 'read' && options.db !== ':memory:' && !existsSync(options.db)) {
    throw new VaratlasError('input', `there is no store at ${options.db}: import data into it first (varatlas import …, or varatlas demo), or give the right --db`);
  }
  if (mode === 'read' && (await servedBy(options.db))) {
    const store = await openStore({ path: options.db, memoryLimit: options.memoryLimit, readOnly: true });
    try {
      return await guarded(store);
    } finally {
      await store.close();
    }
  }
  return withWritableStore({ path: options.db, memoryLimit: options.memoryLimit }, guarded, async (store, serving) => {
    await ensureCube(store, { catalogFiles: serving.catalogFiles });
  });
}

/** withStore for a command that only reads (it may still bring the cube up to date when nobody serves the file). */
export const withReadStore = <T>(options: StoreOptions, work: (store: Store, signal: AbortSignal) => Promise<T>): Promise<T> => withStore(options, work, 'read');
