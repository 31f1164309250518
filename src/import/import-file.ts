import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ensureCube } from '../catalog/cube-subjects.js';
import { echoed, VaratlasError } from '../errors.js';
import { builtinNote, contract, matchHeader, type DatasetKind } from '../model/contract.js';
import type { CubeRefresh, ImportResult, Store } from '../store/store.js';
import { detectDelimiter, splitHeader } from './header.js';
import { decodeLine, inspectFile, type Encoding } from './inspect-file.js';
import { jsonStatToPopulationCsv, populationCsvHeader, type PopulationYearConvention } from './jsonstat.js';
import { readableCopy } from './transcode.js';
import type { CsvShape } from './csv-shape.js';

export interface ImportOptions {
  kind: DatasetKind;
  path: string;
  /** Override the detected encoding of a text file. */
  encoding?: Encoding;
  replace?: boolean;
  populationYear?: PopulationYearConvention;
  /** Each stage's fraction done, and what it is a fraction of where that is known (the file's bytes, its rows). */
  onProgress?: (stage: string, fraction: number, amount?: { total: number; unit: 'bytes' | 'rows' }) => void;
  /** Aborting stops the import between steps (the store's own interrupt stops a running statement). */
  signal?: AbortSignal;
  /** Refresh the strata cube after the import (default true), for the default catalogue plus these files. */
  refresh?: boolean;
  catalogFiles?: string[];
  /** Episode dates outside it are rejected (default: 1990-01-01 to the day of the import). */
  dateWindow?: { from: string; to: string };
  /** The file is reference data shipped with varatlas (`norway`): named so, and ranked after the user's own files. */
  builtin?: string;
  /** Data made up by `varatlas demo`: recorded with the import, so that every view can say so. */
  synthetic?: boolean;
}

/** The note of an import of synthetic data (`varatlas demo`). */
export const syntheticNote = 'synthetic demo data (varatlas demo)';

export interface ImportReport extends ImportResult {
  fileName: string;
  format: string;
  encoding?: string;
  delimiter?: string;
  /** Columns in the file that the contract does not know; they are ignored, and said to be. */
  ignoredColumns: string[];
  note?: string;
  /** The cube refresh that followed the import (its own transaction). */
  cube?: CubeRefresh;
}

/**
 * Import one file into the store: inspect it (hash, encoding, header), make it readable for the
 * store (UTF-8 CSV or Parquet), match its header to the data contract, and hand the store one plan
 * that it runs as one transaction. Nothing is written unless every step succeeds. Then the strata cube
 * is refreshed for what the import changed, in a second transaction: if that one is stopped, the
 * import stays and the previous cube answers until the next refresh.
 */
