import { api, isWithheld, type Estimate, type Label, type Needs, type RateTable, type Row, type Variation } from './api.js';
import { funnel, geoMap, providerBars, rateBars, tileMap, trend } from './charts.js';
import { t, type Lang } from './i18n.js';
import { csvText } from '../../src/export/csv.js';
import { locatorMap, realMap } from './map.js';
import type { State } from './state.js';

export interface LabelsRow {
  service: { id: string; name: { nb: string; en: string } };
  nationalRate: number | null;
  areas: { unit: string; unitName: string; rate: Estimate; ratio: number; versusNational: string; label: Label }[];
  leftOut: { unit: string; unitName: string; reason: string }[];
}

const el = (tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
};
const fmt = (v: number | { withheld: string }, digits = 1): string => (isWithheld(v) ? (v.withheld.startsWith('fewer') ? 'n<10' : v.withheld.startsWith('between') ? '1–4' : '(s)') : v.toFixed(digits));
/** A number from JSON may be null (NaN on the server, e.g. no areas to compare). */
const safe = (x: number | null | undefined, digits: number) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–');
const est = (v: Estimate | { withheld: string }) => (isWithheld(v) ? fmt(v) : v.value.toFixed(1));

export async function atlasView(s: State, pick: (unit: string) => void, toggleSplit: () => void, toggleTiles: () => void): Promise<Node[]> {
  const q = `service=${s.service}&years=${s.years}&level=${s.level}`;
  const m = `${q}&measure=${s.measure}`;
  const [table, variation, boundaries] = await Promise.all([
    api<RateTable>(`/api/rates?${m}`),
    api<Variation>(`/api/variation?${m}`),
    api<unknown>('/api/boundaries').catch(() => null),
  ]);
  const lang = s.lang;
  const left = el('div', {}, el('h2', {}, `${table.service.name[lang]} — ${t('rates', lang)}`), el('p', { class: 'note' }, `${table.years[0]}–${table.years[1]}, ${table.standard}`),
    s.split ? providerBars(table, lang) : rateBars(table, lang, s.area, pick),
    el('p', { class: 'downloads' }, downloadButton('CSV', () => download(`${table.service.id}.csv`, 'text/csv', csv(table))), downloadButton('XLSX', () => location.assign(`/api/export/rates.xlsx?${q}`)), downloadButton('PNG', () => png(document.querySelector('main svg')!, `${table.service.id}.png`)), splitButton(s, toggleSplit)));
  // The configured boundary file if any, else the real map (or, by choice, the schematic tiles of the areas).
  const tiles = s.tiles && s.level === 'area';
  // A boundary file keys its features by area: at the region level the real map dissolves by region.
  const own = boundaries !== null && s.level === 'area';
  const map = own ? geoMap(boundaries, table, lang, s.area, pick)
    : tiles ? tileMap(table, lang, s.area, pick)
    : await realMap(table, s.level, lang, s.area, pick).catch(() => (s.level === 'area' ? tileMap(table, lang, s.area, pick) : el('p', { class: 'note' }, '—')));
  const mapChoice = own || s.level !== 'area' ? [] : [el('p', { class: 'downloads' }, downloadButton(t(tiles ? 'realMapChoice' : 'tileMapChoice', lang), toggleTiles))];
  const right = el('div', {}, el('h2', {}, tiles ? t('tiles', lang) : t('map', lang)), map, ...mapChoice,
    el('h2', {}, t('funnel', lang)), funnel(variation, lang, s.area), el('h2', {}, t('trend', lang)), trend(table, lang, s.area));
  const measures = el('p', { class: 'measures' }, `FT1 ${safe(variation.ft1, 2)}`, ` FT2 ${safe(variation.ft2, 2)}`, ` FT3 ${safe(variation.ft3, 2)}`, ` CV ${safe(variation.cv, 3)}`, ` SCV ${safe(variation.scv, 2)}`,
    variation.leftOut.length ? ` ${t('leftOut', lang)}: ${variation.leftOut.map((a) => a.unitName).join(', ')}` : '');
  return [el('section', { class: 'grid' }, left, right), el('section', {}, el('h2', {}, t('variation', lang)), measures), el('section', {}, el('h2', {}, t('table', lang)), rateTable(table, variation, lang, s.area, pick))];
}

