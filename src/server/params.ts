import { VaratlasError } from '../errors.js';
import { useMeasures, type Level, type UseMeasure } from '../store/store.js';

/** Query parameters, read strictly: a bad one is a 400 that names it. */
export type Query = Record<string, string | undefined>;

export const bad = (name: string, rule: string, value: string): never => {
  throw new VaratlasError('usage', `parameter '${name}' ${rule}, got '${value}'`);
};

export function required(q: Query, name: string): string {
  const v = q[name];
  if (v === undefined || v === '') throw new VaratlasError('usage', `parameter '${name}' is required`);
  return v;
}

export function years(q: Query): [number, number] | undefined {
  const v = q.years;
  if (v === undefined) return undefined;
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(v);
  if (!m) return bad('years', 'must look like 2019-2023 or 2023', v);
  const from = Number(m[1]);
  const to = Number(m[2] ?? m[1]);
  if (to < from) return bad('years', 'must not end before it starts', v);
  return [from, to];
}

/** The unit level: the publication grid's (area, region, local-hospital area, municipality) unless the endpoint says otherwise. */
export function level(q: Query, allowed: Level[] = ['area', 'region', 'local', 'municipality']): Level {
  const v = q.level ?? 'area';
  if (!allowed.includes(v as Level)) return bad('level', `must be one of ${allowed.join(', ')}`, v);
  return v as Level;
}

export function confidence(q: Query): number {
  const v = q.confidence ?? '95';
  if (v === '95') return 0.95;
  if (v === '99.8') return 0.998;
  return bad('confidence', 'must be 95 or 99.8', v);
}

/** What a rate counts: events (the service's own unit; undefined), patients, stays or bed_days. */
export function measure(q: Query): 'patients' | 'stays' | 'bed_days' | undefined {
  const v = q.measure;
  if (v === undefined || v === 'events') return undefined;
  if (v === 'patients' || v === 'stays' || v === 'bed_days') return v;
  return bad('measure', 'must be events, patients, stays or bed_days', v);
}

export function optionalYear(q: Query): number | undefined {
  const v = q.year;
  if (v === undefined) return undefined;
  if (!/^\d{4}$/.test(v)) return bad('year', 'must be a year like 2023', v);
  return Number(v);
}

/** Reject parameters the endpoint does not know, so a typo is not silently ignored. */
export function only(q: Query, names: string[]): void {
  for (const key of Object.keys(q)) {
    if (!names.includes(key)) throw new VaratlasError('usage', `unknown parameter '${key}' (this endpoint takes ${names.join(', ') || 'none'})`);
  }
}

/** What a patient's use is counted in (concentration): stays (default), bed_days or outpatient. */
export function useMeasure(q: Query): UseMeasure {
  const v = q.measure ?? 'stays';
  if (!(useMeasures as readonly string[]).includes(v)) return bad('measure', `must be one of ${useMeasures.join(', ')}`, v);
  return v as UseMeasure;
}

/** A whole number from 1 to `max` (e.g. how many heaviest users to list). */
export function count(q: Query, name: string, fallback: number, max: number): number {
  const v = q[name];
  if (v === undefined) return fallback;
  if (!/^\d{1,6}$/.test(v) || Number(v) < 1 || Number(v) > max) return bad(name, `must be a whole number from 1 to ${max}`, v);
  return Number(v);
}
