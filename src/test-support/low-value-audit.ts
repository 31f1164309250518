/**
 * The privacy audit's part for low-value measures and interventions (see privacy-audit.ts).
 *
 * For every measure counted among a service's episodes: its low-value episodes per area and month are
 * the attacker's unknowns (a year's are at most the service's events that year: the denominator); what
 * /api/lowvalue publishes for every period of the grid (shares: numerator and denominator; rates: events,
 * distinct patients and the provider split, by area and the nation) and what /api/lowvalue/series
 * publishes for every area and the nation (each month) become constraints. For every intervention on
 * the service (or on one of its measures), /api/interventions/effect's monthly series of its areas and of
 * the others. The counts of 1–4 among all of these come back as targets for the audit's ranges.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { loadMeasures } from '../catalog/load-measures.js';
import { loadCatalogue } from '../catalog/load-catalogue.js';
import type { ServiceDefinition } from '../catalog/service.js';
import { interventionEffect, type Intervention } from '../analysis/interventions.js';
import { computeMeasureRates, defaultRateOptions, isWithheld, providerTypes, type RateRow, type RateTable } from '../analysis/rates.js';
import type { Store } from '../store/store.js';
import { minus, sumOf, type AttackerModel, type Expr } from './disclosure-lp.js';

type Level = 'area' | 'nation';

export interface AuditTarget {
  what: string;
  e: Expr;
  value: unknown;
}

export async function auditLowValue(x: {
  store: Store;
  app: FastifyInstance;
  m: AttackerModel;
  service: ServiceDefinition;
  areas: { areaCode: string }[];
  years: number[];
  periods: string[];
  /** The service's events of a level, unit and frame, as the rest of the audit names them. */
  events: (level: 'area' | 'nation', unit: string, frame: number | null) => Expr;
  know: (e: Expr, v: unknown, count?: boolean) => void;
  get: (url: string) => Promise<unknown>;
}): Promise<AuditTarget[]> {
  const { store, app, m, service, areas, years, know, get } = x;
  const catalogue = await loadCatalogue();
  const measures = (await loadMeasures(catalogue)).filter((measure) => measure.denominator === service.id);
  const codes = areas.map((a) => a.areaCode);
  const months = years.flatMap((y) => Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`));
  const targets: AuditTarget[] = [];
  const unitsOf = (level: Level, unit: string) => (level === 'nation' ? codes : [unit]);
  const monthsOf = (frame: number | null) => months.filter((mo) => frame === null || mo.startsWith(`${frame}-`));
  /** An unknown per area × month of a counted subject (a measure, or a service within age limits). */
  const counted = (prefix: string) => {
    const cell = (a: string, month: string) => `${prefix}_${a}_${month.replace('-', '_')}`;
    // A year's are within the service's events that year.
    for (const a of codes) for (const y of years) m.add(minus(sumOf(monthsOf(y).map((mo) => cell(a, mo))), x.events('area', a, y)), '<=', 0);
    return {
      cell,
      sum: (units: string[], monthList: string[]) => sumOf(units.flatMap((a) => monthList.map((mo) => cell(a, mo)))),
    };
  };

  for (const measure of measures) {
    const id = measure.id;
    const n = counted(`lv_${id}`);
    const count = (level: Level, unit: string, frame: number | null) => n.sum(unitsOf(level, unit), monthsOf(frame));
    const provider = (a: string, y: number, t: string) => `lp_${id}_${a}_${y}_${t}`;
    const providers = (level: Level, unit: string, frame: number | null, t: string) => sumOf(unitsOf(level, unit).flatMap((a) => (frame === null ? years : [frame]).map((y) => provider(a, y, t))));
    const patients = (level: Level, unit: string, frame: number | null) => sumOf([`lq_${id}_${level}_${unit}_${frame ?? 'all'}`]);
    for (const a of codes) for (const y of years) m.add(minus(sumOf(providerTypes.map((t) => provider(a, y, t))), count('area', a, y)), '=', 0);
    for (const [level, unit] of [['nation', 'national'], ...codes.map((a) => ['area', a])] as [Level, string][]) {
      for (const frame of [null, ...years]) {
        m.add(minus(patients(level, unit, frame), count(level, unit, frame)), '<=', 0);
        if (level === 'nation') {
          m.add(minus(patients(level, unit, frame), sumOf(codes.map((a) => `lq_${id}_area_${a}_${frame ?? 'all'}`))), '<=', 0);
          for (const a of codes) m.add(minus(patients('area', a, frame), patients(level, unit, frame)), '<=', 0);
        }
      }
      m.add(minus(patients(level, unit, null), sumOf(years.map((y) => `lq_${id}_${level}_${unit}_${y}`))), '<=', 0);
      for (const y of years) m.add(minus(patients(level, unit, y), patients(level, unit, null)), '<=', 0);
    }

    // What /api/lowvalue publishes for every period of the grid.
    for (const period of x.periods) {
      const lv = (await get(`/api/lowvalue?measure=${id}&years=${period}`)) as {
        shares: { unit: string; national: boolean; numerator: unknown; denominator: unknown }[];
        rates: RateTable;
      };
      const single = period.includes('-') ? null : Number(period);
      for (const r of lv.shares) {
        const level: Level = r.national ? 'nation' : 'area';
        know(count(level, r.unit, single), r.numerator);
        know(x.events(level, r.unit, single), r.denominator);
      }
      for (const r of lv.rates.rows as RateRow[]) {
        const level: Level = r.national ? 'nation' : 'area';
        const frame = r.year ?? single;
        know(count(level, r.unit, frame), r.events);
        know(patients(level, r.unit, frame), r.patients);
        for (const t of providerTypes) know(providers(level, r.unit, frame, t), r.providers[t], false);
      }
    }
    // What /api/lowvalue/series publishes: every month of every area and of the nation.
    for (const unit of [...codes, 'national']) {
      const res = await app.inject({ method: 'GET', url: `/api/lowvalue/series?measure=${id}&area=${unit}` });
      const level: Level = unit === 'national' ? 'nation' : 'area';
      if (res.statusCode !== 200) {
        // An area with no activity at all is refused: none of its months had any.
        assert.match(res.body, /no activity/);
        m.add(count(level, unit, null), '=', 0);
        continue;
      }
      // A withheld month may be 0.
      for (const p of (res.json() as { series: { month: string; lowValue: unknown }[] }).series) know(n.sum(unitsOf(level, unit), [p.month]), p.lowValue, false);
    }

    // The counts of 1–4 among them.
    const truth = new Map<string, number>();
    const add = (key: string, v: number) => truth.set(key, (truth.get(key) ?? 0) + v);
    for (const r of await store.lowValueMonthly(measure)) {
      if (!months.includes(r.month)) continue;
      for (const key of [`area|${r.unit}|${r.month}`, `nation|national|${r.month}`]) add(key, r.numerator);
    }
    for (const [key, v] of truth) {
      const [level, unit, month] = key.split('|') as [Level, string, string];
      targets.push({ what: `${id} low-value ${level} ${unit} ${month}`, e: n.sum(unitsOf(level, unit), [month]), value: v });
    }
    const table = await computeMeasureRates(store, measure, service, { ...defaultRateOptions([years[0]!, years[years.length - 1]!]), level: 'area' });
    for (const r of table.rows) {
      const level: Level = r.national ? 'nation' : 'area';
      const at = `${id} ${level} ${r.unit} ${r.year ?? 'period'}`;
      targets.push({ what: `${at} low-value`, e: count(level, r.unit, r.year), value: r.events });
      targets.push({ what: `${at} patients`, e: patients(level, r.unit, r.year), value: r.patients });
      for (const t of providerTypes) targets.push({ what: `${at} ${t}`, e: providers(level, r.unit, r.year, t), value: r.providers[t] });
    }
  }

  // The interventions on the service (within age limits) or on one of its measures.
  const res = await app.inject({ method: 'GET', url: '/api/interventions' });
  const register = res.statusCode === 200 ? (res.json() as Intervention[]) : [];
  const allMeasures = await loadMeasures(catalogue);
  for (const i of register.filter((r) => r.service === service.id || measures.some((me) => me.id === r.measure))) {
    const subject = i.measure ? counted(`lv_${i.measure}`) : counted(`iq_${service.id}_${i.age?.min ?? 0}_${i.age?.max ?? 'x'}`);
    const inside = codes.filter((a) => i.areas.includes(a));
    const outside = codes.filter((a) => !i.areas.includes(a));
    const e = (await get(`/api/interventions/effect?name=${encodeURIComponent(i.name)}&controls=true`)) as {
      months: string[];
      observed: unknown[];
      controlled?: { control: unknown[] };
    };
    const raw = await interventionEffect(store, i, allMeasures, 0.95, { controls: true });
    assert.deepEqual(raw.months, e.months);
    e.months.forEach((month, t) => {
      // A withheld month of the series may be 0.
      know(subject.sum(inside, [month]), e.observed[t], false);
      if (e.controlled) know(subject.sum(outside, [month]), e.controlled.control[t], false);
      targets.push({ what: `intervention '${i.name}' ${month}`, e: subject.sum(inside, [month]), value: raw.observed[t] });
      targets.push({ what: `intervention '${i.name}' others ${month}`, e: subject.sum(outside, [month]), value: raw.controlled!.control[t] });
    });
    assert.ok(!e.controlled || e.observed.every((v) => !isWithheld(v)), 'the model is published only with every month shown');
  }
  return targets;
}
