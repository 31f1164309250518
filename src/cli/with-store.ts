import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/**
 * Open the store for one command. Ctrl-C (or SIGTERM) interrupts the running statement, which rolls
 * back, and aborts `signal` so that no further step starts.
 */
export interface StoreOptions {
  db: string;
  memoryLimit?: string;
}

export async function withStore<T>(options: StoreOptions, work: (store: Store, signal: AbortSignal) => Promise<T>): Promise<T> {
  const store = await openStore({ path: options.db, memoryLimit: options.memoryLimit });
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
    await store.close();
  }
}
