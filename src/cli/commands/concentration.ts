import { concentrationByUnit, type ConcentrationRow } from '../../analysis/concentration.js';
import { heavyUserProfile, type ProfileCategory } from '../../analysis/heavy-profile.js';
import { isWithheld } from '../../analysis/rate-row.js';
import { findService, loadCatalogue } from '../../catalog/load-catalogue.js';
import { VaratlasError } from '../../errors.js';
import { cliWords } from '../../i18n/cli-words.js';
import { formatNumber } from '../../i18n/messages.js';
import { reasonInLanguage } from '../../i18n/reasons.js';
import { tw, useMeasureWord } from '../../i18n/table-words.js';
import { periodText } from '../../model/period.js';
import { defaultSuppression } from '../../stats/suppression.js';
import type { Level, UseMeasure } from '../../store/store.js';
import { formatTable } from '../format-table.js';
import { withReadStore, type StoreOptions } from '../with-store.js';

export interface ConcentrationCommandOptions {
  measure: UseMeasure;
  years?: number[];
  /** One year: the same as years [year]. */
  year?: number;
  by: Level;
  region?: string;
  area?: string;
  service?: string;
  specialty?: string;
  gapDays: number;
  lookBackDays: number;
  top?: number;
  individual?: boolean;
  profile?: boolean;
  format: 'table' | 'json';
  lang: 'nb' | 'en';
}

/**
 * `varatlas concentration`: how much of the stays, bed days or outpatient contacts the heaviest users
 * account for (docs/patients.md). With --region or --area, that unit's sentence first; with --top N and
 * --individual, the N heaviest users' ranks, amounts and main departments (individual-level).
 */
