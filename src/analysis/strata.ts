import type { ActivityStratum, PopulationStratum } from '../store/store.js';

/** Key of one sex × age-group cell (a number: these maps are built for every unit, year and service). */
export const cellKey = (sex: number, ageGroup: number): number => sex * 1000 + ageGroup;

export interface Cell {
  sex: number;
  ageGroup: number;
  events: number;
  population: number;
}

/** Sum activity and population into cells (sex × age group), for one unit and one time frame. */
export function cells(activity: ActivityStratum[], population: PopulationStratum[] | Map<number, Cell>, measure: (a: ActivityStratum) => number): Map<number, Cell> {
  const out = new Map<number, Cell>();
  const cell = (sex: number, ageGroup: number) => {
    const key = cellKey(sex, ageGroup);
    let c = out.get(key);
    if (!c) out.set(key, (c = { sex, ageGroup, events: 0, population: 0 }));
    return c;
  };
  for (const a of activity) cell(a.sex, a.ageGroup).events += measure(a);
  if (population instanceof Map) for (const p of population.values()) cell(p.sex, p.ageGroup).population += p.population;
  else for (const p of population) cell(p.sex, p.ageGroup).population += p.population;
  return out;
}

/** The population part of cells alone (events 0): the same for every service with the same limits. */
export function populationCells(population: PopulationStratum[]): Map<number, Cell> {
  return cells([], population, () => 0);
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
