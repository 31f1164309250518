import { periodText } from '../../model/period.js';
import { defaultLabelOptions } from '../../analysis/labels.js';
import { defaultRateOptions } from '../../analysis/rates.js';
import { comparableServiceRates } from '../../analysis/service-rates.js';
import { variation, type VariationResult } from '../../analysis/variation.js';
import { variationUncertainty, type VariationUncertainty } from '../../analysis/variation-uncertainty.js';
import type { Level } from '../../store/store.js';
import { formatTable } from '../format-table.js';
import { cliWords } from '../../i18n/cli-words.js';
import { formatNumber } from '../../i18n/messages.js';
import { reasonInLanguage } from '../../i18n/reasons.js';
import { tw } from '../../i18n/table-words.js';
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
    const table = tables[0]!;
    const v = variation(table, { ...defaultLabelOptions, band: o.band });
    const result = { ...v, uncertainty: variationUncertainty(v, table.confidence) };
    console.log(o.format === 'json' ? JSON.stringify(result, null, 2) : variationText(result, o.lang));
  });
}


export function variationText(v: VariationResult & { uncertainty: VariationUncertainty }, lang: 'nb' | 'en'): string {
  const say = cliWords(lang);
  const number = (x: number, d = 2) => (Number.isFinite(x) ? formatNumber(x, lang, d) : '–');
  const u = v.uncertainty;
  const od = u.overdispersion;
  const head = say.variationHead(`${v.service.name[lang]} (${v.service.id})`, periodText(v.years), v.level, number(v.nationalRate, 1));
  const b = u.statistics;
  const within = (s: { lower: number; upper: number }, d: number) => `(${number(s.lower, d)}–${number(s.upper, d)})`;
  const measures =
    `FT1 ${number(v.ft1)} ${within(b.ft1, 2)}  FT2 ${number(v.ft2)}  FT3 ${number(v.ft3)}  CV ${number(v.cv, 3)} ${within(b.cv, 3)}  ` +
    `SCV ${number(v.scv)} ${within(b.scv, 2)}  EB ${number(b.eb.value, 4)} ${within(b.eb, 4)}  (${say.compared(v.areas.length)})`;
  const table = formatTable(
    [tw(v.level === 'area' ? 'area' : v.level, lang), `${tw('standardisedRate', lang)} (95 %)`, tw('shrunkRate', lang), tw('rankInterval', lang), tw('versusNational', lang), tw('observedExpected', lang), tw('funnel', lang), tw('privateShare', lang), tw('label', lang)],
    v.areas.map((a, i) => [
      a.unitName,
      `${number(a.standardisedRate.value, 1)} (${number(a.standardisedRate.lower, 1)}–${number(a.standardisedRate.upper, 1)})`,
      `${number(u.areas[i]!.shrunk.rate, 1)} (${number(u.areas[i]!.shrunk.weight, 2)})`,
      `${u.areas[i]!.rank.rank} (${u.areas[i]!.rank.lower}–${u.areas[i]!.rank.upper})`,
      say.versus[a.versusNational] ?? a.versusNational,
      number(a.ratio),
      say.funnel[u.areas[i]!.funnel.position] ?? u.areas[i]!.funnel.position,
      a.privateShare === null ? '(p)' : `${number(a.privateShare * 100, 1)} %`,
      a.label.text[lang],
    ]),
  );
  const left = v.leftOut.length ? `\n${say.leftOut}: ${v.leftOut.map((a) => `${a.unitName} (${reasonInLanguage(a.reason, lang)})`).join(', ')}.` : '';
  const uncertainty = say.uncertainty(number(od.phi), number(od.tau2, 4), number(od.pValue, 3), od.method, number(u.rankability.rho), number(b.scv.pValue, 3), number(b.eb.pValue, 3));
  return `${head}\n${measures}\n${uncertainty}\n\n${table}${left}\n\n${say.ruleNote}`;
}
