import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultLabelOptions } from '../../analysis/labels.js';
import { defaultRateOptions } from '../../analysis/rates.js';
import { comparableServiceRates } from '../../analysis/service-rates.js';
import { variation } from '../../analysis/variation.js';
import { findService, loadCatalogue } from '../../catalog/load-catalogue.js';
import { VaratlasError } from '../../errors.js';
import { checkAtlas, checkAtlasData } from '../../export/helseatlas-format.js';
import { helseatlasFiles } from '../../export/helseatlas.js';
import { dissolve, type MunicipalityTopology } from '../../geo/dissolve.js';
import { norwayFile } from '../../geo/norway.js';
import { withReadStore, type StoreOptions } from '../with-store.js';

export interface HelseatlasCliOptions {
  service: string;
  years?: number[];
  out: string;
  slug?: string;
}

/**
 * `varatlas export helseatlas`: one service's figures in the national atlas's files (src/export/helseatlas.ts),
 * checked against the format's field list before they are written:
 *   OUT/data/SLUG.json, OUT/atlas/nb/SLUG.json, OUT/atlas/en/SLUG.json, OUT/kart/SLUG.geojson
 */
export async function helseatlasCommand(db: StoreOptions, catalogFiles: string[], o: HelseatlasCliOptions): Promise<void> {
  const slug = o.slug ?? o.service;
  if (!/^[a-z0-9_-]+$/i.test(slug)) throw new VaratlasError('usage', `--slug must be letters, digits, _ or - (a file name), not '${slug}'`);
  const written = await withReadStore(db, async (store) => {
    const service = findService(await loadCatalogue(catalogFiles), o.service);
    const { tables } = await comparableServiceRates(
      store,
      { serviceIds: [o.service], catalogFiles, fromYear: o.years?.[0], toYear: o.years?.[o.years.length - 1], level: 'area' },
      defaultRateOptions,
    );
    const table = tables[0]!;
    const topology = JSON.parse(await readFile(norwayFile('municipalities.topojson'), 'utf8')) as MunicipalityTopology;
    const dissolved = dissolve(topology, await store.places(), 'area');
    const files = helseatlasFiles(table, variation(table, defaultLabelOptions), service, { slug, date: new Date(), boundaries: dissolved.units.length ? dissolved : null });
    const problems = [...checkAtlasData(files.data), ...checkAtlas(files.atlas.nb), ...checkAtlas(files.atlas.en)];
    // A file that breaks the format is a fault of this program, not of the data: say so, write nothing.
    if (problems.length) throw new Error(`the Helseatlas files do not follow the format: ${problems.slice(0, 5).join('; ')}`);
    const out: [string, unknown][] = [
      [join(o.out, 'data', `${slug}.json`), files.data],
      [join(o.out, 'atlas', 'nb', `${slug}.json`), files.atlas.nb],
      [join(o.out, 'atlas', 'en', `${slug}.json`), files.atlas.en],
      ...(files.geojson ? [[join(o.out, 'kart', `${slug}.geojson`), files.geojson] as [string, unknown]] : []),
    ];
    for (const [path, content] of out) {
      await mkdir(join(path, '..'), { recursive: true });
      // The outlines compact; the rest indented, to be read and edited by people.
      await writeFile(path, (path.endsWith('.geojson') ? JSON.stringify(content) : JSON.stringify(content, null, 2)) + '\n');
    }
    return out.map(([path]) => path);
  });
  console.log(`Wrote the Helseatlas files of ${o.service}:\n${written.map((p) => `  ${p}`).join('\n')}`);
}
