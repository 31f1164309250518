/**
 * varatlas as a library: the same functions the CLI (and later the API server) use.
 *
 *   const store = await openStore({ path: 'varatlas.duckdb' });
 *   const report = await importFile(store, { kind: 'episodes', path: 'episodes.csv' });
 *   console.log(report.rowsRead, report.rowsAccepted, report.rowsRejected, await store.status());
 */
export { cubeSubjects, ensureCube } from './catalog/cube-subjects.js';
export { VaratlasError, isVaratlasError, type ErrorCode } from './errors.js';
export { contract, datasetKinds, matchHeader, type DatasetKind, type DatasetSpec } from './model/contract.js';
export type { ColumnSpec, RowRule, ValueType } from './model/columns.js';
export { openStore, defaultDatabasePath, defaultMemoryLimit } from './store/open-store.js';
export type { Store, StoreStatus, ImportRecord, ImportResult, RejectRecord } from './store/store.js';
export { importFile, type ImportOptions, type ImportReport } from './import/import-file.js';
export type { PopulationYearConvention } from './import/jsonstat.js';
export { generateDemo, type DemoOptions, type DemoFiles } from './demo/generate.js';
export { runDemo, type DemoRun } from './demo/run-demo.js';
