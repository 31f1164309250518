import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { VaratlasError } from '../errors.js';
import { CsvShapeScanner, type CsvShape } from './csv-shape.js';
import { compressionOf, decompressor, type Compression } from './decompress.js';

export type Encoding = 'utf-8' | 'windows-1252';

export interface FileFacts {
  size: number;
  /** SHA-256 of the bytes: the same file imported twice is recognised by content. */
  hash: string;
  format: 'csv' | 'parquet' | 'json';
  /** Text files: UTF-8 if every byte sequence is valid UTF-8, otherwise Windows-1252. */
  encoding: Encoding;
  /** Text files: the bytes of the first line (or its first MiB). */
  firstLineBytes: Buffer;
  /** CSV files: records, line endings and where a reader would lose count of the lines. */
  shape?: CsvShape;
  /** A compressed CSV file (.csv.gz, .csv.zst): the facts above are of its unpacked text, the hash of its bytes. */
  compression?: Compression;
  /** A compressed CSV file inspected with `unpackTo`: the path of its unpacked copy, written in the same pass. */
  unpacked?: string;
}

/** Files that are not the data contract's, told by their first bytes: what to do instead. */
const foreign: { magic: number[]; what: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (or an Excel workbook): unpack it, or save the sheet as CSV, and import the CSV' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel (.xls) workbook: save the sheet as CSV and import the CSV' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document, not a data file' },
];

const firstLineLimit = 1 << 20;

/**
 * One streaming pass over a file: its hash, whether it is valid UTF-8, its first line. Memory stays
 * bounded by the stream's chunk size whatever the file's size. With `unpackTo`, a compressed file's
 * unpacked text is also written there in the same pass, so that the store reads plain CSV in parallel
 * (DuckDB unpacks a compressed file on one thread) and nothing is unpacked twice.
 */
export async function inspectFile(
  path: string,
  onBytes?: (done: number, total: number) => void,
  signal?: AbortSignal,
  unpackTo?: string,
): Promise<FileFacts> {
  let size: number;
  try {
    const facts = await stat(path);
    if (facts.isDirectory()) throw new VaratlasError('input', `${path} is a directory; give the path of a file in it`);
    size = facts.size;
  } catch (error) {
    if (error instanceof VaratlasError) throw error;
    throw new VaratlasError('input', `cannot read ${path}: no such file`);
  }
  if (size === 0) throw new VaratlasError('input', `${path} is empty: there is no header and no rows`);

  const hash = createHash('sha256');
  let utf8 = true;
  let carry = Buffer.alloc(0);
  let head = Buffer.alloc(0);
  let done = 0;
  let format: FileFacts['format'] = 'csv';
  let scanner: CsvShapeScanner | undefined;
  const handle = await open(path);
  const magic = Buffer.alloc(4);
  await handle.read(magic, 0, 4, 0).finally(() => handle.close());
  const compression = compressionOf(magic);
  // The file's own bytes are hashed and counted; a compressed file's unpacked text is what is inspected.
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      hash.update(chunk);
      done += chunk.length;
      onBytes?.(done, size);
      next(null, chunk);
    },
  });
  // The first error of the inspection itself: the pipeline may report the streams' abort instead.
  let refused: unknown;
  const inspect = async (text: AsyncIterable<Buffer>) => {
    try {
      let first = true;
      for await (const bytes of text) {
        if (signal?.aborted) throw new VaratlasError('interrupted', `reading ${path} was interrupted; the store is unchanged`);
        if (first) {
          first = false;
          const kind = foreign.find((f) => f.magic.every((b, i) => bytes[i] === b));
          if (kind) throw new VaratlasError('input', `${path} is ${kind.what}; the store is unchanged`);
          format = formatOf(bytes);
          if (compression && format !== 'csv') {
            throw new VaratlasError('input', `${path} is ${compression}-compressed ${format}; only CSV is read compressed: unpack it first. The store is unchanged`);
          }
          if (format === 'csv') scanner = new CsvShapeScanner();
        }
        scanner?.push(bytes);
        if (head.length < firstLineLimit) head = Buffer.concat([head, bytes.subarray(0, firstLineLimit - head.length)]);
        if (utf8) {
          const joined = carry.length ? Buffer.concat([carry, bytes]) : bytes;
          const cut = completeUtf8Length(joined);
          utf8 = isUtf8(joined.subarray(0, cut));
          carry = Buffer.from(joined.subarray(cut));
        }
      }
    } catch (error) {
      // Our own refusals; a stream's error (a broken compressed file) reaches the loop too, and is told below.
      if (error instanceof VaratlasError) refused = error;
      throw error;
    }
  };
  try {
    if (compression && unpackTo) await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), counted, decompressor(compression), copyTo(unpackTo), inspect);
    else if (compression) await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), counted, decompressor(compression), inspect);
    else await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), counted, inspect);
  } catch (error) {
    if (refused) throw refused;
    if (error instanceof VaratlasError || !compression) throw error;
    const why = String((error as Error).message ?? error).split('\n')[0];
    throw new VaratlasError('input', `${path} is not a complete ${compression} file (${why}); the store is unchanged`, { cause: error });
  }
  if (head.length === 0) throw new VaratlasError('input', `${path} unpacks to nothing: there is no header and no rows`);
  if (carry.length) utf8 = false;

  // Set inside the reading loop, which TypeScript does not follow.
  const found = format as FileFacts['format'];
  if (found === 'parquet') return { size, hash: hash.digest('hex'), format: found, encoding: 'utf-8', firstLineBytes: Buffer.alloc(0) };
  const encoding: Encoding = utf8 ? 'utf-8' : 'windows-1252';
  const end = head.indexOf(0x0a);
  const firstLineBytes = end < 0 ? head : head.subarray(0, end);
  const unpacked = compression && unpackTo ? unpackTo : undefined;
  const shape = (scanner as CsvShapeScanner | undefined)?.finish();
  return { size, hash: hash.digest('hex'), format: found, encoding, firstLineBytes, shape, compression, unpacked };
}

