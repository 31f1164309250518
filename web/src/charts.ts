import * as Plot from '@observablehq/plot';
import { feature } from 'topojson-client';
import { isWithheld, type Estimate, type RateTable, type VariationAnswer } from './api.js';
import type { RankInterval } from '../../src/stats/ranks.js';
import { formatNumber, t, type Lang } from './i18n.js';

const colour = { area: '#0072b2', national: '#e69f00', selected: '#d55e00', public: '#0072b2', private: '#e69f00', contract_specialist: '#009e73' };

type Bar = { unit: string; name: string; national: boolean; value: number; lower: number; upper: number };

/** The short mark of a withheld figure, as in the table: never a bar of 0. */
export const withheldMark = (reason: string): string => (reason.startsWith('fewer') ? 'n<10' : reason.startsWith('between') ? '1–4' : '(s)');

/**
 * Ranked horizontal bars of standardised rates with intervals, the nation in its own colour, per-year
 * dots; a unit whose rate is withheld keeps its row, with its mark where the bar would be.
 */
export function rateBars(table: RateTable, lang: Lang, selected: string, onPick: (unit: string) => void, ranks = new Map<string, RankInterval>()): Element {
  const pooled = table.rows.filter((r) => r.year === null);
  const bars: Bar[] = pooled
    .filter((r) => !isWithheld(r.standardisedRate))
    .map((r) => ({ unit: r.unit, name: r.national ? t('national', lang) : r.unitName, national: r.national, ...(r.standardisedRate as Estimate) }))
    .sort((a, b) => b.value - a.value);
  const withheld = pooled
    .filter((r) => isWithheld(r.standardisedRate))
    .map((r) => ({ unit: r.unit, name: r.national ? t('national', lang) : r.unitName, mark: withheldMark((r.standardisedRate as { withheld: string }).withheld) }))
    .sort((a, b) => a.name.localeCompare(b.name, lang));
  const yearly = table.rows
    .filter((r) => r.year !== null && !isWithheld(r.standardisedRate))
    .map((r) => ({ name: r.national ? t('national', lang) : r.unitName, value: (r.standardisedRate as Estimate).value, year: r.year }));
  const national = bars.find((b) => b.national)?.value;
  const rows = bars.length + withheld.length;
  const chart = Plot.plot({
    marginLeft: 130, height: 24 * rows + 40, width: 640,
    x: { label: t('rates', lang), grid: true, tickFormat: (v: number) => formatNumber(v, lang) },
    y: { domain: [...bars.map((b) => b.name), ...withheld.map((w) => w.name)], label: null },
    marks: [
      Plot.barX(bars, { y: 'name', x: 'value', fill: (d: Bar) => (d.unit === selected ? colour.selected : d.national ? colour.national : colour.area), title: (d: Bar) => `${d.name}: ${formatNumber(d.value, lang, 1)} (${formatNumber(d.lower, lang, 1)}–${formatNumber(d.upper, lang, 1)})${rankWords(ranks.get(d.unit), lang)}` }),
      // Each compared area's rank and its 95 % interval, at the foot of its bar.
      Plot.text(bars.filter((b) => ranks.has(b.unit)), { y: 'name', x: 0, text: (d: Bar) => rankText(ranks.get(d.unit)!), textAnchor: 'start', dx: 3, fill: 'white', fontSize: 9 }),
      // The interval over the bar, in a colour that shows on the bar and beside it.
      Plot.ruleY(bars, { y: 'name', x1: 'lower', x2: 'upper', stroke: '#1a1a1a', strokeWidth: 1.5 }),
      Plot.dot(yearly, { y: 'name', x: 'value', r: 2.5, fill: 'white', stroke: '#1a1a1a', title: (d: { year: number; value: number }) => `${d.year}: ${formatNumber(d.value, lang, 1)}` }),
      Plot.text(withheld, { y: 'name', x: 0, text: (d: { mark: string }) => `${d.mark} — ${t('withheld', lang)}`, textAnchor: 'start', dx: 4, fill: '#5f5f5f', fontStyle: 'italic' }),
      Plot.tickX(withheld, { y: 'name', x: 0, stroke: '#5f5f5f', strokeDasharray: '2 2' }),
      national === undefined ? null : Plot.ruleX([national], { stroke: colour.national, strokeDasharray: '4 3' }),
    ],
  });
  chart.setAttribute('aria-label', `${t('rates', lang)}: ${[...bars.map((b) => `${b.name} ${formatNumber(b.value, lang, 0)}`), ...withheld.map((w) => `${w.name} ${t('withheld', lang)}`)].join(', ')}`);
  clickable(chart, 'g[aria-label="bar"] rect', bars.map((b) => b.unit), onPick);
  return chart;
}

