import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzImports } from '../test-support/import-fuzz.js';
import { memoryStore, tempDir } from '../test-support/fixtures.js';

// More files, other seeds: npm run fuzz:import -- --seed 7 --count 20000
describe('import fuzzing (seeded)', () => {
  it('1 000 mutated files: documented errors only, no internal message, a refused import changes nothing, every record accounted for', async () => {
    const store = await memoryStore();
    const outcome = await fuzzImports(store, await tempDir(), 1, 1000);
    assert.deepEqual(outcome.failures, []);
    assert.ok(outcome.imported > 300, `${outcome.imported} of ${outcome.files} imported`);
    assert.ok((outcome.refused.get('input') ?? 0) > 50, `refused: ${JSON.stringify([...outcome.refused])}`);
  });
});