function rateTable(table: RateTable, variation: Variation, lang: Lang, selected: string, pick: (unit: string) => void): Node {
  const rows = table.rows.filter((r) => r.year === null);
  const head = [t('area', lang), t('events', lang), t('population', lang), t('rate', lang), t('lower', lang), t('upper', lang), 'O/E', t('private', lang), t('label', lang)];
  const body = el('tbody');
  const render = (sorted: Row[]) => {
    body.replaceChildren(...sorted.map((r) => {
      const v = variation.areas.find((a) => a.unit === r.unit);
      const tr = el('tr', { tabindex: '0', 'data-unit': r.unit, class: `${r.national ? 'national' : ''} ${r.unit === selected ? 'selected' : ''}` },
        el('td', {}, r.national ? t('national', lang) : r.unitName), el('td', {}, fmt(r.events as number, 0)), el('td', {}, r.population.toLocaleString(lang === 'nb' ? 'nb-NO' : 'en-GB')),
        el('td', {}, est(r.standardisedRate)), el('td', {}, isWithheld(r.standardisedRate) ? '' : r.standardisedRate.lower.toFixed(1)), el('td', {}, isWithheld(r.standardisedRate) ? '' : r.standardisedRate.upper.toFixed(1)),
        el('td', {}, isWithheld(r.observedExpected) ? fmt(r.observedExpected) : r.observedExpected.value.toFixed(2)),
        el('td', {}, isWithheld(r.privateShare) ? fmt(r.privateShare) : `${(r.privateShare.value * 100).toFixed(1)} %`),
        el('td', { title: v?.label.rule[lang] ?? '' }, v?.label.text[lang] ?? ''));
      tr.addEventListener('click', () => !r.national && pick(r.unit));
      tr.addEventListener('keydown', (e) => (e as KeyboardEvent).key === 'Enter' && !r.national && pick(r.unit));
      return tr;
    }));
  };
  // Sort keys per column; a withheld figure sorts below every shown one.
  const n = (v: number | { withheld: string }) => (isWithheld(v) ? -1 : v);
  const e = (v: Estimate | { withheld: string }, part: keyof Estimate = 'value') => (isWithheld(v) ? -1 : v[part]);
  const keys: ((r: Row) => number | string)[] = [
    (r) => r.unitName, (r) => n(r.events), (r) => r.population, (r) => e(r.standardisedRate), (r) => e(r.standardisedRate, 'lower'),
    (r) => e(r.standardisedRate, 'upper'), (r) => e(r.observedExpected), (r) => e(r.privateShare),
    (r) => variation.areas.find((a) => a.unit === r.unit)?.label.text[lang] ?? '',
  ];
  const value = (r: Row, i: number) => keys[i]!(r);
  let order = 1;
  const header = el('tr', {}, ...head.map((h, i) => {
    const th = el('th', { scope: 'col', tabindex: '0', 'aria-sort': 'none' }, h);
    const sort = () => { order = -order; render([...rows].sort((a, b) => (value(a, i) > value(b, i) ? order : -order))); };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (e) => (e as KeyboardEvent).key === 'Enter' && sort());
    return th;
  }));
  render(rows);
  return el('table', {}, el('thead', {}, header), body);
}

export async function labelsView(s: State): Promise<Node[]> {
  const rows = await api<LabelsRow[]>(`/api/labels?years=${s.years}`);
  const units = [...new Map(rows.flatMap((r) => [...r.areas, ...r.leftOut].map((a) => [a.unit, a.unitName] as const))).entries()].sort((a, b) => Number(a[0]) - Number(b[0]));
  const table = el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, t('service', s.lang)), ...units.map(([, n]) => el('th', {}, n)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, el('td', {}, r.service.name[s.lang]), ...units.map(([u]) => {
      const a = r.areas.find((x) => x.unit === u);
      return el('td', { title: a?.label.rule[s.lang] ?? r.leftOut.find((x) => x.unit === u)?.reason ?? '' }, a ? a.label.text[s.lang] : 'n<10');
    })))));
  return [el('h2', {}, t('labels', s.lang)), el('p', { class: 'note' }, 'Hover a label for the rule behind it.'), table];
}

