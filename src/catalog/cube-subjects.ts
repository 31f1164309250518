import type { CubeRefresh, CubeSubjects, Store } from '../store/store.js';
import { findService, loadCatalogue } from './load-catalogue.js';
import { loadMeasures } from './load-measures.js';
import type { LowValueMeasure } from './measure.js';
import type { Catalogue } from './service.js';

const withDefaultMeasures = new WeakMap<Catalogue, Promise<CubeSubjects>>();

/** What the strata cube holds for a catalogue: its services and the low-value measures on them (the default ones unless given). */
export function cubeSubjects(catalogue: Catalogue, measures?: LowValueMeasure[]): Promise<CubeSubjects> {
  const of = (list: LowValueMeasure[]) => ({
    services: catalogue.services,
    measures: list.map((measure) => ({ measure, service: findService(catalogue, measure.denominator) })),
  });
  if (measures) return Promise.resolve(of(measures));
  let subjects = withDefaultMeasures.get(catalogue);
  if (!subjects) withDefaultMeasures.set(catalogue, (subjects = loadMeasures(catalogue).then(of)));
  return subjects;
}

const inCube = new WeakMap<Store, LowValueMeasure[]>();

/**
 * The low-value measures on a service that the store's cube was last made to answer for (by ensureCube):
 * their numerators are published too, and the service's own publication grid must allow for them.
 */
export function measuresOn(store: Store, serviceId: string): LowValueMeasure[] {
  return (inCube.get(store) ?? []).filter((m) => m.denominator === serviceId);
}

/**
 * Make the store's cube answer for this catalogue (the default one plus `catalogFiles`): a no-op when
 * it already does; otherwise only the new imports and the changed definitions are scanned.
 */
export async function ensureCube(
  store: Store,
  o: { catalogue?: Catalogue; catalogFiles?: string[]; measures?: LowValueMeasure[]; full?: boolean; onProgress?: (fraction: number) => void } = {},
): Promise<CubeRefresh> {
  const catalogue = o.catalogue ?? (await loadCatalogue(o.catalogFiles ?? []));
  const subjects = await cubeSubjects(catalogue, o.measures);
  const refreshed = await store.refreshCube(subjects, { full: o.full, onProgress: o.onProgress });
  inCube.set(store, subjects.measures.map((m) => m.measure));
  return refreshed;
}
