import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { importFile } from '../import/import-file.js';
import { defaultSuppression } from '../stats/suppression.js';
import { memoryStore, tempDir, writeText } from '../test-support/fixtures.js';
import { geography, herniaStore, population } from '../test-support/hernias.js';
import { defaultRateOptions, isWithheld, providerTypes, type Estimate, type RateRow } from './rates.js';
import { serviceRates } from './service-rates.js';
import { VaratlasError } from '../errors.js';
import { withheldCountReason } from './grid-suppression.js';

async function storeWithHernias() {
  const [table] = await serviceRates(await herniaStore(), { serviceIds: ['groin_hernia'] }, defaultRateOptions);
  return table!;
}

const period = (rows: RateRow[], unit: string) => rows.find((r) => r.year === null && r.unit === unit)!;
const value = (v: unknown) => {
  assert.ok(!isWithheld(v), `expected a value, got ${JSON.stringify(v)}`);
  return v as Estimate;
};

describe('rates by area of residence, by hand', () => {
  it('counts the matching episodes of people inside the age limits, and the nation is the sum of the areas', async () => {
    const t = await storeWithHernias();
    assert.equal(period(t.rows, 'A').events, 82);
    assert.equal(period(t.rows, 'B').population, 8000); // B's 56 events are withheld, see below
    assert.equal(period(t.rows, 'A').population, 8000, 'ages under 18 are not at risk');
    assert.equal(period(t.rows, 'national').events, 82 + 56 + 3);
    assert.equal(period(t.rows, 'national').population, 8000 + 8000 + 2000);
  });

  it('crude rate, directly standardised rate and observed/expected equal the hand calculation', async () => {
    const t = await storeWithHernias();
    const a = period(t.rows, 'A');
    assert.ok(Math.abs(value(a.crudeRate).value - (82 / 8000) * 1e5) < 1e-9);
    // Standard: the national population 2022 by sex × age group: M20 4500, F20 4500, M60 4500, F60 4500.
    // Area A stratum rates: M20 10/1000, F20 0/1000, M60 60/3000, F60 12/3000 → DSR = (0.01 + 0 + 0.02 + 0.004) / 4.
    assert.ok(Math.abs(value(a.standardisedRate).value - ((0.01 + 0 + 0.02 + 0.004) / 4) * 1e5) < 1e-9);
    // National stratum rates: M20 40/4500, F20 6/4500, M60 83/4500, F60 12/4500.
    const expected = 1000 * (40 / 4500) + 1000 * (6 / 4500) + 3000 * (83 / 4500) + 3000 * (12 / 4500);
    const oe = value(a.observedExpected) as Estimate & { expected: number };
    assert.ok(Math.abs(oe.expected - expected) < 1e-9);
    assert.ok(Math.abs(oe.value - 82 / expected) < 1e-12);
    assert.ok(Math.abs(value(a.privateShare).value - 12 / 82) < 1e-12);
    assert.equal(a.providers.private, 12);
  });

  it('withholds small numbers and never shows them as zero, nor lets them be worked out from the total', async () => {
    const t = await storeWithHernias();
    const c = period(t.rows, 'C');
    assert.deepEqual(c.events, { withheld: withheldCountReason });
    assert.ok(isWithheld(c.crudeRate) && isWithheld(c.standardisedRate));
    const b = period(t.rows, 'B');
    assert.ok(isWithheld(b.events), 'the next smallest area is withheld too, so national − A does not give C');
    assert.deepEqual(b.events, c.events, 'with the same reason: no label tells the small count from its complement');
    assert.equal(period(t.rows, 'A').events, 82, 'A, the larger, stays shown');
    assert.equal(period(t.rows, 'national').events, 141);
  });
});

describe('aggregated counts input', () => {
  it('gives the same rates as the episodes it summarises', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
    await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', population) });
    const counts = [
      'service,year,area,sex,age_group,provider_type,events,patients',
      'groin_hernia,2022,A,1,20-24,public,10,10',
      'groin_hernia,2022,A,1,60-64,public,60,60',
      'groin_hernia,2022,A,2,60-64,private,12,12',
      'groin_hernia,2022,B,1,20-24,public,30,30',
      'groin_hernia,2022,B,1,60-64,public,20,20',
      'groin_hernia,2022,B,2,20-24,public,6,6',
    ].join('\n');
    await importFile(store, { kind: 'counts', path: await writeText(dir, 'c.csv', counts) });
    const [fromCounts] = await serviceRates(store, { serviceIds: ['groin_hernia'] }, defaultRateOptions);
    const a = period(fromCounts!.rows, 'A');
    assert.equal(a.events, 82);
    assert.ok(Math.abs(value(a.standardisedRate).value - ((0.01 + 0 + 0.02 + 0.004) / 4) * 1e5) < 1e-9);
    assert.equal(a.providers.private, 12);
  });
});

describe('data that disagree', () => {
  it('events where the population has nobody stop the analysis with a plain message (exit 3), not an internal error', async () => {
    const store = await herniaStore();
    const dir = await tempDir();
    const { episode, episodesCsv } = await import('../test-support/fixtures.js');
    await importFile(store, {
      kind: 'episodes',
      path: await writeText(dir, 'more.csv', episodesCsv([episode('forty-five', { municipality: '1001', age: '45', main_diagnosis: 'K40.9', procedures: 'JAB11' })])),
    });
    await assert.rejects(
      serviceRates(store, { serviceIds: ['groin_hernia'] }, defaultRateOptions),
      (e: unknown) => e instanceof VaratlasError && e.exitCode === 3 && /Area A \(A\), .*1 events among men aged 45–49, but the population has nobody there/.test(e.message),
    );
  });
});
