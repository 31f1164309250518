import { periodText } from '../model/period.js';
import ExcelJS from 'exceljs';
import { isWithheld, type Estimate, type RateTable, type Shown } from '../analysis/rates.js';

/**
 * Rates as an Excel workbook: one sheet with every service, unit and year (the pooled period as
 * "2019–2023"), withheld figures as their reason in words (never 0), and a sheet that says how the
 * figures were made.
 */
export async function rateTablesXlsx(tables: RateTable[], path: string): Promise<void> {
  await rateTablesWorkbook(tables).xlsx.writeFile(path);
}

export function rateTablesWorkbook(tables: RateTable[]): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = 'varatlas';
  const sheet = book.addWorksheet('Rates', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: 'Service', key: 'service', width: 28 },
    { header: 'Unit', key: 'unit', width: 20 },
    { header: 'Year', key: 'year', width: 11 },
    { header: 'Events', key: 'events', width: 10 },
    { header: 'Patients', key: 'patients', width: 10 },
    { header: 'Population', key: 'population', width: 12 },
    { header: 'Crude rate', key: 'crude', width: 11 },
    { header: 'Standardised rate', key: 'dsr', width: 12 },
    { header: 'Lower', key: 'dsrLower', width: 10 },
    { header: 'Upper', key: 'dsrUpper', width: 10 },
    { header: 'Observed/expected', key: 'oe', width: 11 },
    { header: 'Private share', key: 'private', width: 10 },
    { header: 'Contract specialist share', key: 'cs', width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).alignment = { wrapText: true, vertical: 'top' };
  const value = (v: Shown<number>) => (isWithheld(v) ? v.withheld : v);
  const est = (v: Shown<Estimate>, part: keyof Estimate = 'value') => (isWithheld(v) ? v.withheld : v[part]);
  for (const t of tables) {
    for (const r of t.rows) {
      const row = sheet.addRow({
        service: t.service.name.en,
        unit: r.unitName,
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
  const about = book.addWorksheet('About');
  about.getColumn(1).width = 110;
  const lines = first
    ? [
        'varatlas use rates by area of residence',
        `Rates per ${first.multiplier.toLocaleString('en')} inhabitants; ${first.confidence * 100} % intervals; standardised to the ${first.standard}.`,
        'Standardised rate: direct standardisation by sex and 5-year age groups, Dobson intervals (Byar). Observed/expected: indirect standardisation against national stratum rates.',
        `Rates on fewer than ${first.minEvents} events are withheld; counts from 1 to 4 are never shown; withheld cells state the reason and are never 0.`,
      ]
    : ['No services.'];
  for (const line of lines) about.addRow([line]);
  return book;
}
