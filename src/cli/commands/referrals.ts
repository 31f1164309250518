import { writeFile } from 'node:fs/promises';
import { findService, loadCatalogue } from '../../catalog/load-catalogue.js';
import { computeReferralRates, referralPeriod } from '../../analysis/referral-rates.js';
import { defaultRateOptions, isWithheld, type Estimate, type RateTable, type Shown } from '../../analysis/rates.js';
import { assessmentVariation, minimumReferrals, type AssessmentResult } from '../../analysis/assessment-variation.js';
import { tw } from '../../i18n/table-words.js';
import { formatTable } from '../format-table.js';
import { VaratlasError } from '../../errors.js';
import { cliWords } from '../../i18n/cli-words.js';
import { formatNumber } from '../../i18n/messages.js';
import { periodText } from '../../model/period.js';
import type { Level } from '../../store/store.js';
import { rateTableCsv, rateTableText } from '../format-rates.js';
import { withReadStore, type StoreOptions } from '../with-store.js';

export interface ReferralsCliOptions {
  service: string;
  years?: number[];
  year?: number;
  by: Level;
  format: 'table' | 'csv' | 'json';
  /** The rights assessment across assessing units instead of the rates. */
  assessment?: boolean;
  out?: string;
  lang: 'nb' | 'en';
}

/**
 * `varatlas referrals --service ID`: referral rates by area of residence, standardised, with the
 * receivers' split, and the nation's referrals by receiver type in one sentence (docs/referrals.md).
 */
export async function referralsCommand(db: StoreOptions, catalogFiles: string[], o: ReferralsCliOptions): Promise<void> {
  if (o.year !== undefined && o.years) throw new VaratlasError('usage', 'give --year or --years, not both');
  const asked = o.year !== undefined ? [o.year] : o.years;
  const service = findService(await loadCatalogue(catalogFiles), o.service);
  await withReadStore(db, async (store) => {
    const { years } = await referralPeriod(store, asked ? [asked[0]!, asked.at(-1)!] : undefined);
    if (o.assessment) {
      const result = await assessmentVariation(store, service, years);
      const text = o.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : assessmentText(result, o.lang) + '\n';
      if (o.out) await writeFile(o.out, text);
      else process.stdout.write(text);
      return;
    }
    const [table] = await computeReferralRates(store, [service], { ...defaultRateOptions(years), level: o.by });
    const text =
      o.format === 'json' ? JSON.stringify(table, null, 2) + '\n'
      : o.format === 'csv' ? rateTableCsv([table!])
      : `${rateTableText(table!, null, o.lang)}\n\n${receivers(table!, o.lang)}\n`;
    if (o.out) {
      await writeFile(o.out, text);
      console.log(`wrote ${service.id} to ${o.out}`);
    } else process.stdout.write(text);
  });
}

/** The assessing units of the period (or the one year asked): shares, standardised ratio, funnel position, label, median days. */
function assessmentText(r: AssessmentResult, lang: 'nb' | 'en'): string {
  const rows = r.rows.filter((x) => x.year === null);
  const shown = <T>(v: Shown<T>, f: (x: T) => string) => (isWithheld(v) ? '–' : f(v));
  const pct = (e: Estimate) => `${formatNumber(e.value * 100, lang, 1)} (${formatNumber(e.lower * 100, lang, 1)}–${formatNumber(e.upper * 100, lang, 1)})`;
  const say = cliWords(lang);
  const table = formatTable(
    [tw('assessingUnit', lang), tw('referrals', lang), tw('rightShare', lang), tw('turnedAwayShare', lang), tw('observedExpected', lang), tw('funnel', lang), tw('label', lang), tw('daysToAssessment', lang), tw('daysToDeadline', lang)],
    rows.map((x) => [
      x.unit ?? tw('national', lang),
      shown(x.referrals, (n) => formatNumber(n, lang, 0)),
      shown(x.rightShare, pct),
      shown(x.turnedAwayShare, pct),
      shown(x.observedExpected, (e) => `${formatNumber(e.value, lang, 2)} (${formatNumber(e.lower, lang, 2)}–${formatNumber(e.upper, lang, 2)})`),
      shown(x.funnel, (f) => say.funnelPosition(f.position95, f.position998)),
      shown(x.label, (l) => say.expectedLabel(l)),
      shown(x.medianDaysToAssessment, (d) => (d === null ? '' : formatNumber(d, lang, 0))),
      shown(x.medianDaysToDeadline, (d) => (d === null ? '' : formatNumber(d, lang, 0))),
    ]),
  );
  return `${say.assessmentHead(`${r.service.name[lang]} (${r.service.id})`, periodText(r.years))}\n\n${table}\n\n${say.assessmentLegend(minimumReferrals)}`;
}

/** The nation's referrals of the table's period by receiver type, each withheld as the table withholds it. */
function receivers(table: RateTable, lang: 'nb' | 'en'): string {
  const nation = table.rows.find((r) => r.national && r.year === null)!;
  const say = cliWords(lang);
  const n = (v: number | { withheld: string }) => (isWithheld(v) ? '–' : formatNumber(v, lang, 0));
  const kinds = say.receiverKinds(n(nation.providers.public), n(nation.providers.private), n(nation.providers.contract_specialist));
  return say.referralReceivers(periodText(table.years), n(nation.events), kinds);
}
