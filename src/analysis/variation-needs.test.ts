import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importFile } from '../import/import-file.js';
import { defaultSuppression } from '../stats/suppression.js';
import { tempDir, writeText } from '../test-support/fixtures.js';
import { herniaStore } from '../test-support/hernias.js';
import { label } from './labels.js';
import { needs, type NeedOptions } from './needs.js';
import { computeUnsuppressedRates, defaultRateOptions } from './rates.js';
import { findService, loadCatalogue } from '../catalog/load-catalogue.js';
import { withheldCountReason } from './grid-suppression.js';
import { comparableServiceRates } from './service-rates.js';
import { variation } from './variation.js';
import { variationUncertainty } from './variation-uncertainty.js';

/**
 * The hernia store (areas A, B, C) plus area D, which has people but no operations. National
 * population per sex × age cell is then 5 000 everywhere, so the standard weights are equal and a DSR
 * is the mean of the four stratum rates:
 *   A: (10/1000 + 0/1000 + 60/3000 + 12/3000) / 4 = 0.0085  → 850 per 100 000
 *   B: (30/3000 + 6/3000 + 20/1000 + 0/1000) / 4 = 0.0080  → 800
 *   national stratum rates 40/5000, 6/5000, 83/5000, 12/5000 → 705
 *   E_A = 1000·0.008 + 1000·0.0012 + 3000·0.0166 + 3000·0.0024 = 66.2;  E_B = 46.6;  E_C = E_D = 14.1
 */
