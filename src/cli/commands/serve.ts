import { readFile } from 'node:fs/promises';
import { ensureCube } from '../../catalog/cube-subjects.js';
import { markServing, servedBy } from '../../store/snapshot.js';
import { startServer } from '../../server/start-server.js';
import { watchedStore } from '../../server/store-source.js';
import { checkTokenStrength } from '../../server/access.js';
import { VaratlasError } from '../../errors.js';
import { withStore, type StoreOptions } from '../with-store.js';

/** The built dashboard, next to the compiled code (dist/web). */
export const webRoot = new URL('../../web/', import.meta.url).pathname;

export interface ServeOptions {
  host: string;
  port: number;
  tokenFile?: string;
  allowHost?: string[];
  boundaries?: string;
  interventions?: string;
}

export async function readToken(tokenFile?: string): Promise<string | undefined> {
  if (tokenFile) {
    let token: string;
    try {
      token = (await readFile(tokenFile, 'utf8')).trim();
    } catch {
      throw new VaratlasError('usage', `cannot read the token file ${tokenFile}`);
    }
    return checkTokenStrength(token, tokenFile);
  }
  return process.env.VARATLAS_TOKEN ? checkTokenStrength(process.env.VARATLAS_TOKEN, 'VARATLAS_TOKEN') : undefined;
}

/**
 * Serve the database file until Ctrl-C. The cube is brought up to date first; then the file is
 * opened read-only, so that `varatlas import` can write a new version next to it and swap it in while
 * the atlas keeps answering (docs/store.md).
 */
export async function serveCommand(db: StoreOptions, catalogFiles: string[], o: ServeOptions): Promise<void> {
  if (db.db === ':memory:') throw new VaratlasError('usage', 'serve needs a database file (--db PATH), not :memory:');
  const other = await servedBy(db.db);
  if (other) throw new VaratlasError('usage', `${db.db} is already served by process ${other.pid}`);
  await withStore(db, async (store) => {
    await ensureCube(store, { catalogFiles });
    await store.checkpoint();
  });
  const unmark = await markServing(db.db, catalogFiles);
  const source = await watchedStore(db.db, { memoryLimit: db.memoryLimit });
  try {
    const { app, url } = await startServer({
      source, host: o.host, port: o.port, token: await readToken(o.tokenFile), allowHosts: o.allowHost, webRoot, catalogFiles, boundaries: o.boundaries, interventions: o.interventions,
    });
    console.log(`varatlas atlas at ${url} (API at ${url}api, OpenAPI at ${url}api/openapi.json) — Ctrl-C stops it`);
    console.log(`serving ${db.db}; varatlas import into it while this runs: the atlas answers with the new data when the import is done`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
  } finally {
    await source.close();
    await unmark();
  }
}