export async function concentrationCommand(db: StoreOptions, catalogFiles: string[], o: ConcentrationCommandOptions): Promise<void> {
  if (o.top !== undefined && !o.individual) {
    throw new VaratlasError('usage', '--top lists individual patients (rank, amount, main department): add --individual to confirm that the list is not for publication (docs/patients.md)');
  }
  if (o.region !== undefined && o.area !== undefined) throw new VaratlasError('usage', 'give --region or --area, not both');
  const level: Level = o.region !== undefined ? 'region' : o.area !== undefined ? 'area' : o.by;
  const unit = o.region ?? o.area;
  const service = o.service ? findService(await loadCatalogue(catalogFiles), o.service) : undefined;
  const w = cliWords(o.lang);
  await withReadStore(db, async (store) => {
    const available = await store.episodeYears();
    if (!available) throw new VaratlasError('usage', 'there are no episodes in the store');
    if (o.year !== undefined && o.years) throw new VaratlasError('usage', 'give --year or --years, not both');
    const asked = o.year !== undefined ? [o.year] : o.years;
    const years: [number, number] = asked ? [asked[0]!, asked.at(-1)!] : [available[1], available[1]];
    const options = { measure: o.measure, service, specialty: o.specialty, gapDays: o.gapDays, lookBackDays: o.lookBackDays };
    const result = await concentrationByUnit(store, { ...options, years, level, suppression: defaultSuppression });
    if (unit !== undefined && !result.rows.some((r) => r.unit === unit)) {
      throw new VaratlasError('usage', `no patients with ${o.measure.replace('_', ' ')} live in ${level} '${unit}' in ${periodText(years)} (codes: varatlas status)`);
    }
    const heavy = o.top !== undefined ? await store.heavyUsers({ ...options, fromYear: years[0], toYear: years[1], level, unit, count: o.top }) : undefined;
    if (o.format === 'json') {
      console.log(JSON.stringify({ ...result, ...(heavy ? { heavyUsers: heavy } : {}) }, null, 2));
      return;
    }
    const measure = w.measures[o.measure]!;
    const measureHead = tw(useMeasureWord[o.measure], o.lang);
    const selection = service ? w.selectionService(service.name[o.lang]) : o.specialty ? w.selectionSpecialty(o.specialty) : '';
    console.log(w.concentrationHead(measure, selection, periodText(years), level) + '\n');
    const pooled = years[0] === years[1] ? years[0] : null;
    const inFrame = result.rows.filter((r) => r.year === pooled);
    const named = (r: ConcentrationRow) => (r.unit === null ? tw('national', o.lang) : r.unitName);
    const pct = (x: number) => formatNumber(100 * x, o.lang, 1);
    for (const r of inFrame.filter((x) => x.unit === null || x.unit === unit)) {
      if (isWithheld(r.tops)) console.log(w.concentrationWithheld(named(r), reasonInLanguage(r.tops.withheld, o.lang)));
      else console.log(w.concentrationSentence(named(r), r.tops.map((t, i) => w.topPart(formatNumber(100 * t.fraction, o.lang), pct(t.share), pct(t.lower), pct(t.upper), i === 0)), measure));
    }
    const shown = (v: number | { withheld: string }) => (isWithheld(v) ? '(s)' : formatNumber(v, o.lang));
    console.log(
      '\n' +
        formatTable(
          [tw(level, o.lang), tw('patients', o.lang), measureHead, ...[1, 5, 10, 20].map((p) => `${tw('topShare', o.lang)} ${p} %`), tw('gini', o.lang)],
          inFrame.map((r) => [
            named(r), shown(r.patients), shown(r.total),
            ...(isWithheld(r.tops) ? ['(s)', '(s)', '(s)', '(s)'] : r.tops.map((t) => `${pct(t.share)} %`)),
            isWithheld(r.gini) ? '(s)' : formatNumber(r.gini.value, o.lang, 3),
          ]),
        ),
    );
    if (inFrame.some((r) => isWithheld(r.tops) || isWithheld(r.patients))) {
      const reasons = new Set(inFrame.flatMap((r) => [r.tops, r.patients].filter(isWithheld).map((x) => reasonInLanguage(x.withheld, o.lang))));
      console.log(`\n(s): ${[...reasons].join('; ')}`);
    }
    if (o.profile) {
      if (o.measure === 'outpatient') throw new VaratlasError('usage', '--profile describes stays: use --measure stays or bed_days');
      const profile = await heavyUserProfile(store, { years, level, unit, measure: o.measure, service, specialty: o.specialty, suppression: defaultSuppression });
      const where = unit === undefined ? tw('national', o.lang) : (result.rows.find((r) => r.unit === unit)?.unitName ?? unit);
      console.log('\n' + w.profileHead(where, periodText(years), measure));
      if ('withheld' in profile) console.log(reasonInLanguage(profile.withheld, o.lang));
      else {
        const cell = (c: ProfileCategory | undefined) => (!c ? '' : isWithheld(c.share) ? '(s)' : pct(c.share));
        const lines: (string | number)[][] = [];
        for (const dimension of ['sex', 'age', 'chapter', 'department'] as const) {
          const categories = [...new Set(profile.groups.flatMap((g) => g[dimension].map((c) => c.category)))].sort();
          for (const category of categories) lines.push([`${w.profileDimensions[dimension]}: ${category}`, ...profile.groups.map((g) => cell(g[dimension].find((c) => c.category === category)))]);
        }
        for (const dimension of ['readmitted', 'regions'] as const) lines.push([w.profileDimensions[dimension]!, ...profile.groups.map((g) => cell(g[dimension]))]);
        console.log(formatTable(['', ...profile.groups.map((g) => w.profileGroup(g.fraction))], lines));
      }
    }
    if (heavy) {
      const where = unit === undefined ? tw('national', o.lang) : (result.rows.find((r) => r.unit === unit)?.unitName ?? unit);
      console.log('\n' + w.heavyHead(heavy.length, measureHead.toLowerCase(), where, periodText(years)));
      console.log(formatTable([tw('rank', o.lang), measureHead, tw('department', o.lang)], heavy.map((h) => [h.rank, h.amount, h.department ?? '—'])));
    }
  });
}
