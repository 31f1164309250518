/**
 * Benchmark of the atlas's API at national scale, served from the strata cube:
 *   - every answer uncached: rates, variation, needs and series for each service of the catalogue
 *     asked for the first time, one after the other (median, p95, max);
 *   - Table 4 (all labels) uncached for several periods, then cached under 20 concurrent clients (p95),
 *     read as sent (gzip, not unpacked) and, beside it, unpacked by fetch;
 *   - 50 concurrent clients for 60 s with cache-busting parameters (every request a new combination
 *     of service, period, level and confidence): answers, errors, latency;
 *   - next to /api/health under the same load as the floor (the HTTP framework alone);
 *   - time to first render of the atlas in Chromium, when /usr/bin/chromium is installed.
 *
 *   npm run bench:atlas                                  # the store of `npm run bench` (scale 50, 2019–2023)
 *   npm run bench:atlas -- --store /path/to/store.duckdb # another store of episodes
 * The bench serves a copy of the store (made once, next to it, with the cube built) so the store is unchanged,
 * with the real `varatlas serve` in its own process (built: npm run build), so the load tool here does not
 * share the server's event loop.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { dirname, join } from 'node:path';
import { ensureCube } from '../src/catalog/cube-subjects.js';
import { loadCatalogue } from '../src/catalog/load-catalogue.js';
import { openStore } from '../src/store/open-store.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const base = arg('--store', join(process.cwd(), 'bench-data', 'cube-scale-50', 'store.duckdb'));
const seconds = Number(arg('--seconds', '60'));
if (!existsSync(base)) throw new Error(`${base} does not exist: run npm run bench first (it generates the scale-50 store), or pass --store`);
const webRoot = join(process.cwd(), 'dist', 'web');

const db = join(dirname(base), 'atlas-bench.duckdb');
if (!existsSync(db)) copyFileSync(base, db);
{
  const store = await openStore({ path: db });
  const t0 = performance.now();
  const r = await ensureCube(store);
  if (r.changed) console.log(`built the cube of ${db} in ${((performance.now() - t0) / 1000).toFixed(1)} s (kept for the next run)`);
  await store.checkpoint();
  await store.close();
}
if (!existsSync(join(process.cwd(), 'dist', 'cli', 'main.js'))) throw new Error('build varatlas first: npm run build');
const server = spawn(process.execPath, [join(process.cwd(), 'bin', 'varatlas.js'), '--db', db, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let said = '';
server.stdout!.on('data', (d) => (said += String(d)));
const url = await new Promise<string>((resolve, reject) => {
  const timer = setInterval(() => {
    const m = /atlas at (http:\/\/[^ ]+\/)/.exec(said);
    if (m) clearInterval(timer), resolve(m[1]!);
    if (server.exitCode !== null) clearInterval(timer), reject(new Error(`varatlas serve stopped: ${said}`));
  }, 50);
});
const catalogue = await loadCatalogue();

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
};
const summary = (xs: number[]) => `${quantile(xs, 0.5).toFixed(1).padStart(8)} ${quantile(xs, 0.95).toFixed(1).padStart(8)} ${Math.max(...xs).toFixed(1).padStart(8)}`;

async function timed(path: string): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url + path);
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

/**
 * The cached rows' client: asks for gzip as a browser does and reads every byte of the answer without
 * unpacking it (as wrk or autocannon measure a server), on kept-alive connections. `fetch` unpacks each
 * answer on the same two cores as the server; its figure for Table 4 is printed beside this one.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function timedRaw(path: string): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    get(url + path, { agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0 }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** `clients` workers asking `next()` paths for `ms`; every latency and every failure counted. */
