import { geoPath, geoTransverseMercator, type GeoPermissibleObjects } from 'd3-geo';
import { el as html } from './dom.js';
import type { MultiPolygon } from 'geojson';
import { dissolve, type Dissolved, type MapLevel, type MunicipalityTopology } from '../../src/geo/dissolve.js';
import type { GeographyPlace } from '../../src/server/responses.js';
import { api, isWithheld, type RateTable } from './api.js';
import { t, type Lang } from './i18n.js';

/**
 * The real map: Kartverket's municipalities dissolved into the units of the level shown, by the geography
 * the store holds, in five classes around the national rate (a diverging, colour-blind-safe blue–orange
 * scale), withheld units hatched. Every unit is a button (click, Enter or Space selects it, as the bars
 * and the table do) with its figures in its accessible name and in the line under the map on hover and
 * focus. Oslo, whose areas are districts without polygons here, is one shape with its areas listed.
 */

const svgNs = 'http://www.w3.org/2000/svg';
const svg = (tag: string, attrs: Record<string, string | number> = {}) => {
  const e = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

/** Class limits as ratios to the national rate, and their colours (Okabe–Ito blue and vermillion, lightened). */
const limits = [0.8, 0.95, 1.05, 1.2];
const fills = ['#0072b2', '#8cc3e6', '#f2f2f2', '#f6b98a', '#d55e00'];
/** The class of a shown rate when the national rate is withheld (grey: no comparison). */
const noComparison = fills.length;
const noComparisonFill = '#bdbdbd';
/** What a colour function returns for a withheld unit: the drawing fills it with its hatch pattern. */
const hatched = 'hatched';
/** Each drawing defines its own hatch pattern (an id is unique in the page). */
let drawings = 0;

const dissolved = new Map<MapLevel, Promise<Dissolved>>();

/** The boundaries (fetched once, kept by the browser a day) dissolved by the places of the geography, once per level. */
export function mapOf(level: MapLevel): Promise<Dissolved> {
  let d = dissolved.get(level);
  if (!d) {
    d = Promise.all([api<MunicipalityTopology>('/api/map/municipalities'), api<GeographyPlace[]>('/api/places')]).then(([topology, places]) => dissolve(topology, places, level));
    dissolved.set(level, d);
  }
  return d;
}

/** A unit's class (null: withheld) and its figures in words. */
interface Figure {
  klass: number | null;
  text: string;
}

function figures(table: RateTable, lang: Lang): { byUnit: Map<string, Figure>; national: number | null } {
  const nationalRow = table.rows.find((r) => r.national && r.year === null);
  const national = nationalRow && !isWithheld(nationalRow.standardisedRate) ? nationalRow.standardisedRate.value : null;
  const format = (x: number) => x.toLocaleString(lang === 'nb' ? 'nb-NO' : 'en-GB', { maximumFractionDigits: 1 });
  const byUnit = new Map<string, Figure>();
  for (const r of table.rows.filter((x) => x.year === null && !x.national)) {
    if (isWithheld(r.standardisedRate)) {
      byUnit.set(r.unit, { klass: null, text: `${r.unitName}: ${t('withheld', lang)}` });
    } else if (national === null) {
      // The nation's own rate is withheld: an area's rate is shown, but there is nothing to compare it with.
      byUnit.set(r.unit, { klass: noComparison, text: `${r.unitName}: ${format(r.standardisedRate.value)} ${t('per100k', lang)} (${t('noNational', lang)})` });
    } else {
      const ratio = r.standardisedRate.value / national;
      const klass = limits.filter((l) => ratio >= l).length;
      byUnit.set(r.unit, { klass, text: `${r.unitName}: ${format(r.standardisedRate.value)} ${t('per100k', lang)}, ${format(ratio * 100)} % ${t('ofNational', lang)} (${classLabel(klass)})` });
    }
  }
  return { byUnit, national };
}

/** A unit's fill: its class's colour, grey without a national rate, hatched when withheld or absent. */
const fillOf = (f: Figure | undefined): string => (!f || f.klass === null ? hatched : f.klass === noComparison ? noComparisonFill : fills[f.klass]!);

const percent = (x: number) => `${Math.round(x * 100)} %`;
function classLabel(k: number): string {
  if (k === 0) return `< ${percent(limits[0]!)}`;
  if (k === limits.length) return `≥ ${percent(limits[limits.length - 1]!)}`;
  return `${Math.round(limits[k - 1]! * 100)}–${percent(limits[k]!)}`;
}

function hatch(id: string): SVGElement {
  const defs = svg('defs');
  const pattern = svg('pattern', { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  pattern.append(svg('rect', { width: 6, height: 6, fill: '#ffffff' }), svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#6b6b6b', 'stroke-width': 2 }));
  defs.append(pattern);
  return defs;
}

/** The outline of a box in lon/lat, for fitting the inset's projection. */
const box = (x0: number, y0: number, x1: number, y1: number): GeoPermissibleObjects => ({
  type: 'Polygon', coordinates: [[[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]],
});

/** Everything the map draws, for fitting its projection. */
const country = (d: Dissolved): GeoPermissibleObjects => ({
  type: 'FeatureCollection', features: [...d.units, ...d.split].map((u) => ({ type: 'Feature', properties: {}, geometry: u.geometry })),
});

/** One SVG of the units, fitted to `fit`; each unit a focusable button. */
function drawing(d: Dissolved, colour: (unit: string) => string, label: (unit: string) => string, o: { width: number; height: number; fit: GeoPermissibleObjects; title: string; selected: string; onPick?: (unit: string) => void; onHint?: (text: string) => void; clip?: boolean }): SVGSVGElement {
  const projection = geoTransverseMercator().rotate([-15, 0]).fitExtent([[4, 4], [o.width - 4, o.height - 4]], o.fit);
  if (o.clip) projection.clipExtent([[0, 0], [o.width, o.height]]);
  const path = geoPath(projection);
  const root = svg('svg', { viewBox: `0 0 ${o.width} ${o.height}`, width: o.width, height: o.height, role: 'group', 'aria-label': o.title, class: 'map' }) as SVGSVGElement;
  const hatchId = `varatlas-hatch-${++drawings}`;
  root.append(hatch(hatchId));
  const shapes: { unit: string; geometry: MultiPolygon; split: boolean }[] = [
    ...d.units.map((u) => ({ unit: u.unit, geometry: u.geometry, split: false })),
    ...d.split.map((s) => ({ unit: `split:${s.municipality}`, geometry: s.geometry, split: true })),
  ];
  // The selected unit last, so that its outline lies on top.
  shapes.sort((a, b) => Number(a.unit === o.selected) - Number(b.unit === o.selected));
  for (const s of shapes) {
    const fill = s.split ? '#ffffff' : colour(s.unit);
    const p = svg('path', { d: path(s.geometry) ?? '', fill: fill === hatched ? `url(#${hatchId})` : fill, stroke: s.unit === o.selected ? '#1a1a1a' : '#ffffff', 'stroke-width': s.unit === o.selected ? 1.5 : 0.6, 'data-unit': s.unit });
    if (s.split) {
      p.setAttribute('stroke', '#1a1a1a');
      p.setAttribute('stroke-dasharray', '2 1.5');
      p.setAttribute('stroke-width', '1');
    }
    const text = label(s.unit);
    p.append(Object.assign(svg('title'), { textContent: text }));
    if (o.onPick && !s.split) {
      p.setAttribute('tabindex', '0');
      p.setAttribute('role', 'button');
      p.setAttribute('aria-label', text);
      p.setAttribute('aria-pressed', String(s.unit === o.selected));
      p.classList.add('tile');
      const pick = o.onPick;
      p.addEventListener('click', () => pick(s.unit));
      p.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key === 'Enter' || (e as KeyboardEvent).key === ' ') {
          e.preventDefault();
          pick(s.unit);
        }
      });
    }
    p.addEventListener('mouseenter', () => o.onHint?.(text));
    p.addEventListener('focus', () => o.onHint?.(text));
    root.append(p);
  }
  return root;
}

/** The choropleth of the level shown, with its inset, legend, Oslo's areas, attribution and the line for figures. */
export async function realMap(table: RateTable, level: MapLevel, lang: Lang, selected: string, onPick: (unit: string) => void): Promise<Element> {
  const d = await mapOf(level);
  const { byUnit, national } = figures(table, lang);
  const colour = (unit: string) => fillOf(byUnit.get(unit));
  const label = (unit: string) => {
    if (unit.startsWith('split:')) {
      const s = d.split.find((x) => `split:${x.municipality}` === unit)!;
      return `${s.name}: ${t('splitCity', lang)} ${s.units.map((u) => u.name).join(', ')}`;
    }
    return byUnit.get(unit)?.text ?? `${d.units.find((u) => u.unit === unit)?.name ?? unit}: ${t('noData', lang)}`;
  };
  const hint = html('p', { class: 'map-hint', 'aria-live': 'polite' }, t('mapHint', lang));
  const onHint = (text: string) => (hint.textContent = text);
  const main = drawing(d, colour, label, { width: 300, height: 400, fit: country(d), title: t('map', lang), selected, onPick, onHint });
  // The dense south-east and Oslo, larger.
  const inset = drawing(d, colour, label, { width: 200, height: 170, fit: box(9.6, 59.05, 11.75, 60.35), title: t('inset', lang), selected, onPick, onHint, clip: true });
  const number = (x: number) => Math.round(x).toLocaleString(lang === 'nb' ? 'nb-NO' : 'en-GB');
  const rateRange = (k: number) => {
    if (national === null) return '';
    if (k === 0) return ` (< ${number(national * limits[0]!)})`;
    if (k === limits.length) return ` (≥ ${number(national * limits[k - 1]!)})`;
    return ` (${number(national * limits[k - 1]!)}–${number(national * limits[k]!)})`;
  };
  const legend = html('ul', { class: 'legend', 'aria-label': t('legend', lang) },
    ...fills.map((fill, k) => html('li', {}, html('span', { class: 'swatch', style: `background:${fill}` }), `${classLabel(k)}${rateRange(k)}`)),
    html('li', {}, html('span', { class: 'swatch hatched' }), t('withheld', lang)),
    ...(national === null ? [html('li', {}, html('span', { class: 'swatch', style: `background:${noComparisonFill}` }), t('noNational', lang))] : []));
  const caption = html('p', { class: 'note' }, `${t('legendTitle', lang)}${national === null ? '' : `; ${t('national', lang)} ${national.toLocaleString(lang === 'nb' ? 'nb-NO' : 'en-GB', { maximumFractionDigits: 1 })} ${t('per100k', lang)}`}`);
  // Oslo (and any other municipality split between units): its units as buttons, with their figures.
  const splits = d.split.map((s) => html('div', { class: 'split' }, html('p', { class: 'note' }, `${s.name}: ${t('splitNote', lang)}`),
    html('ul', { class: 'split-units' }, ...s.units.map((u) => {
      const f = byUnit.get(u.unit);
      const b = html('button', { type: 'button', 'data-unit': u.unit, 'aria-pressed': String(u.unit === selected), class: u.unit === selected ? 'selected' : '' },
        fillOf(f) === hatched ? html('span', { class: 'swatch hatched' }) : html('span', { class: 'swatch', style: `background:${fillOf(f)}` }), f?.text ?? `${u.name}: ${t('noData', lang)}`);
      b.addEventListener('click', () => onPick(u.unit));
      return html('li', {}, b);
    }))));
  const unplaced = d.unplaced.length ? [html('p', { class: 'note' }, `${t('unplaced', lang)}: ${d.unplaced.length}`)] : [];
  return html('figure', { class: 'real-map' },
    html('div', { class: 'maps' }, main, html('div', {}, inset, html('p', { class: 'note' }, t('inset', lang)))),
    hint, caption, legend, ...splits, ...unplaced,
    html('figcaption', { class: 'attribution' }, '© Kartverket (CC BY 4.0) · ', t('catchmentSource', lang)));
}

/** A small map that shows where one area lies (the fact sheet): the area in orange, the rest grey. */
export async function locatorMap(area: string, lang: Lang): Promise<Element> {
  const d = await mapOf('area');
  const inOslo = d.split.find((s) => s.units.some((u) => u.unit === area));
  const colour = (unit: string) => (unit === area ? '#e69f00' : '#d9d9d9');
  const label = (unit: string) => (unit.startsWith('split:') ? (inOslo ? `${inOslo.name}` : '') : (d.units.find((u) => u.unit === unit)?.name ?? unit));
  const drawn = drawing(d, colour, label, { width: 120, height: 160, fit: country(d), title: t('locator', lang), selected: '' });
  if (inOslo) drawn.querySelector(`path[data-unit="split:${inOslo.municipality}"]`)?.setAttribute('fill', '#e69f00');
  return html('figure', { class: 'locator' }, drawn, html('figcaption', { class: 'attribution' }, '© Kartverket'));
}
