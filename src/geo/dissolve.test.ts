import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { geoArea, geoBounds, geoCentroid, geoContains } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { GeographyPlace } from '../store/store.js';
import { dissolve, type MunicipalityTopology } from './dissolve.js';
import { norwayFile, norwayGeography } from './norway.js';

const topology = JSON.parse(readFileSync(norwayFile('municipalities.topojson'), 'utf8')) as MunicipalityTopology;
const municipalities = feature(topology, topology.objects.municipalities).features as Feature<Polygon | MultiPolygon, { municipality: string; name: string }>[];

/** The built-in geography as the store's places() gives it (the user's file would look the same). */
const places: GeographyPlace[] = norwayGeography().map((g) => ({
  municipality: g.municipality, district: g.district || null, name: g.district_name || g.municipality_name,
  area: { code: g.area_code, name: g.area_name }, region: { code: g.region_code, name: g.region_name },
  localArea: { code: g.local_area_code, name: g.local_area_name },
}));

/** A point inside a municipality: its centroid, or where that falls outside it (a fjord), the nearest point of a grid that is inside. */
function inside(f: Feature<Polygon | MultiPolygon>): [number, number] {
  const c = geoCentroid(f);
  if (geoContains(f, c)) return c;
  const [[x0, y0], [x1, y1]] = geoBounds(f);
  let best: [number, number] | null = null;
  for (let i = 1; i < 40; i++) {
    for (let j = 1; j < 40; j++) {
      const p: [number, number] = [x0 + ((x1 - x0) * i) / 40, y0 + ((y1 - y0) * j) / 40];
      if (geoContains(f, p) && (!best || Math.hypot(p[0] - c[0], p[1] - c[1]) < Math.hypot(best[0] - c[0], best[1] - c[1]))) best = p;
    }
  }
  assert.ok(best, `a point inside ${f.properties}`);
  return best;
}

describe('the map of Norway', () => {
  it('has a boundary for every municipality of the built-in geography, and nothing else', () => {
    const bounded = new Set(municipalities.map((f) => f.properties.municipality));
    assert.equal(bounded.size, 357);
    assert.deepEqual(bounded, new Set(places.map((p) => p.municipality)));
    for (const f of municipalities) assert.equal(f.properties.name.length > 0, true);
  });

  // OUS, Lovisenberg and Diakonhjemmet are parts of Oslo only: they have no polygon of their own.
  for (const [level, count, split] of [['area', 18, ['0301']], ['region', 4, []], ['local', 0, ['0301', '4601']]] as const) {
    it(`dissolves the municipalities into valid ${level} polygons, each holding its municipalities`, () => {
      const d = dissolve(topology, places, level);
      if (count) assert.equal(d.units.length, count);
      assert.deepEqual([d.unplaced, d.unbounded], [[], []]);
      // Only Oslo (and at the local level Bergen) is split between units by its districts.
      assert.deepEqual(d.split.map((s) => s.municipality), split);
      if (level === 'area') {
        assert.deepEqual(d.split[0]!.units.map((u) => u.name), ['Akershus', 'OUS', 'Lovisenberg', 'Diakonhjemmet']);
        assert.equal(new Set([...d.units.map((u) => u.unit), ...d.split[0]!.units.map((u) => u.unit)]).size, 21);
      }
      const total = municipalities.reduce((s, f) => s + geoArea(f), 0);
      let dissolved = 0;
      for (const u of [...d.units, ...d.split]) {
        for (const polygon of u.geometry.coordinates) {
          for (const ring of polygon) {
            assert.ok(ring.length >= 4, `${u.name}: a ring of at least 4 positions`);
            assert.deepEqual(ring[0], ring[ring.length - 1], `${u.name}: closed rings`);
            assert.ok(ring.every(([x, y]) => x! >= 4.4 && x! <= 31.2 && y! >= 57.9 && y! <= 71.2), `${u.name}: inside Norway's box`);
          }
        }
        // Wound the right way: a unit covers a part of Norway, not the rest of the globe.
        const area = geoArea(u.geometry);
        assert.ok(area > 0 && area < 0.01, `${u.name}: area ${area} sr`);
        dissolved += area;
      }
      assert.ok(Math.abs(dissolved - total) < 1e-6 * total, `merging keeps the land: ${dissolved} vs ${total}`);
      // Each municipality's inner point lies in its own unit and in no other.
      const units = [...d.units.map((u) => ({ id: u.unit, geometry: u.geometry, members: u.municipalities })), ...d.split.map((s) => ({ id: s.municipality, geometry: s.geometry, members: [s.municipality] }))];
      for (const f of municipalities) {
        const p = inside(f);
        const holders = units.filter((u) => geoContains(u.geometry, p)).map((u) => u.id);
        const own = units.find((u) => u.members.includes(f.properties.municipality))!;
        assert.deepEqual(holders, [own.id], `${f.properties.name} (${f.properties.municipality})`);
      }
    });
  }

  it('follows the geography it is given: a user who moves a municipality to another area moves it on the map', () => {
    const moved = places.map((p) => (p.municipality === '4601' ? { ...p, area: { code: '12', name: 'Fonna' } } : p));
    const d = dissolve(topology, moved, 'area');
    assert.ok(d.units.find((u) => u.unit === '12')!.municipalities.includes('4601'));
    assert.ok(!d.units.find((u) => u.unit === '11')!.municipalities.includes('4601'));
    const without = dissolve(topology, places.filter((p) => p.municipality !== '1804'), 'area');
    assert.deepEqual(without.unplaced, ['1804']);
  });
});
