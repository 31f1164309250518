import { likelyDelimiter } from './header.js';

/**
 * The shape of a CSV file as its bytes say, read in the same streaming pass as its hash: how many
 * records it holds (quotes honoured), how its lines end, and the first place where a reader would lose
 * count of its lines. The import compares the records read with these, so that every line is
 * accounted for (docs/data-contract.md, "Every line is accounted for").
 *
 * The rules are the reader's (DuckDB's `read_csv` with quote and escape `"`): a quote opens a quoted
 * field only at the start of a field; inside one, `""` is a quote and a line break is data; a record
 * ends at LF or CRLF outside quotes; an empty line is no record. The delimiter is the header's
 * (comma or semicolon, as src/import/header.ts decides).
 */
export interface CsvShape {
  /** Records after the header; empty lines are not records. */
  records: number;
  /** Record ends outside quotes, by kind. */
  lf: number;
  crlf: number;
  /** The first line with a carriage return alone (outside quotes), if any. */
  loneCrLine?: number;
  /** The line where a quoted field opens that the file never closes, if any. */
  unterminatedQuoteLine?: number;
  /** The longest record in bytes and the line it starts on. */
  longestRecord: { bytes: number; line: number };
  /**
   * Where the records stop starting on the line of their number (the header is record 1): from
   * `record` on, record k starts on line k + `drift`, until the next step. A quoted line break or an
   * empty line adds a step; a file without either has none.
   */
  lineSteps: LineStep[];
  /**
   * Empty lines, as the reader numbers its lines (every line end outside quotes, empty lines included,
   * line breaks inside quotes not): from reader line `line` on, `empty` empty lines came before.
   */
  emptySteps: EmptyStep[];
}

export interface LineStep {
  record: number;
  drift: number;
}

export interface EmptyStep {
  line: number;
  empty: number;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;

const enum State {
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: it closes the field, unless the next byte is another quote. */
  QuoteInQuoted,
}

/**
 * Fed the file's chunks in order. Outside quotes only three bytes change anything (LF, CR, "): the
 * scanner jumps from one to the next with Buffer.indexOf (native, a quarter of a second per GB of
 * ordinary CSV), and looks at every byte only inside a quoted field. `{ jump: false }` looks at every
 * byte everywhere: the reference the property test holds the jumps to.
 */
export class CsvShapeScanner {
  constructor(private readonly options: { jump?: boolean } = {}) {}

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
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = bytes.length;
    // The next LF, CR and quote at or after where the scan is (n: none left in this chunk).
    let nextLf = -1;
    let nextCr = -1;
    let nextQuote = -1;
    const next = (byte: number, from: number) => {
      const at = buffer.indexOf(byte, from);
      return at < 0 ? n : at;
    };
    const jump = this.options.jump ?? true;
    for (let i = 0; i < n; i++) {
      if (jump && state === State.Unquoted && !pendingCr) {
        if (nextLf < i) nextLf = next(LF, i);
        if (nextCr < i) nextCr = next(CR, i);
        if (nextQuote < i) nextQuote = next(QUOTE, i);
        i = Math.min(nextLf, nextCr, nextQuote);
        if (i >= n) break;
      }
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
