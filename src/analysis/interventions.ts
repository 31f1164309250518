import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'yaml';
import type { LowValueMeasure } from '../catalog/measure.js';
import type { Catalogue } from '../catalog/service.js';
import { VaratlasError } from '../errors.js';
import { findService } from '../catalog/load-catalogue.js';
import { beforeAfter, segmentedRegression, type SegmentedResult } from '../stats/segmented-regression.js';
import type { SuppressionRules } from '../stats/suppression.js';
import type { Store } from '../store/store.js';
import { monthFrame, withheldCountReason } from './grid-suppression.js';
import { measureGrid } from './measure-grid.js';
import { isWithheld, type Shown } from './rate-row.js';

export const phases = ['pre-analysis', 'analysis', 'start', 'execution'] as const;

/**
 * An improvement project ("ta tiden tilbake"): what it changes (a low-value measure, or a service
 * with age limits), where, from when, in which phase, and the clinician minutes per procedure by role.
 */
export interface Intervention {
  name: string;
  areas: string[];
  measure?: string;
  service?: string;
  age?: { min?: number; max?: number };
  start: string;
  phase: (typeof phases)[number];
  minutes: Record<string, number>;
}

export async function loadInterventions(file: string, catalogue: Catalogue, measures: LowValueMeasure[]): Promise<Intervention[]> {
  let doc: { interventions?: unknown[] };
  try {
    doc = parse(await readFile(file, 'utf8')) as { interventions?: unknown[] };
  } catch (error) {
    throw new VaratlasError('input', `cannot read the intervention register ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(doc?.interventions)) throw new VaratlasError('input', `${basename(file)}: expected a top-level 'interventions:' list`);
  return doc.interventions.map((raw, i) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    const fail = (rule: string): never => {
      throw new VaratlasError('input', `${basename(file)}: intervention '${String(r.name ?? i + 1)}': ${rule}`);
    };
    if (typeof r.name !== 'string' || !r.name) fail('name is required');
    if (!Array.isArray(r.areas) || r.areas.length === 0) fail('areas must list area codes');
    if ((r.measure === undefined) === (r.service === undefined)) fail('give either a measure or a service');
    if (r.measure !== undefined && !measures.some((m) => m.id === r.measure)) fail(`measure '${String(r.measure)}' is not in the measure catalogue`);
    if (r.service !== undefined && !catalogue.services.some((s) => s.id === r.service)) fail(`service '${String(r.service)}' is not in the catalogue`);
    const start = r.start instanceof Date ? r.start.toISOString().slice(0, 10) : String(r.start);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(Date.parse(start))) fail('start must be a date YYYY-MM-DD');
    if (!phases.includes(r.phase as (typeof phases)[number])) fail(`phase must be one of ${phases.join(', ')}`);
    const minutes = (r.minutes ?? {}) as Record<string, unknown>;
    for (const [role, m] of Object.entries(minutes)) if (typeof m !== 'number' || m < 0) fail(`minutes.${role} must be a number ≥ 0`);
    return {
      name: r.name as string, areas: (r.areas as unknown[]).map(String), measure: r.measure as string | undefined, service: r.service as string | undefined,
      age: r.age as Intervention['age'], start, phase: r.phase as Intervention['phase'], minutes: minutes as Record<string, number>,
    };
  });
}

export interface InterventionEffect {
  intervention: Intervention;
  months: string[];
  observed: number[];
  /** Index of the first whole month with the intervention in force. */
  startIndex: number;
  its: SegmentedResult;
  beforeAfter: { before: number; after: number; effect: number };
  /** Procedures avoided over the post period (−effect) with its interval. */
  avoided: { value: number; lower: number; upper: number };
  /** Clinician hours freed by role: avoided × minutes ÷ 60. */
  freedHours: Record<string, { value: number; lower: number; upper: number }>;
  /**
   * With the other areas as controls: the same model on the intervention areas' series minus the
   * other areas' series scaled to the same pre-period mean, so shocks common to all areas cancel.
   */
  controlled?: { avoided: { value: number; lower: number; upper: number }; control: number[]; scale: number };
}

/** An effect as it may be published: see publishEffect. */
export type PublishedEffect =
  | (Omit<InterventionEffect, 'observed' | 'controlled'> & { observed: Shown<number>[]; controlled?: Omit<NonNullable<InterventionEffect['controlled']>, 'control'> & { control: Shown<number>[] } })
  | { intervention: Intervention; months: string[]; startIndex: number; observed: Shown<number>[]; withheld: string; withheldMonths: string[] };

/**
 * The effect as it may be published. The monthly counts are the intervention areas' (and the control
 * areas') sums of the measure's area × month counts, which its publication grid suppresses
 * (measure-grid.ts): a month of the series is shown only when it follows from shown figures of that
 * grid (the intervention's own row, where the grid has it; every area in it; or the nation and every area
 * outside it), so it tells nothing new. The
 * model's figures (fitted line, counterfactual, avoided procedures, hours) are linear in every month, a
 * withheld one too: they are published only when no month of the series is withheld.
 */
export async function publishEffect(
  store: Store,
  e: InterventionEffect,
  register: Intervention[],
  catalogue: Catalogue,
  measures: LowValueMeasure[],
  rules: SuppressionRules,
): Promise<PublishedEffect> {
  const standard = await store.episodeYears();
  if (!standard) throw new VaratlasError('usage', 'no year has both activity and population in the store');
  const real = e.intervention.measure ? measures.find((m) => m.id === e.intervention.measure)! : undefined;
  // On a service within age limits: one grid for every intervention of the register on the same, with their areas' sums.
  const same = (i: Intervention) => !i.measure && i.service === e.intervention.service && JSON.stringify(i.age) === JSON.stringify(e.intervention.age);
  const groups = real ? [] : register.filter(same).map((i) => ({ unit: i.name, areas: [...i.areas].sort() }));
  const grid = await measureGrid(store, real ?? pseudoMeasure(e.intervention), findService(catalogue, real?.denominator ?? e.intervention.service!), standard, rules, { rateTable: real !== undefined, groups });
  const all = [...new Set(grid.monthly.map((r) => r.unit))];
  const inside = all.filter((a) => e.intervention.areas.includes(a));
  const outside = all.filter((a) => !e.intervention.areas.includes(a));
  const shownMonth = (areas: string[], complement: string[], month: string) => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const frame = monthFrame(y, m);
    if (y < standard[0] || y > standard[1]) return false;
    const shown = (a: string) => !grid.withheld('area', a, frame);
    const group = groups.length > 0 && !grid.withheld('group', e.intervention.name, frame);
    const nation = !grid.withheld('nation', 'national', frame);
    // The group's own row, or the areas it sums (on either side of the nation).
    return (areas === inside && group) || (areas === outside && group && nation) || areas.every(shown) || (nation && complement.every(shown));
  };
  const reason = withheldCountReason;
  const observed = e.observed.map((n, t) => (shownMonth(inside, outside, e.months[t]!) ? n : { withheld: reason }));
  const control = e.controlled?.control.map((n, t) => (shownMonth(outside, inside, e.months[t]!) ? n : { withheld: reason }));
  const hidden = e.months.filter((_, t) => isWithheld(observed[t]) || (control && isWithheld(control[t])));
  if (hidden.length > 0) {
    return {
      intervention: e.intervention, months: e.months, startIndex: e.startIndex, observed, withheldMonths: hidden,
      withheld: `the effect is not published: ${hidden.length} month(s) of its series (${hidden.slice(0, 3).join(', ')}${hidden.length > 3 ? ', …' : ''}) hold counts that are withheld, and the model's figures would give them away`,
    };
  }
  return { ...e, observed, controlled: e.controlled && { ...e.controlled, control: control! } };
}

