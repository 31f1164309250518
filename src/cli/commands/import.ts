import { importFile } from '../../import/import-file.js';
import type { Encoding } from '../../import/inspect-file.js';
import type { PopulationYearConvention } from '../../import/jsonstat.js';
import type { DatasetKind } from '../../model/contract.js';
import { describeImport } from '../describe.js';
import { progressBar } from '../progress.js';
import { withStore, type StoreOptions } from '../with-store.js';

export async function importCommand(
  db: StoreOptions,
  catalogFiles: string[],
  kind: DatasetKind,
  file: string,
  options: { replace?: boolean; encoding?: Encoding; populationYear: PopulationYearConvention; dates?: { from: string; to: string } },
): Promise<void> {
  await withStore(db, async (store, signal) => {
    const bar = progressBar();
    try {
      const report = await importFile(store, {
        kind,
        path: file,
        replace: options.replace,
        encoding: options.encoding,
        populationYear: options.populationYear,
        dateWindow: options.dates,
        onProgress: bar.update,
        signal,
        catalogFiles,
      });
      bar.done();
      console.log(describeImport(report));
    } finally {
      bar.done();
    }
  });
}
