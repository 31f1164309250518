import ExcelJS from 'exceljs';
import { isWithheld, type Shown } from '../analysis/rate-row.js';
import type { LowValueReport } from '../analysis/low-value.js';
import { positionWords, variantWords, type Lang } from '../i18n/messages.js';
import { reasonInLanguage } from '../i18n/reasons.js';
import { tw } from '../i18n/table-words.js';
import { periodText } from '../model/period.js';
import { rateTablesWorkbook } from './rates-xlsx.js';

/**
 * A low-value measure as the atlas shows it: the share per area (withheld as published), then the
 * standardised rates of its low-value episodes (the rates workbook's sheets), and the measure's source.
 */
export function lowValueWorkbook(report: LowValueReport, lang: Lang): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(tw('shares', lang), { views: [{ state: 'frozen', ySplit: 2 }] });
  const m = report.measure;
  sheet.addRow([`${m.name[lang]} (${variantWords(m.variant, lang)}), ${periodText(report.years)}: ${m.reference[lang]}`]);
  sheet.addRow([tw('area', lang), tw('numerator', lang), tw('denominator', lang), tw('share', lang), tw('lower', lang), tw('upper', lang), tw('position', lang)]);
  sheet.getRow(2).font = { bold: true };
  const shown = (v: Shown<number>) => (isWithheld(v) ? reasonInLanguage(v.withheld, lang) : v);
  for (const r of report.shares) {
    const position = report.variation.areas.find((a) => a.unit === r.unit)?.label.position;
    const share = r.share;
    sheet.addRow([
      r.national ? tw('national', lang) : r.unitName, shown(r.numerator), shown(r.denominator),
      isWithheld(share) ? reasonInLanguage(share.withheld, lang) : share.value, isWithheld(share) ? '' : share.lower, isWithheld(share) ? '' : share.upper,
      position ? positionWords(position, lang) : '',
    ]);
  }
  for (const c of [4, 5, 6]) sheet.getColumn(c).numFmt = '0.0%';
  sheet.getColumn(1).width = 24;
  return rateTablesWorkbook([report.rates], lang, book);
}
