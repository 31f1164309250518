import type { SuppressionRules } from '../stats/suppression.js';
import type { Store } from '../store/store.js';
import { coordinateSuppression, gridRows, regionRows, type RowMask } from './publication-grid.js';
import type { RateTable } from './rate-row.js';

/**
 * The publication grid of a count that no other output publishes (a service's stays, its referrals),
 * decided on its own area table of the standard period and each year: every area, region (the sum of
 * its areas) and the nation, with the provider split, withheld together as the services' grids are
 * (src/analysis/grid-suppression.ts). Distinct patients are not counted with these: nought in the grid.
 */
export async function ownGridMasks(store: Store, byArea: RateTable, rules: SuppressionRules): Promise<Map<string, RowMask>> {
  const regionOf = new Map((await store.areas()).map((a) => [a.areaCode, a.regionCode]));
  return coordinateSuppression([...gridRows(byArea), ...regionRows(byArea, regionOf, new Map())], regionOf, rules);
}

/** One value per store generation and key, computed once (a failed computation is forgotten, to be asked again). */
export function memoOf<T>(): (store: Store, key: string, compute: () => Promise<T>) => Promise<T> {
  const cache = new WeakMap<Store, Map<string, Promise<T>>>();
  return (store, key, compute) => {
    let byKey = cache.get(store);
    if (!byKey) cache.set(store, (byKey = new Map()));
    const full = `${store.generation}|${key}`;
    let value = byKey.get(full);
    if (!value) {
      value = compute();
      byKey.set(full, value);
      value.catch(() => byKey.delete(full));
    }
    return value;
  };
}
