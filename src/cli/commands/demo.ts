import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { headlineService, runDemo } from '../../demo/run-demo.js';
import { rateTableCsv, rateTableText } from '../format-rates.js';
import { describeImport, describeStatus } from '../describe.js';
import { formatNumber } from '../format-table.js';
import { progressBar } from '../progress.js';
import { withStore, type StoreOptions } from '../with-store.js';
import { serveCommand } from './serve.js';

export async function demoCommand(
  db: StoreOptions,
  options: { scale: number; seed?: number; years?: number[]; out: string; serve: boolean; port: number },
): Promise<void> {
  const interventions = await withStore(db, async (store, signal) => {
    const bar = progressBar();
    try {
      const run = await runDemo(store, { outDir: options.out, scale: options.scale, seed: options.seed, years: options.years, onProgress: bar.update, signal });
      bar.done();
      const s = run.files.episodeSummary;
      const bad = Object.values(s.badRows).reduce((a, b) => a + b, 0);
      console.log(
        `Demo data in ${options.out}: ${run.files.places} places of residence, ${formatNumber(s.rows)} episodes ` +
          `(${formatNumber(bad)} deliberately broken, ${formatNumber(s.unmappedRows)} from Svalbard, which no area covers).\n`,
      );
      for (const report of run.imports) console.log(describeImport(report));
      console.log(`\nStore ${db.db}:\n`);
      console.log(describeStatus(run.status));
      const headline = run.rates.find((t) => t.service.id === headlineService)!;
      console.log(`\n${rateTableText(headline, null)}\n`);
      const csv = join(options.out, 'rates.csv');
      const json = join(options.out, 'rates.json');
      await writeFile(csv, rateTableCsv(run.rates));
      await writeFile(json, JSON.stringify(run.rates, null, 2));
      console.log(`Rates of all ${run.rates.length} services written to ${csv} and ${json}.`);
      console.log(`Next: varatlas services, varatlas rates --service ID, varatlas variation --service ID, varatlas lowvalue --measure gastroscopy_under_55, varatlas intervention effect --file ${run.files.interventions}.`);
      bar.done();
      return run.files.interventions;
    } finally {
      bar.done();
    }
  });
  if (options.serve) await serveCommand(db, [], { host: '127.0.0.1', port: options.port, interventions });
}
