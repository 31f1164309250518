import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { VaratlasError } from '../errors.js';
import type { LowValueMeasure } from './measure.js';
import type { Catalogue } from './service.js';
import { validateCodes } from './validate-service.js';

export const defaultMeasuresPath = new URL('../../catalog/low-value.yaml', import.meta.url).pathname;

/** Read and check the low-value measures; a bad entry names the file, the measure and the rule. */
export async function loadMeasures(catalogue: Catalogue, file = defaultMeasuresPath): Promise<LowValueMeasure[]> {
  const doc = parse(await readFile(file, 'utf8')) as { measures?: unknown[] };
  if (!Array.isArray(doc?.measures)) throw new VaratlasError('input', `${basename(file)}: expected a top-level 'measures:' list`);
  return doc.measures.map((raw, i) => {
    const m = (raw ?? {}) as Record<string, any>;
    const fail = (rule: string): never => {
      throw new VaratlasError('input', `${basename(file)}: measure '${m.id ?? i + 1}': ${rule}`);
    };
    if (typeof m.id !== 'string' || !/^[a-z][a-z0-9_]*$/.test(m.id)) fail('id must be lower-case letters, digits and _');
    if (typeof m.name?.nb !== 'string' || typeof m.name?.en !== 'string') fail('name must give nb and en');
    if (m.variant !== 'sensitive' && m.variant !== 'specific') fail("variant must be 'sensitive' or 'specific'");
    if (!catalogue.services.some((s) => s.id === m.denominator)) fail(`denominator '${m.denominator}' is not a service of the catalogue`);
    for (const k of ['min', 'max'] as const) {
      const v = m.age?.[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 120)) fail(`age.${k} must be a whole number from 0 to 120`);
    }
    const diagnoses = m.exclude?.diagnoses === undefined ? [] : validateCodes(m.exclude.diagnoses, 'diagnoses', 'exclude.diagnoses', fail);
    const lb = m.exclude?.look_back;
    let lookBack: LowValueMeasure['exclude']['lookBack'];
    if (lb !== undefined) {
      if (!Number.isInteger(lb.months) || lb.months < 1 || lb.months > 60) fail('exclude.look_back.months must be a whole number from 1 to 60');
      lookBack = { months: lb.months, diagnoses: validateCodes(lb.diagnoses, 'diagnoses', 'exclude.look_back.diagnoses', fail) };
    }
    const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    const reference = typeof m.reference === 'string' ? { nb: text(m.reference), en: text(m.reference) } : { nb: text(m.reference?.nb), en: text(m.reference?.en) };
    if (!reference.nb || !reference.en) fail('reference (in words) is required: one text, or nb and en');
    return { id: m.id, name: m.name, variant: m.variant, denominator: m.denominator, age: m.age, exclude: { diagnoses, lookBack }, reference };
  });
}
