import type { ServiceDefinition } from '../catalog/service.js';
import { wilsonInterval } from '../stats/intervals.js';
import { indirectlyStandardisedRatio } from '../stats/rates.js';
import { defaultSuppression, type SuppressionRules } from '../stats/suppression.js';
import { funnelLimits } from '../stats/variation.js';
import type { AssessmentCount, Store } from '../store/store.js';
import type { Estimate, Shown } from './rate-row.js';
import { isWithheld } from './rate-row.js';
import { defaultRateOptions } from './rate-tables.js';
import { computeReferralRates, referralPeriod } from './referral-rates.js';

/**
 * The rights assessment of a service's referrals across assessing units (docs/referrals.md): per unit
 * and the nation, each year and the period, the share assessed as having a right and the share declined
 * or returned (Wilson intervals), the rights indirectly standardised for sex, 5-year age group and reason
 * (expected: each stratum's referrals × the nation's share with a right in that stratum and frame), O/E
 * with exact or Byar's limits, its position in the funnel (95 and 99.8 % limits at its expected count),
 * a label (higher / near / lower than expected: the 95 % interval of O/E above, around or below 1), and
 * the median days to the deadline and to the assessment.
 */

export type Position = 'above' | 'within' | 'below';

export interface AssessmentRow {
  /** null: the nation. */
  unit: string | null;
  /** null: the period. */
  year: number | null;
  referrals: Shown<number>;
  rights: Shown<number>;
  turnedAway: Shown<number>;
  rightShare: Shown<Estimate>;
  turnedAwayShare: Shown<Estimate>;
  expectedRights: Shown<number>;
  observedExpected: Shown<Estimate>;
  funnel: Shown<{ limits95: { lower: number; upper: number }; limits998: { lower: number; upper: number }; position95: Position; position998: Position }>;
  label: Shown<'higher' | 'near' | 'lower'>;
  medianDaysToDeadline: Shown<number | null>;
  medianDaysToAssessment: Shown<number | null>;
}

export interface AssessmentResult {
  service: { id: string; name: { nb: string; en: string } };
  years: [number, number];
  rows: AssessmentRow[];
}

/** Why a unit is withheld: its own small numbers, or another's that its figures would give away. */
export const smallUnitReason = (minimum: number) => `fewer than ${minimum} referrals, or a count of 1–4, in a year of the period`;
export const complementReason = 'withheld so that the withheld units\' counts cannot be worked out from the nation';

export const nationReason = "withheld: a count of the nation is 1–4, or the referral rates withhold the nation's count";

/** A unit's figures need at least this many referrals in every year of the standard period. */
export const minimumReferrals = 20;

interface Tally {
  referrals: number;
  rights: number;
  turnedAway: number;
}
const none = (): Tally => ({ referrals: 0, rights: 0, turnedAway: 0 });
const add = (t: Tally, c: Tally) => {
  t.referrals += c.referrals;
  t.rights += c.rights;
  t.turnedAway += c.turnedAway;
};
/** The counts a unit's figures publish, each a count of referrals: with a right, without, turned away, not. */
const published = (t: Tally) => [t.referrals, t.rights, t.referrals - t.rights, t.turnedAway, t.referrals - t.turnedAway];
const small = (n: number, rules: SuppressionRules) => n >= 1 && n <= rules.maxHiddenCount;

/**
 * The assessing units withheld over the standard period (the same set for every frame, so that no frame
 * gives another's withheld figure by difference): every unit with fewer than the minimum referrals or a
 * count of 1–4 in any frame; then, while only one is withheld or the withheld units' counts add up to 1–4
 * in some frame (the nation minus the shown units would give them), the next smallest unit too.
 */
export function withheldUnits(byFrame: Map<number | null, Map<string, Tally>>, rules: SuppressionRules = defaultSuppression): Map<string, string> {
  const units = [...new Set([...byFrame.values()].flatMap((m) => [...m.keys()]))];
  const at = (frame: number | null, unit: string) => byFrame.get(frame)?.get(unit) ?? none();
  const withheld = new Map<string, string>();
  for (const u of units) {
    if ([...byFrame.keys()].some((f) => at(f, u).referrals < minimumReferrals || published(at(f, u)).some((n) => small(n, rules)))) withheld.set(u, smallUnitReason(minimumReferrals));
  }
  const period = (u: string) => at(null, u).referrals;
  const sumSmall = () =>
    [...byFrame.keys()].some((f) => {
      const sum = none();
      for (const u of withheld.keys()) add(sum, at(f, u));
      return published(sum).some((n) => small(n, rules));
    });
  while (withheld.size > 0 && withheld.size < units.length && (withheld.size === 1 || sumSmall())) {
    const next = units.filter((u) => !withheld.has(u)).sort((a, b) => period(a) - period(b) || a.localeCompare(b))[0]!;
    withheld.set(next, complementReason);
  }
  return withheld;
}

