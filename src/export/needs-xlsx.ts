import ExcelJS from 'exceljs';
import type { NeedsReport } from '../analysis/needs-report.js';
import { isWithheld, type Shown } from '../analysis/rates.js';
import { reasonInLanguage } from '../i18n/reasons.js';
import { cliWords } from '../i18n/cli-words.js';
import { tw } from '../i18n/table-words.js';

type Language = 'nb' | 'en';

const words = {
  nb: { table4: 'Tabell 4', table5: 'Tabell 5', figures: 'Tall', regions: 'Regioner', service: 'Tjeneste', change: 'Prosedyrer å legge til (+) eller kutte (−) for å nå målet' },
  en: { table4: 'Table 4', table5: 'Table 5', figures: 'Figures', regions: 'Regions', service: 'Service', change: 'Procedures to add (+) or cut (−) to reach the target' },
};



/**
 * One workbook like tables 4 and 5 of source document 004: services × areas labels (the rule behind
 * each label as a cell note), services × areas ± procedures, all underlying figures, and region sums
 * against the contract volumes. Landscape, fitted to the page width, for printing.
 */
export async function needsWorkbook(report: NeedsReport, path: string, language: Language): Promise<void> {
  await needsBook(report, language).xlsx.writeFile(path);
}

/** The workbook of needsWorkbook, in memory (the API sends it). */
export function needsBook(report: NeedsReport, language: Language): ExcelJS.Workbook {
  const w = words[language];
  const say = cliWords(language);
  const shown = (v: Shown<number>, digits = 0): number | string => (isWithheld(v) ? reasonInLanguage(v.withheld, language) : Number(v.toFixed(digits)));
  const book = new ExcelJS.Workbook();
  book.creator = 'varatlas';
  const areas = [...new Map(report.services.flatMap((s) => s.needs.areas.map((a) => [a.unit, a.unitName] as const))).entries()];
  const print = (sheet: ExcelJS.Worksheet) => {
    // A3 landscape, fitted to the page width: 21 areas stay readable; one region fits on A4.
    sheet.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: (areas.length > 8 ? 8 : 9) as ExcelJS.PaperSize };
    sheet.pageSetup.printTitlesRow = '1:1';
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).alignment = { wrapText: true, vertical: 'top' };
    sheet.views = [{ state: 'frozen', xSplit: 1, ySplit: 1 }];
  };

  const t4 = book.addWorksheet(w.table4);
  t4.addRow([w.service, ...areas.map(([, name]) => name)]);
  for (const { variation } of report.services) {
    const row = t4.addRow([variation.service.name[language]]);
    row.height = 30; // two lines of a wrapped label; spreadsheet programs do not grow rows on their own when printing
    row.getCell(1).alignment = { vertical: 'top', wrapText: true };
    areas.forEach(([unit], i) => {
      const cell = row.getCell(i + 2);
      const area = variation.areas.find((a) => a.unit === unit);
      const left = variation.leftOut.find((a) => a.unit === unit);
      cell.value = area ? area.label.text[language] : left ? reasonInLanguage(left.reason, language) : '';
      if (area) cell.note = area.label.rule[language];
      cell.alignment = { wrapText: true, vertical: 'top' };
    });
  }
  t4.getColumn(1).width = 34;
  for (let i = 2; i <= areas.length + 1; i++) t4.getColumn(i).width = 18;
  print(t4);

  const t5 = book.addWorksheet(w.table5);
  t5.addRow([`${w.service} — ${w.change} (${report.year})`, ...areas.map(([, name]) => name)]);
  for (const { needs } of report.services) {
    const row = t5.addRow([needs.service.name[language]]);
    areas.forEach(([unit], i) => {
      const area = needs.areas.find((a) => a.unit === unit);
      row.getCell(i + 2).value = area ? shown(area.change) : '';
    });
  }
  t5.getColumn(1).width = 40;
  print(t5);

  const figures = book.addWorksheet(w.figures);
  figures.addRow(
    (['service', 'area', 'region', 'year', 'observed', 'own', 'private', 'contractSpecialist', 'expected', 'gap', 'change', 'purchaseNeed', 'target',
      'standardisedRate', 'lower', 'upper', 'nationalRate', 'versusNational', 'funnel', 'labelNb', 'labelEn', 'rule'] as const).map((k) => tw(k, language)),
  );
  for (const { variation, needs } of report.services) {
    for (const a of needs.areas) {
      const v = variation.areas.find((x) => x.unit === a.unit);
      figures.addRow([
        needs.service.id, a.unitName, a.regionName, report.year, shown(a.observed), shown(a.own), shown(a.private), shown(a.contractSpecialist),
        Number(a.expected.toFixed(1)), shown(a.gap, 1), shown(a.change, 1), shown(a.purchaseNeed, 1), needs.target,
        v ? Number(v.standardisedRate.value.toFixed(1)) : '', v ? Number(v.standardisedRate.lower.toFixed(1)) : '',
        v ? Number(v.standardisedRate.upper.toFixed(1)) : '', Number(variation.nationalRate.toFixed(1)), v ? say.versus[v.versusNational] ?? v.versusNational : '',
        v ? say.funnel[v.funnel.position] ?? v.funnel.position : '', v?.label.text.nb ?? '', v?.label.text.en ?? '', v?.label.rule[language] ?? reasonInLanguage(variation.leftOut.find((x) => x.unit === a.unit)?.reason ?? '', language),
      ]);
    }
  }
  print(figures);

  const regions = book.addWorksheet(w.regions);
  regions.addRow((['service', 'region', 'privateObserved', 'purchaseNeed', 'areasWithheld', 'contractVolume'] as const).map((k) => tw(k, language)));
  for (const { needs } of report.services) {
    for (const r of needs.regions) {
      regions.addRow([needs.service.id, r.regionName, r.private, Number(r.purchaseNeed.toFixed(1)), r.withheldAreas, r.contractVolume ?? '']);
    }
  }
  print(regions);
  return book;
}