async function table(published = false) {
  const store = await herniaStore();
  const dir = await tempDir();
  await importFile(store, {
    kind: 'geography',
    path: await writeText(dir, 'd.csv', 'municipality,area_code,area_name,region_code,region_name\n4004,D,Area D,R,Region\n'),
  });
  await importFile(store, {
    kind: 'population',
    path: await writeText(dir, 'dp.csv', 'year,municipality,sex,age,population\n2022,4004,1,20,500\n2022,4004,2,20,500\n2022,4004,1,60,500\n2022,4004,2,60,500\n'),
  });
  // The arithmetic on the whole table; what the published comparison withholds is tested below.
  const { tables } = published
    ? await comparableServiceRates(store, { serviceIds: ['groin_hernia'] }, defaultRateOptions)
    : { tables: await computeUnsuppressedRates(store, [findService(await loadCatalogue(), 'groin_hernia')], defaultRateOptions((await store.episodeYears())!), { patients: false }) };
  const areas = await store.areas();
  return { table: tables[0]!, regions: new Map(areas.map((a) => [a.areaCode, { code: a.regionCode, name: a.regionName }])) };
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} ≠ ${b}`);

describe('variation, by hand', () => {
  it('compares only areas with enough events and says which were left out', async () => {
    const v = variation((await table()).table);
    assert.deepEqual(v.areas.map((a) => a.unit), ['A', 'B']);
    assert.deepEqual(v.leftOut.map((a) => [a.unit, a.reason]), [['C', 'fewer than 10 events'], ['D', 'fewer than 10 events']]);
    close(v.nationalRate, 705, 'national DSR');
    close(v.areas[0]!.standardisedRate.value, 850, 'DSR A');
    close(v.areas[1]!.standardisedRate.value, 800, 'DSR B');
    close(v.ft1, 850 / 800, 'FT1');
    assert.ok(Number.isNaN(v.ft2), 'FT2 needs four areas');
    close(v.cv, Math.sqrt(2 * 25 ** 2) / 825, 'CV');
    close(v.areas[0]!.expected, 66.2, 'E_A');
    close(v.areas[1]!.expected, 46.6, 'E_B');
    const scv = (100 / 2) * ((82 - 66.2) ** 2 / 66.2 ** 2 - 1 / 66.2 + (56 - 46.6) ** 2 / 46.6 ** 2 - 1 / 46.6);
    close(v.scv, scv, 'SCV');
    // Var(DSR_A) = (10/1000² + 60/3000² + 12/3000²)/16; Byar's lower limit of 82 ≈ 65.2 → DSR_A lower ≈ 648 < 705.
    assert.equal(v.areas[0]!.versusNational, 'not significant');
    assert.equal(v.areas[0]!.label.position, 'near');
    assert.match(v.areas[0]!.label.rule.en, /interval contains the national rate: near average/);
    assert.equal(v.areas[0]!.label.purchase, 'some', 'A buys 12 of 82 = 14.6 %');
    assert.equal(v.areas[1]!.label.purchase, 'none');
    assert.equal(v.areas[0]!.label.text.nb, 'Nært snitt, noe kjøp');
  });

  it('its uncertainty, by hand: φ and τ² of A and B, shrunk ratios, ranks that hold their intervals', async () => {
    const t = (await table()).table;
    const v = variation(t);
    const u = variationUncertainty(v, t.confidence, { draws: 2000 });
    // z = √E·log(O/E) for A (82/66.2) and B (56/46.6); with two areas winsorising at 10/90 % pulls both to
    // their interpolated quantiles: 0.9·zB + 0.1·zA and 0.1·zB + 0.9·zA (sorted zB < zA).
    const zA = Math.sqrt(66.2) * Math.log(82 / 66.2);
    const zB = Math.sqrt(46.6) * Math.log(56 / 46.6);
    const [lo, hi] = [Math.min(zA, zB), Math.max(zA, zB)];
    const wLo = lo + 0.1 * (hi - lo);
    const wHi = lo + 0.9 * (hi - lo);
    close(u.overdispersion.phi, (wLo ** 2 + wHi ** 2) / 2, 'φ');
    const phi = u.overdispersion.phi;
    const tau2 = 2 * phi <= 1 ? 0 : (2 * phi - 1) / (66.2 + 46.6 - (66.2 ** 2 + 46.6 ** 2) / (66.2 + 46.6));
    close(u.overdispersion.tau2, tau2, 'τ²');
    assert.equal(u.overdispersion.method, u.overdispersion.pValue < 0.05 ? 'additive' : 'poisson');
    // Marshall: m = 138/112.8; s² = Σ E(r − m)²/ΣE; A = max(0, s² − m/Ē).
    const m = 138 / 112.8;
    const s2 = (66.2 * (82 / 66.2 - m) ** 2 + 46.6 * (56 / 46.6 - m) ** 2) / 112.8;
    const between = Math.max(0, s2 - m / 56.4);
    const weightA = between === 0 ? 0 : between / (between + m / 66.2);
    close(u.areas[0]!.shrunk.weight, weightA, 'EB weight of A');
    close(u.areas[0]!.shrunk.ratio, m + weightA * (82 / 66.2 - m), 'shrunk O/E of A');
    close(u.areas[0]!.shrunk.rate, u.areas[0]!.shrunk.ratio * 705, 'shrunk rate of A');
    for (const a of u.areas) assert.ok(a.rank.lower <= a.rank.rank && a.rank.rank <= a.rank.upper);
    assert.deepEqual(u.areas.map((a) => a.rank.rank), [1, 2]);
    assert.ok(u.rankability.rho >= 0 && u.rankability.rho <= 1);
  });
});

describe('what the comparison publishes', () => {
  it('withholds, like the rate table, C (3 operations) and B, its complement in the region total: variation compares A alone, needs show neither count', async () => {
    const { table: t, regions } = await table(true);
    const v = variation(t);
    assert.deepEqual(v.areas.map((a) => a.unit), ['A']);
    assert.deepEqual(v.leftOut.map((a) => [a.unit, a.reason]), [['B', withheldCountReason], ['C', withheldCountReason], ['D', 'fewer than 10 events']]);
    const n = needs(t, 2022, regions, undefined, { target: { kind: 'national', factor: 1 }, includeContractSpecialists: false, suppression: defaultSuppression });
    const byUnit = new Map(n.areas.map((a) => [a.unit, a]));
    assert.equal(byUnit.get('A')!.observed, 82);
    assert.deepEqual(byUnit.get('B')!.observed, { withheld: withheldCountReason });
    assert.deepEqual(byUnit.get('C')!.observed, { withheld: withheldCountReason });
  });
});

describe('labels', () => {
  const base = { national: 100, rank: 2, of: 5, privateShare: 0.2 };
  it('position: band and significance both decide; the top and bottom areas are named', () => {
    assert.equal(label({ ...base, rate: 108, lower: 104, upper: 112 }).position, 'near', 'inside ±10 %');
    assert.equal(label({ ...base, rate: 120, lower: 95, upper: 150 }).position, 'near', 'interval contains the national rate');
    assert.equal(label({ ...base, rate: 120, lower: 110, upper: 130 }).position, 'above');
    assert.equal(label({ ...base, rate: 120, lower: 110, upper: 130, rank: 1 }).position, 'highest');
    assert.equal(label({ ...base, rate: 80, lower: 75, upper: 85, rank: 5 }).position, 'lowest');
    assert.equal(label({ ...base, rate: 105, lower: 101, upper: 109, rank: 1 }).position, 'near', 'the top area near the average is near average');
  });
  it('purchase: cut points 5, 15, 30 %', () => {
    const p = (share: number) => label({ ...base, rate: 100, lower: 90, upper: 110, privateShare: share }).purchase;
    assert.deepEqual([p(0), p(0.03), p(0.05), p(0.2), p(0.3), p(0.6)], ['none', 'little', 'some', 'with', 'high', 'high']);
    assert.equal(label({ ...base, rate: 140, lower: 130, upper: 150, rank: 1, privateShare: 0.4 }).text.nb, 'Høyest i landet, høy andel kjøp');
  });
});

describe('needs, by hand', () => {
  const options: NeedOptions = { target: { kind: 'national', factor: 1 }, includeContractSpecialists: false, suppression: defaultSuppression };

  it('expected at the national rate, gap, change and purchase need per area, with a zero-event area and a small one', async () => {
    const { table: t, regions } = await table();
    const n = needs(t, 2022, regions, 150, options);
    const area = (u: string) => n.areas.find((a) => a.unit === u)!;
    close(area('A').expected, 66.2, 'E_A');
    close(area('A').gap as number, 82 - 66.2, 'gap A');
    close(area('A').change as number, 66.2 - 82, 'change A');
    assert.equal(area('A').own, 70);
    assert.equal(area('A').purchaseNeed, 0, 'A does more itself (70) than expected (66.2)');
    assert.equal(area('D').observed, 0, 'zero events is shown as 0: it is a count of none, not a withheld one');
    close(area('D').purchaseNeed as number, 14.1, 'D must buy all it needs');
    assert.deepEqual(area('C').observed, { withheld: withheldCountReason });
    assert.deepEqual(area('C').purchaseNeed, { withheld: withheldCountReason }, 'the need would give away the small count');
    close(area('C').expected, 14.1, 'expected is from population only and is shown');
    const region = n.regions[0]!;
    assert.equal(region.withheldAreas, 1);
    close(region.purchaseNeed, 14.1, 'region total over the shown areas');
    assert.equal(region.contractVolume, 150);
  });

  it('targets: national × factor, a quartile, a chosen area', async () => {
    const { table: t, regions } = await table();
    const factor = needs(t, 2022, regions, undefined, { ...options, target: { kind: 'national', factor: 1.1 } });
    close(factor.areas.find((a) => a.unit === 'A')!.purchaseNeed as number, 66.2 * 1.1 - 70, 'A at 110 %');
    const chosen = needs(t, 2022, regions, undefined, { ...options, target: { kind: 'area', unit: 'B' } });
    close(chosen.targetRatio, 56 / 46.6, 'B’s O/E');
    assert.throws(() => needs(t, 2022, regions, undefined, { ...options, target: { kind: 'quartile', which: 'lower' } }), /at least four areas/);
    assert.throws(() => needs(t, 2022, regions, undefined, { ...options, target: { kind: 'area', unit: 'C' } }), /too few events/);
  });
});
