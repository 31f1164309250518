/**
 * A service definition: which episodes count as this service. Rules combine like this:
 * `include` is a list of alternatives (any one may match); inside one alternative every criterion
 * given must match (a diagnosis AND a procedure); inside one criterion any listed code matches.
 * A code ending in `*` is a prefix (`JAB*`, `K40*`); otherwise it must match exactly.
 */
export type CountUnit = 'episodes' | 'patients' | 'procedures';
/** What a rate can count: the catalogue's units, and stays or their bed days (docs/patients.md#stays-in-rates). */
export type RateCount = CountUnit | 'stays' | 'bed_days';
/** A service as the rate engine counts it: its definition, with what is counted. */
export type RatedService = Omit<ServiceDefinition, 'count'> & { count: RateCount | 'referrals' };
export type Sex = 'male' | 'female';
export type CareLevel = 'inpatient' | 'day' | 'outpatient';
export type ProviderType = 'public' | 'private' | 'contract_specialist';

export interface Alternative {
  /** Main diagnosis (ICD-10, stored without dot). */
  diagnoses?: string[];
  /** Procedure codes (NCSP/NCMP/NCRP), any of the episode's procedures. */
  procedures?: string[];
  drg?: string[];
}

export interface ServiceDefinition {
  id: string;
  name: { nb: string; en: string };
  specialty: string;
  include: Alternative[];
  age?: { min?: number; max?: number };
  sex?: Sex;
  careLevels?: CareLevel[];
  providerTypes?: ProviderType[];
  count: CountUnit;
  /** Current contract volume with private providers, where the source gives one. */
  contractVolume?: number;
  /** Where the definition comes from, in words. */
  source?: string;
  /** Set when the source leaves the codes vague: what a user should confirm locally. */
  confirm?: string;
  /** The catalogue file this definition was read from. */
  file: string;
}

export interface Catalogue {
  services: ServiceDefinition[];
  /** A fingerprint of every definition: matches computed for another fingerprint are recomputed. */
  fingerprint: string;
  files: string[];
}
