import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as XLSX from 'xlsx';
import { defaultLabelOptions } from '../analysis/labels.js';
import { needsReport } from '../analysis/needs-report.js';
import { defaultRateOptions, isWithheld } from '../analysis/rates.js';
import { tempDir } from '../test-support/fixtures.js';
import { herniaStore } from '../test-support/hernias.js';
import { reasonInLanguage } from '../i18n/reasons.js';
import { needsWorkbook } from './needs-xlsx.js';

describe('needs workbook', () => {
  it('holds the same figures as the JSON report, read back by an independent reader (SheetJS)', async () => {
    const store = await herniaStore();
    const report = await needsReport(
      store,
      { serviceIds: ['groin_hernia'], labels: defaultLabelOptions, needs: { target: { kind: 'national', factor: 1 }, includeContractSpecialists: false } },
      defaultRateOptions,
    );
    const path = join(await tempDir(), 'needs.xlsx');
    await needsWorkbook(report, path, 'en');

    const book = XLSX.read(await readFile(path));
    assert.deepEqual(book.SheetNames, ['Table 4', 'Table 5', 'Figures', 'Regions']);
    const table = (name: string) => XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[name]!, { header: 1 });
    const { variation, needs } = report.services[0]!;
    const areaNames = needs.areas.map((a) => a.unitName);

    const t4 = table('Table 4');
    assert.deepEqual(t4[0]!.slice(1), areaNames);
    for (const [i, a] of needs.areas.entries()) {
      const v = variation.areas.find((x) => x.unit === a.unit);
      const expected = v ? v.label.text.en : variation.leftOut.find((x) => x.unit === a.unit)!.reason;
      assert.equal(t4[1]![i + 1], expected, `label of ${a.unitName}`);
    }

    const t5 = table('Table 5');
    for (const [i, a] of needs.areas.entries()) {
      const cell = t5[1]![i + 1];
      if (isWithheld(a.change)) assert.equal(cell, a.change.withheld);
      else assert.equal(cell, Math.round(a.change), `change of ${a.unitName}`);
    }

    const figures = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets['Figures']!);
    assert.equal(figures.length, needs.areas.length);
    for (const [i, a] of needs.areas.entries()) {
      assert.equal(figures[i]!['Expected at target'], Number(a.expected.toFixed(1)));
      assert.equal(figures[i]!['Observed'], isWithheld(a.observed) ? a.observed.withheld : a.observed);
    }

    // In Norwegian: the sheets, every column head and every withheld reason in Norwegian, the figures the same.
    const nbPath = join(await tempDir(), 'needs-nb.xlsx');
    await needsWorkbook(report, nbPath, 'nb');
    const nb = XLSX.read(await readFile(nbPath));
    assert.deepEqual(nb.SheetNames, ['Tabell 4', 'Tabell 5', 'Tall', 'Regioner']);
    const nbFigures = XLSX.utils.sheet_to_json<Record<string, unknown>>(nb.Sheets['Tall']!);
    const heads = Object.keys(nbFigures[0]!);
    assert.ok(heads.includes('Forventet ved målet') && heads.includes('Observert') && !heads.includes('Observed'), heads.join(', '));
    const withheld = needs.areas.filter((a) => isWithheld(a.observed));
    assert.ok(withheld.length > 0, 'the hernia store has withheld areas');
    for (const [i, a] of needs.areas.entries()) {
      assert.equal(nbFigures[i]!['Forventet ved målet'], Number(a.expected.toFixed(1)));
      assert.equal(nbFigures[i]!['Observert'], isWithheld(a.observed) ? reasonInLanguage(a.observed.withheld, 'nb') : a.observed);
      if (isWithheld(a.observed)) assert.notEqual(nbFigures[i]!['Observert'], a.observed.withheld);
    }
  });
});
