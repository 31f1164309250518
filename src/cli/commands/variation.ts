import { periodText } from '../../model/period.js';
import { defaultLabelOptions } from '../../analysis/labels.js';
import { defaultRateOptions } from '../../analysis/rates.js';
import { comparableServiceRates } from '../../analysis/service-rates.js';
import { variation, type VariationResult } from '../../analysis/variation.js';
import type { Level } from '../../store/store.js';
import { formatTable } from '../format-table.js';
import { withReadStore, type StoreOptions } from '../with-store.js';

export interface VariationCliOptions {
  service: string;
  years?: number[];
  by: Level;
  format: 'table' | 'json';
  band: number;
  lang: 'nb' | 'en';
}

export async function variationCommand(db: StoreOptions, catalogFiles: string[], o: VariationCliOptions): Promise<void> {
  await withReadStore(db, async (store) => {
    const { tables } = await comparableServiceRates(
      store,
      { serviceIds: [o.service], catalogFiles, fromYear: o.years?.[0], toYear: o.years?.[o.years.length - 1], level: o.by, frames: () => [null] },
      defaultRateOptions,
    );
    const result = variation(tables[0]!, { ...defaultLabelOptions, band: o.band });
    console.log(o.format === 'json' ? JSON.stringify(result, null, 2) : variationText(result, o.lang));
  });
}

const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');

export function variationText(v: VariationResult, lang: 'nb' | 'en'): string {
  const head = `${v.service.name[lang]} (${v.service.id}), ${periodText(v.years)}, by ${v.level}: national standardised rate ${f(v.nationalRate, 1)} per 100 000`;
  const measures = `FT1 ${f(v.ft1)}  FT2 ${f(v.ft2)}  FT3 ${f(v.ft3)}  CV ${f(v.cv, 3)}  SCV ${f(v.scv)}  (${v.areas.length} areas compared)`;
  const table = formatTable(
    [v.level, 'standardised rate (95 %)', 'versus national', 'obs/exp', 'funnel', 'private', 'label'],
    v.areas.map((a) => [
      a.unitName,
      `${a.standardisedRate.value.toFixed(1)} (${a.standardisedRate.lower.toFixed(1)}–${a.standardisedRate.upper.toFixed(1)})`,
      a.versusNational,
      a.ratio.toFixed(2),
      a.funnel.position,
      a.privateShare === null ? '(p)' : `${(a.privateShare * 100).toFixed(1)} %`,
      a.label.text[lang],
    ]),
  );
  const left = v.leftOut.length ? `\nLeft out: ${v.leftOut.map((a) => `${a.unitName} (${a.reason})`).join(', ')}.` : '';
  return `${head}\n${measures}\n\n${table}${left}\n\nThe rule behind each label: --format json (areas[].label.rule).`;
}