/** A service with age limits as a measure without exclusions (an intervention on a service). */
function pseudoMeasure(i: Intervention): LowValueMeasure {
  return { id: `service:${i.service}`, name: { nb: '', en: '' }, variant: 'specific', denominator: i.service!, age: i.age, exclude: { diagnoses: [] }, reference: { nb: '', en: '' } };
}

/** Avoided procedures into clinician hours: avoided × minutes per procedure ÷ 60. */
export const freedHours = (avoided: number, minutes: number): number => (avoided * minutes) / 60;

/**
 * The effect of an intervention on its monthly series (summed over its areas): interrupted time series
 * (segmented regression with seasonality and AR(1) errors by REML, t intervals) and before/after. The post period
 * starts at the first whole month with the intervention in force (a start on 22 March counts from
 * April); the month it started in is left out of the series.
 */
export async function interventionEffect(
  store: Store,
  intervention: Intervention,
  measures: LowValueMeasure[],
  level = 0.95,
  options: { controls?: boolean } = {},
): Promise<InterventionEffect> {
  const measure = intervention.measure ? measures.find((m) => m.id === intervention.measure)! : pseudoMeasure(intervention);
  const all = await store.lowValueMonthly(measure);
  const rows = all.filter((r) => intervention.areas.includes(r.unit));
  if (rows.length === 0) throw new VaratlasError('usage', `no activity for ${intervention.name} in areas ${intervention.areas.join(', ')}`);
  const byMonth = new Map<string, number>();
  for (const r of rows) byMonth.set(r.month, (byMonth.get(r.month) ?? 0) + r.numerator);
  const sorted = [...byMonth.keys()].sort();
  const [y, mo, d] = intervention.start.split('-').map(Number) as [number, number, number];
  const startMonth = `${y}-${String(mo).padStart(2, '0')}`;
  const firstWhole = d === 1 ? startMonth : monthRange(startMonth, '9999-12')[1]!;
  // A month the intervention started in the middle of is neither before nor after: left out.
  const months = monthRange(sorted[0]!, sorted[sorted.length - 1]!).filter((m) => d === 1 || m !== startMonth);
  const observed = months.map((m) => byMonth.get(m) ?? 0);
  const startIndex = months.indexOf(firstWhole);
  // At least 3 months on each side, and 7 in all: the model's 4 coefficients and its errors' correlation need them.
  if (startIndex < 3 || startIndex > months.length - 3 || months.length < 7) {
    throw new VaratlasError('usage', `${intervention.name}: the series (${months[0]}–${months[months.length - 1]}) needs at least 3 months before and after ${firstWhole}, and 7 in all`);
  }
  const its = segmentedRegression(observed, { start: startIndex, harmonics: months.length >= 24 ? 1 : 0, level });
  const avoided = { value: -its.effect.value, lower: -its.effect.upper, upper: -its.effect.lower };
  const hours = Object.fromEntries(
    Object.entries(intervention.minutes).map(([role, minutes]) => [
      role,
      { value: freedHours(avoided.value, minutes), lower: freedHours(avoided.lower, minutes), upper: freedHours(avoided.upper, minutes) },
    ]),
  );
  let controlled: InterventionEffect['controlled'];
  if (options.controls) {
    const others = new Map<string, number>();
    for (const r of all) if (!intervention.areas.includes(r.unit)) others.set(r.month, (others.get(r.month) ?? 0) + r.numerator);
    const control = months.map((m) => others.get(m) ?? 0);
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const scale = mean(control.slice(0, startIndex)) > 0 ? mean(observed.slice(0, startIndex)) / mean(control.slice(0, startIndex)) : 0;
    const difference = observed.map((v, t) => v - scale * control[t]!);
    const c = segmentedRegression(difference, { start: startIndex, harmonics: months.length >= 24 ? 1 : 0, level });
    controlled = { avoided: { value: -c.effect.value, lower: -c.effect.upper, upper: -c.effect.lower }, control, scale };
  }
  return { intervention, months, observed, startIndex, its, beforeAfter: beforeAfter(observed, startIndex), avoided, freedHours: hours, controlled };
}

/** Months 'YYYY-MM' from `from` to `to` inclusive (stops after 600 months). */
function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  while (out.length < 600) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= to) break;
    m++;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}
