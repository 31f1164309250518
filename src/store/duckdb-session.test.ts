import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuckDbSession } from './duckdb-session.js';

describe('reading columns from DuckDB', () => {
  it('gives every value of integer, double and text columns over many chunks, with null exactly where SQL has NULL', async () => {
    const s = await DuckDbSession.open({ path: ':memory:' });
    try {
      const n = 5000;
      const [ints, small, doubles, texts, dates] = await s.columns(
        `SELECT CAST(CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS INTEGER), CAST(i % 100 AS SMALLINT), CASE WHEN i = 4097 THEN NULL ELSE i / 4 END,
           CASE WHEN i % 7 = 0 THEN NULL ELSE 'v' || i END, DATE '2020-01-01' + CAST(i AS INTEGER)
         FROM range(${n}) t(i) ORDER BY i`,
      );
      assert.equal(ints!.length, n);
      for (let i = 0; i < n; i++) {
        assert.equal(ints![i], i % 3 === 0 ? null : i, `integer ${i}`);
        assert.equal(small![i], i % 100);
        assert.equal(doubles![i], i === 4097 ? null : i / 4);
        assert.equal(texts![i], i % 7 === 0 ? null : `v${i}`);
      }
      assert.notEqual(dates![0], null);
      const [empty] = await s.columns(`SELECT CAST(1 AS INTEGER) WHERE false`);
      assert.deepEqual(empty, []);
    } finally {
      s.close();
    }
  });

  it('reads on a second connection beside the first, and inside a transaction on the first (which sees its writes)', async () => {
    const s = await DuckDbSession.open({ path: ':memory:' });
    try {
      await s.run(`CREATE TABLE t (x INTEGER)`);
      await s.run(`INSERT INTO t VALUES (1)`);
      const reader = await s.reader();
      assert.notEqual(reader, s);
      assert.deepEqual(await reader.columns(`SELECT x FROM t`), [[1]]);
      await s.transaction(async () => {
        await s.run(`INSERT INTO t VALUES (2)`);
        const inside = await s.reader();
        assert.equal(inside, s);
        assert.deepEqual(await inside.columns(`SELECT x FROM t ORDER BY x`), [[1, 2]]);
        assert.deepEqual(await reader.columns(`SELECT x FROM t ORDER BY x`), [[1]], 'the other connection does not see uncommitted rows');
      });
    } finally {
      s.close();
    }
  });
});
