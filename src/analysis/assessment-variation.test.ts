import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadCatalogue } from '../catalog/load-catalogue.js';
import { importFile } from '../import/import-file.js';
import { buildApp } from '../server/app.js';
import { indirectlyStandardisedRatio } from '../stats/rates.js';
import { funnelLimits } from '../stats/variation.js';
import type { Store } from '../store/store.js';
import { AttackerModel, minus, sumOf } from '../test-support/disclosure-lp.js';
import { memoryStore, tempDir, writeText } from '../test-support/fixtures.js';
import { assessmentVariation, complementReason, smallUnitReason, withheldUnits, minimumReferrals, type AssessmentRow } from './assessment-variation.js';
import { isWithheld } from './rate-row.js';

const geography = 'municipality,area_code,area_name,region_code,region_name\n1001,A,Area A,R,Region\n2002,B,Area B,R,Region\n';
const population = ['year,municipality,sex,age,population', ...['1001', '2002'].flatMap((m) => [1, 2].flatMap((sex) => [`2024,${m},${sex},40,5000`, `2024,${m},${sex},60,5000`]))].join('\n');
const header = 'referral_id,patient_id,received_date,age,sex,municipality,referrer_type,receiver_id,receiver_type,assessing_unit,assessment,deadline_date,reason_codes,requested_procedures,assessed_date';

/** n referrals of one unit in one stratum: [unit, sex, age, reason], `rights` of them with a right (deadline 60 days on), the others declined. */
function block(unit: string, [sex, age, reason]: [number, number, string], n: number, rights: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const right = i < rights;
    return `${unit}-${sex}${age}${reason}-${i},p${unit}${sex}${age}-${i},2024-03-01,${age},${sex},${i % 2 ? '1001' : '2002'},gp,R,public,${unit},${right ? 'right' : 'declined'},${right ? '2024-04-30' : ''},${reason},UJD02,2024-03-${11 + (i % 3)}`;
  });
}
const women42: [number, number, string] = [2, 42, 'K21.0'];
const men61: [number, number, string] = [1, 61, 'R10.1'];
const women62: [number, number, string] = [2, 62, 'D50.9'];

