import { VaratlasError } from '../errors.js';

/**
 * The cells of a rate: sex × 5-year age group, numbered 0…37 (men 0–18, women 19–37; age groups 0, 5, …,
 * 85 and 90 for 90+). Rates are computed for every unit, year and service, so cells are array slots,
 * not keyed objects.
 */
export const cellCount = 38;

export function cellIndex(sex: number, ageGroup: number): number {
  const group = ageGroup / 5;
  if (!((sex === 1 || sex === 2) && Number.isInteger(group) && group >= 0 && group <= 18)) {
    throw new VaratlasError('store', `a stratum has sex ${sex} and age group ${ageGroup}; expected 1 or 2 and 0, 5, …, 90`);
  }
  return (sex - 1) * 19 + group;
}

export const cellSex = (cell: number): number => (cell < 19 ? 1 : 2);
export const cellAgeGroup = (cell: number): number => (cell % 19) * 5;

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