/** A rank with its interval: "3 (1–5)". */
const rankText = (r: RankInterval) => `${r.rank} (${r.lower}–${r.upper})`;
const rankWords = (r: RankInterval | undefined, lang: Lang) => (r ? ` · ${t('rankInterval', lang)}: ${rankText(r)}` : '');

/** Stacked bars of events (counts, not rates) by provider type, the units with the most events first. */
export function providerBars(table: RateTable, lang: Lang): Element {
  const rows = table.rows.filter((r) => r.year === null && !r.national);
  const kinds = ['public', 'private', 'contract_specialist'] as const;
  const names = kinds.map((k) => t(k, lang));
  const total = (r: (typeof rows)[number]) => kinds.reduce((n, k) => n + (isWithheld(r.providers[k]) ? 0 : (r.providers[k] as number)), 0);
  const order = [...rows].sort((a, b) => total(b) - total(a)).map((r) => r.unitName);
  const data = rows.flatMap((r) =>
    kinds.filter((p) => !isWithheld(r.providers[p])).map((p) => ({ name: r.unitName, provider: t(p, lang), events: r.providers[p] as number })),
  );
  return Plot.plot({
    marginLeft: 130, width: 640, height: 24 * rows.length + 60, color: { legend: true, domain: names, range: [colour.public, colour.private, colour.contract_specialist] },
    x: { label: t('events', lang), grid: true, tickFormat: (v: number) => formatNumber(v, lang) }, y: { label: null, domain: order },
    marks: [Plot.barX(data, { y: 'name', x: 'events', fill: 'provider', title: (d: { name: string; provider: string; events: number }) => `${d.name}, ${d.provider}: ${formatNumber(d.events, lang)}` })],
  });
}

/** Funnel plot: each area's O/E against its expected events, with 95 % and 99.8 % limits. */
/** O/E against expected events, with the limits of the method the analysis chose (Poisson, or widened for overdispersion). */
export function funnel(v: VariationAnswer, lang: Lang, selected: string): Element {
  const curve = v.uncertainty.funnelCurve;
  return Plot.plot({
    width: 460, height: 320, x: { type: 'log', label: t('expected', lang), tickFormat: (v: number) => formatNumber(v, lang) }, y: { label: 'O/E', grid: true, tickFormat: (v: number) => formatNumber(v, lang, 1) },
    marks: [
      Plot.line(curve, { x: 'expected', y: 'upper95', stroke: '#999' }),
      Plot.line(curve, { x: 'expected', y: 'lower95', stroke: '#999' }),
      Plot.line(curve, { x: 'expected', y: 'upper998', stroke: '#999', strokeDasharray: '4 3' }),
      Plot.line(curve, { x: 'expected', y: 'lower998', stroke: '#999', strokeDasharray: '4 3' }),
      Plot.ruleY([1], { stroke: colour.national }),
      Plot.dot(v.areas, { x: 'expected', y: 'ratio', r: 4, fill: (d: { unit: string }) => (d.unit === selected ? colour.selected : colour.area), title: (d: { unitName: string; ratio: number }) => `${d.unitName}: ${formatNumber(d.ratio, lang, 2)}` }),
    ],
  });
}

/** Standardised rate per year for every unit; the selected one and the nation stand out. */
export function trend(table: RateTable, lang: Lang, selected: string): Element {
  const points = table.rows
    .filter((r) => r.year !== null && !isWithheld(r.standardisedRate))
    .map((r) => ({ unit: r.unit, name: r.national ? t('national', lang) : r.unitName, year: r.year, value: (r.standardisedRate as Estimate).value, strong: r.national || r.unit === selected }));
  return Plot.plot({
    // One tick per whole year (never 2022 2022 2022 on fractional years).
    // Room on the right for the names at the last year.
    width: 460, height: 260, marginRight: 110, x: { label: null, tickFormat: 'd', ticks: Array.from({ length: table.years[1] - table.years[0] + 1 }, (_, i) => table.years[0] + i) }, y: { label: t('rate', lang), grid: true, tickFormat: (v: number) => formatNumber(v, lang) },
    marks: [
      Plot.line(points.filter((p) => !p.strong), { x: 'year', y: 'value', z: 'unit', stroke: '#c8c8c8' }),
      Plot.line(points.filter((p) => p.strong), { x: 'year', y: 'value', z: 'unit', stroke: (d: { unit: string }) => (d.unit === 'national' ? colour.national : colour.selected), strokeWidth: 2.5 }),
      Plot.text(points.filter((p) => p.strong && p.year === table.years[1]), { x: 'year', y: 'value', text: 'name', dx: 6, textAnchor: 'start' }),
    ],
  });
}

