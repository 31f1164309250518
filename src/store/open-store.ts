import { DuckDbStore } from './duckdb-store.js';
import type { Store } from './store.js';

export const defaultDatabasePath = './varatlas.duckdb';
/** DuckDB spills to disk beyond this, so a national file imports in bounded memory. */
export const defaultMemoryLimit = '4GB';

/** Open the embedded default store (DuckDB). Other engines plug in here. `readOnly`: many readers may share the file. */
export async function openStore(options: { path?: string; memoryLimit?: string; readOnly?: boolean } = {}): Promise<Store> {
  return DuckDbStore.open({ path: options.path ?? defaultDatabasePath, memoryLimit: options.memoryLimit ?? defaultMemoryLimit, readOnly: options.readOnly });
}
