import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { generateDemo } from '../demo/generate.js';
import { importFile } from '../import/import-file.js';
import type { Store } from '../store/store.js';
import { memoryStore, tempDir } from '../test-support/fixtures.js';
import { auditPrivacy } from '../test-support/privacy-audit.js';
import { buildApp } from './app.js';

// The whole catalogue takes minutes: `npm run audit:privacy`. Here, the two services of the demo with
// the most small counts (every area, region and year has some), which exercise every rule of the grid.
describe('the privacy audit', () => {
  let store: Store;
  let app: FastifyInstance;
  let dir: string;
  before(async () => {
    store = await memoryStore({ keep: true });
    dir = await tempDir({ keep: true });
    const files = await generateDemo({ outDir: join(dir, 'demo'), scale: 0.05 });
    for (const [kind, path] of [['geography', files.geography], ['renumbering', files.renumbering], ['standard_population', files.standardPopulation], ['population', files.population], ['episodes', files.episodes]] as const) {
      await importFile(store, { kind, path });
    }
    app = await buildApp({ store });
  });
  after(async () => {
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds no withheld count of 1–4 that every published output together pins below 5', async () => {
    const { audited, published, exposed } = await auditPrivacy(store, app, ['pilonidal', 'varicose_veins']);
    assert.ok(audited > 200, `audited ${audited} withheld counts`);
    assert.ok(published > 1000, `against ${published} published figures`);
    assert.deepEqual(exposed, []);
  });
});
