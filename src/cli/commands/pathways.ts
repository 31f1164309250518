import { followUpScenario, parseFollowUpTarget } from '../../analysis/pathway-scenario.js';
import { otherProviders, pathwayByUnit, type PathwayDimension, type PathwayRow } from '../../analysis/pathways.js';
import { isWithheld, type Shown } from '../../analysis/rate-row.js';
import { loadPathways } from '../../catalog/pathway.js';
import { VaratlasError } from '../../errors.js';
import { cliWords } from '../../i18n/cli-words.js';
import { formatNumber, termWords } from '../../i18n/messages.js';
import { reasonInLanguage } from '../../i18n/reasons.js';
import { tw } from '../../i18n/table-words.js';
import { periodText } from '../../model/period.js';
import { defaultSuppression } from '../../stats/suppression.js';
import { formatTable } from '../format-table.js';
import { withReadStore, type StoreOptions } from '../with-store.js';

export interface PathwaysCommandOptions {
  pathway?: string;
  by: PathwayDimension;
  year?: number;
  target: string;
  format: 'table' | 'json';
  lang: 'nb' | 'en';
}

/**
 * `varatlas pathways`: the catalogue's pathways, or one pathway by area, region or provider with its
 * needs-based follow-up scenario (docs/patients.md#pathways).
 */
export async function pathwaysCommand(db: StoreOptions, o: PathwaysCommandOptions): Promise<void> {
  const pathways = await loadPathways();
  const w = cliWords(o.lang);
  if (!o.pathway) {
    console.log(formatTable(['id', tw('pathway', o.lang), tw('windowMonths', o.lang)], pathways.map((p) => [p.id, p.name[o.lang], p.windowMonths])));
    return;
  }
  const pathway = pathways.find((p) => p.id === o.pathway);
  if (!pathway) throw new VaratlasError('usage', `no pathway '${o.pathway}'; varatlas pathways lists them`);
  const target = parseFollowUpTarget(o.target, '--target');
  await withReadStore(db, async (store) => {
    const result = await pathwayByUnit(store, pathway, { by: o.by, suppression: defaultSuppression });
    if (!result.years) throw new VaratlasError('usage', `no whole year of the data has entries into ${pathway.id} with their look-back and follow-up inside the data`);
    if (o.year !== undefined && (o.year < result.years[0] || o.year > result.years[1])) {
      throw new VaratlasError('usage', `--year ${o.year}: the whole years of this pathway are ${periodText(result.years)}`);
    }
    const year = o.year ?? null;
    const scenario = followUpScenario(result, target, year);
    if (o.format === 'json') {
      console.log(JSON.stringify({ ...result, scenario }, null, 2));
      return;
    }
    const rows = result.rows.filter((r) => r.year === year);
    const n = (v: Shown<number>, digits = 0) => (isWithheld(v) ? '(s)' : formatNumber(v, o.lang, digits));
    const pct = (x: number) => `${formatNumber(100 * x, o.lang, 1)} %`;
    const range = (x: { value: number; lower: number; upper: number }, digits = 2) =>
      `${formatNumber(x.value, o.lang, digits)} (${formatNumber(x.lower, o.lang, digits)}–${formatNumber(x.upper, o.lang, digits)})`;
    const name = (r: PathwayRow) => (r.unit === null ? tw('national', o.lang) : r.unit === otherProviders ? w.otherProviders : r.unitName);
    console.log(w.pathwayHead(pathway.name[o.lang], o.by, year === null ? periodText(result.years) : String(year), pathway.windowMonths, pathway.lookBackMonths));
    console.log(pathway.source[o.lang] + '\n');
    const nation = rows.find((r) => r.unit === null);
    if (nation) {
      console.log(w.pathwayNation(n(nation.entrants), isWithheld(nation.operatedShare) ? '(s)' : pct(nation.operatedShare.value), n(nation.medianDaysToOperation), n(nation.controlsPerPatient, 2)) + '\n');
    }
    console.log(formatTable(
      [o.by === 'provider' ? tw('provider', o.lang) : tw(o.by, o.lang), tw('entrants', o.lang), tw('operatedShare', o.lang), tw('operatedRatio', o.lang), tw('medianDays', o.lang), tw('controlsPerPatient', o.lang), tw('controlsRatio', o.lang), tw('funnel', o.lang)],
      rows.map((r) => [
        name(r), n(r.entrants), isWithheld(r.operatedShare) ? '(s)' : pct(r.operatedShare.value), isWithheld(r.operatedRatio) ? '(s)' : range(r.operatedRatio),
        n(r.medianDaysToOperation), n(r.controlsPerPatient, 2), isWithheld(r.controlsRatio) ? '(s)' : range(r.controlsRatio),
        isWithheld(r.controlsRatio) || r.unit === null ? '' : w.funnel[r.controlsRatio.funnel]!,
      ]),
    ));
    const reasons = new Set(rows.flatMap((r) => [r.entrants, r.operated, r.controls].filter(isWithheld).map((x) => reasonInLanguage(x.withheld, o.lang))));
    if (reasons.size) console.log(`\n(s): ${[...reasons].join('; ')}`);
    console.log('');
    if ('withheld' in scenario) {
      console.log(reasonInLanguage(scenario.withheld, o.lang));
      return;
    }
    const targetWords = typeof target === 'number' ? formatNumber(target, o.lang, 2) : w.targets[target]!;
    console.log(w.scenarioHead(targetWords, formatNumber(scenario.targetRatio, o.lang, 2)));
    const roles = Object.keys(pathway.minutesPerControl);
    console.log(formatTable(
      [o.by === 'provider' ? tw('provider', o.lang) : tw(o.by, o.lang), tw('controls', o.lang), tw('atTarget', o.lang), tw('controlsAvoided', o.lang), ...roles.map((role) => `${tw('hoursFreed', o.lang)}: ${termWords(role, o.lang)}`)],
      scenario.rows.map((r) => [
        r.unit === otherProviders ? w.otherProviders : r.unitName, formatNumber(r.controls, o.lang), formatNumber(r.atTarget, o.lang, 0), range(r.avoided, 0),
        ...roles.map((role) => range(r.hours[role]!, 0)),
      ]),
    ));
    console.log('\n' + w.scenarioTotal(range(scenario.total.avoided, 0), roles.map((role) => `${termWords(role, o.lang)} ${range(scenario.total.hours[role]!, 0)}`).join(', ')));
  });
}
