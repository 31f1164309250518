import { isWithheld, type Estimate } from './rate-row.js';
import type { PathwayResult } from './pathways.js';
import { quantile } from '../stats/variation.js';
import { VaratlasError } from '../errors.js';

/**
 * Needs-based follow-up (docs/patients.md#the-needs-based-follow-up-scenario): if each unit's controls
 * were at a target — the lower quartile of the units' standardised control ratios (O/E), the national
 * level (1), or a ratio given — how many controls would be avoided and how many clinician hours freed,
 * in the form of an intervention's effect: avoided = max(0, O − E × target), its limits from those of O.
 */
export type FollowUpTarget = 'lower_quartile' | 'national' | number;

/** A target as written: lower_quartile, national, or a ratio to the national level such as 0.8. */
export function parseFollowUpTarget(v: string, name: string): FollowUpTarget {
  if (v === 'lower_quartile' || v === 'national') return v;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || n <= 0 || n > 10) throw new VaratlasError('usage', `${name} must be lower_quartile, national or a ratio such as 0.8, got '${v.slice(0, 40)}'`);
  return n;
}

export interface ScenarioRow {
  unit: string;
  unitName: string;
  controls: number;
  expected: number;
  atTarget: number;
  avoided: Estimate;
  hours: Record<string, Estimate>;
}

export interface FollowUpScenario {
  target: FollowUpTarget;
  /** The target as a ratio to the national level of controls (standardised). */
  targetRatio: number;
  year: number | null;
  rows: ScenarioRow[];
  total: { avoided: Estimate; hours: Record<string, Estimate> };
}

export const scenarioWithheldReason = 'the controls of the units are withheld, so the scenario is not published';

export function followUpScenario(result: PathwayResult, target: FollowUpTarget, year: number | null): FollowUpScenario | { withheld: string } {
  const units = result.rows.filter((r) => r.unit !== null && r.year === year);
  const shown = units.flatMap((r) => (isWithheld(r.controlsRatio) || isWithheld(r.controls) ? [] : [{ r, ratio: r.controlsRatio, controls: r.controls }]));
  if (shown.length === 0 || shown.length < units.length) return { withheld: scenarioWithheldReason };
  // Units whose expected controls are 0 (no controls anywhere in their strata) have none to avoid.
  const ratios = shown.map((x) => x.ratio.value).filter(Number.isFinite);
  const targetRatio = target === 'national' || ratios.length === 0 ? 1 : target === 'lower_quartile' ? quantile(ratios, 0.25) : target;
  const minutes = result.pathway.minutesPerControl;
  const hoursOf = (avoided: Estimate) => Object.fromEntries(Object.entries(minutes).map(([role, m]) => [role, { value: (avoided.value * m) / 60, lower: (avoided.lower * m) / 60, upper: (avoided.upper * m) / 60 }]));
  const rows = shown.map(({ r, ratio, controls }): ScenarioRow => {
    const atTarget = ratio.expected * targetRatio;
    const avoided = ratio.expected > 0
      ? { value: Math.max(0, controls - atTarget), lower: Math.max(0, ratio.lower * ratio.expected - atTarget), upper: Math.max(0, ratio.upper * ratio.expected - atTarget) }
      : { value: 0, lower: 0, upper: 0 };
    return { unit: r.unit!, unitName: r.unitName, controls, expected: ratio.expected, atTarget, avoided, hours: hoursOf(avoided) };
  });
  const sum = (f: (x: ScenarioRow) => Estimate) => rows.reduce((t, x) => ({ value: t.value + f(x).value, lower: t.lower + f(x).lower, upper: t.upper + f(x).upper }), { value: 0, lower: 0, upper: 0 });
  const avoided = sum((x) => x.avoided);
  return { target, targetRatio, year, rows, total: { avoided, hours: hoursOf(avoided) } };
}