export async function needsView(s: State): Promise<Node[]> {
  const report = await api<Needs>(`/api/needs?service=${s.service}&years=${s.years}`);
  const areas = report.services[0]!.needs.areas;
  const table = el('table', {}, el('thead', {}, el('tr', {}, ...[t('area', s.lang), t('observed', s.lang), t('expected', s.lang), t('change', s.lang), t('purchase', s.lang)].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...areas.map((a) => el('tr', { class: a.unit === s.area ? 'selected' : '' }, el('td', {}, a.unitName), el('td', {}, fmt(a.observed, 0)), el('td', {}, a.expected.toFixed(0)), el('td', {}, fmt(a.change, 0)), el('td', {}, fmt(a.purchaseNeed, 0))))));
  return [el('h2', {}, `${t('needs', s.lang)} ${report.year}`), table];
}

interface FactSheet {
  areaName: string;
  years: [number, number];
  year: number;
  services: {
    service: { id: string; name: { nb: string; en: string } };
    nationalRate: number | null;
    rate: Estimate | null;
    ratio: number | null;
    label: Label | null;
    needs: { observed: number | { withheld: string }; expected: number; change: number | { withheld: string }; purchaseNeed: number | { withheld: string } };
  }[];
}

export async function factSheetView(s: State): Promise<Node[]> {
  if (!s.area) return [el('p', {}, t('chooseArea', s.lang))];
  const sheet = await api<FactSheet>(`/api/factsheet?area=${encodeURIComponent(s.area)}&years=${s.years}`);
  const head = [t('service', s.lang), t('rate', s.lang), t('national', s.lang), 'O/E', t('label', s.lang), t('observed', s.lang), t('expected', s.lang), t('change', s.lang), t('purchase', s.lang)];
  const table = el('table', {}, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...sheet.services.map((r) => el('tr', {},
      el('td', {}, r.service.name[s.lang]), el('td', {}, r.rate ? r.rate.value.toFixed(1) : 'n<10'), el('td', {}, safe(r.nationalRate, 1)), el('td', {}, r.ratio === null ? '' : r.ratio.toFixed(2)),
      el('td', { title: r.label?.rule[s.lang] ?? '' }, r.label?.text[s.lang] ?? ''),
      el('td', {}, fmt(r.needs.observed, 0)), el('td', {}, r.needs.expected.toFixed(0)), el('td', {}, fmt(r.needs.change, 0)), el('td', {}, fmt(r.needs.purchaseNeed, 0))))));
  const locator = await locatorMap(s.area, s.lang).catch(() => el('span'));
  return [el('div', { class: 'sheet-head' }, el('div', {}, el('h2', {}, `${t('factsheet', s.lang)}: ${sheet.areaName}`), el('p', { class: 'note' }, `${sheet.years[0]}–${sheet.years[1]}; ${t('needs', s.lang)} ${sheet.year}; ${t('rates', s.lang)}`)), locator), table];
}

function downloadButton(label: string, action: () => void): Node {
  const b = el('button', { type: 'button' }, `${label}`);
  b.addEventListener('click', action);
  return b;
}

function splitButton(s: State, toggle: () => void): Node {
  const b = el('button', { type: 'button', 'aria-pressed': String(s.split) }, t('providers', s.lang));
  b.addEventListener('click', toggle);
  return b;
}

function csv(table: RateTable): string {
  return csvText(
    ['unit', 'unit_name', 'year', 'events', 'population', 'standardised_rate', 'lower', 'upper'],
    table.rows.map((r) => {
      const d = r.standardisedRate;
      return [r.unit, r.unitName, r.year ?? 'period', isWithheld(r.events) ? '' : r.events, r.population, isWithheld(d) ? '' : d.value, isWithheld(d) ? '' : d.lower, isWithheld(d) ? '' : d.upper];
    }),
  );
}

function download(name: string, type: string, text: string): void {
  const a = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name }) as HTMLAnchorElement;
  document.body.append(a);
  a.click();
  a.remove();
}

function png(svg: Element, name: string): void {
  const xml = new XMLSerializer().serializeToString(svg);
  const img = new Image();
  const { width, height } = svg.getBoundingClientRect();
  img.onload = () => {
    const canvas = el('canvas', { width: String(width * 2), height: String(height * 2) }) as HTMLCanvasElement;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0);
    const a = el('a', { href: canvas.toDataURL('image/png'), download: name }) as HTMLAnchorElement;
    a.click();
  };
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
}
