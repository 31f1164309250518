import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { importFile } from '../import/import-file.js';
import { episode, episodesCsv, memoryStore, tempDir, writeText } from '../test-support/fixtures.js';
import { defaultDateWindow } from './validation-sql.js';

/** The rules as plain TypeScript, to check the SQL the dialect generates against. */
const validAge = (s: string) => /^[+-]?\d{1,15}$/.test(s.trim()) && Number(s) >= 0 && Number(s) <= 120;
function validDate(s: string): boolean {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) ?? (/^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s) && [null, s.slice(6), s.slice(3, 5), s.slice(0, 2)]);
  if (!iso) return false;
  const [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  // Inside the import's default window: 1990-01-01 to the day of the import.
  const written = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const window = defaultDateWindow();
  return real && written >= window.from && written <= window.to;
}

describe('validation agrees with the rules written in plain TypeScript', () => {
  it('ages and dates: accepted exactly when valid', async () => {
    const ages = fc.sample(fc.oneof(fc.integer({ min: -50, max: 200 }).map(String), fc.constantFrom('1.5', '12a', '007', '+5', '1e2')), 300);
    const dates = fc.sample(
      fc.oneof(
        fc.tuple(fc.integer({ min: 1985, max: 2030 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
          ([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
        ),
        fc.tuple(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2000, max: 2030 })).map(
          ([d, m, y]) => `${String(d).padStart(2, '0')}.${String(m).padStart(2, '0')}.${y}`,
        ),
        fc.constantFrom('2022-2-3', '2024-02-29', '2023-02-29', '22-01-01'),
      ),
      300,
    );
    const rows = ages.map((age, i) => episode(`e${i}`, { age, start_date: dates[i]!, end_date: '' }));
    const store = await memoryStore();
    const dir = await tempDir();
    const report = await importFile(store, { kind: 'episodes', path: await writeText(dir, 'p.csv', episodesCsv(rows)) });
    const rejects = await store.rejects({ limit: 10_000 });
    const rejected = new Set(rejects.map((r) => `${r.line}:${r.column}`));
    rows.forEach((row, i) => {
      const line = i + 2;
      assert.equal(rejected.has(`${line}:age`), !validAge(row.age), `age '${row.age}' on line ${line}`);
      assert.equal(rejected.has(`${line}:start_date`), !validDate(row.start_date), `date '${row.start_date}' on line ${line}`);
    });
    assert.equal(report.rowsRead, report.rowsAccepted + report.rowsRejected);
  });
});
