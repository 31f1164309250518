/** Trust and private-provider ids: synthetic organisation numbers. */
export const trustId = (areaCode: string) => `9740${areaCode.padStart(2, '0')}001`;
export const privateIds = (regionCode: string) => [1, 2, 3].map((i) => `9810${regionCode}0${i}0`);
export const specialistIds = (regionCode: string) => Array.from({ length: 8 }, (_, i) => `9900${regionCode}${String(i).padStart(3, '0')}`);

/** The days of a year and two weeks into the next, as ISO dates. */
export function dateStrings(year: number): string[] {
  const out: string[] = [];
  for (let d = 0; d < 380; d++) out.push(new Date(Date.UTC(year, 0, 1 + d)).toISOString().slice(0, 10));
  return out;
}

/** Writes one episode row (broken on purpose one in `badEvery`, counted). */
export type RowWriter = (fields: string[], year: number, unmapped: boolean) => Promise<void>;
