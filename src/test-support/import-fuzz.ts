import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { importFile } from '../import/import-file.js';
import { isVaratlasError } from '../errors.js';
import type { Store } from '../store/store.js';
import { episode, episodeColumns } from './fixtures.js';

/**
 * Seeded fuzzing of the import: valid CSV files of the data contract, mutated the way real files go
 * wrong (stray quotes and delimiters, lost or doubled line ends, CR alone, truncation, binary bytes,
 * broken headers, long fields), each imported into one store. What must hold for every file:
 * - the import succeeds or fails with a VaratlasError (a documented exit code), never another error;
 * - no internal message reaches the user (DuckDB's, a constraint's, a stack's);
 * - a failed import leaves the store as it was;
 * - a finished one accounts for every record: read = accepted + rejected, and read = the records
 *   written when the mutation left quotes and line ends alone.
 */

/** Mulberry32: a small seeded generator, the same sequence on every machine. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'episodes' | 'population' | 'geography';

interface Case {
  kind: Kind;
  bytes: Buffer;
  /** Data records written, when the mutations kept every quote and line end as it was. */
  records?: number;
  mutations: string[];
}

const internal = /invalid input error|constraint error|binder error|parser error|catalog error|state machine|not null constraint|internal error|TypeError|RangeError|ReferenceError|\bat .+\.(ts|js):\d+|EISDIR|ENOENT|undefined|NaN/i;

function validFile(kind: Kind, rows: number, random: () => number, serial: number): { header: string; lines: string[] } {
  const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  if (kind === 'population') {
    return {
      header: 'year,municipality,district,sex,age,population',
      lines: Array.from({ length: rows }, () => [pick(['2021', '2022']), pick(['5001', '0301', '1508']), '', pick(['1', '2', 'K']), pick(['0', '45', '85-89', '90+', '5-9']), String(Math.floor(random() * 900))].join(',')),
    };
  }
  if (kind === 'geography') {
    return {
      header: 'municipality;municipality_name;area_code;area_name;region_code;region_name',
      lines: Array.from({ length: rows }, (_, i) => [String(1000 + ((serial * 37 + i) % 9000)), `"Kommune ${i}"`, pick(['7', '8']), 'St. Olav', '2', 'Helse Midt-Norge'].join(';')),
    };
  }
  return {
    header: episodeColumns.join(','),
    lines: Array.from({ length: rows }, (_, i) => {
      const e = episode(`f${serial}-${i}`, {
        age: String(Math.floor(random() * 100)),
        main_diagnosis: pick(['K21.0', 'I83.9', 'L05.9', '']),
        secondary_diagnoses: pick(['', 'E11.9', '"E11.9,I10"']),
        procedures: pick(['UJD02', 'JAB30', '"JAB30 ZXC10"', '']),
      });
      return episodeColumns.map((c) => e[c]).join(',');
    }),
  };
}

