import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** Open the store for one command; Ctrl-C interrupts the running statement, which then rolls back. */
export async function withStore<T>(dbPath: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ path: dbPath });
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
