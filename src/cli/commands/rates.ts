import { writeFile } from 'node:fs/promises';
import { defaultRateOptions } from '../../analysis/rates.js';
import { serviceRates } from '../../analysis/service-rates.js';
import type { StandardChoice } from '../../analysis/standard-weights.js';
import { VaratlasError } from '../../errors.js';
import { defaultSuppression } from '../../stats/suppression.js';
import type { Level } from '../../store/store.js';
import { rateTablesXlsx } from '../../export/rates-xlsx.js';
import { rateTableCsv, rateTableText } from '../format-rates.js';
import { withReadStore, type StoreOptions } from '../with-store.js';

export interface RatesCliOptions {
  service?: string[];
  years?: number[];
  by: Level;
  measure: 'events' | 'patients' | 'stays' | 'bed_days';
  format: 'table' | 'csv' | 'json' | 'xlsx';
  standard: string;
  confidence: string;
  minEvents: number;
  multiplier: number;
  year?: number;
  out?: string;
  lang: 'nb' | 'en';
}

export function parseStandard(value: string): StandardChoice {
  if (value === 'national') return { kind: 'national' };
  if (value === 'file') return { kind: 'file' };
  const m = /^national:(\d{4})$/.exec(value);
  if (m) return { kind: 'national', year: Number(m[1]) };
  throw new VaratlasError('usage', `--standard must be national, national:YEAR or file, got '${value}'`);
}

export async function ratesCommand(db: StoreOptions, catalogFiles: string[], o: RatesCliOptions): Promise<void> {
  const confidence = o.confidence === '99.8' ? 0.998 : o.confidence === '95' ? 0.95 : NaN;
  if (Number.isNaN(confidence)) throw new VaratlasError('usage', `--confidence must be 95 or 99.8, got '${o.confidence}'`);
  if (o.format === 'table' && (o.service ?? []).length !== 1) throw new VaratlasError('usage', 'the table format shows one service: give --service ID (csv and json take several or all)');
  await withReadStore(db, async (store) => {
    const tables = await serviceRates(
      store,
      {
        serviceIds: o.service ?? [],
        catalogFiles,
        fromYear: o.years?.[0],
        toYear: o.years?.[o.years.length - 1],
        level: o.by,
        standard: parseStandard(o.standard),
        confidence,
        multiplier: o.multiplier,
        suppression: { ...defaultSuppression, minEvents: o.minEvents },
        count: o.measure === 'events' ? undefined : o.measure,
      },
      defaultRateOptions,
    );
    const [first] = tables;
    if (o.year !== undefined && first && (o.year < first.years[0] || o.year > first.years[1])) {
      throw new VaratlasError('usage', `--year ${o.year} is outside the period ${first.years[0]}–${first.years[1]}`);
    }
    if (o.format === 'xlsx') {
      if (!o.out) throw new VaratlasError('usage', '--format xlsx needs --out FILE.xlsx');
      await rateTablesXlsx(tables, o.out, o.lang);
      console.log(`wrote ${tables.length} service(s) to ${o.out}`);
      return;
    }
    const text =
      o.format === 'json' ? JSON.stringify(tables.length === 1 ? tables[0] : tables, null, 2) + '\n'
      : o.format === 'csv' ? rateTableCsv(tables)
      : rateTableText(tables[0]!, o.year ?? null, o.lang) + '\n';
    if (o.out) {
      await writeFile(o.out, text);
      console.log(`wrote ${tables.length} service(s) to ${o.out}`);
    } else process.stdout.write(text);
  });
}
