/**
 * Shapes of the API's answers that the web atlas reads, defined once here and imported by web/src
 * (more of them move here as the atlas grows; see docs/api.md).
 */
export type { GeographyPlace } from '../store/store.js';

/** One import as the atlas's header names it. */
export interface AboutImport {
  fileName: string;
  importedAt: string;
  rows: number;
}

/** GET /api/about: what the data are, from when and where. */
export interface About {
  /** First and last year with activity, or null before any import. */
  period: [number, number] | null;
  lastImport: string | null;
  /** The latest import of episodes (or of aggregated counts). */
  episodes: AboutImport | null;
  geography: AboutImport | null;
  population: AboutImport | null;
  /** The episodes are synthetic (made by varatlas demo): every view says so. */
  synthetic: boolean;
}
