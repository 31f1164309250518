import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/**
 * A temporary folder removed when the current test (or file) ends. `keep`: the caller removes it —
 * for fixtures built in a before() hook, where node:test would run the cleanup right after the hook.
 */
export async function tempDir(options: { keep?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'varatlas-test-'));
  if (!options.keep) after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh in-memory store, closed when the current test (or file) ends, unless `keep`. */
export async function memoryStore(options: { keep?: boolean } = {}): Promise<Store> {
  const store = await openStore({ path: ':memory:' });
  if (!options.keep) after(() => store.close());
  return store;
}

export async function writeText(dir: string, name: string, text: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

export const episodeColumns = [
  'episode_id', 'patient_id', 'start_date', 'end_date', 'age', 'sex', 'municipality', 'district', 'provider_id',
  'provider_type', 'care_level', 'main_diagnosis', 'secondary_diagnoses', 'procedures', 'drg', 'specialty',
] as const;

export type EpisodeFields = Record<(typeof episodeColumns)[number], string>;

/** A valid episode; tests change one field to break one rule. */
export function episode(id: string, changes: Partial<EpisodeFields> = {}): EpisodeFields {
  return {
    episode_id: id, patient_id: `PAT-${id}`, start_date: '2022-03-01', end_date: '2022-03-01', age: '45', sex: '1',
    municipality: '5001', district: '', provider_id: '974749025', provider_type: 'public', care_level: 'outpatient',
    main_diagnosis: 'K21.0', secondary_diagnoses: '', procedures: 'UJD02', drg: '', specialty: 'gastro',
    ...changes,
  };
}

export function episodesCsv(rows: EpisodeFields[], delimiter = ','): string {
  return [episodeColumns.join(delimiter), ...rows.map((r) => episodeColumns.map((c) => r[c]).join(delimiter))].join('\n') + '\n';
}

/** A large episodes file (the same valid episode, numbered; 50 000 patients), written as a stream. */
export async function writeBigEpisodes(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(episodeColumns.join(',') + '\n');
  const template = episodesCsv([episode('X')]).split('\n')[1]!;
  for (let i = 0; i < rows; i++) {
    if (!out.write(template.replace(/^X,PAT-X/, `big${i},p${i % 50_000}`) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
