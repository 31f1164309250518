import { VaratlasError } from '../errors.js';
import type { Alternative, CareLevel, CountUnit, ProviderType, ServiceDefinition, Sex } from './service.js';

/** Code shapes, optionally followed by * for a prefix. Only these characters ever reach SQL. */
const shapes = {
  diagnoses: { pattern: /^[A-Z][0-9]{2}[0-9A-Z]{0,4}$/, prefix: /^[A-Z][0-9A-Z]{0,5}$/, what: 'an ICD-10 code such as K40 or K210 (no dot), or a prefix such as K40*' },
  procedures: { pattern: /^[A-Z]{3,4}[0-9A-Z]{1,4}$/, prefix: /^[A-Z][A-Z0-9]{0,6}$/, what: 'a procedure code such as JAB10 or AAFX00, or a prefix such as JAB*' },
  drg: { pattern: /^[0-9]{1,3}[A-Z]?$/, prefix: /^[0-9]{1,3}$/, what: 'a DRG such as 120O or 809J' },
} as const;

const careLevels: CareLevel[] = ['inpatient', 'day', 'outpatient'];
const providerTypes: ProviderType[] = ['public', 'private', 'contract_specialist'];
const countUnits: CountUnit[] = ['episodes', 'patients', 'procedures'];
const idPattern = /^[a-z][a-z0-9_]{0,60}$/;

type Raw = Record<string, unknown>;

/** Normalise and check a list of codes of one kind; `fail` names the rule broken. */
export function validateCodes(codes: unknown, kind: keyof typeof shapes, where: string, fail: (rule: string) => never): string[] {
  if (!Array.isArray(codes) || codes.length === 0) fail(`${where} must be a non-empty list`);
  return (codes as unknown[]).map((c) => {
    const code = String(c).trim().toUpperCase().replace('.', '');
    const isPrefix = code.endsWith('*');
    const body = isPrefix ? code.slice(0, -1) : code;
    if (!(isPrefix ? shapes[kind].prefix.test(body) : shapes[kind].pattern.test(body))) fail(`${where}: '${String(c)}' is not ${shapes[kind].what}`);
    return code;
  });
}

/** Check one raw catalogue entry; a broken rule names the file, the entry and the rule. */
export function validateService(raw: unknown, file: string, index: number): ServiceDefinition {
  const entry = (raw ?? {}) as Raw;
  const label = typeof entry.id === 'string' ? `service '${entry.id}'` : `entry ${index + 1}`;
  const fail = (rule: string): never => {
    throw new VaratlasError('input', `${file}: ${label}: ${rule}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('must be a mapping with id, name, specialty, include');
  if (typeof entry.id !== 'string' || !idPattern.test(entry.id)) fail('id must be lower-case letters, digits and _ (e.g. groin_hernia)');
  const name = entry.name as Raw | undefined;
  if (!name || typeof name.nb !== 'string' || typeof name.en !== 'string' || Object.keys(name).length !== 2) {
    fail('name must give exactly nb and en (quote a name that contains a comma)');
  }
  if (typeof entry.specialty !== 'string' || entry.specialty === '') fail('specialty is required');
  if (!Array.isArray(entry.include) || entry.include.length === 0) fail('include must list at least one alternative');

  const include: Alternative[] = (entry.include as unknown[]).map((alt, i) => {
    const a = (alt ?? {}) as Raw;
    const out: Alternative = {};
    for (const key of Object.keys(a)) {
      if (!(key in shapes)) fail(`include[${i}]: unknown criterion '${key}' (use diagnoses, procedures, drg)`);
    }
    for (const key of Object.keys(shapes) as (keyof typeof shapes)[]) {
      if (a[key] === undefined) continue;
      out[key] = validateCodes(a[key], key, `include[${i}].${key}`, fail);
    }
    if (Object.keys(out).length === 0) fail(`include[${i}] has no criterion`);
    return out;
  });

  const age = entry.age as Raw | undefined;
  const min = age?.min;
  const max = age?.max;
  for (const [k, v] of [['min', min], ['max', max]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 120)) fail(`age.${k} must be a whole number from 0 to 120`);
  }
  if (typeof min === 'number' && typeof max === 'number' && min > max) fail('age.min is above age.max');
  const sex = entry.sex as Sex | undefined;
  if (sex !== undefined && sex !== 'male' && sex !== 'female') fail("sex must be 'male' or 'female'");
  const levels = entry.care_levels as CareLevel[] | undefined;
  if (levels !== undefined && (!Array.isArray(levels) || levels.some((l) => !careLevels.includes(l)))) fail(`care_levels must be some of ${careLevels.join(', ')}`);
  const providers = entry.provider_types as ProviderType[] | undefined;
  if (providers !== undefined && (!Array.isArray(providers) || providers.some((p) => !providerTypes.includes(p)))) {
    fail(`provider_types must be some of ${providerTypes.join(', ')}`);
  }
  const count = (entry.count ?? 'episodes') as CountUnit;
  if (!countUnits.includes(count)) fail(`count must be one of ${countUnits.join(', ')}`);
  const volume = entry.contract_volume;
  if (volume !== undefined && (!Number.isInteger(volume) || (volume as number) < 0)) fail('contract_volume must be a whole number ≥ 0');
  for (const key of Object.keys(entry)) {
    if (!knownKeys.includes(key)) fail(`unknown key '${key}'`);
  }

  return {
    id: entry.id as string,
    name: { nb: name!.nb as string, en: name!.en as string },
    specialty: entry.specialty as string,
    include,
    age: min === undefined && max === undefined ? undefined : { min: min as number | undefined, max: max as number | undefined },
    sex,
    careLevels: levels,
    providerTypes: providers,
    count,
    contractVolume: volume as number | undefined,
    source: entry.source as string | undefined,
    confirm: entry.confirm as string | undefined,
    file,
  };
}

const knownKeys = ['id', 'name', 'specialty', 'include', 'age', 'sex', 'care_levels', 'provider_types', 'count', 'contract_volume', 'source', 'confirm'];
