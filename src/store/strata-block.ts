import { VaratlasError } from '../errors.js';
import { nationalUnit, type ActivityStratum, type StrataBlock } from './store.js';

/** Numbering and building of StrataBlock (src/store/store.ts): activity strata as dense arrays. */

/** Provider types in stratum order; the last takes any other (or none given). */
export const providerSlots = ['public', 'private', 'contract_specialist', 'unknown'] as const;
const P = providerSlots.length;
export const strataCount = 2 * 19 * P;

export const stratumOf = (sex: number, ageGroup: number, provider: number): number => ((sex - 1) * 19 + ageGroup / 5) * P + provider;
/** The sex × age-group cell (0…37, as src/analysis/strata.ts numbers them) and the provider slot of a stratum. */
export const stratumCell = (k: number): number => Math.floor(k / P);
export const stratumProvider = (k: number): number => k % P;

export const frameCount = (b: Pick<StrataBlock, 'fromYear' | 'toYear'>): number => b.toYear - b.fromYear + 2;

/** An empty block with room for these subjects, units (the nation first) and years. */
export function emptyBlock(subjects: string[], units: StrataBlock['units'], fromYear: number, toYear: number): StrataBlock {
  const size = subjects.length * units.length * (toYear - fromYear + 2) * strataCount;
  return { subjects, units, fromYear, toYear, episodes: new Float64Array(size), procedures: new Float64Array(size), patients: new Float64Array(size) };
}

/**
 * Strata given one by one (the aggregated counts input, or a reference path) as a block. Strata whose
 * year lies outside the period are left out; an unknown sex or age group is an error.
 */
export function blockOf(strata: ActivityStratum[], fromYear: number, toYear: number): StrataBlock {
  const subjects = [...new Set(strata.map((a) => a.serviceId))];
  const names = new Map<string, string>([[nationalUnit, 'National']]);
  for (const a of strata) if (!names.has(a.unit)) names.set(a.unit, a.unitName);
  const block = emptyBlock(subjects, [...names].map(([code, name]) => ({ code, name })), fromYear, toYear);
  const subjectIndex = new Map(subjects.map((s, i) => [s, i]));
  const unitIndex = new Map(block.units.map((u, i) => [u.code, i]));
  const F = frameCount(block);
  for (const a of strata) {
    if (a.year !== null && (a.year < fromYear || a.year > toYear)) continue;
    const group = a.ageGroup / 5;
    if (!((a.sex === 1 || a.sex === 2) && Number.isInteger(group) && group >= 0 && group <= 18)) {
      throw new VaratlasError('store', `a stratum has sex ${a.sex} and age group ${a.ageGroup}; expected 1 or 2 and 0, 5, …, 90`);
    }
    const known = providerSlots.indexOf(a.providerType as (typeof providerSlots)[number]);
    const at = ((subjectIndex.get(a.serviceId)! * block.units.length + unitIndex.get(a.unit)!) * F + (a.year === null ? 0 : a.year - fromYear + 1)) * strataCount +
      stratumOf(a.sex, a.ageGroup, known < 0 ? P - 1 : known);
    block.episodes[at]! += a.episodes;
    block.procedures[at]! += a.procedures;
    block.patients[at]! += a.patients;
  }
  return block;
}