/** Schematic tile map of the 21 catchment areas, in four classes relative to the national rate. */
const tiles: Record<string, [number, number]> = {
  '1': [5, 0], '2': [4, 1], '3': [3, 2], '4': [3, 3], '6': [3, 4], '7': [2, 5], '8': [1, 5], '10': [0, 6], '19': [2, 6],
  '11': [0, 7], '20': [1, 7], '18': [2, 7], '17': [3, 7], '15': [4, 7], '12': [0, 8], '22': [1, 8], '21': [2, 8], '16': [3, 8], '14': [4, 8], '13': [0, 9], '23': [1, 9],
};
export function tileMap(table: RateTable, lang: Lang, selected: string, onPick: (unit: string) => void): Element {
  const national = table.rows.find((r) => r.national && r.year === null)!.standardisedRate;
  const classes = ['< 90 %', '90–100 %', '100–110 %', '≥ 110 %'];
  const data = table.rows
    .filter((r) => r.year === null && !r.national && tiles[r.unit])
    .map((r) => {
      const ratio = isWithheld(r.standardisedRate) || isWithheld(national) ? NaN : r.standardisedRate.value / national.value;
      const klass = Number.isNaN(ratio) ? t('withheld', lang) : classes[ratio < 0.9 ? 0 : ratio < 1 ? 1 : ratio < 1.1 ? 2 : 3]!;
      return { unit: r.unit, name: r.unitName, x: tiles[r.unit]![0], y: tiles[r.unit]![1], klass };
    });
  const chart = Plot.plot({
    width: 320, height: 420, x: { axis: null }, y: { axis: null, reverse: false },
    color: { legend: true, domain: [...classes, t('withheld', lang)], range: ['#56b4e9', '#cfe8f6', '#f5d7a1', '#e69f00', '#dddddd'] },
    marks: [
      Plot.cell(data, { x: 'x', y: 'y', fill: 'klass', inset: 2, stroke: (d: { unit: string }) => (d.unit === selected ? '#d55e00' : 'none'), strokeWidth: 3, title: (d: { name: string; klass: string }) => `${d.name}: ${d.klass}` }),
      Plot.text(data, { x: 'x', y: 'y', text: (d: { name: string }) => d.name.slice(0, 9), fontSize: 8 }),
    ],
  });
  chart.setAttribute('aria-label', t('map', lang));
  clickable(chart, 'g[aria-label="cell"] rect', data.map((d) => d.unit), onPick);
  return chart;
}

/** Real boundaries (GeoJSON, or TopoJSON converted), when configured: the same four classes. */
export function geoMap(geo: unknown, table: RateTable, lang: Lang, selected: string, onPick: (unit: string) => void): Element {
  const g = geo as { type: string; objects?: Record<string, unknown>; features?: { properties: Record<string, unknown> }[] };
  const collection = (g.type === 'Topology' ? feature(g as never, Object.values(g.objects!)[0] as never) : g) as unknown as {
    type: 'FeatureCollection';
    features: { properties: Record<string, unknown> }[];
  };
  const national = table.rows.find((r) => r.national && r.year === null)!.standardisedRate;
  const classes = ['< 90 %', '90–100 %', '100–110 %', '≥ 110 %'];
  const codeOf = (f: { properties: Record<string, unknown> }) => String(f.properties.area_code ?? f.properties.bohf ?? '');
  const klass = (code: string) => {
    const r = table.rows.find((x) => x.unit === code && x.year === null);
    if (!r || isWithheld(r.standardisedRate) || isWithheld(national)) return t('withheld', lang);
    const ratio = r.standardisedRate.value / national.value;
    return classes[ratio < 0.9 ? 0 : ratio < 1 ? 1 : ratio < 1.1 ? 2 : 3]!;
  };
  const chart = Plot.plot({
    width: 320, height: 420, projection: { type: 'mercator', domain: collection as never },
    color: { legend: true, domain: [...classes, t('withheld', lang)], range: ['#56b4e9', '#cfe8f6', '#f5d7a1', '#e69f00', '#dddddd'] },
    marks: [Plot.geo(collection.features, { fill: (f: { properties: Record<string, unknown> }) => klass(codeOf(f)), stroke: (f: { properties: Record<string, unknown> }) => (codeOf(f) === selected ? '#d55e00' : 'white'), title: (f: { properties: Record<string, unknown> }) => `${codeOf(f)}: ${klass(codeOf(f))}` })],
  });
  chart.setAttribute('aria-label', t('map', lang));
  clickable(chart, 'g[aria-label="geo"] path', collection.features.map(codeOf), onPick);
  return chart;
}

/** Make the marks of a chart clickable (and the keyboard path is the table below the charts). */
function clickable(chart: Element, selector: string, units: string[], onPick: (unit: string) => void): void {
  chart.querySelectorAll(selector).forEach((mark, i) => {
    mark.classList.add('tile');
    mark.setAttribute('data-unit', units[i]!);
    mark.addEventListener('click', () => onPick(units[i]!));
  });
}
