import ExcelJS from 'exceljs';
import type { ConcentrationResult } from '../analysis/concentration.js';
import { isWithheld, type Shown } from '../analysis/rate-row.js';
import type { Lang } from '../i18n/messages.js';
import { reasonInLanguage } from '../i18n/reasons.js';
import { tw, useMeasureWord } from '../i18n/table-words.js';
import { periodText } from '../model/period.js';

/**
 * Concentration of use as the atlas shows it: per unit (and the nation), year and period, the patients,
 * their use, the shares of the top 1–20 % with intervals and the Gini coefficient; withheld figures
 * carry their reason, never 0. A second sheet holds the Lorenz curves.
 */
export function concentrationWorkbook(result: ConcentrationResult, lang: Lang): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(tw('shares', lang), { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([`${tw(useMeasureWord[result.measure], lang)}, ${periodText(result.years)} (docs/patients.md)`]);
  const tops = [1, 5, 10, 20].flatMap((p) => [`${tw('topShare', lang)} ${p} %`, tw('lower', lang), tw('upper', lang)]);
  sheet.addRow([tw(result.level, lang), tw('year', lang), tw('patients', lang), tw(useMeasureWord[result.measure], lang), ...tops, tw('gini', lang), tw('lower', lang), tw('upper', lang)]);
  sheet.getRow(2).font = { bold: true };
  const shown = (v: Shown<number>) => (isWithheld(v) ? reasonInLanguage(v.withheld, lang) : v);
  for (const r of result.rows) {
    const withheld = isWithheld(r.tops) ? reasonInLanguage(r.tops.withheld, lang) : '';
    sheet.addRow([
      r.unit === null ? tw('national', lang) : r.unitName, r.year ?? periodText(result.years), shown(r.patients), shown(r.total),
      ...(isWithheld(r.tops) ? [withheld, '', '', '', '', '', '', '', '', '', '', ''] : r.tops.flatMap((t) => [t.share, t.lower, t.upper])),
      ...(isWithheld(r.gini) ? [withheld, '', ''] : [r.gini.value, r.gini.lower, r.gini.upper]),
    ]);
  }
  for (let c = 5; c <= 16; c++) sheet.getColumn(c).numFmt = '0.0%';
  for (const c of [17, 18, 19]) sheet.getColumn(c).numFmt = '0.000';
  sheet.getColumn(1).width = 24;
  const curves = book.addWorksheet('Lorenz');
  const shownCurves = result.rows.filter((r) => !isWithheld(r.lorenz));
  curves.addRow(['%', ...shownCurves.map((r) => `${r.unit === null ? tw('national', lang) : r.unitName} ${r.year ?? periodText(result.years)}`)]);
  curves.getRow(1).font = { bold: true };
  for (let p = 0; p <= 100; p++) curves.addRow([p / 100, ...shownCurves.map((r) => (isWithheld(r.lorenz) ? '' : r.lorenz[p]!.use))]);
  curves.getColumn(1).numFmt = '0%';
  return book;
}
