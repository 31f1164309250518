import { merge } from 'topojson-client';
import type { GeometryCollection, MultiPolygon as TopoMultiPolygon, Polygon as TopoPolygon, Topology } from 'topojson-specification';
import type { MultiPolygon } from 'geojson';
import type { GeographyPlace } from '../store/store.js';

/** The levels a map can draw: every one is a union of whole municipalities (but see `split`). */
export type MapLevel = 'area' | 'region' | 'local' | 'municipality';

/** The municipality boundaries: one GeometryCollection whose polygons carry `municipality` and `name`. */
export type MunicipalityTopology = Topology<{ municipalities: GeometryCollection<{ municipality: string; name: string }> }>;

export interface MapUnit {
  unit: string;
  name: string;
  /** The municipalities merged into it, by number. */
  municipalities: string[];
  geometry: MultiPolygon;
}

/** A municipality whose districts lie in several units (Oslo): drawn as itself, never as a wrong unit. */
export interface SplitMunicipality {
  municipality: string;
  name: string;
  units: { unit: string; name: string }[];
  geometry: MultiPolygon;
}

export interface Dissolved {
  units: MapUnit[];
  split: SplitMunicipality[];
  /** Municipalities of the boundary file that the geography does not place (drawn blank). */
  unplaced: string[];
  /** Municipalities of the geography with no boundary (left off the map; their units may be partly drawn). */
  unbounded: string[];
}

const unitOf = (p: GeographyPlace, level: MapLevel) =>
  level === 'local' ? (p.localArea ?? p.area) : level === 'municipality' ? { code: p.municipality, name: p.district === null ? p.name : p.municipality } : p[level];

/**
 * Dissolve the municipality polygons into the units of a level by the geography actually imported
 * (TopoJSON merge: shared borders disappear, so a unit is one clean outline), so that a user's own
 * area definitions are drawn right without a boundary file of their own.
 */
export function dissolve(topology: MunicipalityTopology, places: GeographyPlace[], level: MapLevel): Dissolved {
  const unitsOf = new Map<string, Map<string, string>>();
  for (const p of places) {
    const u = unitOf(p, level);
    const units = unitsOf.get(p.municipality) ?? new Map<string, string>();
    units.set(u.code, u.name);
    unitsOf.set(p.municipality, units);
  }
  const geometries = topology.objects.municipalities.geometries.filter((g): g is (TopoPolygon | TopoMultiPolygon) & { properties: { municipality: string; name: string } } =>
    g.type === 'Polygon' || g.type === 'MultiPolygon');
  const members = new Map<string, { name: string; geometries: typeof geometries }>();
  const split: SplitMunicipality[] = [];
  const unplaced: string[] = [];
  for (const g of geometries) {
    const units = unitsOf.get(g.properties.municipality);
    if (!units) {
      unplaced.push(g.properties.municipality);
    } else if (units.size > 1) {
      split.push({
        municipality: g.properties.municipality,
        name: g.properties.name,
        units: [...units].map(([unit, name]) => ({ unit, name })).sort((a, b) => a.unit.localeCompare(b.unit, 'en', { numeric: true })),
        geometry: merge(topology, [g]),
      });
    } else {
      const [[unit, name]] = [...units] as [[string, string]];
      const m = members.get(unit) ?? { name, geometries: [] };
      m.geometries.push(g);
      members.set(unit, m);
    }
  }
  const bounded = new Set(geometries.map((g) => g.properties.municipality));
  return {
    units: [...members]
      .map(([unit, m]) => ({ unit, name: m.name, municipalities: m.geometries.map((g) => g.properties.municipality).sort(), geometry: merge(topology, m.geometries) }))
      .sort((a, b) => a.unit.localeCompare(b.unit, 'en', { numeric: true })),
    split,
    unplaced: unplaced.sort(),
    unbounded: [...unitsOf.keys()].filter((m) => !bounded.has(m)).sort(),
  };
}
