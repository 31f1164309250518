/**
 * The privacy audit: can a withheld count be worked out from everything the rate outputs publish?
 *
 *   npm run audit:privacy                                  # every service of a demo store (scale 0.05): minutes
 *   AUDIT_SERVICES=pilonidal,groin_hernia npm run audit:privacy
 *   AUDIT_SCALE=1 AUDIT_SERVICES=tonsillectomy npm run audit:privacy   # a larger demo (more of the local level published)
 *
 * On a demo store (scale 0.05: small areas, many small counts), for every service: every table of the
 * publication grid as the API gives it, as linear constraints an attacker could use, and for every
 * withheld count of 1–4 its feasible range by linear programming (src/test-support/privacy-audit.ts).
 * Exits 1 when any withheld count is recoverable (the attacker can rule out 5 or more).
 */
import { join } from 'node:path';
import { runDemo } from '../src/demo/run-demo.js';
import { buildApp } from '../src/server/app.js';
import { memoryStore, tempDir } from '../src/test-support/fixtures.js';
import { auditPrivacy } from '../src/test-support/privacy-audit.js';

const store = await memoryStore({ keep: true });
const demo = await runDemo(store, { outDir: join(await tempDir({ keep: true }), 'demo'), scale: Number(process.env.AUDIT_SCALE ?? 0.05) });
const app = await buildApp({ store, interventions: demo.files.interventions });
const { audited, published, exposed } = await auditPrivacy(store, app, process.env.AUDIT_SERVICES?.split(','));
for (const line of exposed) console.log(`  recoverable: ${line}`);
console.log(`privacy audit: ${audited} withheld counts of 1–4 audited against ${published} published figures; ${exposed.length} recoverable`);
await app.close();
await store.close();
process.exitCode = exposed.length ? 1 : 0;