async function load(next: () => string, clients: number, ms: number, ask: (path: string) => Promise<{ ms: number; status: number }> = timed) {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        try {
          const r = await ask(next());
          if (r.status >= 400) errors++;
          latencies.push(r.ms);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { latencies, errors, perSecond: latencies.length / (ms / 1000) };
}

console.log(`\nstore ${db}: ${catalogue.services.length} services`);
console.log(`\nevery answer uncached (each service asked for the first time)   median ms   p95 ms   max ms`);
const endpoints = ['rates', 'variation', 'needs', 'series'];
const uncached: Record<string, number[]> = {};
const failures: string[] = [];
for (const endpoint of endpoints) {
  uncached[endpoint] = [];
  for (const s of catalogue.services) {
    const r = await timed(`api/${endpoint}?service=${s.id}`);
    if (r.status !== 200) failures.push(`${endpoint} ${s.id}: ${r.status}`);
    uncached[endpoint]!.push(r.ms);
  }
  console.log(`  /api/${endpoint.padEnd(56)} ${summary(uncached[endpoint]!)}`);
}
const all = Object.values(uncached).flat();
console.log(`  all ${all.length} answers ${''.padEnd(50)} ${summary(all)}`);

// The publication grid's periods: the standard period and each year (others are refused: docs/rates.md).
const periods = ['', 'years=2019', 'years=2020', 'years=2021', 'years=2022', 'years=2023'];
const labels = [];
for (const p of periods) labels.push((await timed(`api/labels${p ? `?${p}` : ''}`)).ms);
const factsheet = (await timed('api/factsheet?area=7')).ms;
console.log(`  /api/labels (Table 4, all services), ${periods.length} periods ${''.padEnd(19)} ${summary(labels)}`);
console.log(`  /api/factsheet (every service for one area), first call ${''.padEnd(5)} ${factsheet.toFixed(1).padStart(8)}`);

console.log(`\ncached, 20 concurrent clients, 10 s, gzip read as sent        median ms   p95 ms   max ms   answers/s`);
for (const [name, path, ask] of [
  ['health (floor)', 'api/health', timedRaw],
  ['labels', 'api/labels', timedRaw],
  ['rates', 'api/rates?service=gastroscopy', timedRaw],
  ['labels, each answer unpacked by fetch on the same cores', 'api/labels', timed],
] as const) {
  const r = await load(() => path, 20, 10_000, ask);
  console.log(`  ${name.padEnd(58)} ${summary(r.latencies)} ${r.perSecond.toFixed(0).padStart(10)}   errors ${r.errors}`);
}

// Cache-busting: a new combination every request (service × endpoint × period × level × confidence).
const combos: string[] = [];
for (const s of catalogue.services) {
  for (const years of ['2019-2023', '2019', '2020', '2021', '2022', '2023']) {
    for (const level of ['area', 'region']) {
      combos.push(`api/rates?service=${s.id}&years=${years}&level=${level}&confidence=99.8`);
      combos.push(`api/variation?service=${s.id}&years=${years}&level=${level}`);
      combos.push(`api/series?service=${s.id}&years=${years}&level=${level}`);
    }
    combos.push(`api/needs?service=${s.id}&years=${years}`);
  }
}
let i = 0;
const busting = await load(() => combos[i++ % combos.length]!, 50, seconds * 1000);
console.log(`\n50 concurrent clients, ${seconds} s, every request a new combination (${combos.length} of them)`);
console.log(`  answers ${busting.latencies.length} (${busting.perSecond.toFixed(1)}/s), errors ${busting.errors}; latency median ${quantile(busting.latencies, 0.5).toFixed(0)} ms, p95 ${quantile(busting.latencies, 0.95).toFixed(0)} ms (queued behind one another: one connection)`);

if (existsSync('/usr/bin/chromium') && existsSync(join(webRoot, 'index.html'))) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const t0 = performance.now();
  await page.goto(`${url}?service=colonoscopy`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  const first = performance.now() - t0;
  const drawn = await page.locator('main figure.real-map svg.map').first().locator('path[data-unit]').count();
  console.log(`\ntime to first render of the atlas in Chromium, with the real map (${drawn} shapes): ${first.toFixed(0)} ms (goal ≤ 1 500)`);
  // A second visit: the boundaries come from the browser's cache (Cache-Control: a day), the answers from the server's.
  const again = await context.newPage();
  const t1 = performance.now();
  await again.goto(`${url}?service=colonoscopy`);
  await again.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  console.log(`second visit (same browser): ${(performance.now() - t1).toFixed(0)} ms`);
  await browser.close();
}
if (failures.length) console.error(`FAILED answers: ${failures.join('; ')}`);
agent.destroy();
server.kill('SIGINT');
await once(server, 'exit');
if (failures.length || busting.errors) process.exit(1);
