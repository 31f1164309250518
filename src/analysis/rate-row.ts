/** A rate table, its rows and the way a withheld figure is shown: shared by the rates, their suppression and every output. */
import type { Level } from '../store/store.js';

export interface Estimate {
  value: number;
  lower: number;
  upper: number;
}
/** A value not shown, with the reason. Never 0. */
export interface Withheld {
  withheld: string;
}
export type Shown<T> = T | Withheld;

export const isWithheld = (v: unknown): v is Withheld => typeof v === 'object' && v !== null && 'withheld' in v;

export const providerTypes = ['public', 'private', 'contract_specialist'] as const;

export interface RateRow {
  unit: string;
  unitName: string;
  national: boolean;
  /** null: the whole period pooled (events and person-years summed). */
  year: number | null;
  events: Shown<number>;
  patients: Shown<number>;
  population: number;
  crudeRate: Shown<Estimate>;
  standardisedRate: Shown<Estimate>;
  observedExpected: Shown<Estimate & { expected: number }>;
  /** Expected events at the national stratum rates (from population only, so always shown). */
  expected: number;
  providers: Record<(typeof providerTypes)[number], Shown<number>>;
  /** Share of events done by private providers and by contract specialists (Wilson intervals). */
  privateShare: Shown<Estimate>;
  contractSpecialistShare: Shown<Estimate>;
}

export interface RateTable {
  service: { id: string; name: { nb: string; en: string }; counts: string };
  level: Level;
  years: [number, number];
  standard: string;
  multiplier: number;
  confidence: number;
  minEvents: number;
  rows: RateRow[];
}
