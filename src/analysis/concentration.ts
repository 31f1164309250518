import type { ServiceDefinition } from '../catalog/service.js';
import { VaratlasError } from '../errors.js';
import { concentration, concentrationInterval, type UseBin } from '../stats/concentration.js';
import type { SuppressionRules } from '../stats/suppression.js';
import type { Level, Store, UseMeasure } from '../store/store.js';
import type { Shown } from './rate-row.js';

/**
 * Concentration of use (docs/patients.md): for the nation and each unit of a level, per year and the
 * period, the share of the stays, bed days or outpatient contacts used by the heaviest 1, 5, 10 and
 * 20 % of the patients, the Gini coefficient and the Lorenz curve, with bootstrap intervals.
 */
export interface ConcentrationOptions {
  years: [number, number];
  level: Level;
  measure: UseMeasure;
  service?: ServiceDefinition;
  specialty?: string;
  /** Stay rule options (docs/patients.md). */
  gapDays?: number;
  lookBackDays?: number;
  /** Confidence level of the intervals (default 0.95) and bootstrap draws (default 500). */
  confidence?: number;
  draws?: number;
  suppression: SuppressionRules;
}

export const topFractions = [0.01, 0.05, 0.1, 0.2];

export interface ConcentrationRow {
  /** null: the nation. */
  unit: string | null;
  unitName: string;
  /** null: the period pooled. */
  year: number | null;
  /** Patients who used any of what is measured, and their use in all: shown only as docs/patients.md says. */
  patients: Shown<number>;
  total: Shown<number>;
  tops: Shown<{ fraction: number; patients: number; share: number; lower: number; upper: number }[]>;
  gini: Shown<{ value: number; lower: number; upper: number }>;
  /** Share of use by the lightest users, at every percent of them. */
  lorenz: Shown<{ population: number; use: number }[]>;
}

export interface ConcentrationResult {
  measure: UseMeasure;
  level: Level;
  years: [number, number];
  service: string | null;
  specialty: string | null;
  rows: ConcentrationRow[];
}

/** Why a unit's concentration is withheld: too few patients for every percent of them to be a group of several. */
export const fewPatientsReason = (minimum: number) => `fewer than ${minimum} patients`;
/** Why a level's counts are withheld: one of its units is, and the others' counts would give it away. */
export const levelCountsReason = 'withheld: a unit of this level has too few patients, and its count could be worked out from the others';

/**
 * Why the counts of a service's concentration are withheld: its stays and patients are also published by
 * its rate tables (in stays, or patients), whose grids decide what they withhold; two publications of
 * nearly the same counts could be combined to work a withheld one out. The shares, Gini and curve stay.
 */
export const serviceCountsReason = "withheld: a service's counts are published by its rate tables, which decide what they withhold";

/**
 * The smallest population whose every percent is a group of more than the largest hidden count: each
 * step of the Lorenz curve and each top share then sums the use of at least that many patients.
 */
export const minimumPatients = (rules: SuppressionRules): number => 100 * (rules.maxHiddenCount + 1);

async function unitNames(store: Store, level: Level): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const p of await store.places()) {
    const unit = level === 'area' ? p.area : level === 'region' ? p.region : level === 'local' ? p.localArea : { code: p.municipality, name: p.name };
    if (unit) names.set(unit.code, unit.name);
  }
  return names;
}

export async function concentrationByUnit(store: Store, o: ConcentrationOptions): Promise<ConcentrationResult> {
  if (o.years[0] > o.years[1]) throw new VaratlasError('usage', `the period ${o.years[0]}–${o.years[1]} ends before it starts`);
  const histograms = await store.useHistograms({
    fromYear: o.years[0], toYear: o.years[1], level: o.level, measure: o.measure, service: o.service, specialty: o.specialty,
    gapDays: o.gapDays, lookBackDays: o.lookBackDays,
  });
  const bins = new Map<string, { unit: string | null; year: number | null; bins: UseBin[] }>();
  for (const h of histograms) {
    const key = `${h.unit}|${h.year}`;
    let b = bins.get(key);
    if (!b) bins.set(key, (b = { unit: h.unit, year: h.year, bins: [] }));
    b.bins.push({ value: h.value, patients: h.patients });
  }
  const names = await unitNames(store, o.level);
  const minimum = minimumPatients(o.suppression);
  const rows: ConcentrationRow[] = [...bins.values()]
    .sort((a, b) => (a.unit === null ? -1 : b.unit === null ? 1 : a.unit.localeCompare(b.unit)) || (a.year ?? 0) - (b.year ?? 0))
    .map(({ unit, year, bins: histogram }) => {
      const c = concentration(histogram, topFractions);
      const base = { unit, unitName: unit === null ? 'national' : (names.get(unit) ?? unit), year };
      if (c.patients < minimum) {
        const withheld = { withheld: fewPatientsReason(minimum) };
        return { ...base, patients: withheld, total: withheld, tops: withheld, gini: withheld, lorenz: withheld };
      }
      const i = concentrationInterval(histogram, topFractions, { draws: o.draws, level: o.confidence });
      return {
        ...base,
        patients: c.patients,
        total: c.total,
        tops: c.tops.map((t, k) => ({ ...t, lower: i.tops[k]!.lower, upper: i.tops[k]!.upper })),
        gini: { value: c.gini, ...i.gini },
        lorenz: c.lorenz,
      };
    });
  return {
    measure: o.measure, level: o.level, years: o.years, service: o.service?.id ?? null, specialty: o.specialty ?? null,
    rows: o.service ? rows.map((r) => (typeof r.patients === 'number' ? { ...r, patients: { withheld: serviceCountsReason }, total: { withheld: serviceCountsReason } } : r)) : withholdLevelCounts(rows),
  };
}

/**
 * The counts of a level's units are additive (over units to the nation, over years to the period): where
 * any unit is withheld in any frame, the counts of every unit of the level are withheld too, so that no
 * withheld count is a difference of shown ones. Shares, Gini and the curve stay: they hold no count.
 */
function withholdLevelCounts(rows: ConcentrationRow[]): ConcentrationRow[] {
  const units = rows.filter((r) => r.unit !== null);
  if (!units.some((r) => typeof r.patients !== 'number')) return rows;
  const withheld = { withheld: levelCountsReason };
  return rows.map((r) => (r.unit === null || typeof r.patients !== 'number' ? r : { ...r, patients: withheld, total: withheld }));
}
