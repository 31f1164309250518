import { stat, unwatchFile, watchFile, type Stats } from 'node:fs';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** A store for the length of one request: every query of the request sees the same data. */
export interface StoreLease {
  store: Store;
  /** Changes when the store is swapped for a newer one: cached answers of another generation are stale. */
  generation: number;
  release(): void;
}

/** Where the server gets its store from: one fixed store (tests, the library), or a watched file. */
export interface StoreSource {
  acquire(): StoreLease;
  /** Called after a newer store has replaced the current one. */
  onChange(listener: () => void): void;
  close(): Promise<void>;
}

export function fixedStore(store: Store): StoreSource {
  return { acquire: () => ({ store, generation: 0, release: () => undefined }), onChange: () => undefined, close: async () => undefined };
}

/**
 * The database file, opened read-only, and opened again whenever a writer swaps a new file in
 * (src/store/snapshot.ts). Requests that started on the old store finish on it; it is closed when
 * the last of them is done.
 */
export async function watchedStore(path: string, options: { memoryLimit?: string; intervalMs?: number } = {}): Promise<StoreSource> {
  interface Open {
    store: Store;
    generation: number;
    leases: number;
    retired: boolean;
  }
  let current: Open = { store: await openStore({ path, memoryLimit: options.memoryLimit, readOnly: true }), generation: 0, leases: 0, retired: false };
  const listeners: (() => void)[] = [];
  const closeIfDone = async (o: Open) => {
    if (o.retired && o.leases === 0) await o.store.close();
  };
  let swapping = Promise.resolve();
  const swap = () => {
    swapping = swapping.then(async () => {
      let store: Store;
      try {
        store = await openStore({ path, memoryLimit: options.memoryLimit, readOnly: true });
      } catch {
        return; // a file being replaced again: the next change notice opens it
      }
      const old = current;
      current = { store, generation: old.generation + 1, leases: 0, retired: false };
      old.retired = true;
      for (const listener of listeners) listener();
      await closeIfDone(old);
    });
  };
  let seen = await new Promise<Stats>((resolve, reject) => stat(path, (error, s) => (error ? reject(error) : resolve(s))));
  const onStat = (now: Stats) => {
    // A swap is a rename: a new inode (or, on some file systems, a new modification time).
    if (now.ino !== 0 && (now.ino !== seen.ino || now.mtimeMs !== seen.mtimeMs)) {
      seen = now;
      swap();
    }
  };
  watchFile(path, { interval: options.intervalMs ?? 200 }, onStat);
  return {
    acquire() {
      const o = current;
      o.leases++;
      let released = false;
      return {
        store: o.store,
        generation: o.generation,
        release() {
          if (released) return;
          released = true;
          o.leases--;
          void closeIfDone(o);
        },
      };
    },
    onChange: (listener) => void listeners.push(listener),
    async close() {
      unwatchFile(path, onStat);
      await swapping;
      current.retired = true;
      await closeIfDone(current);
    },
  };
}
