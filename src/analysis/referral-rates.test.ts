import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { loadCatalogue } from '../catalog/load-catalogue.js';
import type { ServiceDefinition } from '../catalog/service.js';
import { importFile } from '../import/import-file.js';
import { crudeRate, directlyStandardisedRate } from '../stats/rates.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { tempDir, writeText } from '../test-support/fixtures.js';
import { defaultRateOptions, isWithheld, type RateTable } from './rates.js';
import { buildApp } from '../server/app.js';
import { computeReferralRates, computeUnsuppressedReferralRates } from './referral-rates.js';

const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R,Region\n2002,B,Area B,R,Region\n3003,C,Area C,R,Region\n';
// Men and women aged 40–44 and 60–64 in every place and year: 1 000 each.
const population = ['year,municipality,sex,age,population', ...[2023, 2024].flatMap((y) => ['1001', '2002', '3003'].flatMap((m) => [1, 2].flatMap((sex) => [`${y},${m},${sex},40,1000`, `${y},${m},${sex},60,1000`])))].join('\n');
const header = 'referral_id,patient_id,received_date,age,sex,municipality,referrer_type,receiver_id,receiver_type,assessing_unit,assessment,reason_codes,requested_procedures';

/** n referrals: [place, sex, age, receiver type, reasons, requested procedures], received in `year`. */
function referrals(tag: string, year: number, n: number, [place, sex, age, receiver, reasons, procedures]: [string, number, number, string, string, string]): string[] {
  return Array.from({ length: n }, (_, i) => `${tag}${i},p${tag}${i},${year}-0${(i % 9) + 1}-15,${age},${sex},${place},gp,R1,${receiver},Unit,right,${reasons},${procedures}`);
}

