const { openStore } = await import('./src/store/open-store.ts');
const { loadCatalogue } = await import('./src/catalog/load-catalogue.ts');
const { computeUnsuppressedRates, defaultRateOptions } = await import('./src/analysis/rates.ts');
const { variation } = await import('./src/analysis/variation.ts');
const store = await openStore({ path: '/work/scratch/s50/atlas-bench.duckdb', readOnly: true });
const c = await loadCatalogue();
for (let i = 0; i < 4; i++) { const t0 = performance.now(); const t = await computeUnsuppressedRates(store, c.services, defaultRateOptions([2019, 2023]), { patients: false }); const t1 = performance.now(); t.map((x) => variation(x)); console.log('labels', (t1 - t0).toFixed(0), (performance.now() - t1).toFixed(0)); }
