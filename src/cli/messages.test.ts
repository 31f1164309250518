import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { geography, population } from '../test-support/hernias.js';
import { episode, episodesCsv, tempDir, writeText } from '../test-support/fixtures.js';

const cli = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Run the CLI as a user would; its exit code, stdout and stderr. */
async function varatlas(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the CLI says what went wrong in one line', () => {
  let dir: string;
  let db: string;
  let none: string;
  before(async () => {
    dir = await tempDir({ keep: true });
    db = join(dir, 'store.duckdb');
    const rows = Array.from({ length: 40 }, (_, i) => episode(`e${i}`, { municipality: ['1001', '2002', '3003'][i % 3]!, age: '60', main_diagnosis: 'K40.9', procedures: 'JAB11' }));
    for (const [kind, name, text] of [['geography', 'g.csv', geography], ['population', 'p.csv', population], ['episodes', 'e.csv', episodesCsv(rows)]] as const) {
      const r = await varatlas('--db', db, 'import', kind, await writeText(dir, name, text), '--quiet');
      assert.equal(r.code, 0, r.stderr);
    }
    none = await writeText(dir, 'none.yaml', 'services:\n  - id: nothing_here\n    name: { nb: Ingenting, en: Nothing }\n    specialty: surgery\n    include:\n      - procedures: [ZZZ99]\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('speaks Norwegian with --lang nb: every table head, note and reason, and no English word', async () => {
    // Words that are English and never Norwegian; the service's own name is the catalogue's nb name.
    const english = /\b(the|of|and|with|withheld|events|fewer|than|area|areas|national|rate per|intervals|pooled|compared|observed|expected|purchase|own trust|left out|label|private share)\b/i;
    const runs = [
      ['rates', '--service', 'groin_hernia', '--lang', 'nb'],
      ['variation', '--service', 'groin_hernia', '--lang', 'nb'],
      ['needs', '--service', 'groin_hernia', '--lang', 'nb'],
      ['lowvalue', '--lang', 'nb'],
      ['compare', '--service', 'groin_hernia', '--year', '2022', '--areas', 'A,B', '--lang', 'nb'],
    ];
    const heads = [/Hendelser\s+Pasienter\s+Innbyggere/, /Mot landet/, /Kjøpsbehov/, /Variant\s+Tjeneste/, /Mot landet: rateforhold\s+Ratedifferanse/];
    for (const [i, args] of runs.entries()) {
      const r = await varatlas('--db', db, ...args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, heads[i]!, args.join(' '));
      // Ids, codes and the option names a note quotes are not words of a language.
      const text = r.stdout.replace(/Area [A-Z]\b|--[a-z-]+ [a-z]+|\([a-z_]+\)|varatlas [a-z ]+|areas\[\]\.label\.rule|\b[a-z]+_[a-z_0-9]+\b/g, ' ');
      const found = english.exec(text);
      assert.equal(found, null, `${args.join(' ')}: '${found?.[0]}' in …${found ? text.slice(Math.max(0, found.index - 40), found.index + 40) : ''}…`);
    }
    // The same in English has the English heads (and the test's words would find them).
    const en = await varatlas('--db', db, 'rates', '--service', 'groin_hernia');
    assert.match(en.stdout, /Events\s+Patients\s+Population/);
    assert.ok(english.test(en.stdout));
  });

  it('a usage mistake prints its line and where the help is, not the whole help', async () => {
    const r = await varatlas('--db', db, 'rates', '--bogus');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--bogus'/);
    assert.match(r.stderr, /\(see varatlas rates --help\)/);
    assert.ok(r.stderr.trim().split('\n').length <= 3, r.stderr);
    const one = await varatlas('--db', db, 'compare', '--service', 'groin_hernia', '--areas', 'A');
    assert.equal(one.code, 2);
    assert.match(one.stderr, /--areas takes two unit codes/);
  });

  it('a command that reads does not create a missing store', async () => {
    const missing = join(dir, 'typo.duckdb');
    const r = await varatlas('--db', missing, 'status');
    assert.equal(r.code, 3);
    assert.match(r.stderr, /there is no store at .*typo\.duckdb/);
    assert.equal(existsSync(missing), false);
  });

  it('a bad memory limit names the option, not the database', async () => {
    const r = await varatlas('--db', db, '--memory-limit', 'lots', 'status');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--memory-limit must be a size such as 4GB/);
  });

  it('an unknown region names the regions there are', async () => {
    const r = await varatlas('--db', db, 'needs', '--service', 'groin_hernia', '--region', '9');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no region '9': the regions are R \(Region\)/);
  });

  it('a standard year without data says so', async () => {
    const r = await varatlas('--db', db, 'rates', '--service', 'groin_hernia', '--standard', 'national:2031');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no data for 2031: .* the store has population for 2022/);
  });

  it('a custom service that matches nothing says so', async () => {
    const r = await varatlas('--db', db, '--catalog', none, 'rates', '--service', 'nothing_here');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No episode in the store matches nothing_here in 2022: the zeros are real/);
    const hernia = await varatlas('--db', db, 'rates', '--service', 'groin_hernia');
    assert.doesNotMatch(hernia.stdout, /No episode/);
  });

  it('one year is written as a year, not as a range', async () => {
    const r = await varatlas('--db', db, 'variation', '--service', 'groin_hernia');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.split('\n')[0]!, /\(groin_hernia\), 2022, by area/);
  });
});
