import { norwayGeography, norwayRenumbering } from '../geo/norway.js';
import { Random } from '../stats/random.js';

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

/**
 * Rough populations (2024, thousands) of the larger municipalities and of the city districts, so that
 * a centre outweighs the places around it; every other place gets a random share of what is left of its
 * catchment area's population. Rounded public figures (Statistics Norway), for a plausible demo only.
 */
const knownPopulations: Record<string, number> = {
  Bærum: 130, Kristiansand: 116, Drammen: 104, Asker: 98, Lillestrøm: 92, Fredrikstad: 85, Sandnes: 83, Tromsø: 78,
  'Nordre Follo': 63, Sandefjord: 65, Sarpsborg: 59, Tønsberg: 58, Ålesund: 58, Skien: 56, Bodø: 53, Moss: 51,
  Larvik: 48, Lørenskog: 47, Arendal: 46, Karmøy: 43, Ullensaker: 42, Øygarden: 39, Haugesund: 38, Porsgrunn: 37,
  Ringsaker: 35, Molde: 32, Hamar: 32, Gjøvik: 31, Halden: 31, Ringerike: 31, Askøy: 30, Lillehammer: 29,
  Kongsberg: 28, Eidsvoll: 27, Lier: 27, Rana: 26, Bjørnafjorden: 26, Harstad: 25, Stjørdal: 25, Steinkjer: 24,
  Kristiansund: 24, Narvik: 22, Sunnfjord: 22, Alta: 21, Levanger: 20, Stord: 19, Namsos: 15, Vefsn: 13,
  'Gamle Oslo': 62, Grünerløkka: 64, Sagene: 47, 'St. Hanshaugen': 40, Frogner: 60, Ullern: 36, 'Vestre Aker': 52,
  'Nordre Aker': 54, Bjerke: 35, Grorud: 28, Stovner: 33, Alna: 50, Østensjø: 52, Nordstrand: 53, 'Søndre Nordstrand': 39,
  Sentrum: 1.5, Marka: 1.7,
  Arna: 14, Bergenhus: 42, Fana: 42, Fyllingsdalen: 31, Laksevåg: 40, Ytrebygda: 30, Årstad: 40, Åsane: 45,
  Hundvåg: 15, Tasta: 17, 'Eiganes/Våland': 22, Madla: 18, Storhaug: 18, Hillevåg: 26, Hinna: 24, Finnøy: 3, Rennesøy: 5,
  Midtbyen: 47, Østbyen: 50, Lerkendal: 60, Heimdal: 56,
};

/**
 * A place of residence as the demo writes it: a piece of a 2024 municipality (or city district) that had
 * one number in every year. Where municipalities merged in 2020, each of the merged ones is its own piece
 * before 2020; where one split (Ålesund and Haram, 2024), both pieces carry the old number before.
 */
export interface DemoPlace {
  /** The 2024 number, and the district (Oslo, Bergen, Stavanger, Trondheim), as the built-in geography has them. */
  municipality: string;
  district: string | null;
  name: string;
  area: DemoArea;
  population: number;
  /** The number written from each year on, latest first; the last one (from 0) holds before the others. */
  eras: { from: number; municipality: string }[];
  /** How much older (> 0) or younger (< 0) than the nation the place's population is. */
  ageing: number;
}

/**
 * Haram split off Ålesund again in 2024. SKDE's renumbering table lists only the main successor
 * (1507 → 1508), so the demo knows Haram's own history: 1534 before 2020, part of 1507 in 2020–2023.
 */
const splitOff: Record<string, { year: number; municipality: string }[]> = {
  '1580': [{ year: 2024, municipality: '1507' }, { year: 2020, municipality: '1534' }],
};

/** Oslo, Bergen, Stavanger, Trondheim: their districts are places of their own. */
const cities = new Set(['0301', '4601', '1103', '5001']);

export function demoPlaces(seed: number, firstYear = 2019): DemoPlace[] {
  const rng = new Random(seed);
  const renumbering = norwayRenumbering();
  const claimed = new Set(Object.values(splitOff).flatMap((steps) => steps.map((s) => s.municipality)));
  /** The numbers a place had before a renumbering year: from the table, or from the split above. */
  const before = (year: number, number: string, place: string): string[] => {
    const own = splitOff[place];
    if (own) return own.filter((s) => s.year === year).map((s) => s.municipality);
    const olds = renumbering.filter((r) => r.year === year && r.new === number).map((r) => r.old);
    const unclaimed = olds.filter((o) => !claimed.has(o));
    return unclaimed.length ? unclaimed : olds;
  };
  const reformYears = [...new Set(renumbering.map((r) => r.year))].filter((y) => y > firstYear).sort((a, b) => b - a);
  const areaOf = new Map(demoAreas.map((a) => [a.code, a]));
  const places: DemoPlace[] = [];
  // Every municipality, and in the four cities every district instead (not the 'unknown district' rows, …99).
  const rows = norwayGeography().filter((g) => (g.district ? !g.district.endsWith('99') : !cities.has(g.municipality)));
  for (const a of demoAreas) {
    const own = rows.filter((g) => g.area_code === a.code);
    const known = own.reduce((s, g) => s + (knownPopulations[g.district_name || g.municipality_name] ?? 0), 0) * 1000;
    const unknown = own.filter((g) => !knownPopulations[g.district_name || g.municipality_name]);
    const draws = unknown.map(() => 1 + 11 * rng.next() ** 2);
    const perDraw = unknown.length ? Math.max(200, (a.population - known) / draws.reduce((s, d) => s + d, 0)) : 0;
    const weights = own.map((g) => {
      const k = knownPopulations[g.district_name || g.municipality_name];
      return k ? k * 1000 : draws[unknown.indexOf(g)]! * perDraw;
    });
    const total = weights.reduce((s, w) => s + w, 0);
    for (const [i, g] of own.entries()) {
      const population = (a.population * weights[i]!) / total;
      const centre = (knownPopulations[g.district_name || g.municipality_name] ?? 0) >= 40;
      const ageing = (centre ? -0.15 : 0.1) + (a.regionCode === '1' ? 0.1 : 0) + 0.15 * (rng.next() - 0.5);
      // Walk the renumberings back from 2024: each earlier number becomes a piece of its own.
      let pieces = [{ eras: [{ from: 0, municipality: g.municipality }], share: 1 }];
      for (const year of reformYears) {
        pieces = pieces.flatMap((p) => {
          const last = p.eras[p.eras.length - 1]!;
          const earlier = before(year, last.municipality, g.municipality);
          if (earlier.length === 0) return [p];
          const since = [...p.eras.slice(0, -1), { from: year, municipality: last.municipality }];
          return earlier.map((m) => ({ eras: [...since, { from: 0, municipality: m }], share: p.share / earlier.length }));
        });
      }
      for (const p of pieces) {
        places.push({
          municipality: g.municipality,
          district: g.district || null,
          name: g.district_name || g.municipality_name,
          area: areaOf.get(g.area_code)!,
          population: Math.round(population * p.share),
          eras: p.eras,
          ageing,
        });
      }
    }
  }
  return places;
}

/**
 * The municipality number a place was written with in a year, and its district number: a district
 * keeps its two last digits when its municipality is renumbered (Bergen 120101 → 460101 in 2020).
 */
export function numberInYear(place: DemoPlace, year: number): { municipality: string; district: string } {
  const era = place.eras.find((e) => year >= e.from)!;
  const district = place.district ? `${era.municipality}${place.district.slice(4)}` : '';
  return { municipality: era.municipality, district };
}
