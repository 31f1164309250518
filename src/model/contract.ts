import type { ColumnSpec, RowRule } from './columns.js';

/**
 * The data contract (docs/data-contract.md), version 1, as data. Each kind of input names its
 * columns, the rules a row must meet, and the store table it lands in.
 */
export type DatasetKind =
  | 'episodes'
  | 'counts'
  | 'population'
  | 'geography'
  | 'renumbering'
  | 'standard_population'
  | 'referrals';

export const datasetKinds: DatasetKind[] = [
  'episodes',
  'counts',
  'population',
  'geography',
  'renumbering',
  'standard_population',
  'referrals',
];

/** How the import of a file shipped with varatlas is noted: the residence map ranks its geography after the user's own. */
export const builtinNote = 'built-in reference data';

export interface DatasetSpec {
  kind: DatasetKind;
  columns: ColumnSpec[];
  rules: RowRule[];
}

const sex: ColumnSpec = { name: 'sex', type: { kind: 'sex' }, required: true, aliases: ['kjonn', 'kjønn', 'ermann'] };
const municipality: ColumnSpec = {
  name: 'municipality',
  type: { kind: 'digits', length: 4, example: '0301' },
  required: true,
  aliases: ['komnr', 'kommunenr', 'kommune', 'bokommune'],
};
const district: ColumnSpec = {
  name: 'district',
  type: { kind: 'digits', length: 6, example: '030105' },
  required: false,
  aliases: ['bydel'],
};
const year: ColumnSpec = { name: 'year', type: { kind: 'integer', min: 1900, max: 2100 }, required: true, aliases: ['aar', 'år'] };

export const providerTypes = { public: 'public', private: 'private', contract_specialist: 'contract_specialist' };
const providerType: ColumnSpec = {
  name: 'provider_type',
  type: { kind: 'choice', values: providerTypes },
  required: true,
};
const careLevel: ColumnSpec = {
  name: 'care_level',
  type: {
    kind: 'choice',
    values: {
      inpatient: 'inpatient',
      day: 'day',
      outpatient: 'outpatient',
      døgn: 'inpatient',
      dag: 'day',
      poliklinikk: 'outpatient',
    },
  },
  required: true,
  aliases: ['omsorgsniva', 'omsorgsnivå'],
};

