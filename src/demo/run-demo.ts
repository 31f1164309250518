import { importFile, type ImportReport } from '../import/import-file.js';
import type { DatasetKind } from '../model/contract.js';
import type { Store, StoreStatus } from '../store/store.js';
import { generateDemo, type DemoFiles, type DemoOptions } from './generate.js';

export interface DemoRun {
  files: DemoFiles;
  imports: ImportReport[];
  status: StoreStatus;
}

/**
 * The main job on demo data: generate the files, import each one (replacing an earlier demo import
 * of the same file, so running the demo twice does not double anything), and report the store.
 */
export async function runDemo(store: Store, options: DemoOptions): Promise<DemoRun> {
  const files = await generateDemo(options);
  const order: [DatasetKind, string][] = [
    ['geography', files.geography],
    ['renumbering', files.renumbering],
    ['standard_population', files.standardPopulation],
    ['population', files.population],
    ['episodes', files.episodes],
  ];
  const imports: ImportReport[] = [];
  for (const [kind, path] of order) {
    imports.push(
      await importFile(store, { kind, path, replace: true, onProgress: (stage, f) => options.onProgress?.(`${kind}: ${stage}`, f) }),
    );
  }
  return { files, imports, status: await store.status() };
}
