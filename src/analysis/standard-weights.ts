import { VaratlasError } from '../errors.js';
import type { PopulationStratum, Store } from '../store/store.js';
import { cellCount, cellIndex } from './strata.js';

/**
 * The standard population for direct standardisation, as weights per sex × 5-year age group:
 * - `national` (default): the national population of the last year of the period,
 * - `national:YEAR`: the national population of a chosen year (inside the period),
 * - `file`: the imported standard population (e.g. European Standard Population 2013), whose age
 *   groups are gathered into the 5-year groups 0–4 … 85–89, 90+; without sex it weighs both sexes alike.
 * The population is already restricted to the service's age and sex limits, so the weights are too.
 */
export type StandardChoice = { kind: 'national'; year?: number } | { kind: 'file' };

export async function standardWeights(
  choice: StandardChoice,
  population: PopulationStratum[],
  toYear: number,
  store: Store,
): Promise<{ weights: Float64Array; description: string }> {
  // Per cell (src/analysis/strata.ts).
  const weights = new Float64Array(cellCount);
  if (choice.kind === 'national') {
    const year = choice.year ?? toYear;
    let found = false;
    for (const p of population) {
      if (p.year !== year) continue;
      weights[cellIndex(p.sex, p.ageGroup)]! += p.population;
      found = true;
    }
    if (!found) {
      const years = [...new Set(population.map((p) => p.year))].sort((a, b) => a - b);
      const have = years.length ? `population for ${years[0]}${years.length > 1 ? `–${years.at(-1)}` : ''}` : 'no population';
      throw new VaratlasError('usage', `no data for ${year}: the standard population national:${year} needs the population of ${year}, and the store has ${have}`);
    }
    return { weights, description: `national population ${year}` };
  }
  const rows = await store.standardPopulation();
  if (rows.length === 0) throw new VaratlasError('usage', 'no standard population is imported (varatlas import standard_population FILE)');
  for (const r of rows) {
    const group = Math.min(Math.floor(r.ageLo / 5) * 5, 90);
    for (const sex of r.sex === null ? [1, 2] : [r.sex]) {
      weights[cellIndex(sex, group)]! += r.population;
    }
  }
  return { weights, description: 'imported standard population' };
}
