import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VaratlasError } from '../errors.js';
import { SerialCache } from './serial-cache.js';

const later = <T>(value: T, ms = 20) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('the server’s queue of analyses', () => {
  it('refuses at once beyond the bound instead of letting requests pile up (20 bad requests used to delay a good one by 28 s)', async () => {
    const cache = new SerialCache(100, 3);
    const running = [1, 2, 3].map((i) => cache.get(`k${i}`, () => later(i)));
    await assert.rejects(cache.get('k4', () => later(4)), (e: unknown) => e instanceof VaratlasError && e.code === 'busy');
    assert.equal(await cache.get('k1', () => later(0)), 1, 'what is queued is still answered, from the cache too');
    assert.deepEqual(await Promise.all(running), [1, 2, 3]);
    assert.equal(await cache.get('k5', () => later(5)), 5, 'room again once the queue drains');
  });

  it('skips an analysis whose every requester has gone before its turn', async () => {
    const cache = new SerialCache();
    let computed = 0;
    const first = cache.get('slow', () => later('slow', 50));
    const gone = new AbortController();
    const skipped = cache.get('left', async () => ++computed, gone.signal);
    gone.abort();
    await first;
    await assert.rejects(skipped, (e: unknown) => e instanceof VaratlasError && e.code === 'interrupted');
    assert.equal(computed, 0);
    assert.equal(await cache.get('left', async () => ++computed), 1, 'not cached: the next ask computes it');
  });

  it('gives a cached answer at once while another analysis runs', async () => {
    const cache = new SerialCache();
    await cache.get('done', async () => 'cached');
    const slow = cache.get('slow', () => later('slow', 200));
    const started = performance.now();
    assert.equal(await cache.get('done', async () => 'again'), 'cached');
    assert.ok(performance.now() - started < 100, 'did not wait for the running analysis');
    await slow;
  });

  it('keeps a refusal (a bad parameter found by the analysis) like an answer, and forgets other failures', async () => {
    const cache = new SerialCache();
    let calls = 0;
    const refuse = async () => {
      calls++;
      throw new VaratlasError('usage', "no area 'Z'");
    };
    await assert.rejects(cache.get('bad', refuse));
    await assert.rejects(cache.get('bad', refuse));
    assert.equal(calls, 1, 'the second refusal came from the cache');
    let failures = 0;
    const fail = async () => {
      failures++;
      throw new Error('disk full');
    };
    await assert.rejects(cache.get('broken', fail));
    await assert.rejects(cache.get('broken', fail));
    assert.equal(failures, 2, 'a failure is tried again');
  });
});
