import { VaratlasError } from '../errors.js';
import { countInterval } from '../stats/intervals.js';
import { dsrVariance, rateDifference, rateRatio, type ComparedRate, type Comparison } from '../stats/rate-comparison.js';
import { isWithheld, type RateRow, type RateTable, type Shown } from './rate-row.js';

/**
 * Comparisons of standardised rates with intervals (src/stats/rate-comparison.ts, APHO/PHE methods),
 * read from a published rate table only: each unit against the nation, each unit's year against the
 * year before, and two chosen units against each other. A withheld rate gives a withheld comparison.
 */
export interface RateComparisons {
  service: RateTable['service'];
  level: RateTable['level'];
  /** The year compared, or null for the pooled period. */
  year: number | null;
  years: [number, number];
  confidence: number;
  nationalRate: Shown<number>;
  units: UnitComparison[];
  /** The two chosen units: the first against the second. */
  between: PairComparison | null;
}

export interface UnitComparison {
  unit: string;
  unitName: string;
  standardisedRate: RateRow['standardisedRate'];
  /** Against the nation, whose rate is taken as a fixed reference (it contains the unit). */
  versusNational: { ratio: Shown<Comparison>; difference: Shown<Comparison> };
  /** The year against the year before (null for the pooled period or the first year). */
  sincePreviousYear: { from: number; ratio: Shown<Comparison>; difference: Shown<Comparison> } | null;
}

export interface PairComparison {
  a: { unit: string; unitName: string };
  b: { unit: string; unitName: string };
  ratio: Shown<Comparison>;
  difference: Shown<Comparison>;
}

const withheldBecause = (row: RateRow): string => `the rate of ${row.unitName} is withheld`;

/** The rate as published with the variance its Dobson interval carries; null when it is withheld. */
function comparedRate(row: RateRow, confidence: number): ComparedRate | null {
  const rate = row.standardisedRate;
  if (isWithheld(rate) || isWithheld(row.events)) return null;
  const events = row.events;
  return { value: rate.value, variance: dsrVariance(rate.value, rate.upper, events, countInterval(events, confidence).upper) };
}

function compare(a: RateRow, b: RateRow, confidence: number, bFixed: boolean): { ratio: Shown<Comparison>; difference: Shown<Comparison> } {
  const x = comparedRate(a, confidence);
  const y = comparedRate(b, confidence);
  if (!x) return { ratio: { withheld: withheldBecause(a) }, difference: { withheld: withheldBecause(a) } };
  if (!y) return { ratio: { withheld: withheldBecause(b) }, difference: { withheld: withheldBecause(b) } };
  const reference = bFixed ? { value: y.value, variance: 0 } : y;
  const ratio = rateRatio(x, reference, confidence);
  return {
    ratio: Number.isFinite(ratio.value) ? ratio : { withheld: x.value > 0 ? `the rate of ${b.unitName} is 0` : `the rate of ${a.unitName} is 0` },
    difference: rateDifference(x, reference, confidence),
  };
}

export function compareRates(table: RateTable, o: { year?: number | null; between?: [string, string] } = {}): RateComparisons {
  const year = o.year ?? null;
  if (year !== null && (year < table.years[0] || year > table.years[1])) {
    throw new VaratlasError('usage', `the year ${year} is outside the table's period ${table.years[0]}–${table.years[1]}`);
  }
  const rows = table.rows.filter((r) => r.year === year);
  const national = rows.find((r) => r.national);
  if (!national) throw new VaratlasError('usage', `the rate table has no national row for ${year ?? 'the period'}`);
  const previous = new Map(year === null ? [] : table.rows.filter((r) => r.year === year - 1).map((r) => [r.unit, r]));
  const units = rows
    .filter((r) => !r.national)
    .map((r) => {
      const before = previous.get(r.unit);
      return {
        unit: r.unit,
        unitName: r.unitName,
        standardisedRate: r.standardisedRate,
        versusNational: compare(r, national, table.confidence, true),
        sincePreviousYear: before ? { from: before.year!, ...compare(r, before, table.confidence, false) } : null,
      };
    });
  let between: PairComparison | null = null;
  if (o.between) {
    const [a, b] = o.between.map((unit) => {
      const row = rows.find((r) => r.unit === unit && !r.national);
      if (!row) throw new VaratlasError('usage', `no ${table.level} ${unit} in the rate table (choose among ${rows.filter((r) => !r.national).map((r) => r.unit).join(', ')})`);
      return row;
    }) as [RateRow, RateRow];
    if (a.unit === b.unit) throw new VaratlasError('usage', `compare two different units, not ${a.unit} with itself`);
    between = { a: { unit: a.unit, unitName: a.unitName }, b: { unit: b.unit, unitName: b.unitName }, ...compare(a, b, table.confidence, false) };
  }
  const nationalRate: Shown<number> = isWithheld(national.standardisedRate) ? national.standardisedRate : national.standardisedRate.value;
  return { service: table.service, level: table.level, year, years: table.years, confidence: table.confidence, nationalRate, units, between };
}
