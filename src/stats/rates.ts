import { countInterval, type Interval } from './intervals.js';

/**
 * Rates from strata. Pure functions: counts in, numbers out.
 * A stratum is one cell of sex × age group for one area (and year or period).
 */
export interface RateStratum {
  events: number;
  /** Population at risk (person-years). */
  population: number;
  /** Weight of the stratum in the standard population (direct standardisation). */
  standard?: number;
  /** Rate of the reference population in this stratum, events per person (indirect standardisation). */
  referenceRate?: number;
}

export interface RateEstimate extends Interval {
  value: number;
}

export interface RateOptions {
  multiplier: number;
  level: number;
  /**
   * For an amount that is not a count of events (bed days): φ = Σ a² / Σ a over the units counted (each
   * stay's bed days a). The amount is taken as φ × a Poisson count (a scaled, or quasi-, Poisson), so its
   * limits are φ × the count limits of amount / φ. 1 (the default) is a plain count.
   */
  dispersion?: number;
}

/**
 * Limits for an amount that is φ × a Poisson count: φ × the count limits of amount / φ (countInterval:
 * exact below 10, Byar's from 10, on the effective count). With φ = 1, the count's own limits.
 */
export function scaledCountInterval(amount: number, level: number, dispersion = 1): Interval {
  if (!(dispersion > 0)) throw new RangeError(`a dispersion must be positive, got ${dispersion}`);
  if (dispersion === 1) return countInterval(amount, level);
  const ci = countInterval(amount / dispersion, level);
  return { lower: ci.lower * dispersion, upper: ci.upper * dispersion };
}


/** Crude rate O/N × multiplier, with exact (O < 10) or Byar's limits on O (scaled: scaledCountInterval). */
export function crudeRate(events: number, population: number, o: RateOptions): RateEstimate {
  if (population <= 0) return { value: NaN, lower: NaN, upper: NaN };
  const ci = scaledCountInterval(events, o.level, o.dispersion);
  return {
    value: (events / population) * o.multiplier,
    lower: (ci.lower / population) * o.multiplier,
    upper: (ci.upper / population) * o.multiplier,
  };
}

/**
 * Directly standardised rate, DSR = Σ wᵢ Oᵢ/Nᵢ / Σ wᵢ, with Dobson's method: the limits of the
 * total count O (Byar's, exact below 10) are carried over to the DSR through
 * DSR ± √(var(DSR)/O) · (O_limit − O), var(DSR) = Σ wᵢ² Oᵢ / Nᵢ² / (Σ wᵢ)²
 * (Dobson et al., Stat Med 1991; APHO Technical Briefing 3).
 * Strata with no population carry no weight; a stratum with events but no population is an error.
 * With a dispersion φ (an amount such as bed days), var(DSR) is φ times the count's and the limits are
 * carried over from the effective count O/φ: DSR ± √(var(DSR)/(O/φ)) · (L − O/φ), L its limits.
 */
export function directlyStandardisedRate(strata: RateStratum[], o: RateOptions): RateEstimate & { variance: number } {
  // One loop over the strata with population (these are computed for every unit, year and service).
  let totalWeight = 0;
  let observed = 0;
  let weighted = 0;
  let weightedSquares = 0;
  let population = 0;
  for (const s of strata) {
    if (s.population <= 0) {
      if (s.events > 0) throw new RangeError(`a stratum has ${s.events} events but no population`);
      continue;
    }
    const w = s.standard ?? 0;
    totalWeight += w;
    observed += s.events;
    weighted += (w * s.events) / s.population;
    weightedSquares += (w ** 2 * s.events) / s.population ** 2;
    population += s.population;
  }
  if (totalWeight <= 0) return { value: NaN, lower: NaN, upper: NaN, variance: NaN };
  const dsr = weighted / totalWeight;
  const phi = o.dispersion ?? 1;
  if (!(phi > 0)) throw new RangeError(`a dispersion must be positive, got ${phi}`);
  const variance = (phi * weightedSquares) / totalWeight ** 2;
  if (observed === 0) {
    // No events: the DSR is 0; Dobson's carry-over is undefined, the upper limit uses the crude scale.
    const ci = scaledCountInterval(0, o.level, phi);
    return { value: 0, lower: 0, upper: (ci.upper / population) * o.multiplier, variance: 0 };
  }
  const effective = observed / phi;
  const ci = countInterval(effective, o.level);
  const scale = Math.sqrt(variance / effective);
  return {
    value: dsr * o.multiplier,
    lower: (dsr + scale * (ci.lower - effective)) * o.multiplier,
    upper: (dsr + scale * (ci.upper - effective)) * o.multiplier,
    variance: variance * o.multiplier ** 2,
  };
}

/** Expected events: Σ Nᵢ × reference rateᵢ. */
export function expectedEvents(strata: RateStratum[]): number {
  let expected = 0;
  for (const s of strata) expected += s.population * (s.referenceRate ?? 0);
  return expected;
}

/**
 * Indirectly standardised ratio O/E with the limits of O (exact below 10, Byar's from 10; scaled by a
 * dispersion φ for an amount: scaledCountInterval) over E.
 * Multiply by 100 for an SMR-style ratio, or by the reference rate for an indirectly standardised rate.
 */
export function indirectlyStandardisedRatio(observed: number, expected: number, level: number, dispersion = 1): RateEstimate {
  if (expected <= 0) return { value: NaN, lower: NaN, upper: NaN };
  const ci = scaledCountInterval(observed, level, dispersion);
  return { value: observed / expected, lower: ci.lower / expected, upper: ci.upper / expected };
}
