/**
 * Benchmark of the atlas: API latency (median, p95) for the main queries under concurrent requests
 * from a local load tool (autocannon), next to /api/health as the floor (the framework alone), the
 * first (uncached) answer of each query, and the time to first render of the atlas in Chromium.
 *
 *   npm run bench:atlas            # demo data at scale 1 (generated once into bench-data/atlas)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { chromium } from 'playwright-core';
import { runDemo } from '../src/demo/run-demo.js';
import { openStore } from '../src/store/open-store.js';
import { startServer } from '../src/server/start-server.js';

const dir = join(process.cwd(), 'bench-data', 'atlas');
const db = join(dir, 'atlas.duckdb');
const webRoot = join(process.cwd(), 'dist', 'web');
if (!existsSync(join(webRoot, 'index.html'))) throw new Error('build the dashboard first: npm run build');

if (!existsSync(db)) {
  console.log('generating the demo data once into bench-data/atlas …');
  const store = await openStore({ path: db });
  await runDemo(store, { outDir: dir });
  await store.close();
}
const store = await openStore({ path: db });
const { app, url } = await startServer({ store, host: '127.0.0.1', port: 0, webRoot });

const queries = {
  'health (floor)': 'api/health',
  rates: 'api/rates?service=gastroscopy',
  variation: 'api/variation?service=gastroscopy',
  needs: 'api/needs?service=gastroscopy',
  series: 'api/series?service=colonoscopy',
  labels: 'api/labels',
};

// Time to first render, before anything is cached: the page, its data, the charts.
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
let t0 = performance.now();
await page.goto(url);
await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
const coldRender = performance.now() - t0;

const first: Record<string, number> = {};
for (const [name, path] of Object.entries(queries)) {
  t0 = performance.now();
  const res = await fetch(url + path);
  await res.arrayBuffer();
  first[name] = performance.now() - t0;
}

const page2 = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
t0 = performance.now();
await page2.goto(url);
await page2.waitForSelector('body[data-ready="true"]');
const warmRender = performance.now() - t0;
await browser.close();

console.log(`\nAPI under load: 20 concurrent connections, 5 s per query (autocannon), answers cached after the first`);
console.log('query                first answer ms   median ms   p95 ms   requests/s');
for (const [name, path] of Object.entries(queries)) {
  const result = await autocannon({ url: url + path, connections: 20, duration: 5 });
  const p95 = (result.latency as unknown as Record<string, number>).p97_5 !== undefined ? percentile(result, 95) : NaN;
  console.log(`${name.padEnd(20)} ${first[name]!.toFixed(1).padStart(15)}   ${result.latency.p50.toFixed(1).padStart(9)}   ${p95.toFixed(1).padStart(6)}   ${Math.round(result.requests.average).toString().padStart(10)}`);
}
console.log(`\ntime to first render of the atlas: ${coldRender.toFixed(0)} ms with nothing cached, ${warmRender.toFixed(0)} ms with the server's answers cached`);
await app.close();
await store.close();

/** autocannon reports p90 and p97.5, not p95: interpolate between them. */
function percentile(result: autocannon.Result, p: number): number {
  const l = result.latency as unknown as Record<string, number>;
  return l.p90! + ((p - 90) / (97.5 - 90)) * (l.p97_5! - l.p90!);
}
