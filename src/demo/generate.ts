import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { writeEpisodes, type EpisodeSummary } from './generate-episodes.js';
import { ReferralWriter } from './generate-referrals.js';
import { LineWriter } from './line-writer.js';
import { demoIntervention } from './demo-services.js';
import { norwayGeography, norwayRenumbering } from '../geo/norway.js';
import { demoPlaces, numberInYear, type DemoPlace } from './norway.js';
import { demoYears, maxAge, peopleIn } from './population-model.js';

export interface DemoOptions {
  outDir: string;
  seed?: number;
  /** 1 ≈ a million episodes over five years; 50 ≈ national volume (10 million a year). Below 1 thins the services. */
  scale?: number;
  years?: number[];
  /** One broken row per this many episodes (default 5000; 0 for none). */
  badEvery?: number;
  onProgress?: (stage: string, fraction: number) => void;
  /** Aborting stops the generator and the imports between steps. */
  signal?: AbortSignal;
}

export interface DemoFiles {
  geography: string;
  renumbering: string;
  population: string;
  episodes: string;
  /** Referrals before the demo's endoscopies, and some that led to none (generate-referrals.ts). */
  referrals: string;
  referralRows: number;
  standardPopulation: string;
  /** The intervention register of the demo (one project, see demoIntervention). */
  interventions: string;
  episodeSummary: EpisodeSummary;
  /** Places of residence: the municipalities, with the four cities by their districts. */
  places: number;
}

export const defaultSeed = 20231;

/** European Standard Population 2013, shipped with varatlas as reference data. */
export const esp2013Path = new URL('../../data/standard-populations/esp2013.csv', import.meta.url).pathname;

/**
 * Generate the demo data set as the files a health authority would bring: geography in the national
 * atlas's own semicolon layout saved by Excel (Windows-1252), renumbering, population, episodes.
 */
export async function generateDemo(options: DemoOptions): Promise<DemoFiles> {
  const seed = options.seed ?? defaultSeed;
  const years = options.years ?? demoYears;
  await mkdir(options.outDir, { recursive: true });
  const places = demoPlaces(seed, Math.min(...years));
  const files = {
    geography: join(options.outDir, 'geography.csv'),
    renumbering: join(options.outDir, 'renumbering.csv'),
    population: join(options.outDir, 'population.csv'),
    episodes: join(options.outDir, 'episodes.csv'),
    referrals: join(options.outDir, 'referrals.csv'),
    standardPopulation: esp2013Path,
    interventions: join(options.outDir, 'interventions.yaml'),
  };
  await writeFile(files.interventions, interventionsYaml());
  await writeFile(files.geography, iconv.encode(geographyCsv(), 'win1252'));
  await writeFile(files.renumbering, renumberingCsv());
  await writePopulation(files.population, places, years);
  const referrals = new ReferralWriter(files.referrals, seed);
  await referrals.open();
  const episodeSummary = await writeEpisodes(files.episodes, {
    referrals,
    seed,
    scale: options.scale ?? 1,
    years,
    places,
    badEvery: options.badEvery ?? 5000,
    signal: options.signal,
    onProgress: (f) => options.onProgress?.('generating episodes', f),
  }).finally(() => referrals.close());
  return { ...files, episodeSummary, referralRows: referrals.rows, places: new Set(places.map((p) => `${p.municipality}/${p.district}`)).size };
}

function interventionsYaml(): string {
  const i = demoIntervention;
  return [
    '# Intervention register (varatlas intervention effect --file THIS): the demo contains one project.',
    'interventions:',
    `  - name: "${i.name}"`,
    `    areas: ["${i.area}"]`,
    `    service: ${i.service}`,
    `    age: { min: ${i.minAge}, max: ${i.maxAge} }`,
    `    start: ${i.start}`,
    '    phase: execution',
    `    minutes: { physician: ${i.minutes.toFixed(2)} }`,
    '',
  ].join('\n');
}

/**
 * The real geography (data/norway) in SKDE's own layout, with the local-hospital areas:
 * komnr;komnr_navn;bydel;bydel_navn;borhf;borhf_navn;bohf;bohf_navn;bosh;bosh_navn (2024 numbers).
 */
function geographyCsv(): string {
  const rows = ['komnr;komnr_navn;bydel;bydel_navn;borhf;borhf_navn;bohf;bohf_navn;bosh;bosh_navn'];
  for (const g of norwayGeography()) {
    rows.push([g.municipality, g.municipality_name, g.district, g.district_name, g.region_code, g.region_name, g.area_code, g.area_name, g.local_area_code, g.local_area_name].join(';'));
  }
  return rows.join('\r\n') + '\r\n';
}

/** The real renumbering table: every municipality renumbering since 1988. */
function renumberingCsv(): string {
  return ['year,old_municipality,new_municipality', ...norwayRenumbering().map((r) => `${r.year},${r.old},${r.new}`)].join('\n') + '\n';
}

/**
 * The population by the numbers of each year. Pieces that share a number in a year (the parts of
 * Ålesund before Haram split off, a municipality split in 2020) are added up into one row.
 */
async function writePopulation(path: string, places: DemoPlace[], years: number[]): Promise<void> {
  const out = new LineWriter(path);
  await out.write('year,municipality,district,sex,age,population');
  for (const year of years) {
    const people = new Map<string, number[]>();
    for (const p of places) {
      const n = numberInYear(p, year);
      const key = `${n.municipality},${n.district}`;
      const counts = people.get(key) ?? new Array<number>(2 * (maxAge + 1)).fill(0);
      people.set(key, counts);
      for (const sex of [1, 2] as const) {
        for (let age = 0; age <= maxAge; age++) counts[(sex - 1) * (maxAge + 1) + age]! += peopleIn(p, year, sex, age);
      }
    }
    for (const [key, counts] of people) {
      for (const sex of [1, 2] as const) {
        for (let age = 0; age <= maxAge; age++) {
          const label = age === maxAge ? `${maxAge}+` : String(age);
          await out.write(`${year},${key},${sex},${label},${counts[(sex - 1) * (maxAge + 1) + age]}`);
        }
      }
    }
  }
  await out.close();
}