export async function importFile(store: Store, options: ImportOptions): Promise<ImportReport> {
  const path = resolve(options.path);
  const fileName = options.builtin ? `${options.builtin}/${basename(path)} (built in)` : basename(path);
  const progress = options.onProgress ?? (() => undefined);
  const work = await mkdtemp(join(tmpdir(), 'varatlas-import-'));
  try {
    // A compressed CSV file is unpacked into the work folder by the same pass: the store reads the copy.
    const facts = await inspectFile(path, (done, total) => progress('reading', done / total, { total, unit: 'bytes' }), options.signal, join(work, 'unpacked.csv'));
    let readable = facts.unpacked ?? path;
    let encoding = options.encoding ?? facts.encoding;
    let note: string | undefined = options.builtin ? `${builtinNote} (${options.builtin})` : options.synthetic ? syntheticNote : undefined;
    let format = facts.format;
    if (format === 'json') {
      if (options.kind !== 'population') {
        throw new VaratlasError('input', `${fileName} is JSON; only population can be imported from JSON-stat (SSB table 07459)`);
      }
      const convention = options.populationYear ?? 'start-of-year';
      readable = join(work, 'population.csv');
      await jsonStatToPopulationCsv(path, readable, convention);
      note = `JSON-stat; year convention ${convention}: ${
        convention === 'start-of-year' ? 'population on 1 January X stands for year X' : 'population on 1 January X+1 stands for year X'
      }`;
      format = 'csv';
      encoding = 'utf-8';
    } else if (format === 'csv') {
      const shape = facts.shape!;
      refuseUnreadable(fileName, shape);
      // A file that mixes LF and CRLF line ends, or is not UTF-8, is read from a copy made readable.
      const unifyLineEnds = shape.lf > 0 && shape.crlf > 0;
      if (encoding === 'windows-1252' || unifyLineEnds) {
        const from = readable;
        readable = join(work, 'readable.csv');
        await readableCopy(from, readable, { windows1252: encoding === 'windows-1252', unifyLineEnds });
      }
    }

    const spec = contract[options.kind];
    let header: string[];
    let delimiter: string | undefined;
    if (format === 'parquet') {
      header = await store.describeParquet(path);
    } else {
      const firstLine = format === facts.format ? decodeLine(facts.firstLineBytes, encoding) : populationCsvHeader;
      delimiter = detectDelimiter(firstLine, fileName);
      header = splitHeader(firstLine, delimiter);
    }
    const { mapping, missing, unknown, twice } = matchHeader(spec, header);
    if (missing.length > 0) {
      throw new VaratlasError(
        'input',
        `${fileName} cannot be imported as ${options.kind}: missing required column${missing.length > 1 ? 's' : ''} ` +
          `${missing.join(', ')} (found: ${echoed(header.join(', '))}${delimiter ? `; read with delimiter '${delimiter}'` : ''}). ` +
          'The store is unchanged.',
      );
    }
    if (twice.length > 0) {
      throw new VaratlasError('input', `${fileName} gives the same column more than once: ${echoed(twice.join('; '))}. Keep one of each; the store is unchanged.`);
    }
    const positions = new Map([...mapping].map(([name, written]) => [name, header.indexOf(written)]));
    progress('importing', 0);
    const result = await store.importDataset(
      {
        kind: options.kind,
        path: readable,
        format: format === 'parquet' ? 'parquet' : 'csv',
        delimiter,
        columnCount: header.length,
        positions,
        fileName,
        fileHash: facts.hash,
        encoding: format === 'parquet' ? undefined : encoding,
        note,
        replace: options.replace ?? false,
        records: format === 'csv' ? facts.shape?.records : undefined,
        lines: format === facts.format && facts.shape ? { steps: facts.shape.lineSteps, empty: facts.shape.emptySteps } : undefined,
        dateWindow: options.dateWindow,
      },
      (fraction) => progress('importing', fraction, facts.shape?.records ? { total: facts.shape.records, unit: 'rows' } : undefined),
    );
    let cube: CubeRefresh | undefined;
    if (options.refresh !== false) {
      if (options.signal?.aborted) throw new VaratlasError('interrupted', `interrupted after the import of ${fileName}; run varatlas refresh`);
      progress('refreshing the cube', 0);
      cube = await ensureCube(store, { catalogFiles: options.catalogFiles, onProgress: (f) => progress('refreshing the cube', f) });
    }
    return { ...result, fileName, format: facts.compression ? `${facts.format} (${facts.compression})` : facts.format, encoding, delimiter, ignoredColumns: unknown, note, cube };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}


/** A CSV file whose lines a reader would lose count of is refused with where and why, before anything is read into the store. */
function refuseUnreadable(fileName: string, shape: CsvShape): void {
  if (shape.unterminatedQuoteLine !== undefined) {
    throw new VaratlasError(
      'input',
      `${fileName}: the quoted field that opens on line ${shape.unterminatedQuoteLine} is never closed, so every line after it would be ` +
        'read as part of that one field. A field that starts with " must end with " (a " inside it is written ""). The store is unchanged.',
    );
  }
  if (shape.loneCrLine !== undefined) {
    throw new VaratlasError(
      'input',
      `${fileName}: line ${shape.loneCrLine} holds a carriage return without a line feed (old Mac line ends, or a stray CR in a value), ` +
        'so its lines cannot be told apart. Save the file with LF or CRLF line ends; the store is unchanged.',
    );
  }
}
