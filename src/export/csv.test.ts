import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rateTableCsv } from '../cli/format-rates.js';
import { csvCell, csvText } from './csv.js';

describe('the one CSV writer', () => {
  it('neutralises text a spreadsheet would run as a formula (OWASP), and leaves numbers alone', () => {
    for (const evil of ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      const cell = csvCell(evil);
      assert.ok(!/^"?[=+\-@\t\r]/.test(cell), `${JSON.stringify(evil)} → ${JSON.stringify(cell)}`);
    }
    assert.equal(csvCell(-3.5), '-3.5');
    assert.equal(csvCell('-'), "'-");
  });

  it('quotes what must be quoted: quotes doubled, delimiters, CR and LF inside, padding kept', () => {
    assert.equal(csvCell('Sør-Trøndelag, "nord"'), '"Sør-Trøndelag, ""nord"""');
    assert.equal(csvCell('a\rb'), '"a\rb"');
    assert.equal(csvCell('a\nb'), '"a\nb"');
    assert.equal(csvCell('x;y'), '"x;y"');
    assert.equal(csvCell(' padded'), '" padded"');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(Number.NaN), '');
    assert.equal(csvText(['a', 'b'], [[1, 'x']]), 'a,b\n1,x\n');
  });

  it('is what the rates CSV uses: an area named like a formula comes out inert', () => {
    const none = { withheld: 'no events' };
    const row = {
      unit: '1', unitName: '=cmd|" /C calc"!A0', national: false, year: 2023, events: 5, patients: 5, population: 100,
      crudeRate: none, standardisedRate: none, observedExpected: none, expected: 1, providers: { public: 5, private: 0, contract_specialist: 0 },
      privateShare: none, contractSpecialistShare: none,
    } as never;
    const table = { service: { id: 's' }, level: 'area', rows: [row] } as never;
    const text = rateTableCsv([table]).split('\n')[1]!;
    assert.match(text, /,"'=cmd\|"" \/C calc""!A0",/);
  });
});
