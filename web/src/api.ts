/**
 * The API's answers, as the dashboard reads them: the shapes are defined once, in src (src/server/responses.ts).
 */
export { isWithheld } from '../../src/analysis/rate-row.js';
export type {
  AssessmentResult, AssessmentRow, ConcentrationResult, ConcentrationRow, Estimate, FactSheet, PathwayAnswer, PathwayRow, PathwaySummary, Intervention, Label, LabelsAnswerRow, LowValueMeasure, LowValueReport, PublishedEffect, RateComparisons, RateRow, RateTable, ServiceSummary,
  VariationAnswer, Withheld,
} from '../../src/server/responses.js';

const cache = new Map<string, Promise<unknown>>();

export function api<T>(path: string): Promise<T> {
  const hit = cache.get(path);
  if (hit) return hit as Promise<T>;
  const request = fetch(path).then(async (res) => {
    const body = await res.json();
    if (!res.ok) throw new Error(body.error ?? res.statusText);
    return body as T;
  });
  cache.set(path, request);
  request.catch(() => cache.delete(path));
  return request;
}
