import type { Alternative, ServiceDefinition } from './service.js';

const list = (codes: string[], exact: string, prefix: string): string => {
  const words = codes.map((c) => (c.endsWith('*') ? `${prefix} ${c.slice(0, -1)}` : `${exact}${c}`));
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
};

function alternative(a: Alternative): string {
  const parts: string[] = [];
  if (a.diagnoses) parts.push(`a main diagnosis ${list(a.diagnoses, '', 'starting with')}`);
  if (a.procedures) parts.push(`a procedure ${list(a.procedures, '', 'starting with')}`);
  if (a.drg) parts.push(`DRG ${list(a.drg, '', 'starting with')}`);
  return parts.join(' and ');
}

/** A service definition in plain English words, for `varatlas services show`. */
export function describeService(s: ServiceDefinition, language: 'nb' | 'en' = 'en'): string {
  const lines = [`${s.id}: ${s.name[language]} (${s.specialty})`];
  lines.push(`Counts ${s.count} with ${s.include.map(alternative).join(';\n  or ')}.`);
  const limits: string[] = [];
  if (s.age?.min !== undefined && s.age.max !== undefined) limits.push(`aged ${s.age.min} to ${s.age.max}`);
  else if (s.age?.min !== undefined) limits.push(`aged ${s.age.min} or over`);
  else if (s.age?.max !== undefined) limits.push(`aged ${s.age.max} or under`);
  if (s.sex) limits.push(`${s.sex} patients only`);
  if (s.careLevels) limits.push(`care level ${s.careLevels.join(' or ')}`);
  if (s.providerTypes) limits.push(`provider ${s.providerTypes.join(' or ')}`);
  if (limits.length) lines.push(`Only ${limits.join(', ')}; the population at risk has the same age and sex limits.`);
  if (s.contractVolume !== undefined) lines.push(`Current contract volume: ${s.contractVolume} a year.`);
  if (s.source) lines.push(`Source: ${s.source}.`);
  if (s.confirm) lines.push(`To confirm locally: ${s.confirm}.`);
  lines.push(`Defined in ${s.file}.`);
  return lines.join('\n');
}