describe('the rights assessment across assessing units', () => {
  let store: Store;
  let dir: string;
  let app: FastifyInstance;
  before(async () => {
    store = await memoryStore({ keep: true });
    dir = await tempDir({ keep: true });
    await importFile(store, { kind: 'geography', path: await writeText(dir, 'g.csv', geography) });
    await importFile(store, { kind: 'population', path: await writeText(dir, 'p.csv', population) });
    const rows = [
      header,
      ...block('U1', women42, 40, 30), ...block('U1', men61, 20, 20),
      ...block('U2', women42, 20, 10), ...block('U2', men61, 40, 20),
      ...block('U3', women42, 20, 20), ...block('U3', men61, 20, 20),
      // A small unit, in a stratum of its own: withheld, and U3 (the smallest other) with it.
      ...block('U4', women62, 3, 3),
    ];
    await importFile(store, { kind: 'referrals', path: await writeText(dir, 'r.csv', rows.join('\n')) });
    app = await buildApp({ store });
  });
  after(async () => {
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('by hand: expected rights from the national shares by stratum, O/E with its limits, funnel and label', async () => {
    const gastroscopy = (await loadCatalogue()).services.find((s) => s.id === 'gastroscopy')!;
    const result = await assessmentVariation(store, gastroscopy, [2024, 2024]);
    const row = (unit: string | null) => result.rows.find((r) => r.unit === unit && r.year === 2024)!;
    // National shares with a right: women 42 with K21: 60 / 80 = 0.75; men 61 with R10: 60 / 80 = 0.75.
    // U1: (40 + 20) × 0.75 = 45 expected, 50 observed; U2: 60 × 0.75 = 45 expected, 30 observed.
    for (const [unit, observed, expected, label] of [['U1', 50, 45, 'near'], ['U2', 30, 45, 'lower']] as const) {
      const r = row(unit) as AssessmentRow & { expectedRights: number; observedExpected: { value: number; lower: number; upper: number } };
      assert.equal(r.rights, observed);
      assert.ok(Math.abs(r.expectedRights - expected) < 1e-9, `${unit} expected ${r.expectedRights}`);
      const oe = indirectlyStandardisedRatio(observed, expected, 0.95);
      for (const k of ['value', 'lower', 'upper'] as const) assert.ok(Math.abs(r.observedExpected[k] - oe[k]) < 1e-12, `${unit} O/E ${k}`);
      assert.equal(r.label, oe.lower > 1 ? 'higher' : oe.upper < 1 ? 'lower' : 'near');
      assert.equal(r.label, label);
      assert.ok(!isWithheld(r.funnel));
      assert.deepEqual(r.funnel.limits95, funnelLimits(expected, 0.95));
      assert.equal(r.medianDaysToDeadline, 60);
      assert.equal(r.medianDaysToAssessment, 11);
    }
    const u2 = row('U2') as AssessmentRow & { turnedAwayShare: { value: number } };
    assert.equal(u2.turnedAwayShare.value, 30 / 60);
    // U4 has 3 referrals: withheld; alone it would be the nation minus the others, so U3 is withheld too.
    assert.deepEqual(row('U4').referrals, { withheld: smallUnitReason(minimumReferrals) });
    assert.deepEqual(row('U3').rights, { withheld: complementReason });
    assert.equal(row(null).referrals, 163);
  });

  it('no withheld count of 1–4 can be worked out: the nation and the shown units, in a linear model', async () => {
    const answer = (await app.inject({ url: '/api/referrals/assessment?service=gastroscopy&years=2024' })).json() as { rows: AssessmentRow[] };
    const units = answer.rows.filter((r) => r.unit !== null && r.year === 2024);
    const nation = answer.rows.find((r) => r.unit === null && r.year === 2024)!;
    const m = new AttackerModel();
    const v = (kind: string, unit: string) => `${kind}_${unit}`;
    for (const [kind, key] of [['n', 'referrals'], ['r', 'rights'], ['t', 'turnedAway']] as const) {
      m.add(sumOf(units.map((u) => v(kind, u.unit!))), '=', nation[key] as number);
      for (const u of units) if (typeof u[key] === 'number') m.add(sumOf([v(kind, u.unit!)]), '=', u[key] as number);
    }
    for (const u of units) {
      m.add(minus(sumOf([v('r', u.unit!), v('t', u.unit!)]), sumOf([v('n', u.unit!)])), '<=', 0);
      for (const k of ['n', 'r', 't']) m.add(sumOf([v(k, u.unit!)]), '>=', 0);
      if (isWithheld(u.referrals)) m.add(sumOf([v('n', u.unit!)]), '>=', 1);
    }
    const { reached } = await m.reach([sumOf(['n_U4']), sumOf(['r_U4'])], 5);
    assert.deepEqual(reached, [true, true], 'U4\'s 3 referrals (and 3 rights) can be 5 or more');
    // The check can fail: with U3 shown, U4 is the nation minus the others.
    const open = new AttackerModel();
    open.add(sumOf(['n_U1', 'n_U2', 'n_U3', 'n_U4']), '=', 163);
    for (const [u, n] of [['U1', 60], ['U2', 60], ['U3', 40]] as const) open.add(sumOf([`n_${u}`]), '=', n);
    assert.deepEqual((await open.reach([sumOf(['n_U4'])], 5)).maximum, [3]);
  });

  it('the rule: one small unit takes the smallest other with it; withheld units whose counts add up to 1–4 take more', () => {
    const tally = (referrals: number, rights: number, turnedAway = 0) => ({ referrals, rights, turnedAway });
    const frames = (units: Record<string, ReturnType<typeof tally>>) => new Map<number | null, Map<string, ReturnType<typeof tally>>>([[null, new Map(Object.entries(units))]]);
    assert.deepEqual([...withheldUnits(frames({ a: tally(100, 80), b: tally(50, 40) })).keys()], []);
    assert.deepEqual([...withheldUnits(frames({ a: tally(100, 80), b: tally(50, 40), c: tally(10, 10) })).keys()], ['c', 'b']);
    // b and c withheld: their turned-away counts add up to 2, so a (the next) is withheld too.
    assert.deepEqual([...withheldUnits(frames({ a: tally(100, 80, 10), b: tally(60, 58, 2), c: tally(30, 30, 0), d: tally(200, 150, 50) })).keys()].sort(), ['a', 'b', 'c']);
  });

  it('a year without referrals is refused, naming the period', async () => {
    const bad = await app.inject({ url: '/api/referrals/assessment?service=gastroscopy&years=2020' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /not published/);
  });
});
