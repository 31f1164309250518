import { importFile } from '../../import/import-file.js';
import type { Encoding } from '../../import/inspect-file.js';
import type { PopulationYearConvention } from '../../import/jsonstat.js';
import type { DatasetKind } from '../../model/contract.js';
import { VaratlasError } from '../../errors.js';
import { describeImport } from '../describe.js';
import { progressBar } from '../progress.js';
import { withStore, type StoreOptions } from '../with-store.js';

/** The reference files of `--builtin NAME`, shipped in data/NAME/: the geography, then its renumbering. */
const builtinFiles = (name: string) => [
  { kind: 'geography' as const, path: new URL(`../../../data/${name}/geography.csv`, import.meta.url).pathname },
  { kind: 'renumbering' as const, path: new URL(`../../../data/${name}/renumbering.csv`, import.meta.url).pathname },
];

export async function importCommand(
  db: StoreOptions,
  catalogFiles: string[],
  kind: DatasetKind,
  file: string | undefined,
  options: { replace?: boolean; encoding?: Encoding; populationYear: PopulationYearConvention; dates?: { from: string; to: string }; quiet?: boolean; builtin?: string },
): Promise<void> {
  if (options.builtin && kind !== 'geography') throw new VaratlasError('usage', `--builtin loads a geography: varatlas import geography --builtin ${options.builtin}`);
  if (options.builtin && file) throw new VaratlasError('usage', `give either a file or --builtin ${options.builtin}, not both`);
  if (!options.builtin && !file) throw new VaratlasError('usage', `which file? varatlas import ${kind} FILE${kind === 'geography' ? ' (or --builtin norway)' : ''}`);
  const files = options.builtin ? builtinFiles(options.builtin) : [{ kind, path: file! }];
  await withStore(db, async (store, signal) => {
    for (const f of files) {
      const bar = progressBar(process.stderr, { quiet: options.quiet });
      try {
        const report = await importFile(store, {
          kind: f.kind,
          path: f.path,
          replace: options.replace,
          encoding: options.encoding,
          populationYear: options.populationYear,
          dateWindow: options.dates,
          onProgress: bar.update,
          signal,
          catalogFiles,
          builtin: options.builtin,
        });
        bar.done();
        console.log(describeImport(report));
      } finally {
        bar.done();
      }
    }
  });
}
