import { VaratlasError } from '../errors.js';
import type { Store } from '../store/store.js';
import { checkTokenStrength } from './access.js';
import { buildApp } from './app.js';
import type { StoreSource } from './store-source.js';

const loopback = ['127.0.0.1', '::1', 'localhost'];

/**
 * Start the API (and the dashboard, when built) on host:port. Only loopback is open without a token:
 * binding to any other address needs an access token, which every request must then carry.
 */
export async function startServer(o: {
  store?: Store; source?: StoreSource; host: string; port: number; token?: string; webRoot?: string; catalogFiles?: string[]; boundaries?: string; interventions?: string;
  allowHosts?: string[];
}) {
  if (!loopback.includes(o.host) && !o.token) {
    throw new VaratlasError('usage', `binding to ${o.host} needs an access token (set VARATLAS_TOKEN or --token-file)`);
  }
  if (o.token) checkTokenStrength(o.token, 'the server options');
  const app = await buildApp({ ...o, boundHost: o.host });
  try {
    await app.listen({ host: o.host, port: o.port });
  } catch (error) {
    throw new VaratlasError('usage', `cannot listen on ${o.host}:${o.port}: ${(error as Error).message}`);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return { app, url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}/` };
}
