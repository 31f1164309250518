import { readFile, writeFile } from 'node:fs/promises';
import { VaratlasError } from '../errors.js';

/**
 * Statistics Norway publishes population on 1 January. Which year does that count stand for?
 * - `start-of-year` (default): the count of 1 January X stands for year X.
 * - `end-of-year`: the count of 1 January X+1 stands for year X (X's population at its end).
 */
export type PopulationYearConvention = 'start-of-year' | 'end-of-year';

interface Dimension {
  category: { index: Record<string, number> | string[]; label?: Record<string, string> };
}
interface JsonStat {
  version?: string;
  class?: string;
  id: string[];
  size: number[];
  dimension: Record<string, Dimension>;
  value: (number | null)[] | Record<string, number | null>;
}

/** The header of the population CSV that a JSON-stat dataset becomes. */
export const populationCsvHeader = 'year,municipality,sex,age,population';

const roles = {
  municipality: ['Region', 'region', 'KOKkommuneregion0000'],
  sex: ['Kjonn', 'kjonn', 'Kjønn'],
  age: ['Alder', 'alder'],
  year: ['Tid', 'tid', 'Year'],
};

/** Categories of a dimension in index order. */
function categories(dim: Dimension): string[] {
  const index = dim.category.index;
  if (Array.isArray(index)) return index;
  return Object.entries(index)
    .sort((a, b) => a[1] - b[1])
    .map(([code]) => code);
}

/** Age codes as SSB writes them ("000", "105+") to the contract's age or open group. */
const ageCode = (code: string): string => (/^\d+$/.test(code) ? String(Number(code)) : code.replace(/^0+(?=\d)/, ''));

/**
 * Convert a JSON-stat 2.0 dataset for SSB table 07459 (population by region, sex, age, year) into a
 * population CSV of the data contract. Returns the number of observations written. Region codes are
 * written as given (without SSB's "K-" prefix); non-municipality regions are rejected by the import.
 */
export async function jsonStatToPopulationCsv(
  from: string,
  to: string,
  convention: PopulationYearConvention,
): Promise<number> {
  let data: JsonStat;
  try {
    data = JSON.parse(await readFile(from, 'utf8')) as JsonStat;
  } catch (error) {
    throw new VaratlasError('input', `${from} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data.id) || !Array.isArray(data.size) || typeof data.dimension !== 'object' || !data.value) {
    throw new VaratlasError('input', `${from} is not a JSON-stat 2.0 dataset (it needs id, size, dimension and value)`);
  }
  const find = (names: string[]) => {
    const position = data.id.findIndex((id) => names.includes(id));
    if (position < 0) {
      throw new VaratlasError('input', `${from} has no ${names[0]} dimension (found: ${data.id.join(', ')}); expected SSB table 07459`);
    }
    return position;
  };
  const positions = {
    municipality: find(roles.municipality),
    sex: find(roles.sex),
    age: find(roles.age),
    year: find(roles.year),
  };
  const codes = data.id.map((id) => categories(data.dimension[id]!));
  const others = data.size.map((n, i) => (Object.values(positions).includes(i) ? 1 : n));
  if (others.some((n) => n !== 1)) {
    throw new VaratlasError('input', `${from} has more than one value in a dimension other than region, sex, age and year`);
  }
  const total = data.size.reduce((a, b) => a * b, 1);
  // The values must fill the dimensions exactly: more (or fewer) means the file is not what its sizes say.
  const given = Array.isArray(data.value) ? data.value.length : Object.keys(data.value).length;
  const outside = Array.isArray(data.value) ? [] : Object.keys(data.value).filter((k) => !/^\d+$/.test(k) || Number(k) >= total);
  if ((Array.isArray(data.value) && given !== total) || outside.length > 0) {
    throw new VaratlasError(
      'input',
      `${from}: its dimensions (${data.size.join(' × ')}) hold ${total.toLocaleString('en')} values, but it gives ` +
        `${Array.isArray(data.value) ? given.toLocaleString('en') : `values at positions outside them (${outside.slice(0, 3).join(', ')})`}; the store is unchanged`,
    );
  }
  const counted = data.id.map((id, i) => categories(data.dimension[id]!).length === data.size[i]);
  if (counted.some((ok) => !ok)) throw new VaratlasError('input', `${from}: a dimension lists a different number of categories than its size says; the store is unchanged`);
  const shift = convention === 'end-of-year' ? -1 : 0;
  const lines = [populationCsvHeader];
  const index = new Array<number>(data.size.length).fill(0);
  const valueAt = (i: number) => (Array.isArray(data.value) ? data.value[i] : data.value[String(i)]);
  for (let flat = 0; flat < total; flat++) {
    // Row-major order: the last dimension varies fastest.
    let rest = flat;
    for (let d = data.size.length - 1; d >= 0; d--) {
      index[d] = rest % data.size[d]!;
      rest = Math.floor(rest / data.size[d]!);
    }
    const code = (role: keyof typeof positions) => codes[positions[role]]![index[positions[role]]!]!;
    const value = valueAt(flat);
    const year = Number(code('year')) + shift;
    lines.push(
      [year, code('municipality').replace(/^K-/, ''), code('sex'), ageCode(code('age')), value ?? ''].join(','),
    );
  }
  await writeFile(to, lines.join('\n') + '\n', 'utf8');
  return total;
}
