import { readFile } from 'node:fs/promises';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { startServer } from '../../server/start-server.js';
import { VaratlasError } from '../../errors.js';
import type { StoreOptions } from '../with-store.js';

/** The built dashboard, next to the compiled code (dist/web). */
export const webRoot = new URL('../../web/', import.meta.url).pathname;

export interface ServeOptions {
  host: string;
  port: number;
  tokenFile?: string;
  boundaries?: string;
  interventions?: string;
}

export async function readToken(tokenFile?: string): Promise<string | undefined> {
  if (tokenFile) {
    try {
      const token = (await readFile(tokenFile, 'utf8')).trim();
      if (token.length < 12) throw new VaratlasError('usage', `the token in ${tokenFile} is too short (at least 12 characters)`);
      return token;
    } catch (error) {
      if (error instanceof VaratlasError) throw error;
      throw new VaratlasError('usage', `cannot read the token file ${tokenFile}`);
    }
  }
  return process.env.VARATLAS_TOKEN || undefined;
}

/** Serve until Ctrl-C; the store stays open for the server's lifetime. */
export async function serve(store: Store, catalogFiles: string[], o: ServeOptions): Promise<void> {
  const { app, url } = await startServer({ store, host: o.host, port: o.port, token: await readToken(o.tokenFile), webRoot, catalogFiles, boundaries: o.boundaries, interventions: o.interventions });
  console.log(`varatlas atlas at ${url} (API at ${url}api, OpenAPI at ${url}api/openapi.json) — Ctrl-C stops it`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
}

export async function serveCommand(db: StoreOptions, catalogFiles: string[], o: ServeOptions): Promise<void> {
  const store = await openStore({ path: db.db, memoryLimit: db.memoryLimit });
  try {
    await serve(store, catalogFiles, o);
  } finally {
    await store.close();
  }
}
