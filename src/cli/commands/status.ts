import { cubeSubjects, ensureCube } from '../../catalog/cube-subjects.js';
import { loadCatalogue } from '../../catalog/load-catalogue.js';
import type { CubeStatus } from '../../store/store.js';
import { describeStatus } from '../describe.js';
import { formatNumber } from '../format-table.js';
import { progressBar } from '../progress.js';
import { withReadStore, withStore, type StoreOptions } from '../with-store.js';

export async function statusCommand(db: StoreOptions, catalogFiles: string[], options: { json?: boolean }): Promise<void> {
  const catalogue = await loadCatalogue(catalogFiles);
  await withReadStore(db, async (store) => {
    const status = await store.status();
    const cube = await store.cubeStatus(await cubeSubjects(catalogue));
    console.log(options.json ? JSON.stringify({ ...status, cube }, null, 2) : `${describeStatus(status)}\n\n${describeCube(cube)}`);
  });
}

export function describeCube(c: CubeStatus): string {
  const when = c.refreshedAt ? `last refreshed ${c.refreshedAt} UTC in ${c.seconds?.toFixed(1)} s` : 'never built';
  const state = c.fresh ? 'up to date' : `NOT up to date (${c.stale.length ? `not built for ${c.stale.join(', ')}` : 'imports changed since'}): run varatlas refresh`;
  return `Strata cube: ${state}; ${formatNumber(c.rows)} episode rows (${formatNumber(c.repeatedRows)} of patients seen more than once) for ${c.subjects} services and measures, ${when}.`;
}

export async function refreshCommand(db: StoreOptions, catalogFiles: string[], options: { full?: boolean }): Promise<void> {
  await withStore(db, async (store) => {
    const bar = progressBar();
    try {
      const r = await ensureCube(store, { catalogFiles, full: options.full, onProgress: (f) => bar.update('refreshing the cube', f) });
      bar.done();
      console.log(
        r.changed
          ? `Strata cube refreshed in ${r.seconds.toFixed(1)} s: scanned ${r.scannedImports} import(s) for ${r.scannedSubjects} service(s) and measure(s).`
          : 'Strata cube already up to date; nothing to do.',
      );
    } finally {
      bar.done();
    }
  });
}
