import ExcelJS from 'exceljs';
import type { FollowUpScenario } from '../analysis/pathway-scenario.js';
import type { PathwayResult } from '../analysis/pathways.js';
import { isWithheld, type Shown } from '../analysis/rate-row.js';
import { termWords, type Lang } from '../i18n/messages.js';
import { reasonInLanguage } from '../i18n/reasons.js';
import { tw } from '../i18n/table-words.js';
import { periodText } from '../model/period.js';

/**
 * A pathway as the atlas shows it: per unit and the nation, every whole year and the period, the counts,
 * shares and standardised ratios with their limits (withheld ones with the reason, never 0); then the
 * needs-based follow-up scenario of the period.
 */
export function pathwayWorkbook(result: PathwayResult, scenario: FollowUpScenario | { withheld: string }, lang: Lang): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(tw('pathway', lang), { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([`${result.pathway.name[lang]}${result.years ? `, ${periodText(result.years)}` : ''}: ${result.pathway.source[lang]}`]);
  const unitHead = result.by === 'provider' ? tw('provider', lang) : tw(result.by, lang);
  sheet.addRow([unitHead, tw('year', lang), tw('entrants', lang), tw('operatedShare', lang), tw('lower', lang), tw('upper', lang), tw('operatedRatio', lang), tw('lower', lang), tw('upper', lang),
    tw('medianDays', lang), tw('controls', lang), tw('controlsPerPatient', lang), tw('controlsRatio', lang), tw('lower', lang), tw('upper', lang)]);
  sheet.getRow(2).font = { bold: true };
  const n = (v: Shown<number>) => (isWithheld(v) ? reasonInLanguage(v.withheld, lang) : v);
  const e = (v: Shown<{ value: number; lower: number; upper: number }>) => (isWithheld(v) ? [reasonInLanguage(v.withheld, lang), '', ''] : [v.value, v.lower, v.upper]);
  for (const r of result.rows) {
    sheet.addRow([r.unit === null ? tw('national', lang) : r.unitName, r.year ?? (result.years ? periodText(result.years) : ''), n(r.entrants), ...e(r.operatedShare), ...e(r.operatedRatio),
      n(r.medianDaysToOperation), n(r.controls), n(r.controlsPerPatient), ...e(r.controlsRatio)]);
  }
  for (const c of [4, 5, 6]) sheet.getColumn(c).numFmt = '0.0%';
  sheet.getColumn(1).width = 24;
  const s = book.addWorksheet(tw('controlsAvoided', lang));
  if ('withheld' in scenario) {
    s.addRow([reasonInLanguage(scenario.withheld, lang)]);
    return book;
  }
  const roles = Object.keys(result.pathway.minutesPerControl);
  s.addRow([unitHead, tw('controls', lang), tw('atTarget', lang), tw('controlsAvoided', lang), tw('lower', lang), tw('upper', lang), ...roles.map((role) => `${tw('hoursFreed', lang)}: ${termWords(role, lang)}`)]);
  s.getRow(1).font = { bold: true };
  for (const r of scenario.rows) s.addRow([r.unitName, r.controls, r.atTarget, r.avoided.value, r.avoided.lower, r.avoided.upper, ...roles.map((role) => r.hours[role]!.value)]);
  s.addRow(['Σ', '', '', scenario.total.avoided.value, scenario.total.avoided.lower, scenario.total.avoided.upper, ...roles.map((role) => scenario.total.hours[role]!.value)]);
  return book;
}
