import { Random } from './random.js';

/** The 21 catchment areas of the national atlas (codes as SKDE uses them) with rough 2023 populations. */
export interface DemoArea {
  code: string;
  name: string;
  regionCode: string;
  regionName: string;
  population: number;
}

export const regions = {
  '1': 'Helse Nord',
  '2': 'Helse Midt-Norge',
  '3': 'Helse Vest',
  '4': 'Helse Sør-Øst',
} as const;

const area = (code: string, name: string, regionCode: keyof typeof regions, population: number): DemoArea => ({
  code,
  name,
  regionCode,
  regionName: regions[regionCode],
  population,
});

export const demoAreas: DemoArea[] = [
  area('1', 'Finnmark', '1', 75_000),
  area('2', 'UNN', '1', 195_000),
  area('3', 'Nordland', '1', 137_000),
  area('4', 'Helgeland', '1', 77_000),
  area('6', 'Nord-Trøndelag', '2', 137_000),
  area('7', 'St. Olav', '2', 343_000),
  area('8', 'Møre og Romsdal', '2', 268_000),
  area('10', 'Førde', '3', 109_000),
  area('11', 'Bergen', '3', 470_000),
  area('12', 'Fonna', '3', 183_000),
  area('13', 'Stavanger', '3', 380_000),
  area('14', 'Østfold', '4', 320_000),
  area('15', 'Akershus', '4', 600_000),
  area('16', 'OUS', '4', 290_000),
  area('17', 'Lovisenberg', '4', 190_000),
  area('18', 'Diakonhjemmet', '4', 150_000),
  area('19', 'Innlandet', '4', 372_000),
  area('20', 'Vestre Viken', '4', 510_000),
  area('21', 'Vestfold', '4', 250_000),
  area('22', 'Telemark', '4', 175_000),
  area('23', 'Sørlandet', '4', 320_000),
];

/** Municipality number prefix per area: synthetic numbers in the right county ranges. */
const prefixes: Record<string, string> = {
  '1': '56', '2': '55', '3': '18', '4': '18', '6': '50', '7': '50', '8': '15', '10': '46', '11': '46',
  '12': '46', '13': '11', '14': '31', '15': '32', '19': '34', '20': '33', '21': '39', '22': '40', '23': '42',
};
/** Oslo's areas are districts of municipality 0301. */
const osloAreas = ['16', '17', '18'];

/** A place of residence: a municipality, or a district of Oslo. */
export interface DemoPlace {
  municipality: string;
  district: string | null;
  name: string;
  area: DemoArea;
  population: number;
  /** Before the 2020 reform, Helse Nord's municipalities had other numbers (renumbered 2020, then 2024). */
  numberBefore2020: string | null;
  numberIn2020: string | null;
  /** How much older (> 0) or younger (< 0) than the nation the place's population is. */
  ageing: number;
}

const syllables = ['Å', 'Bø', 'Dal', 'Fjell', 'Gran', 'Hov', 'Lia', 'Mo', 'Nes', 'Ro', 'Sand', 'Strand', 'Vik', 'Øy', 'Ås', 'Berg', 'Holm', 'Skog'];
const endings = ['en', 'vik', 'dal', 'nes', 'øy', 'fjord', 'stad', 'berg', 'å', 'mark'];

export function demoPlaces(seed: number): DemoPlace[] {
  const rng = new Random(seed);
  const used = new Map<string, number>();
  const places: DemoPlace[] = [];
  let districtNo = 1;
  for (const a of demoAreas) {
    const oslo = osloAreas.includes(a.code);
    const count = oslo ? Math.max(2, Math.round(a.population / 70_000)) : Math.max(3, Math.round(a.population / 16_000));
    // Uneven sizes: one larger centre, smaller places around it.
    const weights = Array.from({ length: count }, (_, i) => (i === 0 ? 3 + rng.next() * 3 : 0.3 + rng.next()));
    const total = weights.reduce((s, w) => s + w, 0);
    const prefix = prefixes[a.code] ?? '03';
    for (let i = 0; i < count; i++) {
      const population = Math.round((a.population * weights[i]!) / total);
      if (oslo) {
        const district = `0301${String(districtNo++).padStart(2, '0')}`;
        places.push({ municipality: '0301', district, name: `Oslo bydel ${district.slice(4)}`, area: a, population, numberBefore2020: null, numberIn2020: null, ageing: -0.25 + 0.1 * rng.next() });
        continue;
      }
      const n = (used.get(prefix) ?? 0) + 1;
      used.set(prefix, n);
      const municipality = `${prefix}${String(n).padStart(2, '0')}`;
      const name = `${rng.pick(syllables)}${rng.pick(endings)}`;
      const north = a.regionCode === '1' && (prefix === '56' || prefix === '55');
      places.push({
        municipality,
        district: null,
        name,
        area: a,
        population,
        numberBefore2020: north ? `${prefix === '56' ? '20' : '19'}${String(n).padStart(2, '0')}` : null,
        numberIn2020: north ? `54${String(n + (prefix === '56' ? 30 : 0)).padStart(2, '0')}` : null,
        // Centres are younger, small places and the north older.
        ageing: (i === 0 ? -0.15 : 0.1) + (a.regionCode === '1' ? 0.1 : 0) + 0.15 * (rng.next() - 0.5),
      });
    }
  }
  return places;
}

/** The number a place was written with in a given year (Helse Nord: old → 2020 → 2024 numbers). */
export function numberInYear(place: DemoPlace, year: number): string {
  if (place.numberBefore2020 && year < 2020) return place.numberBefore2020;
  if (place.numberIn2020 && year < 2024) return place.numberIn2020;
  return place.municipality;
}
