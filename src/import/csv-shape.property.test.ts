import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CsvShapeScanner, type CsvShape } from './csv-shape.js';

const shapeOf = (scanner: { push(b: Uint8Array): void; finish(): CsvShape }, bytes: Buffer, cuts: number[]): CsvShape => {
  let from = 0;
  for (const cut of [...cuts.filter((c) => c < bytes.length)].sort((a, b) => a - b)) {
    scanner.push(bytes.subarray(from, cut));
    from = cut;
  }
  scanner.push(bytes.subarray(from));
  return scanner.finish();
};

describe('the CSV shape scanner', () => {
  it('jumping from one LF, CR or quote to the next gives the shape that looking at every byte gives, in chunks cut anywhere', () => {
    const piece = fc.constantFrom('a', 'bc', ',', ';', '"', '""', '\n', '\r\n', '\r', ' ', 'x1', '\n\n', '\ufeff', 'ø');
    fc.assert(
      fc.property(fc.boolean(), fc.constantFrom('id,name', 'id;name', '"id",name'), fc.array(piece, { maxLength: 80 }), fc.array(fc.nat({ max: 200 }), { maxLength: 6 }), (bom, header, pieces, cuts) => {
        const bytes = Buffer.from(`${bom ? '\ufeff' : ''}${header}\n${pieces.join('')}`, 'utf8');
        assert.deepEqual(shapeOf(new CsvShapeScanner(), bytes, cuts), shapeOf(new CsvShapeScanner({ jump: false }), bytes, cuts));
      }),
      { numRuns: 3000 },
    );
  });
});
