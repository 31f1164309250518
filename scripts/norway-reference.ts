/**
 * Writes the project's built-in Norwegian geography (data/norway/) from the facts in
 * ../shared/data/norway (SKDE's catchment-area table and renumbering table; see its README):
 *
 *   data/norway/geography.csv    the 2024 municipalities (and the districts of Oslo, Bergen, Stavanger and
 *                                Trondheim) → catchment area (bohf) → region (borhf), with the local-hospital
 *                                area (bosh), in the data contract's geography columns
 *   data/norway/renumbering.csv  every municipality renumbering 1988–2024, in the contract's columns
 *   data/norway/municipalities.topojson  the 2024 municipality boundaries (Kartverket, CC BY 4.0) for the map
 *
 * `varatlas import geography --builtin norway` loads both. Run again when the facts change:
 *
 *   node --import tsx scripts/norway-reference.ts [path/to/shared/data/norway]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvText } from '../src/export/csv.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? join(root, '..', 'shared', 'data', 'norway');
const target = join(root, 'data', 'norway');

/** A CSV of plain fields or fields quoted with "", as SKDE writes them. */
function readCsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
  const split = (line: string) => {
    const out: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') out.push(field), (field = '');
      else field += c;
    }
    out.push(field);
    return out;
  };
  const [header, ...rows] = lines.map(split);
  return rows.map((r) => Object.fromEntries(header!.map((name, i) => [name, r[i] ?? ''])));
}

const write = (name: string, columns: string[], rows: Record<string, string>[]) => {
  writeFileSync(join(target, name), csvText(columns, rows.map((r) => columns.map((c) => r[c] ?? ''))));
};

mkdirSync(target, { recursive: true });
const geography = readCsv(join(source, 'geography-2024.csv')).sort((a, b) => a.municipality!.localeCompare(b.municipality!) || a.district!.localeCompare(b.district!));
write('geography.csv', ['municipality', 'district', 'municipality_name', 'district_name', 'area_code', 'area_name', 'region_code', 'region_name', 'local_area_code', 'local_area_name'], geography);
const renumbering = readCsv(join(source, 'renumbering.csv')).sort((a, b) => Number(a.year) - Number(b.year) || a.old_municipality!.localeCompare(b.old_municipality!));
write('renumbering.csv', ['year', 'old_municipality', 'new_municipality'], renumbering);
console.log(`data/norway: ${geography.length} geography rows (${new Set(geography.map((r) => r.municipality)).size} municipalities), ${renumbering.length} renumberings`);

/**
 * data/norway/municipalities.topojson: Kartverket's 2024 municipality boundaries (CC BY 4.0), as a
 * quantised TopoJSON (positions on a 100 000 × 100 000 grid over Norway's box, about 15 m, delta-encoded)
 * with one object `municipalities` whose geometries carry `municipality` (the number) and `name`, the
 * outer rings clockwise.
 */
type Topology = { bbox: number[]; arcs: number[][][]; objects: Record<string, { type: string; geometries: { type: string; arcs: unknown; properties: Record<string, string> }[] }> };
const boundaries = JSON.parse(readFileSync(join(source, 'municipalities-2024.topojson'), 'utf8')) as Topology;
const [x0, y0, x1, y1] = boundaries.bbox as [number, number, number, number];
const n = 100_000;
const scale = [(x1 - x0) / (n - 1), (y1 - y0) / (n - 1)] as const;
const arcs = boundaries.arcs.map((arc) => {
  const out: number[][] = [];
  let [px, py] = [0, 0];
  for (const [i, [x, y]] of arc.entries()) {
    const qx = Math.round((x! - x0) / scale[0]);
    const qy = Math.round((y! - y0) / scale[1]);
    // Drop a position that falls on the one before (never the arc's ends).
    if (i > 0 && i < arc.length - 1 && qx === px && qy === py) continue;
    out.push([qx - px, qy - py]);
    [px, py] = [qx, qy];
  }
  return out;
});
/**
 * d3 (and so the atlas's map) reads a polygon's outer ring clockwise and its holes anticlockwise, the
 * opposite of the source's winding: a ring the wrong way round would fill the rest of the globe. Such a
 * ring is turned by reversing its arcs (arc i read backwards is ~i).
 */
const ringArea = (ring: number[]) => {
  const points = ring.flatMap((i) => (i >= 0 ? boundaries.arcs[i]! : [...boundaries.arcs[~i]!].reverse()));
  let sum = 0;
  for (let k = 0; k + 1 < points.length; k++) sum += points[k]![0]! * points[k + 1]![1]! - points[k + 1]![0]! * points[k]![1]!;
  return sum / 2;
};
const wound = (polygon: number[][]) => polygon.map((ring, r) => ((r === 0) === ringArea(ring) > 0 ? ring.map((i) => ~i).reverse() : ring));
const geometries = Object.values(boundaries.objects)[0]!.geometries.map((g) => ({
  type: g.type,
  arcs: g.type === 'Polygon' ? wound(g.arcs as number[][]) : (g.arcs as number[][][]).map(wound),
  properties: { municipality: g.properties.kommunenummer!, name: g.properties.kommunenavn! },
}));
const topology = { type: 'Topology', bbox: boundaries.bbox, transform: { scale, translate: [x0, y0] }, objects: { municipalities: { type: 'GeometryCollection', geometries } }, arcs };
writeFileSync(join(target, 'municipalities.topojson'), JSON.stringify(topology));
console.log(`data/norway/municipalities.topojson: ${geometries.length} municipalities, ${arcs.length} arcs`);
