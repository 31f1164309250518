import { defaultRateOptions, type RateTable } from '../analysis/rates.js';
import { serviceRates } from '../analysis/service-rates.js';
import { importFile, type ImportReport } from '../import/import-file.js';
import type { DatasetKind } from '../model/contract.js';
import type { Store, StoreStatus } from '../store/store.js';
import { generateDemo, type DemoFiles, type DemoOptions } from './generate.js';

export interface DemoRun {
  files: DemoFiles;
  imports: ImportReport[];
  status: StoreStatus;
  /** Rates for every service of the default catalogue, by catchment area, 2019–2023. */
  rates: RateTable[];
}

/** The service whose table the demo prints: the source documents' running example. */
export const headlineService = 'gastroscopy';

/**
 * The main job on demo data: generate the files, import each one (replacing an earlier demo import
 * of the same file, so running the demo twice does not double anything), report the store and
 * compute the rates of every service.
 */
export async function runDemo(store: Store, options: DemoOptions): Promise<DemoRun> {
  const files = await generateDemo(options);
  const order: [DatasetKind, string][] = [
    ['geography', files.geography],
    ['renumbering', files.renumbering],
    ['standard_population', files.standardPopulation],
    ['population', files.population],
    ['episodes', files.episodes],
    ['referrals', files.referrals],
  ];
  const imports: ImportReport[] = [];
  for (const [kind, path] of order) {
    imports.push(
      await importFile(store, {
        kind,
        path,
        replace: true,
        synthetic: true,
        signal: options.signal,
        onProgress: (stage, f) => options.onProgress?.(`${kind}: ${stage}`, f),
      }),
    );
  }
  options.onProgress?.('rates', 0);
  const rates = await serviceRates(store, { serviceIds: [] }, defaultRateOptions);
  return { files, imports, status: await store.status(), rates };
}
