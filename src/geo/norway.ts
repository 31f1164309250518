import { readFileSync } from 'node:fs';

/**
 * Norway's reference data shipped in data/norway (written by scripts/norway-reference.ts; sources and
 * licences in NOTICE): the 2024 geography, the renumbering history and the municipality boundaries.
 */
export const norwayFile = (name: 'geography.csv' | 'renumbering.csv' | 'municipalities.topojson'): string =>
  new URL(`../../data/norway/${name}`, import.meta.url).pathname;

/** Rows of one of the shipped CSV files (plain comma-separated fields: no field holds a comma). */
export function norwayRows(name: 'geography.csv' | 'renumbering.csv'): Record<string, string>[] {
  const [header, ...lines] = readFileSync(norwayFile(name), 'utf8').split('\n').filter((l) => l.length > 0).map((l) => l.split(','));
  return lines.map((fields) => Object.fromEntries(header!.map((h, i) => [h, fields[i] ?? ''])));
}

/** A row of the shipped geography, in the data contract's columns ('' where a field is empty). */
export interface GeographyRow {
  municipality: string;
  district: string;
  municipality_name: string;
  district_name: string;
  area_code: string;
  area_name: string;
  region_code: string;
  region_name: string;
  local_area_code: string;
  local_area_name: string;
}

export const norwayGeography = (): GeographyRow[] => norwayRows('geography.csv') as unknown as GeographyRow[];

export const norwayRenumbering = (): { year: number; old: string; new: string }[] =>
  norwayRows('renumbering.csv').map((r) => ({ year: Number(r.year), old: r.old_municipality!, new: r.new_municipality! }));
