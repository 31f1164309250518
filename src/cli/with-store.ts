import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** Open the store for one command; Ctrl-C interrupts the running statement, which then rolls back. */
export interface StoreOptions {
  db: string;
  memoryLimit?: string;
}

export async function withStore<T>(options: StoreOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ path: options.db, memoryLimit: options.memoryLimit });
  const onInterrupt = () => store.interrupt();
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    return await work(store);
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    await store.close();
  }
}
