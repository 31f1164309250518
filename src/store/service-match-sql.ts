import type { Alternative, ServiceDefinition } from '../catalog/service.js';
import type { Dialect } from './dialect.js';

/**
 * SQL that decides, for one episode row, which services of the catalogue it belongs to. Codes were
 * validated by the catalogue loader (letters and digits only) and are quoted by the dialect.
 */
function codeTest(d: Dialect, codes: string[], value: (test: string) => string, column: string): string {
  const exact = codes.filter((c) => !c.endsWith('*'));
  const prefixes = codes.filter((c) => c.endsWith('*')).map((c) => c.slice(0, -1));
  const tests = [
    ...(exact.length ? [`${column} IN (${exact.map(d.literal).join(', ')})`] : []),
    ...prefixes.map((p) => `starts_with(${column}, ${d.literal(p)})`),
  ];
  return value(tests.join(' OR '));
}

/** The number of the episode's procedure codes that the service's procedure criteria name. */
export function matchingProcedureCount(d: Dialect, s: ServiceDefinition): string {
  const codes = [...new Set(s.include.flatMap((a) => a.procedures ?? []))];
  if (codes.length === 0) return '1';
  return codeTest(d, codes, (test) => `len(list_filter(coalesce(procedures, []), x -> ${test}))`, 'x');
}

function alternativeTest(d: Dialect, a: Alternative): string {
  const parts: string[] = [];
  if (a.diagnoses) parts.push(codeTest(d, a.diagnoses, (t) => `(${t})`, 'main_diagnosis'));
  if (a.procedures) parts.push(codeTest(d, a.procedures, (t) => `len(list_filter(coalesce(procedures, []), x -> ${t})) > 0`, 'x'));
  if (a.drg) parts.push(codeTest(d, a.drg, (t) => `(${t})`, 'drg'));
  return `(${parts.join(' AND ')})`;
}

/**
 * Any of the codes as the main diagnosis or among the secondary diagnoses of episode alias `e`. Written
 * for a scan of every episode (the low-value look-back): a prefix test as `left(code, n) IN (…)` per
 * prefix length, and the secondary list tested with list_has_any, about 2.5× faster on DuckDB than a
 * lambda with starts_with; the same answer (service-match-sql.test.ts).
 */
export function hasDiagnosis(d: Dialect, codes: string[], e: string): string {
  if (codes.length === 0) return 'false';
  const exact = [...new Set(codes.filter((c) => !c.endsWith('*')))];
  const byLength = new Map<number, string[]>();
  for (const p of new Set(codes.filter((c) => c.endsWith('*')).map((c) => c.slice(0, -1)))) byLength.set(p.length, [...(byLength.get(p.length) ?? []), p]);
  const list = (values: string[]) => values.map(d.literal).join(', ');
  const main = [
    ...(exact.length ? [`${e}.main_diagnosis IN (${list(exact)})`] : []),
    ...[...byLength].map(([n, prefixes]) => `left(${e}.main_diagnosis, ${n}) IN (${list(prefixes)})`),
  ];
  const secondary = [
    ...(exact.length ? [`list_has_any(${e}.secondary_diagnoses, [${list(exact)}])`] : []),
    // A filter, not list_has_any over a transformed list: no list is built per episode (0.4 s less over 52 million).
    ...[...byLength].map(([n, prefixes]) => `len(list_filter(${e}.secondary_diagnoses, x -> left(x, ${n}) IN (${list(prefixes)}))) > 0`),
  ];
  return `(coalesce(${main.join(' OR ')}, false) OR coalesce(${secondary.join(' OR ')}, false))`;
}

/**
 * A cheap necessary condition for any of these services: one of the episode's codes is among all the
 * codes they name. Evaluated first, so that the services' own tests run only on the few episodes that
 * pass it.
 */
export function anyCodeTest(d: Dialect, services: ServiceDefinition[]): string {
  const codes = (pick: (a: Alternative) => string[] | undefined) => [...new Set(services.flatMap((s) => s.include.flatMap((a) => pick(a) ?? [])))];
  const tests: string[] = [];
  const diagnoses = codes((a) => a.diagnoses);
  const procedures = codes((a) => a.procedures);
  const drg = codes((a) => a.drg);
  if (diagnoses.length) tests.push(codeTest(d, diagnoses, (t) => `coalesce(${t}, false)`, 'main_diagnosis'));
  if (drg.length) tests.push(codeTest(d, drg, (t) => `coalesce(${t}, false)`, 'drg'));
  if (procedures.length) tests.push(codeTest(d, procedures, (t) => `len(list_filter(coalesce(procedures, []), x -> ${t})) > 0`, 'x'));
  return tests.length ? `(${tests.join(' OR ')})` : 'false';
}

/** A boolean SQL expression over an episodes row: does it belong to the service? */
export function serviceTest(d: Dialect, s: ServiceDefinition): string {
  const parts = [`(${s.include.map((a) => alternativeTest(d, a)).join(' OR ')})`];
  if (s.age?.min !== undefined) parts.push(`age >= ${Number(s.age.min)}`);
  if (s.age?.max !== undefined) parts.push(`age <= ${Number(s.age.max)}`);
  if (s.sex) parts.push(`sex = ${s.sex === 'male' ? 1 : 2}`);
  if (s.careLevels) parts.push(`care_level IN (${s.careLevels.map(d.literal).join(', ')})`);
  if (s.providerTypes) parts.push(`provider_type IN (${s.providerTypes.map(d.literal).join(', ')})`);
  return `coalesce(${parts.join(' AND ')}, false)`;
}

/**
 * Whether a referral asks for the service (docs/referrals.md): one of its requested procedures is among the
 * service's procedure codes, or — when it requests none — one of its reason codes is among the service's
 * diagnosis codes (ICD-10; an ICPC-2 reason matches none); inside the service's age and sex limits. Care
 * levels and provider types belong to what is done, not to what is asked for: they do not apply.
 */
export function referralTest(d: Dialect, s: ServiceDefinition): string {
  const procedures = [...new Set(s.include.flatMap((a) => a.procedures ?? []))];
  const diagnoses = [...new Set(s.include.flatMap((a) => a.diagnoses ?? []))];
  const anyOf = (codes: string[], column: string) => codeTest(d, codes, (t) => `len(list_filter(coalesce(${column}, []), x -> ${t})) > 0`, 'x');
  const byProcedure = procedures.length ? anyOf(procedures, 'requested_procedures') : 'false';
  const byReason = diagnoses.length ? `(len(coalesce(requested_procedures, [])) = 0 AND ${anyOf(diagnoses, 'reason_codes')})` : 'false';
  const parts = [`(${byProcedure} OR ${byReason})`];
  if (s.age?.min !== undefined) parts.push(`age >= ${Number(s.age.min)}`);
  if (s.age?.max !== undefined) parts.push(`age <= ${Number(s.age.max)}`);
  if (s.sex) parts.push(`sex = ${s.sex === 'male' ? 1 : 2}`);
  return `coalesce(${parts.join(' AND ')}, false)`;
}
