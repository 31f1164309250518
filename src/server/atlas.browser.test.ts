import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import * as XLSX from 'xlsx';
import { runDemo } from '../demo/run-demo.js';
import { messages } from '../i18n/messages.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { startServer } from './start-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const webRoot = join(root, 'dist/web');
const shots = join(root, 'test-output/screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The page has drawn its view: its data came and no error is shown. */
const readyOn = (p: Page) => p.waitForFunction(() => document.body.dataset.ready === 'true' && document.getElementById('status')?.textContent === '', null, { timeout: 60_000 });
const views = ['atlas', 'labels', 'needs', 'factsheet', 'lowvalue', 'interventions', 'concentration', 'pathways', 'referrals'];
/** Open one view of gastroscopy for area 8 in one language, and wait until it is drawn. */
async function openView(p: Page, url: string, view: string, lang: string): Promise<void> {
  await p.goto(`${url}?service=gastroscopy&view=${view}&area=8&lang=${lang}`);
  await readyOn(p);
}

/**
 * The atlas in a real headless Chromium (Debian's package, driven by playwright-core) against the
 * real server on demo data. Screenshots of each page kind are kept in test-output/screenshots.
 */
describe('web atlas in Chromium', () => {
  let dir: string;
  let store: Store;
  let close: () => Promise<void>;
  let url: string;
  let browser: Browser;
  let page: Page;

  before(async () => {
    assert.ok(existsSync(chromiumPath), `Chromium is needed at ${chromiumPath} (apt-get install -y chromium; .ci/run does)`);
    if (!existsSync(join(webRoot, 'index.html'))) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    dir = await mkdtemp(join(tmpdir(), 'varatlas-atlas-'));
    store = await openStore({ path: join(dir, 'atlas.duckdb') });
    // Three years, so that the pathways have a whole year with its look-back and follow-up (2022).
    const demo = await runDemo(store, { outDir: dir, scale: 0.15, years: [2021, 2022, 2023], badEvery: 0 });
    // The demo's project in one area has months of 1–4 at this scale (its effect is then withheld); a
    // second one over the whole country has none, so that its chart and effect are shown.
    const areaCodes = (await store.areas()).map((a) => `"${a.areaCode}"`).join(', ');
    await appendFile(demo.files.interventions, `  - name: "Færre gastroskopier 18–44 år (hele landet)"\n    areas: [${areaCodes}]\n    service: gastroscopy\n    age: { min: 18, max: 44 }\n    start: 2023-03-22\n    phase: execution\n    minutes: { physician: 45.72 }\n`);
    const server = await startServer({ store, host: '127.0.0.1', port: 0, webRoot, interventions: demo.files.interventions });
    url = server.url;
    close = () => server.app.close();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1200 }, acceptDownloads: true });
    await mkdir(shots, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await close?.();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ready = async () => {
    await readyOn(page);
  };
  const reload = async (query: string) => {
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.goto(`${url}?${query}`);
    await ready();
  };
  const heading = () => page.locator('main h2').first().innerText();

  it('in token mode: the atlas sends the visitor to sign in, then loads its data with the session cookie, with no CSP violation', async () => {
    const token = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
    const guarded = await startServer({ store, host: '127.0.0.1', port: 0, webRoot, token });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1200 } });
    const visitor = await context.newPage();
    const violations: string[] = [];
    visitor.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    try {
      await visitor.goto(guarded.url);
      assert.match(visitor.url(), /\/login$/);
      await visitor.fill('#token', 'wrong-token');
      await visitor.click('button[type=submit]');
      assert.match(await visitor.locator('[role=alert]').innerText(), /not right/);
      await visitor.fill('#token', token);
      await visitor.click('button[type=submit]');
      await readyOn(visitor);
      assert.match(await visitor.locator('main h2').first().innerText(), /Gastroscopy/);
      assert.equal(await visitor.locator('main table tbody tr').count(), 22, 'the data came through the session cookie');
      const cookies = await context.cookies();
      assert.ok(cookies.some((c) => c.name === 'varatlas_session' && c.httpOnly && c.sameSite === 'Strict'));
      assert.ok(!cookies.some((c) => c.value.includes(token)));
      assert.deepEqual(violations, []);
    } finally {
      await context.close();
      await guarded.app.close();
    }
  });

  it('loads the atlas: bars for 21 areas and the nation, the map, the funnel and the table', async () => {
    await page.goto(url);
    await ready();
    assert.match(await heading(), /Gastroscopy/);
    assert.equal(await page.locator('main svg g[aria-label="bar"] rect').count(), 22);
    assert.equal(await page.locator('main table tbody tr').count(), 22);
    // Each area's ratio to the nation with its interval (from /api/compare); none for the nation itself.
    const heads = await page.locator('main table thead th').allTextContents();
    const column = heads.indexOf('Ratio to national (95 %)');
    assert.ok(column > 0, heads.join(' | '));
    const ratio = await page.locator(`main table tbody tr[data-unit="8"] td:nth-child(${column + 1})`).textContent();
    assert.match(ratio!, /^\d+\.\d\d \(\d+\.\d\d–\d+\.\d\d\)$/);
    assert.equal(await page.locator(`main table tbody tr.national td:nth-child(${column + 1})`).textContent(), '');
    // Two chosen areas against each other: rate ratio and difference with their intervals.
    await page.locator('main select[aria-label="Area"]').selectOption('8');
    await page.locator('main select[aria-label="Area against"]').selectOption('1');
    await page.waitForFunction(() => /^Rate ratio \d/.test(document.querySelector('main .pair-result')?.textContent ?? ''));
    assert.match((await page.locator('main .pair-result').textContent())!, /^Rate ratio \d+\.\d\d \(\d+\.\d\d–\d+\.\d\d\); difference -?[\d,]+\.\d \(-?[\d,]+\.\d to -?[\d,]+\.\d\) per 100,000 \(95 %\)\.$/);
    await page.screenshot({ path: join(shots, 'atlas.png'), fullPage: true });
  });

  const mapUnits = async () => {
    const drawn = await page.locator('main figure.real-map svg.map').first().locator('path[data-unit]').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-unit')!));
    const listed = await page.locator('main figure.real-map .split-units button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-unit')!));
    return { drawn, listed };
  };

  it('draws the real map: 21 areas (Oslo one dashed shape with its four areas listed), legend and © Kartverket; 4 regions', async () => {
    const { drawn, listed } = await mapUnits();
    const areas = (await store.areas()).map((a) => a.areaCode).sort();
    assert.equal(drawn.filter((u) => !u.startsWith('split:')).length, 18, 'every area with municipalities of its own is a polygon');
    assert.deepEqual(drawn.filter((u) => u.startsWith('split:')), ['split:0301']);
    assert.deepEqual([...new Set([...drawn, ...listed])].filter((u) => !u.startsWith('split:')).sort(), areas);
    assert.equal(await page.locator('main .legend li').count(), 6);
    assert.ok(await page.locator('main .legend').isVisible());
    assert.match(await page.locator('main figure.real-map .attribution').innerText(), /© Kartverket/);
    await reload('level=region');
    assert.equal((await mapUnits()).drawn.length, 4);
    // The local-hospital areas: every one drawn or listed beside its shared municipality (Oslo, Bergen).
    await reload('level=local');
    const local = await mapUnits();
    const localCodes = [...new Set((await store.places()).map((p) => p.localArea?.code).filter((c): c is string => !!c))].sort();
    assert.equal(localCodes.length, 47);
    assert.deepEqual([...new Set([...local.drawn, ...local.listed])].filter((u) => !u.startsWith('split:')).sort(), localCodes);
    assert.equal(await page.locator('main table tbody tr[data-unit]:not(.national)').count(), 47);
    // The municipalities: each its own shape.
    await reload('level=municipality');
    const municipalities = new Set((await store.places()).map((p) => p.municipality));
    assert.equal(municipalities.size, 357);
    assert.deepEqual(new Set((await mapUnits()).drawn), municipalities);
    // A rare service: every area whose rate is withheld is hatched on the map, and no other.
    await reload('service=pilonidal&years=2023');
    const rates = (await (await fetch(new URL('/api/rates?service=pilonidal&years=2023', url))).json()) as { rows: { unit: string; year: number | null; national: boolean; standardisedRate: object }[] };
    const withheld = rates.rows.filter((r) => r.year === null && !r.national && 'withheld' in r.standardisedRate).map((r) => r.unit).sort();
    assert.ok(withheld.length > 0, 'the rare service has withheld areas at this scale');
    const hatched = await page.locator('main figure.real-map svg.map').first().locator('path[fill^="url(#"]').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-unit')!));
    const shapes = (await mapUnits()).drawn;
    assert.deepEqual(hatched.sort(), withheld.filter((u) => shapes.includes(u)), `hatched ${hatched} withheld ${withheld}`);
    await reload('');
  });

  it('a click on the map selects the area everywhere and in the URL; Tab and Enter do the same; the tiles stay a choice', async () => {
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.locator('main figure.real-map svg.map').first().locator('path[data-unit="11"]').click();
    await ready();
    assert.match(page.url(), /area=11/);
    assert.equal(await page.locator('main table tbody tr.selected').getAttribute('data-unit'), '11');
    assert.equal(await page.locator('main figure.real-map svg.map').first().locator('path[data-unit="11"]').getAttribute('aria-pressed'), 'true');
    // Oslo's areas from the list beside the map.
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.locator('main .split-units button[data-unit="17"]').click();
    await ready();
    assert.match(page.url(), /area=17/);
    // The keyboard: focus an area on the map, read its figures, select it with Enter.
    const path = page.locator('main figure.real-map svg.map').first().locator('path[data-unit="8"]');
    await path.focus();
    assert.match(await page.locator('main .map-hint').innerText(), /Møre og Romsdal: [\d\s,.]+ per 100 000, [\d,.]+ % of national/);
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.keyboard.press('Enter');
    await ready();
    assert.match(page.url(), /area=8/);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(shots, 'map-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 1200 });
    await page.locator('main figure.real-map').screenshot({ path: join(shots, 'map.png') });
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.getByRole('button', { name: 'Show the schematic map' }).click();
    await ready();
    assert.match(page.url(), /map=tiles/);
    assert.equal(await page.locator('main svg g[aria-label="cell"] rect').count(), 21);
    await reload('');
  });

  it('switches service and language', async () => {
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.selectOption('#service', 'colonoscopy');
    await ready();
    assert.match(await heading(), /Colonoscopy/);
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.click('#lang');
    await ready();
    assert.match(await heading(), /Koloskopi/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'nb');
    assert.match(page.url(), /service=colonoscopy/);
    assert.match(page.url(), /lang=nb/);
  });

  it('counts patients instead of events', async () => {
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.selectOption('#measure', 'patients');
    await ready();
    assert.match(page.url(), /measure=patients/);
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.selectOption('#measure', 'events');
    await ready();
  });

  it('counts stays and bed days: the table heads them, and bed days say why they have no funnel', async () => {
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.selectOption('#measure', 'stays');
    await ready();
    assert.match(page.url(), /measure=stays/);
    // The page is in Norwegian here.
    assert.equal(await page.locator('main table thead th').nth(1).textContent(), 'Opphold');
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.selectOption('#measure', 'bed_days');
    await ready();
    assert.equal(await page.locator('main table thead th').nth(1).textContent(), 'Liggedøgn');
    assert.match((await page.locator('main').textContent()) ?? '', /liggedøgn er ikke et antall hendelser/);
    assert.ok(Number((await page.locator('main table tbody tr').count())) > 5, 'a row per area');
    // Stays and bed days are published by area and region only: a finer level counts events again.
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.selectOption('#level', 'municipality');
    await ready();
    assert.equal(await page.locator('#measure').inputValue(), 'events');
    assert.doesNotMatch(page.url(), /measure=bed_days/);
    assert.equal(await page.locator('#status').textContent(), '', 'no error');
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.selectOption('#level', 'area');
    await ready();
  });

  it('clicking an area selects it everywhere and keeps it in the URL', async () => {
    await page.evaluate(() => delete document.body.dataset.ready);
    // The page is in Norwegian here: Plot's mark groups carry their translated names.
    await page.locator('main svg g[aria-label="stolper"] rect[data-unit="8"]').click();
    await ready();
    assert.match(page.url(), /area=8/);
    assert.equal(await page.locator('main table tbody tr.selected').getAttribute('data-unit'), '8');
    // The same link opens the same view.
    await reload(new URL(page.url()).search.slice(1));
    assert.equal(await page.locator('main table tbody tr.selected').getAttribute('data-unit'), '8');
  });

  it('the keyboard reaches the table rows and selects with Enter', async () => {
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.locator('main table tbody tr[data-unit="7"]').focus();
    await page.keyboard.press('Enter');
    await ready();
    assert.match(page.url(), /area=7/);
  });

  it('downloads the figures as CSV, with withheld values empty, never 0', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
    const text = await readFile((await download.path())!, 'utf8');
    assert.match(text.split('\n')[0]!, /^unit,unit_name,year,events,population,standardised_rate/);
    assert.ok(text.split('\n').length > 40);
  });

  it('passes axe-core on every view, in both languages: no serious or critical violation', async () => {
    const axe = await readFile(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
    // axe is injected as a script, which the atlas's own CSP rightly refuses: this one page bypasses it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 1200 }, bypassCSP: true });
    const checker = await context.newPage();
    const found: string[] = [];
    try {
      for (const lang of ['en', 'nb']) {
        for (const view of views) {
          await openView(checker, url, view, lang);
          await checker.addScriptTag({ content: axe });
          const violations = await checker.evaluate(async () => {
            type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
            const result = await (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<Result> } }).axe.run(document, { resultTypes: ['violations'] });
            return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')} [${v.nodes.length}]`);
          });
          found.push(...violations.map((v) => `${view}/${lang}: ${v}`));
        }
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(found, []);
  });

  it('shows table 4, table 5 and a fact sheet, and takes a screenshot of each', async () => {
    for (const view of ['labels', 'needs', 'factsheet'] as const) {
      await reload(`service=gastroscopy&view=${view}&area=8&lang=nb`);
      await page.screenshot({ path: join(shots, `${view}.png`), fullPage: true });
      assert.ok((await page.locator('main table tbody tr').count()) > 0, view);
    }
    assert.match(await page.locator('main h2').first().innerText(), /Faktaark: Møre og Romsdal/);
    // The fact sheet prints to a clean PDF: the controls are not printed.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header form').isVisible(), false);
    await page.pdf({ path: join(shots, 'factsheet.pdf'), format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    assert.ok(existsSync(join(shots, 'atlas.png')) && existsSync(join(shots, 'factsheet.png')));
  });

  it('keeps withheld areas in the bar chart, marked, never a missing or zero bar', async () => {
    await reload('service=pilonidal&years=2023&lang=en');
    const rates = (await (await fetch(new URL('/api/rates?service=pilonidal&years=2023', url))).json()) as { rows: { year: number | null; standardisedRate: object }[] };
    const pooled = rates.rows.filter((r) => r.year === null);
    const withheld = pooled.filter((r) => 'withheld' in r.standardisedRate).length;
    assert.ok(withheld > 0);
    assert.equal(await page.locator('main svg g[aria-label="bar"] rect').count(), pooled.length - withheld);
    const marks = await page.locator('main svg').first().locator('g[aria-label="text"] text').allTextContents();
    assert.equal(marks.filter((m) => /withheld/.test(m)).length, withheld, marks.join(' | '));
    assert.match(await page.locator('main').innerText(), /Withheld never means 0/);
    await reload('');
  });

  it('Tables 4 and 5 and the fact sheet: colour-coded labels with a legend, region totals, three kinds of empty, an area picker, downloads', async () => {
    await reload('service=gastroscopy&view=labels&lang=en');
    assert.ok((await page.locator('main table.labels td.pos-near, main table.labels td.pos-above, main table.labels td.pos-below').count()) > 0);
    assert.equal(await page.locator('main .legend li').count(), 6);
    const [labels] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
    assert.match(await readFile((await labels.path())!, 'utf8'), /^service,/);
    await reload('service=gastroscopy&view=needs&lang=en');
    assert.equal(await page.locator('main table tr.total').count(), 4, 'a total per region');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'XLSX' }).click()]);
    assert.match(xlsx.suggestedFilename(), /^tables-4-5-\d{4}\.xlsx$/);
    await reload('view=factsheet&lang=en');
    await page.evaluate(() => delete document.body.dataset.ready);
    await page.selectOption('#sheet-area', '8');
    await ready();
    assert.match(page.url(), /area=8/);
    const sheet = await (await fetch(new URL('/api/factsheet?area=8', url))).json() as { services: { nationalRate: number | null }[] };
    const none = sheet.services.filter((r) => r.nationalRate === 0).length;
    assert.equal(await page.locator('main tr.empty').count(), none);
    assert.match(await page.locator('main thead').innerText(), /Rates for the whole period \d{4}–\d{4}[\s\S]*Needs in \d{4}/);
    await reload('');
  });

  it('reads on a phone: no view scrolls sideways, in either language', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const wide: string[] = [];
    try {
      for (const lang of ['en', 'nb']) {
        for (const view of views) {
          await openView(phone, url, view, lang);
          const width = await phone.evaluate(() => document.documentElement.scrollWidth);
          if (width > 390) wide.push(`${view}/${lang}: ${width} px`);
          // Charts keep a readable size: the widest drawing fills most of the screen.
          const charts = await phone.locator('main svg:not(.locator svg)').evaluateAll((svgs) => svgs.map((x) => x.getBoundingClientRect().width));
          if (charts.length && Math.max(...charts) < 300) wide.push(`${view}/${lang}: charts only ${Math.max(...charts)} px wide`);
        }
      }
    } finally {
      await phone.close();
    }
    assert.deepEqual(wide, []);
  });

  it('shows the concentration of use: the sentence, the Lorenz curve with the 1 % and 10 % marks, a table, and never a list of patients', async () => {
    await reload('view=concentration&years=2023&lang=en');
    const text = await page.locator('main').innerText();
    assert.match(text, /Concentration of use: stays, 2023/);
    assert.match(text, /National: 1 % of the patients used \d+\.\d % \(\d+\.\d–\d+\.\d\); 5 % used/);
    assert.match(await page.locator('main svg[aria-label]').first().getAttribute('aria-label') ?? '', /^National: 1 % of the patients used/);
    assert.ok((await page.locator('main table tbody tr').count()) >= 2);
    assert.doesNotMatch(text, /\bRank\b|heaviest/i);
    await page.screenshot({ path: join(shots, 'concentration.png'), fullPage: true });
    await reload('view=concentration&years=2023&use=bed_days&lang=nb');
    assert.match(await page.locator('main').innerText(), /Konsentrasjon av bruk: liggedøgn, 2023[\s\S]*Landet: 1 % av pasientene brukte/);
  });

  it('shows the referrals: rates by area and the rights assessment, every unit labelled or withheld', async () => {
    await reload('view=referrals&years=2023&lang=en');
    const text = await page.locator('main').innerText();
    assert.match(text, /Referral rates by place of residence: Gastroscopy with or without biopsy, 2023/);
    assert.match(text, /Rights assessment by assessing unit/);
    const tables = page.locator('main table');
    assert.equal(await tables.count(), 2);
    assert.ok((await tables.first().locator('tbody tr').count()) > 10, 'a row per area');
    assert.match(await tables.nth(1).innerText(), /(higher than|near|lower than) expected/, 'units are labelled');
    await page.screenshot({ path: join(shots, 'referrals.png'), fullPage: true });
  });

  it('shows a pathway: the controls funnel, the table by provider and the follow-up scenario', async () => {
    await reload('view=pathways&pathway=knee_osteoarthritis&pby=provider&lang=en');
    const text = await page.locator('main').innerText();
    assert.match(text, /Pathway: Knee osteoarthritis, 2022\n/);
    assert.match(text, /Needs-based follow-up \(target: ratio to the nation \d\.\d\d\)[\s\S]*Total\s+[\d,]+ \([\d,]+–[\d,]+\)/);
    assert.equal(await page.locator('main svg[aria-label="Funnel plot: controls, observed/expected"]').count(), 1);
    assert.ok((await page.locator('main table').first().locator('tbody tr').count()) >= 3);
    await page.screenshot({ path: join(shots, 'pathways.png'), fullPage: true });
  });

  it('shows a low-value measure and the interventions: portfolio by phase, series with start and counterfactual', async () => {
    await reload('view=lowvalue&lv=gastroscopy_under_55&lang=en');
    assert.match(await page.locator('main h2').first().innerText(), /Low-value care: Gastroscopy under 55/);
    assert.ok((await page.locator('main table tbody tr').count()) >= 22);
    await page.screenshot({ path: join(shots, 'lowvalue.png'), fullPage: true });
    await reload('view=interventions&lang=en');
    assert.match(await page.locator('main').innerText(), /Execution[\s\S]*Færre gastroskopier/);
    // One area's project at this scale has months the grid withholds, so the atlas says so instead of
    // a chart; the nationwide one is published: its chart (events, start date) and the avoided procedures.
    const text = await page.locator('main').innerText();
    assert.match(text, /St\. Olav\)\s+The effect is not published: some months of its series hold withheld counts[^\n]*Months: \d{4}-\d{2}/);
    assert.match(text, /hele landet\)\s+[\d\s]+↑ Events[\s\S]*?\d{4}-\d{2}-\d{2}\s+CSV\s*PNG\s+Procedures avoided: -?\d+ \(-?\d+ to -?\d+\)\. Hours freed: physician/);
    assert.ok((await page.locator('main svg').count()) >= 1, 'the published effect is drawn');
    await page.screenshot({ path: join(shots, 'interventions.png'), fullPage: true });
  });

  it('every view downloads its figures: CSV, XLSX and PNG, each a real file of its kind', async () => {
    const got: string[] = [];
    for (const view of views) {
      await openView(page, url, view, 'nb');
      for (const kind of ['CSV', 'XLSX', 'PNG']) {
        const button = page.locator('main .downloads button', { hasText: new RegExp(`^${kind}$`) }).first();
        if ((await button.count()) === 0) {
          got.push(`${view}: no ${kind} button`);
          continue;
        }
        const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
        const bytes = await readFile((await file.path())!);
        const name = file.suggestedFilename();
        const ok = kind === 'CSV' ? /^[a-z_]+(,[a-z_0-9]+)+\n/.test(bytes.toString('utf8')) && bytes.toString('utf8').trim().split('\n').length > 2
          : kind === 'XLSX' ? bytes.subarray(0, 2).toString() === 'PK' && XLSX.read(bytes).SheetNames.length > 0
          : bytes.subarray(1, 4).toString() === 'PNG' && bytes.length > 2_000;
        if (kind === 'PNG') await file.saveAs(join(shots, `download-${view}.png`));
        if (!ok || !name.toLowerCase().endsWith(`.${kind.toLowerCase()}`)) got.push(`${view}: ${kind} ${name} (${bytes.length} bytes) is not a ${kind} file`);
      }
    }
    assert.deepEqual(got, []);
  });

  it('speaks one language per page: no English in any Norwegian view and no Norwegian message in any English one, at desktop and phone width', async () => {
    // Words that are English and never Norwegian, and the catalogue's messages of the other language.
    const english = ['the', 'of', 'and', 'with', 'withheld', 'events', 'fewer', 'than', 'not', 'no', 'national', 'area', 'areas', 'patients',
      'physician', 'analysis', 'execution', 'share', 'label', 'month', 'months', 'hours', 'procedures', 'rows', 'expected', 'observed',
      'population', 'between', 'without', 'published', 'episodes', 'counted', 'sensitive', 'specific', 'highest', 'lowest', 'average',
      'purchase', 'public', 'contract', 'specialist', 'choose', 'show', 'hide', 'loading', 'trend', 'funnel', 'legend', 'figures', 'year', 'years',
      'axis', 'tick', 'bar', 'dot', 'rule', 'line', 'grid', 'may', 'oct', 'dec'];
    const norwegian = ['ikke', 'skjult', 'hendelser', 'områder', 'innbyggere', 'henter', 'forventet', 'observert', 'kjøpsbehov', 'merkelapp',
      'tjeneste', 'nivå', 'visning', 'færre', 'enn', 'mellom', 'ingen', 'lege', 'måneder', 'timer', 'andel', 'snitt', 'velg', 'tegnforklaring',
      'mai', 'okt', 'des', 'til'];
    // The other language's messages of two words or more (single words are the lists' work: 'Start' is Norwegian too).
    const other = (lang: 'nb' | 'en') => Object.values(messages).filter((m) => m.nb !== m.en).map((m) => m[lang === 'nb' ? 'en' : 'nb']).filter((m) => m.includes(' '));
    // What a reader sees or hears: the text, tooltips, accessible names, every option, the charts' text.
    const seen = (p: Page) => p.evaluate(() => [document.title, document.body.innerText,
      ...[...document.querySelectorAll('[title], [aria-label]')].flatMap((e) => [e.getAttribute('title') ?? '', e.getAttribute('aria-label') ?? '']),
      ...[...document.querySelectorAll('option, optgroup, svg text, svg title')].map((e) => (e instanceof HTMLOptGroupElement ? e.label : e.textContent ?? ''))].join('\n'));
    // The user's own data keep their words: file names and the intervention register's project names.
    const own = /\S+\.(csv|yaml|json|duckdb)\b|Færre gastroskopier 18–44 år \((St\. Olav|hele landet)\)/g;
    const found: string[] = [];
    for (const [width, height, kind] of [[1280, 1200, 'desktop'], [390, 844, 'phone']] as const) {
      const p = await browser.newPage({ viewport: { width, height } });
      try {
        for (const lang of ['nb', 'en'] as const) {
          for (const query of [...views.map((v) => `view=${v}`), 'view=atlas&split=1', 'view=atlas&level=region', 'view=atlas&level=local', 'view=atlas&level=municipality']) {
            const view = query.replace('view=', '').replace(/&/g, '-').replace(/=/g, '');
            await openView(p, url, query.replace('view=', ''), lang);
            const text = (await seen(p)).replace(own, ' ');
            const words = new Set(text.toLowerCase().split(/[^a-zæøåé-]+/));
            const context = (w: string) => new RegExp(`.{0,30}(?<![\\p{L}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}]).{0,30}`, 'iu').exec(text)?.[0];
            for (const w of lang === 'nb' ? english : norwegian) if (words.has(w)) found.push(`${view}/${lang}/${kind}: the word '${w}' in "${context(w)}"`);
            for (const m of other(lang)) if (context(m)) found.push(`${view}/${lang}/${kind}: '${m}' in "${context(m)}"`);
            if (!query.includes('&')) await p.screenshot({ path: join(shots, `${kind}-${view}-${lang}.png`), fullPage: true });
          }
        }
      } finally {
        await p.close();
      }
    }
    assert.deepEqual(found, []);
  });
});
