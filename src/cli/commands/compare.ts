import { compareRates, type RateComparisons } from '../../analysis/comparisons.js';
import { VaratlasError } from '../../errors.js';
import { isWithheld, type Shown } from '../../analysis/rate-row.js';
import { defaultRateOptions } from '../../analysis/rates.js';
import { serviceRates } from '../../analysis/service-rates.js';
import { cliWords } from '../../i18n/cli-words.js';
import { formatNumber } from '../../i18n/messages.js';
import { reasonInLanguage } from '../../i18n/reasons.js';
import { tw } from '../../i18n/table-words.js';
import { periodText } from '../../model/period.js';
import type { Comparison } from '../../stats/rate-comparison.js';
import type { Level } from '../../store/store.js';
import { formatTable } from '../format-table.js';
import { withReadStore, type StoreOptions } from '../with-store.js';

export interface CompareCliOptions {
  service: string;
  years?: number[];
  year?: number;
  by: Level;
  areas?: string;
  format: 'table' | 'json';
  lang: 'nb' | 'en';
}

export async function compareCommand(db: StoreOptions, catalogFiles: string[], o: CompareCliOptions): Promise<void> {
  await withReadStore(db, async (store) => {
    const [table] = await serviceRates(
      store,
      { serviceIds: [o.service], catalogFiles, fromYear: o.years?.[0], toYear: o.years?.[o.years.length - 1], level: o.by },
      defaultRateOptions,
    );
    const between = o.areas?.split(',').map((x) => x.trim());
    if (between && (between.length !== 2 || between.some((x) => x === ''))) throw new VaratlasError('usage', `--areas takes two unit codes, the first against the second, e.g. --areas 8,1 (not '${o.areas}')`);
    const c = compareRates(table!, { year: o.year ?? null, between: between as [string, string] | undefined });
    console.log(o.format === 'json' ? JSON.stringify(c, null, 2) : compareText(c, o.lang));
  });
}

export function compareText(c: RateComparisons, lang: 'nb' | 'en'): string {
  const say = cliWords(lang);
  const number = (x: number, d: number) => formatNumber(x, lang, d);
  const shown = (x: Shown<Comparison>, d: number) =>
    isWithheld(x) ? `(${reasonInLanguage(x.withheld, lang)})` : `${number(x.value, d)} (${number(x.lower, d)} ${say.to} ${number(x.upper, d)})`;
  const national = isWithheld(c.nationalRate) ? reasonInLanguage(c.nationalRate.withheld, lang) : number(c.nationalRate, 1);
  const when = c.year === null ? periodText(c.years) : String(c.year);
  const head = say.compareHead(`${c.service.name[lang]} (${c.service.id})`, when, c.level, national);
  const change = c.year !== null && c.units.some((u) => u.sincePreviousYear);
  const table = formatTable(
    [
      tw(c.level === 'area' ? 'area' : c.level, lang),
      tw('standardisedRate', lang),
      `${tw('versusNational', lang)}: ${tw('rateRatio', lang).toLowerCase()}`,
      tw('rateDifference', lang),
      ...(change ? [`${tw('sincePreviousYear', lang)} (${c.year! - 1})`] : []),
    ],
    c.units.map((u) => [
      u.unitName,
      isWithheld(u.standardisedRate) ? `(${reasonInLanguage(u.standardisedRate.withheld, lang)})` : number(u.standardisedRate.value, 1),
      shown(u.versusNational.ratio, 2),
      shown(u.versusNational.difference, 1),
      ...(change ? [u.sincePreviousYear ? shown(u.sincePreviousYear.ratio, 2) : '–'] : []),
    ]),
  );
  const between = c.between ? `\n${say.compareBetween(c.between.a.unitName, c.between.b.unitName, shown(c.between.ratio, 2), shown(c.between.difference, 1))}` : '';
  return `${head}\n\n${table}${between}\n\n${say.compareNote}`;
}
