import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { duckdb } from './dialects/duckdb.js';
import { hasDiagnosis } from './service-match-sql.js';

/** The rule in plain TypeScript: a code matches `X12` exactly, or `X1*` by its first characters. */
const matches = (code: string, codes: string[]) => codes.some((c) => (c.endsWith('*') ? code.startsWith(c.slice(0, -1)) : code === c));

describe('hasDiagnosis', () => {
  it('agrees with the rule on main and secondary diagnoses, with NULLs, empty lists and codes shorter than a prefix', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    const code = fc.constantFrom('D5', 'D50', 'D501', 'D5019', 'D51', 'K9', 'K92', 'K920', 'R13', 'R1', 'C150', 'X', 'S83', 'S8');
    const pattern = fc.constantFrom('D50*', 'D50', 'D501', 'K92*', 'R1*', 'R13', 'C15*', 'C1*', 'S83*', 'D5019', 'X*');
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(pattern, { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.option(code, { nil: null }), fc.option(fc.array(code, { maxLength: 4 }), { nil: null })), { minLength: 1, maxLength: 20 }),
        async (codes, episodes) => {
          const rows = episodes.map(([main, secondary], i) => {
            const list = secondary === null ? 'NULL' : `[${secondary.map(duckdb.literal).join(', ')}]::VARCHAR[]`;
            return `(${i}, ${main === null ? 'NULL' : duckdb.literal(main)}, ${list})`;
          });
          const reader = await c.runAndReadAll(
            `SELECT i, ${hasDiagnosis(duckdb, codes, 'e')} AS hit
             FROM (VALUES ${rows.join(', ')}) e(i, main_diagnosis, secondary_diagnoses) ORDER BY i`,
          );
          const got = reader.getRowsJS().map((r) => r[1]);
          const expected = episodes.map(([main, secondary]) => (main !== null && matches(main, codes)) || (secondary ?? []).some((x) => matches(x, codes)));
          assert.deepEqual(got, expected, `codes ${codes.join(' ')}`);
        },
      ),
      { numRuns: 200, seed: 20261123 },
    );
    c.closeSync();
    instance.closeSync();
  });
});
