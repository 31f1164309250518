import { VaratlasError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { LabelOptions } from './labels.js';
import { needs, type NeedOptions, type ServiceNeeds } from './needs.js';
import type { RateOptions } from './rates.js';
import { comparableServiceRates, type ServiceRatesRequest } from './service-rates.js';
import { variation, type VariationResult } from './variation.js';

export interface NeedsReport {
  years: [number, number];
  /** The year the needs are for (default: the last of the period). */
  year: number;
  region: string | null;
  services: { variation: VariationResult; needs: ServiceNeeds }[];
}

/**
 * Tables 4 and 5 for a set of services: labels from the variation over the period, needs for one
 * year, optionally for the areas of one region only.
 */
export async function needsReport(
  store: Store,
  request: ServiceRatesRequest & { year?: number; region?: string; labels: LabelOptions; needs: Omit<NeedOptions, 'suppression'> },
  defaults: (years: [number, number]) => RateOptions,
): Promise<NeedsReport> {
  // Labels need the period, needs one year: the other years are not computed.
  const { tables, services, options } = await comparableServiceRates(
    store,
    { ...request, level: 'area', frames: (o) => [null, request.year ?? o.toYear] },
    defaults,
  );
  const year = request.year ?? options.toYear;
  const areas = await store.areas();
  const regionOf = new Map(areas.map((a) => [a.areaCode, { code: a.regionCode, name: a.regionName }]));
  if (request.region !== undefined && !areas.some((a) => a.regionCode === request.region)) throw unknownRegion(request.region, areas);
  const inRegion = (unit: string) => !request.region || regionOf.get(unit)?.code === request.region;
  return {
    years: [options.fromYear, options.toYear],
    year,
    region: request.region ?? null,
    services: tables.map((table, i) => {
      const v = variation(table, request.labels);
      const n = needs(table, year, regionOf, services[i]!.contractVolume, { ...request.needs, suppression: options.suppression });
      return {
        variation: { ...v, areas: v.areas.filter((a) => inRegion(a.unit)), leftOut: v.leftOut.filter((a) => inRegion(a.unit)) },
        needs: { ...n, areas: n.areas.filter((a) => inRegion(a.unit)), regions: n.regions.filter((r) => !request.region || r.regionCode === request.region) },
      };
    }),
  };
}

/** A region the geography does not have, named with the ones it has. */
export function unknownRegion(code: string, areas: { regionCode: string; regionName: string }[]): VaratlasError {
  const known = [...new Map(areas.map((a) => [a.regionCode, a.regionName])).entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  const list = known.length ? `the regions are ${known.map(([c, n]) => `${c} (${n})`).join(', ')}` : 'no geography is imported';
  return new VaratlasError('usage', `no region '${code.slice(0, 40)}': ${list}`);
}
