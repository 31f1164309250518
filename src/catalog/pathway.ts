import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { VaratlasError } from '../errors.js';
import type { ServiceDefinition } from './service.js';
import { validateService } from './validate-service.js';

/**
 * A patient pathway (docs/patients.md#pathways): contacts for a condition; an entry (the first contact,
 * at an entry care level, with no contact for the condition in the look-back window before it); then, in
 * the follow-up window after the entry, the operation (the first episode matching the operation's
 * alternatives) and the controls (the condition's contacts at the control care levels, other than the
 * entry and the operation). Each part is a service-like definition, matched by the same SQL as services.
 */
export interface PathwayDefinition {
  id: string;
  name: { nb: string; en: string };
  specialty: string;
  /** The condition's contacts; `entry` adds the entry's care levels and age limits. */
  condition: ServiceDefinition;
  entry: ServiceDefinition;
  operation: ServiceDefinition;
  control: ServiceDefinition;
  lookBackMonths: number;
  windowMonths: number;
  /** Clinician minutes of one control, by role (the scenario's hours freed). */
  minutesPerControl: Record<string, number>;
  source: { nb: string; en: string };
}

export const defaultPathwaysPath = new URL('../../catalog/pathways.yaml', import.meta.url).pathname;

const known = ['id', 'name', 'specialty', 'condition', 'entry', 'operation', 'controls', 'look_back_months', 'window_months', 'minutes_per_control', 'source'];

/** Read and check the pathways; a bad entry names the file, the pathway and the rule. */
export async function loadPathways(file = defaultPathwaysPath): Promise<PathwayDefinition[]> {
  let doc: { pathways?: unknown[] };
  try {
    doc = parse(await readFile(file, 'utf8')) as { pathways?: unknown[] };
  } catch (error) {
    throw new VaratlasError('input', `cannot read the pathways ${basename(file)}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(doc?.pathways)) throw new VaratlasError('input', `${basename(file)}: expected a top-level 'pathways:' list`);
  const seen = new Set<string>();
  return doc.pathways.map((raw, i) => {
    const p = (raw ?? {}) as Record<string, any>;
    const where = `${basename(file)}: pathway '${p.id ?? i + 1}'`;
    const fail = (rule: string): never => {
      throw new VaratlasError('input', `${where}: ${rule}`);
    };
    for (const key of Object.keys(p)) if (!known.includes(key)) fail(`unknown key '${key}'`);
    if (typeof p.id !== 'string' || !/^[a-z][a-z0-9_]{0,60}$/.test(p.id)) fail('id must be lower-case letters, digits and _');
    if (seen.has(p.id)) fail('is defined twice');
    seen.add(p.id);
    // Each part as a service of its own, checked by the services' rules (codes, care levels, age).
    const part = (name: string, include: unknown, extra: Record<string, unknown> = {}): ServiceDefinition =>
      validateService({ id: `${p.id}_${name}`, name: p.name, specialty: p.specialty, include, ...extra }, `${where}: ${name}`, 0);
    const condition = part('condition', p.condition);
    const entry = part('entry', p.condition, { care_levels: p.entry?.care_levels, age: p.entry?.age });
    const operation = part('operation', p.operation);
    const control = part('control', p.condition, { care_levels: p.controls?.care_levels });
    const months = (v: unknown, name: string) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 60 ? (v as number) : fail(`${name} must be a whole number of months from 1 to 60`));
    const lookBackMonths = months(p.look_back_months, 'look_back_months');
    const windowMonths = months(p.window_months, 'window_months');
    // A later entry comes after a gap of the look-back: with a window no longer, two of a patient's pathways never overlap.
    if (windowMonths > lookBackMonths) fail('window_months must not be longer than look_back_months');
    const minutes = (p.minutes_per_control ?? {}) as Record<string, unknown>;
    if (typeof minutes !== 'object' || Array.isArray(minutes)) fail('minutes_per_control must map roles to minutes');
    for (const [role, m] of Object.entries(minutes)) if (typeof m !== 'number' || m < 0 || !/^[a-z_]+$/.test(role)) fail(`minutes_per_control.${role} must be a number ≥ 0`);
    const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    const source = typeof p.source === 'string' ? { nb: text(p.source), en: text(p.source) } : { nb: text(p.source?.nb), en: text(p.source?.en) };
    if (!source.nb || !source.en) fail('source (in words) is required: one text, or nb and en');
    return {
      id: p.id, name: condition.name, specialty: condition.specialty, condition, entry, operation, control,
      lookBackMonths, windowMonths, minutesPerControl: minutes as Record<string, number>, source,
    };
  });
}
