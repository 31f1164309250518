import { writeFile } from 'node:fs/promises';
import { findService, loadCatalogue } from '../../catalog/load-catalogue.js';
import { computeReferralRates, referralPeriod } from '../../analysis/referral-rates.js';
import { defaultRateOptions, isWithheld, type RateTable } from '../../analysis/rates.js';
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

/** The nation's referrals of the table's period by receiver type, each withheld as the table withholds it. */
function receivers(table: RateTable, lang: 'nb' | 'en'): string {
  const nation = table.rows.find((r) => r.national && r.year === null)!;
  const say = cliWords(lang);
  const n = (v: number | { withheld: string }) => (isWithheld(v) ? '–' : formatNumber(v, lang, 0));
  const kinds = say.receiverKinds(n(nation.providers.public), n(nation.providers.private), n(nation.providers.contract_specialist));
  return say.referralReceivers(periodText(table.years), n(nation.events), kinds);
}
