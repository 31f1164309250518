import { periodText } from '../model/period.js';
import { standardWords } from '../i18n/messages.js';
import ExcelJS from 'exceljs';
import { isWithheld, type Estimate, type RateTable, type Shown } from '../analysis/rates.js';
import type { Lang } from '../i18n/messages.js';
import { reasonInLanguage } from '../i18n/reasons.js';
import { countedWord, tw } from '../i18n/table-words.js';

/**
 * Rates as an Excel workbook: one sheet with every service, unit and year (the pooled period as
 * "2019–2023"), withheld figures as their reason in words (never 0), and a sheet that says how the
 * figures were made.
 */
export async function rateTablesXlsx(tables: RateTable[], path: string, lang: Lang = 'en'): Promise<void> {
  await rateTablesWorkbook(tables, lang).xlsx.writeFile(path);
}

/** The rates' sheets, added to `book` (a new workbook unless given). */
export function rateTablesWorkbook(tables: RateTable[], lang: Lang = 'en', book = new ExcelJS.Workbook()): ExcelJS.Workbook {
  book.creator = 'varatlas';
  const sheet = book.addWorksheet(tw('rates', lang), { views: [{ state: 'frozen', ySplit: 1 }] });
  const column = (header: Parameters<typeof tw>[0], key: string, width: number) => ({ header: tw(header, lang), key, width });
  // What the tables count (the CLI and the API give every table the same): events, stays or bed days.
  const counts = tables[0]?.service.counts;
  const counted = countedWord(counts === 'patients' || counts === undefined ? 'episodes' : counts);
  sheet.columns = [
    column('service', 'service', 28), column('unit', 'unit', 20), column('year', 'year', 11), column(counted, 'events', 10),
    column('patients', 'patients', 10), column('population', 'population', 12), column('crudeRate', 'crude', 11),
    column('standardisedRate', 'dsr', 12), column('lower', 'dsrLower', 10), column('upper', 'dsrUpper', 10),
    column('observedExpected', 'oe', 11), column('privateShare', 'private', 10), column('contractShare', 'cs', 12),
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).alignment = { wrapText: true, vertical: 'top' };
  const value = (v: Shown<number>) => (isWithheld(v) ? reasonInLanguage(v.withheld, lang) : v);
  const est = (v: Shown<Estimate>, part: keyof Estimate = 'value') => (isWithheld(v) ? reasonInLanguage(v.withheld, lang) : v[part]);
  for (const t of tables) {
    for (const r of t.rows) {
      const row = sheet.addRow({
        service: t.service.name[lang],
        unit: r.national ? tw('national', lang) : r.unitName,
        year: r.year ?? periodText(t.years),
        events: value(r.events),
        patients: value(r.patients),
        population: r.population,
        crude: est(r.crudeRate),
        dsr: est(r.standardisedRate),
        dsrLower: est(r.standardisedRate, 'lower'),
        dsrUpper: est(r.standardisedRate, 'upper'),
        oe: est(r.observedExpected),
        private: est(r.privateShare),
        cs: est(r.contractSpecialistShare),
      });
      if (r.national) row.font = { bold: true };
    }
  }
  for (const key of ['crude', 'dsr', 'dsrLower', 'dsrUpper']) sheet.getColumn(key).numFmt = '0.0';
  sheet.getColumn('oe').numFmt = '0.00';
  for (const key of ['private', 'cs']) sheet.getColumn(key).numFmt = '0.0%';
  for (const key of ['events', 'patients', 'population']) sheet.getColumn(key).numFmt = '#,##0';

  const first = tables[0];
  const about = book.addWorksheet(tw('about', lang));
  about.getColumn(1).width = 110;
  const per = first?.multiplier.toLocaleString(lang === 'nb' ? 'nb-NO' : 'en-GB');
  const lines = !first
    ? [lang === 'nb' ? 'Ingen tjenester.' : 'No services.']
    : lang === 'nb'
      ? [
          'varatlas: forbruksrater etter bosted',
          `Rater per ${per} innbyggere; ${first.confidence * 100} %-intervaller; ${standardWords(first.standard, 'nb')}.`,
          'Standardisert rate: direkte standardisering etter kjønn og 5-årige aldersgrupper, Dobson-intervaller (Byar). Observert/forventet: indirekte standardisering mot landets rater per stratum.',
          `Rater på færre enn ${first.minEvents} hendelser skjules; antall fra 1 til 4 vises aldri; skjulte celler sier hvorfor og er aldri 0.`,
        ]
      : [
          'varatlas use rates by area of residence',
          `Rates per ${per} inhabitants; ${first.confidence * 100} % intervals; ${standardWords(first.standard, 'en')}.`,
          'Standardised rate: direct standardisation by sex and 5-year age groups, Dobson intervals (Byar). Observed/expected: indirect standardisation against national stratum rates.',
          `Rates on fewer than ${first.minEvents} events are withheld; counts from 1 to 4 are never shown; withheld cells state the reason and are never 0.`,
        ];
  for (const line of lines) about.addRow([line]);
  return book;
}
