import { VaratlasError } from '../errors.js';
import type { SuppressionRules } from '../stats/suppression.js';
import type { HeavyProfileCount, Level, PatientUseQuery, Store, UseMeasure } from '../store/store.js';
import { fewPatientsReason, minimumPatients } from './concentration.js';
import type { Shown } from './rate-row.js';

/**
 * The heaviest users' profile (docs/patients.md#the-heaviest-users-profile): for the top 1 % and 10 % of the
 * patients by stays or bed days, and for all of them to compare, the share of their patients by sex and
 * age band, of their stays by ICD-10 chapter and main department, and the share readmitted within 30 days
 * or treated by providers of two or more regions. Aggregates only; small counts withheld.
 */
export interface ProfileOptions {
  years: [number, number];
  level: Level;
  /** A unit of the level; left out: the nation. */
  unit?: string;
  measure: Extract<UseMeasure, 'stays' | 'bed_days'>;
  service?: PatientUseQuery['service'];
  specialty?: string;
  suppression: SuppressionRules;
}

export interface ProfileCategory {
  category: string;
  /** Shown for the nation only (a unit's counts could be set against other outputs' withheld ones). */
  count: Shown<number> | null;
  share: Shown<number>;
}

export interface ProfileGroup {
  /** The top fraction of the patients; 1: all of them. */
  fraction: number;
  patients: number | null;
  stays: number | null;
  sex: ProfileCategory[];
  age: ProfileCategory[];
  chapter: ProfileCategory[];
  department: ProfileCategory[];
  readmitted: ProfileCategory;
  regions: ProfileCategory;
}

export type HeavyProfile = { years: [number, number]; measure: string; unit: string | null; groups: ProfileGroup[] } | { years: [number, number]; measure: string; unit: string | null; withheld: string };

export const profileFractions = [0.01, 0.1];
export const smallCategoryReason = (max: number) => `a count of 1–${max}, or one that would let it be worked out from the group's total`;

export async function heavyUserProfile(store: Store, o: ProfileOptions): Promise<HeavyProfile> {
  if ((o.measure as string) === 'outpatient') throw new VaratlasError('usage', 'the profile describes stays: rank the patients by stays or bed_days');
  const counts = await store.heavyUserProfile({
    fromYear: o.years[0], toYear: o.years[1], level: o.level, measure: o.measure, service: o.service, specialty: o.specialty, unit: o.unit, fractions: profileFractions,
  });
  const head = { years: o.years, measure: o.measure, unit: o.unit ?? null };
  const minimum = minimumPatients(o.suppression);
  const of = (fraction: number, dimension: HeavyProfileCount['dimension']) => counts.filter((c) => c.fraction === fraction && c.dimension === dimension);
  const users = of(1, 'total').find((c) => c.category === 'patients')?.count ?? 0;
  if (users < minimum) return { ...head, withheld: fewPatientsReason(minimum) };
  const national = o.unit === undefined;
  const max = o.suppression.maxHiddenCount;
  const small = (n: number) => n >= 1 && n <= max;
  const withheld = { withheld: smallCategoryReason(max) };
  /** A partition (its counts add up to the total): the small ones withheld, and the next smallest with a lone one. */
  const partition = (rows: HeavyProfileCount[], total: number): ProfileCategory[] => {
    const hide = new Set(rows.filter((r) => small(r.count)).map((r) => r.category));
    if (hide.size === 1) {
      const next = rows.filter((r) => !hide.has(r.category) && r.count > 0).sort((a, b) => a.count - b.count || a.category.localeCompare(b.category))[0];
      if (next) hide.add(next.category);
    }
    return rows.map((r) => ({ category: r.category, count: national ? (hide.has(r.category) ? withheld : r.count) : null, share: hide.has(r.category) ? withheld : r.count / total }));
  };
  /** A yes/no count among the group's patients: withheld when it or its complement is small. */
  const binary = (rows: HeavyProfileCount[], patients: number, category: string): ProfileCategory => {
    const n = rows[0]?.count ?? 0;
    const hide = small(n) || small(patients - n);
    return { category, count: national ? (hide ? withheld : n) : null, share: hide ? withheld : n / patients };
  };
  const groups = [...profileFractions, 1].map((fraction): ProfileGroup => {
    const patients = of(fraction, 'total').find((c) => c.category === 'patients')?.count ?? 0;
    const stays = of(fraction, 'total').find((c) => c.category === 'stays')?.count ?? 0;
    return {
      fraction,
      patients: national ? patients : null,
      stays: national ? stays : null,
      sex: partition(of(fraction, 'sex'), patients),
      age: partition(of(fraction, 'age'), patients),
      chapter: partition(of(fraction, 'chapter'), stays),
      department: partition(of(fraction, 'department'), stays),
      readmitted: binary(of(fraction, 'readmitted'), patients, 'yes'),
      regions: binary(of(fraction, 'regions'), patients, 'two or more'),
    };
  });
  return { ...head, groups };
}
