import type { DemoPlace } from './norway.js';

export const maxAge = 105;
export const demoYears = [2019, 2020, 2021, 2022, 2023];

/** Relative number of people of an age: flat through working ages, thinning after 55; women live longer. */
function ageWeight(age: number, sex: 1 | 2): number {
  const base = age <= 55 ? 1 - 0.002 * age : (1 - 0.11) * Math.exp(-(((age - 55) / 24) ** 2.4));
  return sex === 2 && age > 60 ? base * (1 + 0.012 * (age - 60)) : base;
}

const weights = (() => {
  const w: number[][] = [[], [], []];
  let total = 0;
  for (const sex of [1, 2] as const) {
    for (let age = 0; age <= maxAge; age++) {
      w[sex]![age] = ageWeight(age, sex);
      total += w[sex]![age]!;
    }
  }
  for (const sex of [1, 2]) w[sex] = w[sex]!.map((x) => x / total);
  return w;
})();

/**
 * People of one sex and single-year age living in a place in a year (grows 0.7 % a year up to 2023).
 * A place's `ageing` tilts its age structure: older places have more people above 40, fewer below.
 */
export function peopleIn(place: DemoPlace, year: number, sex: 1 | 2, age: number): number {
  const growth = 1 + 0.007 * (year - 2023);
  const tilt = Math.max(0.2, 1 + place.ageing * ((age - 40) / 40));
  return Math.round(place.population * growth * weights[sex]![age]! * tilt);
}
