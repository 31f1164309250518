import type { VariationUncertainty } from '../../src/analysis/variation-uncertainty.js';

/** The API's shapes, as much of them as the dashboard reads. */
export type Withheld = { withheld: string };
export type Estimate = { value: number; lower: number; upper: number };
export const isWithheld = (v: unknown): v is Withheld => typeof v === 'object' && v !== null && 'withheld' in v;

export interface Service { id: string; name: { nb: string; en: string }; specialty: string }
export interface Row {
  unit: string; unitName: string; national: boolean; year: number | null;
  events: number | Withheld; population: number;
  standardisedRate: Estimate | Withheld; observedExpected: (Estimate & { expected: number }) | Withheld; expected: number;
  providers: Record<'public' | 'private' | 'contract_specialist', number | Withheld>;
  privateShare: Estimate | Withheld;
}
export interface RateTable { service: Service; years: [number, number]; level: string; standard: string; rows: Row[] }
export interface Label { position: 'highest' | 'above' | 'near' | 'below' | 'lowest'; text: { nb: string; en: string }; rule: { nb: string; en: string } }
export interface Variation {
  nationalRate: number; ft1: number; ft2: number; ft3: number; cv: number; scv: number;
  areas: { unit: string; unitName: string; ratio: number; expected: number; label: Label; funnel: { position: string } }[];
  leftOut: { unit: string; unitName: string; reason: string }[];
  funnelCurve: { expected: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
  uncertainty: VariationUncertainty;
}

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