export async function assessmentVariation(store: Store, service: ServiceDefinition, asked?: [number, number], confidence = 0.95): Promise<AssessmentResult> {
  const { standard, years } = await referralPeriod(store, asked);
  // Decided over the standard period (each year and the whole), whatever is asked.
  const counts = await store.assessmentCounts(service, { fromYear: standard[0], toYear: standard[1] });
  const frames: (number | null)[] = [...Array.from({ length: standard[1] - standard[0] + 1 }, (_, i) => standard[0] + i), null];
  const tallies = new Map<number | null, Map<string, Tally>>(frames.map((f) => [f, new Map()]));
  const strata = new Map<number | null, Map<string, { national: Tally; byUnit: Map<string, Tally> }>>(frames.map((f) => [f, new Map()]));
  for (const c of counts) {
    for (const f of [c.year, null]) {
      const units = tallies.get(f)!;
      if (!units.has(c.unit)) units.set(c.unit, none());
      add(units.get(c.unit)!, c);
      const key = `${c.sex}|${c.ageGroup}|${c.reason}`;
      const s = strata.get(f)!;
      if (!s.has(key)) s.set(key, { national: none(), byUnit: new Map() });
      const cell = s.get(key)!;
      add(cell.national, c);
      if (!cell.byUnit.has(c.unit)) cell.byUnit.set(c.unit, none());
      add(cell.byUnit.get(c.unit)!, c);
    }
  }
  const withheld = withheldUnits(tallies);
  // The nation's referrals are (nearly: these include the unmapped) the referral rates' national count:
  // where the rates' grid withholds that, or a count of the nation is small, the nation's row is withheld.
  const [rates] = await computeReferralRates(store, [service], defaultRateOptions(years));
  const nationWithheld = (frame: number | null, t: Tally) =>
    published(t).some((n) => small(n, defaultSuppression)) || isWithheld(rates!.rows.find((r) => r.national && r.year === frame)?.events ?? 0);
  const days = await store.assessmentDays(service, { fromYear: standard[0], toYear: standard[1] });
  const daysOf = (unit: string | null, year: number | null) => days.find((d) => d.unit === unit && d.year === year);
  const asFrames = years[0] === years[1] ? [years[0], null] : frames;
  const rows: AssessmentRow[] = [];
  for (const frame of asFrames) {
    // A single year asked: its "period" row is that year.
    const source = years[0] === years[1] ? years[0] : frame;
    const units = tallies.get(source)!;
    const nation = none();
    for (const t of units.values()) add(nation, t);
    const expectedOf = (unit: string) => {
      let e = 0;
      for (const cell of strata.get(source)!.values()) {
        const n = cell.byUnit.get(unit)?.referrals ?? 0;
        if (n > 0) e += (n * cell.national.rights) / cell.national.referrals;
      }
      return e;
    };
    const row = (unit: string | null, t: Tally): AssessmentRow => {
      const reason = unit === null ? (nationWithheld(frame, t) ? nationReason : undefined) : withheld.get(unit);
      const d = daysOf(unit, source);
      if (reason) {
        const w = { withheld: reason };
        return { unit, year: frame, referrals: w, rights: w, turnedAway: w, rightShare: w, turnedAwayShare: w, expectedRights: w, observedExpected: w, funnel: w, label: w, medianDaysToDeadline: w, medianDaysToAssessment: w };
      }
      const share = (x: number): Estimate => ({ value: x / t.referrals, ...wilsonInterval(x, t.referrals, confidence) });
      const expected = unit === null ? t.rights : expectedOf(unit);
      const oe = indirectlyStandardisedRatio(t.rights, expected, confidence);
      const l95 = funnelLimits(expected, 0.95);
      const l998 = funnelLimits(expected, 0.998);
      const position = (l: { lower: number; upper: number }): Position => (oe.value > l.upper ? 'above' : oe.value < l.lower ? 'below' : 'within');
      return {
        unit,
        year: frame,
        referrals: t.referrals,
        rights: t.rights,
        turnedAway: t.turnedAway,
        rightShare: share(t.rights),
        turnedAwayShare: share(t.turnedAway),
        expectedRights: expected,
        observedExpected: { value: oe.value, lower: oe.lower, upper: oe.upper },
        funnel: { limits95: l95, limits998: l998, position95: position(l95), position998: position(l998) },
        label: oe.lower > 1 ? 'higher' : oe.upper < 1 ? 'lower' : 'near',
        medianDaysToDeadline: d?.toDeadline ?? null,
        medianDaysToAssessment: d?.toAssessment ?? null,
      };
    };
    // Every unit of the period in every frame: one with no referrals in a frame is withheld there (it has
    // fewer than the minimum), not left out, which would say it had none.
    for (const unit of [...tallies.get(null)!.keys()].sort((a, b) => a.localeCompare(b))) rows.push(row(unit, units.get(unit) ?? none()));
    if (nation.referrals > 0) rows.push(row(null, nation));
  }
  return { service: { id: service.id, name: service.name }, years, rows };
}
