import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { writeEpisodes, type EpisodeSummary } from './generate-episodes.js';
import { LineWriter } from './line-writer.js';
import { demoIntervention } from './demo-services.js';
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
  standardPopulation: string;
  /** The intervention register of the demo (one project, see demoIntervention). */
  interventions: string;
  episodeSummary: EpisodeSummary;
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
  const places = demoPlaces(seed);
  const files = {
    geography: join(options.outDir, 'geography.csv'),
    renumbering: join(options.outDir, 'renumbering.csv'),
    population: join(options.outDir, 'population.csv'),
    episodes: join(options.outDir, 'episodes.csv'),
    standardPopulation: esp2013Path,
    interventions: join(options.outDir, 'interventions.yaml'),
  };
  await writeFile(files.interventions, interventionsYaml());
  await writeFile(files.geography, iconv.encode(geographyCsv(places), 'win1252'));
  await writeFile(files.renumbering, renumberingCsv(places));
  await writePopulation(files.population, places, years);
  const episodeSummary = await writeEpisodes(files.episodes, {
    seed,
    scale: options.scale ?? 1,
    years,
    places,
    badEvery: options.badEvery ?? 5000,
    signal: options.signal,
    onProgress: (f) => options.onProgress?.('generating episodes', f),
  });
  return { ...files, episodeSummary, places: places.length };
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

/** SKDE's layout: komnr;komnr_navn;bydel;bydel_navn;borhf;borhf_navn;bohf;bohf_navn (current numbers). */
function geographyCsv(places: DemoPlace[]): string {
  const rows = ['komnr;komnr_navn;bydel;bydel_navn;borhf;borhf_navn;bohf;bohf_navn'];
  for (const p of places) {
    const name = p.district ? 'Oslo' : p.name;
    rows.push([p.municipality, name, p.district ?? '', p.district ? p.name : '', p.area.regionCode, p.area.regionName, p.area.code, p.area.name].join(';'));
  }
  return rows.join('\r\n') + '\r\n';
}

/** Helse Nord's 2020 and 2024 renumbering, as chains: old -> 2020 number -> 2024 number. */
function renumberingCsv(places: DemoPlace[]): string {
  const rows = ['year,old_municipality,new_municipality'];
  for (const p of places) {
    if (p.numberBefore2020 && p.numberIn2020) {
      rows.push(`2020,${p.numberBefore2020},${p.numberIn2020}`, `2024,${p.numberIn2020},${p.municipality}`);
    }
  }
  return rows.join('\n') + '\n';
}

async function writePopulation(path: string, places: DemoPlace[], years: number[]): Promise<void> {
  const out = new LineWriter(path);
  await out.write('year,municipality,district,sex,age,population');
  for (const year of years) {
    for (const p of places) {
      for (const sex of [1, 2] as const) {
        for (let age = 0; age <= maxAge; age++) {
          const label = age === maxAge ? `${maxAge}+` : String(age);
          await out.write(`${year},${numberInYear(p, year)},${p.district ?? ''},${sex},${label},${peopleIn(p, year, sex, age)}`);
        }
      }
    }
  }
  await out.close();
}
