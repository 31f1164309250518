import { DuckDbSession } from './src/store/duckdb-session.ts';
for (const m of ['rows', 'arrays'] as const) {
  const orig = (DuckDbSession.prototype as any)[m];
  (DuckDbSession.prototype as any)[m] = async function (sql: string, params?: any) {
    const t0 = performance.now();
    try { return await orig.call(this, sql, params); } finally { const t = (performance.now() - t0); if (t > 3) console.error('   ', t.toFixed(0), 'ms', sql.replace(/\s+/g, ' ').slice(0, 70)); }
  };
}
const { openStore } = await import('./src/store/open-store.ts');
const { loadCatalogue } = await import('./src/catalog/load-catalogue.ts');
const { computeRates, computeUnsuppressedRates, defaultRateOptions } = await import('./src/analysis/rates.ts');
const store = await openStore({ path: '/work/scratch/s50/atlas-bench.duckdb', readOnly: true });
const c = await loadCatalogue();
for (const id of ['groin_hernia', 'gastroscopy', 'gastroscopy']) { const t0 = performance.now(); await computeRates(store, c.services.filter((s) => s.id === id), defaultRateOptions([2019, 2023])); console.log(id, (performance.now() - t0).toFixed(0)); }
const t0 = performance.now(); await computeUnsuppressedRates(store, c.services, defaultRateOptions([2019, 2023]), { patients: false }); console.log('labels', (performance.now() - t0).toFixed(0));
