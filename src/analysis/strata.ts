import type { ActivityStratum, PopulationStratum } from '../store/store.js';

/** Key of one sex × age-group cell. */
export const cellKey = (sex: number, ageGroup: number): string => `${sex}:${ageGroup}`;

export interface Cell {
  sex: number;
  ageGroup: number;
  events: number;
  population: number;
}

/** Sum activity and population into cells (sex × age group), for one unit and one time frame. */
export function cells(activity: ActivityStratum[], population: PopulationStratum[], measure: (a: ActivityStratum) => number): Map<string, Cell> {
  const out = new Map<string, Cell>();
  const cell = (sex: number, ageGroup: number) => {
    const key = cellKey(sex, ageGroup);
    let c = out.get(key);
    if (!c) out.set(key, (c = { sex, ageGroup, events: 0, population: 0 }));
    return c;
  };
  for (const a of activity) cell(a.sex, a.ageGroup).events += measure(a);
  for (const p of population) cell(p.sex, p.ageGroup).population += p.population;
  return out;
}

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