/** A stream that passes its chunks on and writes them to a file too, waiting for the file when it lags. */
function copyTo(path: string): Transform {
  const file = createWriteStream(path);
  let failed: Error | undefined;
  // Waiting for the file to drain: an error must end the wait too.
  let waiting: ((error: Error | null) => void) | undefined;
  // A full disk is told as such, not as a broken compressed file.
  file.on('error', (error) => {
    failed = new VaratlasError('store', `cannot write the unpacked copy of the file (${error.message}); the store is unchanged`, { cause: error });
    waiting?.(failed);
  });
  file.on('drain', () => waiting?.(null));
  return new Transform({
    transform(chunk: Buffer, _encoding, next) {
      if (failed) next(failed);
      else if (file.write(chunk)) next(null, chunk);
      else
        waiting = (error) => {
          waiting = undefined;
          next(error, error ? undefined : chunk);
        };
    },
    flush(done) {
      file.end(() => done(failed));
    },
    destroy(error, done) {
      file.destroy();
      done(error);
    },
  });
}

/** By the first bytes: Parquet (its PAR1 magic), JSON (JSON-stat: text starting with { or [), otherwise CSV. */
function formatOf(head: Buffer): FileFacts['format'] {
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  return /^(\xef\xbb\xbf)?\s*[{[]/.test(head.subarray(0, 16).toString('latin1')) ? 'json' : 'csv';
}

/** A first line as text in the given encoding, without BOM or carriage return. */
export function decodeLine(bytes: Buffer, encoding: Encoding): string {
  const text = encoding === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, 'win1252');
  return text.replace(/^\uFEFF/, '').replace(/\r$/, '');
}

/** Length of the prefix that does not end inside a multi-byte UTF-8 sequence. */
function completeUtf8Length(bytes: Buffer): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return needed > back ? n - back : n;
  }
  return n;
}
