const { openStore } = await import('./src/store/open-store.ts');
const { loadCatalogue } = await import('./src/catalog/load-catalogue.ts');
const { computeRates, defaultRateOptions } = await import('./src/analysis/rates.ts');
const store = await openStore({ path: '/work/scratch/s50/atlas-bench.duckdb', readOnly: true });
const c = await loadCatalogue();
for (const id of ['gastroscopy', 'gastroscopy', 'colonoscopy', 'groin_hernia']) { const t0 = performance.now(); await computeRates(store, c.services.filter((s) => s.id === id), defaultRateOptions([2019, 2023])); console.log(id, (performance.now() - t0).toFixed(0)); }
for (let i = 0; i < 2; i++) { const t0 = performance.now(); await computeRates(store, c.services, defaultRateOptions([2019, 2023])); console.log('all', (performance.now() - t0).toFixed(0)); }