describe('referral rates', () => {
  let store: Store;
  let dir: string;
  let gastroscopy: ServiceDefinition;
  let hernia: ServiceDefinition;
  before(async () => {
    dir = await tempDir({ keep: true });
    store = await openStore({ path: join(dir, 'store.duckdb') });
    const catalogue = await loadCatalogue();
    gastroscopy = catalogue.services.find((s) => s.id === 'gastroscopy')!;
    hernia = catalogue.services.find((s) => s.id === 'groin_hernia')!;
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
    await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', population) });
    const rows = [
      header,
      // Area A, 2024: 30 gastroscopy referrals of women aged 42 (20 to private providers), 10 of men aged 61.
      ...referrals('a', 2024, 20, ['1001', 2, 42, 'private', 'R10', 'UJD02']),
      ...referrals('b', 2024, 10, ['1001', 2, 42, 'public', 'K21', 'UJD05']),
      ...referrals('c', 2024, 10, ['1001', 1, 61, 'contract_specialist', '', 'UJD02']),
      // Area B: 13 gastroscopy referrals in 2024 and 12 in 2023; area C: 25 in each year.
      ...referrals('d', 2024, 13, ['2002', 1, 42, 'public', '', 'UJD02']),
      ...referrals('e', 2023, 12, ['2002', 1, 42, 'public', '', 'UJD02']),
      ...referrals('f', 2024, 25, ['3003', 2, 62, 'public', '', 'UJD02']),
      ...referrals('g', 2023, 25, ['3003', 2, 62, 'public', '', 'UJD02']),
      // A hernia by its reason alone (no procedure asked for), one asking for another procedure (not a hernia
      // referral), and one under 18 (outside the service's limits).
      ...referrals('h', 2024, 1, ['1001', 1, 61, 'public', 'K40.9', '']),
      ...referrals('i', 2024, 1, ['1001', 1, 61, 'public', 'K40.9', 'UJD02']),
      `j0,pj0,2024-05-01,15,1,1001,gp,R1,public,Unit,right,K40.9,`,
    ];
    const report = await importFile(store, { kind: 'referrals', path: await writeText(dir, 'r.csv', rows.join('\n')) });
    assert.equal(report.rowsRejected, 0);
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('by hand: counts, the receivers, crude and standardised rates of area A in 2024', async () => {
    const o = defaultRateOptions([2024, 2024]);
    const [t] = await computeUnsuppressedReferralRates(store, [gastroscopy], o);
    assert.equal(t!.service.counts, 'referrals');
    const a = t!.rows.find((r) => r.unit === 'A' && r.year === 2024)!;
    // 20 + 10 + 10, and the one asking for a gastroscopy with a hernia as its reason.
    assert.equal(a.events, 41);
    assert.deepEqual(a.providers, { public: 11, private: 20, contract_specialist: 10 });
    assert.ok(isWithheld(a.patients), 'patients are not counted with referrals');
    const crude = crudeRate(41, 4000, { multiplier: 100_000, level: 0.95 });
    assert.ok(!isWithheld(a.crudeRate) && Math.abs(a.crudeRate.value - crude.value) < 1e-9 && Math.abs(a.crudeRate.lower - crude.lower) < 1e-9);
    // Standardised to the nation's population of 2024 (every place the same: 3 000 per cell).
    const dsr = directlyStandardisedRate([
      { events: 30, population: 1000, standard: 3000 }, { events: 0, population: 1000, standard: 3000 },
      { events: 11, population: 1000, standard: 3000 }, { events: 0, population: 1000, standard: 3000 },
    ], { multiplier: 100_000, level: 0.95 });
    assert.ok(!isWithheld(a.standardisedRate));
    for (const k of ['value', 'lower', 'upper'] as const) assert.ok(Math.abs(a.standardisedRate[k] - dsr[k]) < 1e-9, `${k}`);
    const [h] = await computeUnsuppressedReferralRates(store, [hernia], o);
    assert.equal(h!.rows.find((r) => r.national && r.year === 2024)!.events, 1, 'a hernia by its reason alone; not one asking for a gastroscopy, not one under 18');
  });

  it('published: a small count withheld, and what would give it away', async () => {
    const [t] = await computeReferralRates(store, [hernia], defaultRateOptions([2024, 2024]));
    const a = t!.rows.find((r) => r.unit === 'A' && r.year === 2024)!;
    assert.ok(isWithheld(a.events), 'area A\'s one hernia referral of 2024');
    assert.ok(t!.rows.filter((r) => r.year === 2024 && r.unit !== 'A' && isWithheld(r.events)).length >= 1, 'and a second cell, so that the nation minus the others does not give it');
    const [g] = await computeReferralRates(store, [gastroscopy], defaultRateOptions([2024, 2024]));
    assert.ok(g!.rows.every((r) => !isWithheld(r.events)), 'no small count of gastroscopy referrals: nothing withheld');
    await assert.rejects(computeReferralRates(store, [gastroscopy], { ...defaultRateOptions([2024, 2024]), level: 'municipality' }), /area and region/);
  });

  it('the API answers the same table, and names a bad parameter', async () => {
    const app = await buildApp({ store });
    try {
      const ok = await app.inject({ url: '/api/referrals?service=gastroscopy&years=2024' });
      assert.equal(ok.statusCode, 200, ok.body);
      const table = ok.json() as RateTable;
      assert.equal(table.rows.find((r) => r.unit === 'A' && r.year === 2024)!.events, 41);
      const bad = await app.inject({ url: '/api/referrals?service=gastroscopy&level=municipality' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /published by area and region, not by municipality/);
      const period = await app.inject({ url: '/api/referrals?service=gastroscopy&years=2022-2024' });
      assert.equal(period.statusCode, 400);
      assert.match(period.body, /not published/);
    } finally {
      await app.close();
    }
  });

  it('the CLI prints the table and the receivers in one command', async () => {
    await store.close();
    try {
      const cli = join(process.cwd(), 'src', 'cli', 'main.ts');
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, '--db', join(dir, 'store.duckdb'), 'referrals', '--service', 'gastroscopy', '--year', '2024', '--by', 'region']);
      assert.match(stdout, /referrals by region of residence, 2024/);
      assert.match(stdout, /The nation, 2024: 79 referrals, 49 to public hospitals, 20 to private providers and 10 to contract specialists\./);
    } finally {
      store = await openStore({ path: join(dir, 'store.duckdb') });
    }
  });
});