export const contract: Record<DatasetKind, DatasetSpec> = {
  episodes: {
    kind: 'episodes',
    columns: [
      { name: 'episode_id', type: { kind: 'text' }, required: true, aliases: ['aggrshoppid', 'episode'] },
      { name: 'patient_id', type: { kind: 'text' }, required: true, identifying: true, aliases: ['lopenr', 'pid'] },
      { name: 'start_date', type: { kind: 'date' }, required: true, aliases: ['inndato'] },
      { name: 'end_date', type: { kind: 'date' }, required: false, aliases: ['utdato'] },
      { name: 'age', type: { kind: 'integer', min: 0, max: 120 }, required: true, aliases: ['alder'] },
      sex,
      municipality,
      district,
      { name: 'provider_id', type: { kind: 'text' }, required: true, aliases: ['behandler', 'institusjonid'] },
      providerType,
      careLevel,
      { name: 'main_diagnosis', type: { kind: 'icd10' }, required: false, aliases: ['hovedtilstand', 'hdiag'] },
      { name: 'secondary_diagnoses', type: { kind: 'code_list' }, required: false, aliases: ['bitilstand', 'bdiag'] },
      { name: 'procedures', type: { kind: 'code_list' }, required: false, aliases: ['prosedyrer', 'ncsp'] },
      { name: 'drg', type: { kind: 'text' }, required: false },
      { name: 'specialty', type: { kind: 'text' }, required: false, aliases: ['fagomrade', 'fagområde'] },
      {
        name: 'contact_type',
        type: {
          kind: 'choice',
          values: {
            assessment: 'assessment', treatment: 'treatment', control: 'control', other: 'other',
            utredning: 'assessment', behandling: 'treatment', kontroll: 'control', annet: 'other',
          },
        },
        required: false,
        aliases: ['kontakttype'],
      },
    ],
    rules: [
      { kind: 'not_before', column: 'end_date', other: 'start_date' },
      { kind: 'in_window', column: 'start_date' },
      { kind: 'in_window', column: 'end_date' },
      { kind: 'unique', column: 'episode_id' },
    ],
  },
  counts: {
    kind: 'counts',
    columns: [
      { name: 'service', type: { kind: 'text' }, required: true },
      year,
      { name: 'area', type: { kind: 'text' }, required: true, aliases: ['bohf'] },
      sex,
      { name: 'age_group', type: { kind: 'age_group' }, required: true, aliases: ['aldersgruppe', 'alder'] },
      { ...providerType, required: false },
      { name: 'events', type: { kind: 'integer', min: 0 }, required: true, aliases: ['antall'] },
      { name: 'patients', type: { kind: 'integer', min: 0 }, required: false, aliases: ['pasienter'] },
    ],
    rules: [
      { kind: 'not_above', column: 'patients', other: 'events' },
      { kind: 'five_year_group', column: 'age_group' },
    ],
  },
  population: {
    kind: 'population',
    columns: [
      year,
      municipality,
      district,
      sex,
      { name: 'age', type: { kind: 'age_group' }, required: true, aliases: ['age_group', 'alder'] },
      { name: 'population', type: { kind: 'integer', min: 0 }, required: true, aliases: ['innbyggere', 'personer'] },
    ],
    rules: [{ kind: 'five_year_group', column: 'age' }],
  },
  geography: {
    kind: 'geography',
    columns: [
      municipality,
      district,
      { name: 'municipality_name', type: { kind: 'text' }, required: false, aliases: ['komnr_navn'] },
      { name: 'district_name', type: { kind: 'text' }, required: false, aliases: ['bydel_navn'] },
      { name: 'area_code', type: { kind: 'text' }, required: true, aliases: ['bohf'] },
      { name: 'area_name', type: { kind: 'text' }, required: true, aliases: ['bohf_navn'] },
      { name: 'region_code', type: { kind: 'text' }, required: true, aliases: ['borhf'] },
      { name: 'region_name', type: { kind: 'text' }, required: true, aliases: ['borhf_navn'] },
      // The local-hospital area (the national atlas's bosh), a level below the catchment area.
      { name: 'local_area_code', type: { kind: 'text' }, required: false, aliases: ['bosh'] },
      { name: 'local_area_name', type: { kind: 'text' }, required: false, aliases: ['bosh_navn'] },
      { name: 'valid_from', type: { kind: 'integer', min: 1900, max: 2100 }, required: false },
      { name: 'valid_to', type: { kind: 'integer', min: 1900, max: 2100 }, required: false },
    ],
    rules: [{ kind: 'not_before', column: 'valid_to', other: 'valid_from' }],
  },
  renumbering: {
    kind: 'renumbering',
    columns: [
      year,
      { ...municipality, name: 'old_municipality', aliases: ['old', 'gammel_komnr'] },
      { ...municipality, name: 'new_municipality', aliases: ['new', 'ny_komnr'] },
    ],
    // A split municipality goes to one documented successor: a second row for the same old number is rejected.
    rules: [{ kind: 'unique', column: 'old_municipality' }],
  },
  standard_population: {
    kind: 'standard_population',
    columns: [
      { ...sex, required: false },
      { name: 'age_group', type: { kind: 'age_group' }, required: true, aliases: ['age', 'aldersgruppe'] },
      { name: 'population', type: { kind: 'integer', min: 0 }, required: true },
    ],
    rules: [{ kind: 'five_year_group', column: 'age_group' }],
  },
  // A referral to specialist care (docs/referrals.md): who referred whom where, who assessed it and how.
  referrals: {
    kind: 'referrals',
    columns: [
      { name: 'referral_id', type: { kind: 'text' }, required: true, aliases: ['henvisning_id', 'henvisningsid'] },
      { name: 'patient_id', type: { kind: 'text' }, required: true, identifying: true, aliases: ['lopenr', 'pid'] },
      { name: 'received_date', type: { kind: 'date' }, required: true, aliases: ['mottatt_dato', 'mottattdato', 'henvisningsdato'] },
      { name: 'age', type: { kind: 'integer', min: 0, max: 120 }, required: true, aliases: ['alder'] },
      sex,
      municipality,
      district,
      {
        name: 'referrer_type',
        type: {
          kind: 'choice',
          values: { gp: 'gp', specialist: 'specialist', emergency: 'emergency', other: 'other', fastlege: 'gp', spesialist: 'specialist', legevakt: 'emergency', annet: 'other' },
        },
        required: true,
        aliases: ['henvisertype', 'henviser_type'],
      },
      { name: 'referrer_id', type: { kind: 'text' }, required: false, aliases: ['henviser', 'henviser_id'] },
      { name: 'receiver_id', type: { kind: 'text' }, required: true, aliases: ['mottaker', 'mottaker_id'] },
      { ...providerType, name: 'receiver_type', aliases: ['mottakertype', 'mottaker_type'] },
      { name: 'assessing_unit', type: { kind: 'text' }, required: true, aliases: ['vurderende_enhet', 'vurdert_av'] },
      {
        name: 'assessment',
        type: {
          kind: 'choice',
          values: {
            right: 'right', no_right: 'no_right', declined: 'declined', returned: 'returned', redirected: 'redirected',
            rett: 'right', ikke_rett: 'no_right', avvist: 'declined', returnert: 'returned', videresendt: 'redirected',
          },
        },
        required: true,
        aliases: ['vurdering', 'rettighetsvurdering'],
      },
      { name: 'deadline_date', type: { kind: 'date' }, required: false, aliases: ['frist', 'fristdato'] },
      { name: 'reason_codes', type: { kind: 'code_list' }, required: false, aliases: ['henvisningsarsak', 'diagnoser', 'arsakskoder'] },
      { name: 'requested_procedures', type: { kind: 'code_list' }, required: false, aliases: ['onsket_prosedyre', 'prosedyrer'] },
      { name: 'assessed_date', type: { kind: 'date' }, required: false, aliases: ['vurdert_dato', 'vurderingsdato'] },
    ],
    rules: [
      { kind: 'in_window', column: 'received_date' },
      { kind: 'not_before', column: 'assessed_date', other: 'received_date' },
      { kind: 'not_before', column: 'deadline_date', other: 'received_date' },
      { kind: 'unique', column: 'referral_id' },
    ],
  },
};

/** Resolve a file's header to contract columns; unknown headers are reported, never guessed. */
export function matchHeader(
  spec: DatasetSpec,
  header: string[],
): { mapping: Map<string, string>; missing: string[]; unknown: string[]; twice: string[] } {
  const mapping = new Map<string, string>(); // contract name -> header as written
  const lower = header.map((h) => h.trim().toLowerCase());
  // A contract column given by more than one header column (twice, or by name and by alias): which would count is a guess.
  const twice: string[] = [];
  for (const column of spec.columns) {
    const names = [column.name, ...(column.aliases ?? [])];
    const positions = lower.flatMap((h, i) => (names.includes(h) ? [i] : []));
    if (positions.length > 1) twice.push(`${column.name} (columns ${positions.map((i) => i + 1).join(' and ')})`);
    if (positions.length > 0) mapping.set(column.name, header[positions[0]!]!);
  }
  const used = new Set(mapping.values());
  const missing = spec.columns.filter((c) => c.required && !mapping.has(c.name)).map((c) => c.name);
  const unknown = header.filter((h) => !used.has(h));
  return { mapping, missing, unknown, twice };
}
