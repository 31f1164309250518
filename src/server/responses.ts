/**
 * Shapes of the API's answers that the web atlas reads, defined once here and imported by web/src
 * (more of them move here as the atlas grows; see docs/api.md).
 */
import type { Estimate, Shown } from '../analysis/rate-row.js';
import type { Label } from '../analysis/labels.js';
import type { AreaVariation, VariationResult } from '../analysis/variation.js';
import type { VariationUncertainty } from '../analysis/variation-uncertainty.js';
import type { ServiceDefinition } from '../catalog/service.js';

export type { GeographyPlace } from '../store/store.js';
export type { Estimate, RateRow, RateTable, Withheld } from '../analysis/rate-row.js';
export type { Label } from '../analysis/labels.js';
export type { RateComparisons } from '../analysis/comparisons.js';
export type { LowValueReport } from '../analysis/low-value.js';
export type { AssessmentResult, AssessmentRow } from '../analysis/assessment-variation.js';
export type { Intervention, PublishedEffect } from '../analysis/interventions.js';
export type { LowValueMeasure } from '../catalog/measure.js';
/** GET /api/concentration. */
export type { ConcentrationResult, ConcentrationRow } from '../analysis/concentration.js';
export type { PathwayRow, PathwayResult } from '../analysis/pathways.js';
export type { FollowUpScenario } from '../analysis/pathway-scenario.js';

/** GET /api/services: each service of the catalogue. */
export type ServiceSummary = Pick<ServiceDefinition, 'id' | 'name' | 'specialty' | 'count'> & { contractVolume: number | null; confirm: string | null };

/** GET /api/variation: the variation of one service with its uncertainty. */
export type VariationAnswer = VariationResult & { uncertainty: VariationUncertainty };

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
  /** Every mapped place has a local-hospital area (level=local can be asked for). */
  localAreas: boolean;
}

/** GET /api/labels: one row of Table 4 per service. */
export interface LabelsAnswerRow {
  service: VariationResult['service'];
  nationalRate: number;
  areas: (Pick<AreaVariation, 'unit' | 'unitName' | 'ratio' | 'versusNational' | 'label'> & { rate: Estimate })[];
  leftOut: VariationResult['leftOut'];
}

/** GET /api/factsheet: every service for one area, with its needs. */
export interface FactSheet {
  area: string;
  areaName: string;
  years: [number, number];
  year: number;
  services: {
    service: VariationResult['service'];
    nationalRate: number;
    /** null: the area is not compared for this service (leftOut says why). */
    rate: Estimate | null;
    ratio: number | null;
    label: Label | null;
    leftOut: string | null;
    needs: { observed: Shown<number>; expected: number; change: Shown<number>; purchaseNeed: Shown<number> };
  }[];
}

/** GET /api/pathways: each pathway of the catalogue. */
export interface PathwaySummary {
  id: string;
  name: { nb: string; en: string };
  specialty: string;
  windowMonths: number;
  lookBackMonths: number;
  source: { nb: string; en: string };
}

/** GET /api/pathway: one pathway's rows for the year asked (null: the whole years pooled) and its scenario. */
export type PathwayAnswer = import('../analysis/pathways.js').PathwayResult & {
  year: number | null;
  scenario: import('../analysis/pathway-scenario.js').FollowUpScenario | { withheld: string };
};
