import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { RateRow, RateTable } from '../analysis/rates.js';
import { tempDir } from '../test-support/fixtures.js';
import { rateTablesXlsx } from '../export/rates-xlsx.js';
import { rateTableCsv, rateTableText } from './format-rates.js';

const est = (value: number) => ({ value, lower: value * 0.9, upper: value * 1.1 });
const row = (unit: string, events: RateRow['events'], national = false): RateRow => ({
  unit, unitName: unit === 'national' ? 'National' : `Area ${unit}`, national, year: null, events, patients: events, population: 10_000,
  crudeRate: typeof events === 'number' ? est(events / 0.1) : { withheld: 'between 1 and 4' },
  standardisedRate: typeof events === 'number' ? est(events / 0.1) : { withheld: 'between 1 and 4' },
  observedExpected: typeof events === 'number' ? { ...est(1), expected: events } : { withheld: 'between 1 and 4' },
  expected: 100,
  providers: { public: 0, private: 0, contract_specialist: 0 },
  privateShare: est(0.25), contractSpecialistShare: est(0.1),
});
const table: RateTable = {
  service: { id: 'gastroscopy', name: { nb: 'Gastroskopi', en: 'Gastroscopy' }, counts: 'episodes' },
  level: 'area', years: [2019, 2023], standard: 'national population 2023', multiplier: 100_000, confidence: 0.95, minEvents: 10,
  rows: [row('1', 120), row('2', { withheld: 'between 1 and 4' }), row('national', 123, true)],
};

describe('rate outputs', () => {
  it('terminal table marks withheld figures and never prints them as 0', () => {
    const text = rateTableText(table, null);
    const line = text.split('\n').find((l) => l.startsWith('Area 2'))!;
    assert.match(line, /1–4/);
    assert.doesNotMatch(line, /\s0(\s|$)/);
  });

  it('CSV leaves withheld cells empty and says why', () => {
    const lines = rateTableCsv([table]).trim().split('\n');
    const header = lines[0]!.split(',');
    const cells = lines[2]!.split(',');
    assert.equal(cells[header.indexOf('events')], '');
    assert.equal(cells[header.indexOf('crude_rate')], '');
    assert.equal(cells[header.indexOf('withheld')], 'between 1 and 4');
  });

  it('the workbook holds the same figures as the table, read back by ExcelJS', async () => {
    const path = join(await tempDir(), 'rates.xlsx');
    await rateTablesXlsx([table], path);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const sheet = book.getWorksheet('Rates')!;
    assert.equal(sheet.getRow(2).getCell(4).value, 120);
    assert.equal(sheet.getRow(2).getCell(8).value, 1200);
    assert.equal(sheet.getRow(3).getCell(4).value, 'between 1 and 4');
    assert.equal(sheet.getRow(4).getCell(2).value, 'National');
    assert.ok(book.getWorksheet('About'));
  });
});
