import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { likelyDelimiter } from './header.js';
import { CsvShapeScanner, type CsvShape } from './csv-shape.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;

const enum State {
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/** The scanner as it was before it jumped between special bytes: every byte looked at. The reference. */
class ByteByByteScanner {
  private state = State.Unquoted;
  /** The previous byte was a CR outside quotes (it may end a record as CRLF). */
  private pendingCr = false;
  /** Bytes seen before the current chunk, and the last of them. */
  private offset = 0;
  private lastByte = -1;
  /** Where the current record starts (after a byte order mark, for the first). */
  private recordStart = 0;
  private recordLine = 1;
  private line = 1;
  private seenRecords = 0;
  private quoteLine = 0;
  private delimiter = -1;
  /** The first record's bytes, to find the delimiter. */
  private header: Buffer[] = [];
  private readonly shape: CsvShape = { records: 0, lf: 0, crlf: 0, longestRecord: { bytes: 0, line: 0 }, lineSteps: [], emptySteps: [] };
  private drift = 0;
  private readerLine = 0;
  private empty = 0;

  push(bytes: Uint8Array): void {
    if (this.offset === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) this.recordStart = 3;
    if (this.seenRecords === 0 && this.offset < 1 << 20) this.header.push(Buffer.from(bytes.subarray(0, (1 << 20) - this.offset)));
    let state = this.state;
    let pendingCr = this.pendingCr;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b > QUOTE && !pendingCr) continue;
      if (pendingCr) {
        pendingCr = false;
        if (b === LF) {
          this.shape.crlf++;
          this.line++;
          this.endRecord(this.offset + i - 1, this.offset + i + 1);
          continue;
        }
        this.shape.loneCrLine ??= this.line;
      }
      if (b > QUOTE) continue;
      if (state === State.Quoted) {
        if (b === QUOTE) state = State.QuoteInQuoted;
        else if (b === LF) this.line++;
        continue;
      }
      if (state === State.QuoteInQuoted) {
        if (b === QUOTE) {
          state = State.Quoted;
          continue;
        }
        state = State.Unquoted;
      }
      if (b === LF) {
        this.shape.lf++;
        this.line++;
        this.endRecord(this.offset + i, this.offset + i + 1);
      } else if (b === CR) {
        pendingCr = true;
      } else if (b === QUOTE) {
        // A quote opens a quoted field only at the start of a field; elsewhere it is a character.
        const at = this.offset + i;
        const previous = i > 0 ? bytes[i - 1]! : this.lastByte;
        if (at === this.recordStart || previous === this.delimiter || (this.delimiter < 0 && (previous === COMMA || previous === SEMICOLON))) {
          state = State.Quoted;
          this.quoteLine = this.line;
        }
      }
    }
    this.state = state;
    this.pendingCr = pendingCr;
    this.offset += bytes.length;
    if (bytes.length > 0) this.lastByte = bytes[bytes.length - 1]!;
  }

  finish(): CsvShape {
    if (this.pendingCr) this.shape.loneCrLine ??= this.line;
    if (this.state === State.Quoted) this.shape.unterminatedQuoteLine = this.quoteLine;
    else this.endRecord(this.offset, this.offset);
    this.shape.records = Math.max(0, this.seenRecords - 1);
    return this.shape;
  }

  /** A record ends at `end` (its terminator) and the next starts at `next`; an empty line is no record. */
  private endRecord(end: number, next: number): void {
    const bytes = end - this.recordStart;
    this.readerLine++;
    if (bytes > 0) {
      if (this.seenRecords === 0) this.delimiter = likelyDelimiter(Buffer.concat(this.header).subarray(this.recordStart, end).toString('latin1')).charCodeAt(0);
      this.seenRecords++;
      if (this.recordLine - this.seenRecords !== this.drift) {
        this.drift = this.recordLine - this.seenRecords;
        this.shape.lineSteps.push({ record: this.seenRecords, drift: this.drift });
      }
      if (this.readerLine - this.seenRecords !== this.empty) {
        this.empty = this.readerLine - this.seenRecords;
        this.shape.emptySteps.push({ line: this.readerLine, empty: this.empty });
      }
      if (bytes > this.shape.longestRecord.bytes) this.shape.longestRecord = { bytes, line: this.recordLine };
    }
    this.recordStart = next;
    this.recordLine = this.line;
  }
}

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
        assert.deepEqual(shapeOf(new CsvShapeScanner(), bytes, cuts), shapeOf(new ByteByByteScanner(), bytes, cuts));
      }),
      { numRuns: 3000 },
    );
  });
});