/** A mutation of the file's text: those marked `structural` may change what counts as a record. */
const mutations: { name: string; structural: boolean; apply: (text: string, random: () => number) => string }[] = [
  { name: 'a letter changed', structural: false, apply: (t, r) => replaceAt(t, r, (c) => (/[,;\n\r"]/.test(c) ? c : String.fromCharCode(65 + Math.floor(r() * 26)))) },
  { name: 'a value emptied', structural: false, apply: (t, r) => t.replace(/,[^,\n"]+,/g, (m) => (r() < 0.05 ? ',,' : m)) },
  { name: 'non-ASCII text', structural: false, apply: (t, r) => insertAt(t, r, pick(r, ['æøå', 'Ø', '€', '\u00a0', 'ﬁ'])) },
  { name: 'a very long value', structural: false, apply: (t, r) => insertAt(t, r, 'x'.repeat(Math.floor(r() * 300_000)), true) },
  { name: 'a stray quote', structural: true, apply: (t, r) => insertAt(t, r, '"') },
  { name: 'a stray delimiter', structural: false, apply: (t, r) => insertAt(t, r, pick(r, [',', ';']), true) },
  { name: 'a lost line end', structural: true, apply: (t, r) => removeNth(t, '\n', r) },
  { name: 'a doubled line end', structural: true, apply: (t, r) => insertAt(t, r, '\n') },
  { name: 'a CR alone', structural: true, apply: (t, r) => insertAt(t, r, '\r') },
  { name: 'CRLF line ends, some of them', structural: false, apply: (t, r) => t.replace(/\n/g, (m) => (r() < 0.5 ? '\r\n' : m)) },
  { name: 'cut short', structural: true, apply: (t, r) => t.slice(0, Math.floor(r() * t.length)) },
  { name: 'a NUL byte', structural: false, apply: (t, r) => insertAt(t, r, '\0', true) },
  { name: 'a tab', structural: false, apply: (t, r) => insertAt(t, r, '\t', true) },
  { name: 'a byte order mark', structural: false, apply: (t) => `\ufeff${t}` },
  { name: 'a header name changed', structural: false, apply: (t, r) => t.replace(/^[^\n]*/, (h) => h.replace(/[a-z_]+/g, (w) => (r() < 0.2 ? `${w}x` : w))) },
  { name: 'a header column doubled', structural: false, apply: (t) => t.replace(/^([^,;\n]+)([,;])/, '$1$2$1$2') },
  { name: 'a line doubled', structural: true, apply: (t, r) => { const lines = t.split('\n'); const i = 1 + Math.floor(r() * Math.max(1, lines.length - 2)); lines.splice(i, 0, lines[i] ?? ''); return lines.join('\n'); } },
  { name: 'a date out of range', structural: false, apply: (t, r) => t.replace(/2022-03-01/, pick(r, ['1800-01-01', '2031-02-03', '9999-12-31', '2022-02-30'])) },
];

const pick = <T,>(random: () => number, xs: T[]) => xs[Math.floor(random() * xs.length)]!;

/** A random place inside a data line's text (before its line end), or anywhere when there is none. */
function placeInLine(text: string, random: () => number): number {
  const starts = [...text.matchAll(/\n/g)].map((m) => m.index! + 1).filter((i) => i < text.length && text[i] !== '\n' && text[i] !== '\r');
  if (starts.length === 0) return Math.floor(random() * (text.length + 1));
  const start = starts[Math.floor(random() * starts.length)]!;
  let end = start;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return start + Math.floor(random() * (end - start));
}

/** Insert at a random place: anywhere, or (`inField`) inside a data line, never before a line end or a quote. */
function insertAt(text: string, random: () => number, what: string, inField = false): string {
  let at = inField ? placeInLine(text, random) : Math.floor(random() * (text.length + 1));
  if (inField) while (at > 0 && text[at] === '"') at--;
  return text.slice(0, at) + what + text.slice(at);
}

/** Change one character inside a data line. */
function replaceAt(text: string, random: () => number, f: (c: string) => string): string {
  const at = placeInLine(text, random);
  return text.slice(0, at) + f(text[at] ?? '') + text.slice(at + 1);
}

function removeNth(text: string, what: string, random: () => number): string {
  const positions = [...text.matchAll(new RegExp(what, 'g'))].map((m) => m.index!);
  if (positions.length === 0) return text;
  const at = positions[Math.floor(random() * positions.length)]!;
  return text.slice(0, at) + text.slice(at + 1);
}

export function fuzzCase(seed: number, serial: number): Case {
  const random = seeded(seed * 7919 + serial);
  const kind: Kind = random() < 0.7 ? 'episodes' : random() < 0.5 ? 'population' : 'geography';
  const rows = 1 + Math.floor(random() * 12);
  const { header, lines } = validFile(kind, rows, random, serial);
  let text = [header, ...lines].join('\n') + '\n';
  const applied: typeof mutations = [];
  const count = Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const m = pick(random, mutations);
    text = m.apply(text, random);
    applied.push(m);
  }
  // Latin-1 bytes (an Excel file saved as Windows-1252) now and then.
  const bytes = random() < 0.1 ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
  const structural = applied.some((m) => m.structural);
  return { kind, bytes, records: structural ? undefined : rows, mutations: applied.map((m) => m.name) };
}

export interface FuzzOutcome {
  files: number;
  imported: number;
  refused: Map<string, number>;
  failures: string[];
}

/** Import `count` mutated files into `store`, checking each; the failures say which case and why. */
export async function fuzzImports(store: Store, dir: string, seed: number, count: number): Promise<FuzzOutcome> {
  const outcome: FuzzOutcome = { files: count, imported: 0, refused: new Map(), failures: [] };
  for (let serial = 0; serial < count; serial++) {
    const c = fuzzCase(seed, serial);
    const path = join(dir, `fuzz-${seed}-${serial}.csv`);
    await writeFile(path, c.bytes);
    const before = JSON.stringify(await store.imports());
    const where = `seed ${seed} case ${serial} (${c.kind}; ${c.mutations.join(', ') || 'no mutation'})`;
    try {
      const report = await importFile(store, { kind: c.kind, path, refresh: false });
      outcome.imported++;
      if (report.rowsRead !== report.rowsAccepted + report.rowsRejected) outcome.failures.push(`${where}: read ${report.rowsRead} ≠ accepted + rejected`);
      if (c.records !== undefined && report.rowsRead !== c.records) outcome.failures.push(`${where}: read ${report.rowsRead} of ${c.records} records`);
    } catch (error) {
      if (!isVaratlasError(error)) {
        outcome.failures.push(`${where}: not a VaratlasError: ${String(error)}`);
        continue;
      }
      if (internal.test(error.message)) outcome.failures.push(`${where}: an internal message reached the user: ${error.message.slice(0, 300)}`);
      outcome.refused.set(error.code, (outcome.refused.get(error.code) ?? 0) + 1);
      if (JSON.stringify(await store.imports()) !== before) outcome.failures.push(`${where}: a refused import changed the store`);
    }
  }
  return outcome;
}
