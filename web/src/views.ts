import { periodText } from '../../src/model/period.js';
import { el } from './dom.js';
import { api, isWithheld, type Estimate, type FactSheet, type LabelsAnswerRow, type RateComparisons, type RateTable, type RateRow, type VariationAnswer } from './api.js';
import { funnel, geoMap, providerBars, rateBars, tileMap, trend, withheldMark } from './charts.js';
import { formatNumber, positionWords, reasonInLanguage, standardWords, t, type Lang } from './i18n.js';
import type { NeedsReport } from '../../src/analysis/needs-report.js';
import { csvText } from '../../src/export/csv.js';
import { download, downloadButton, png, tableDownloads } from './downloads.js';
import { locatorMap, realMap } from './map.js';
import type { State } from './state.js';

const fmt = (v: number | { withheld: string }, digits = 1): string => (isWithheld(v) ? withheldMark(v.withheld) : v.toFixed(digits));

export async function atlasView(s: State, pick: (unit: string) => void, toggleSplit: () => void, toggleTiles: () => void): Promise<Node[]> {
  const q = `service=${s.service}&years=${s.years}&level=${s.level}`;
  const m = `${q}&measure=${s.measure}`;
  // Bed days are not a count of events: the variation statistics, which are, are not asked for them.
  const [table, variation, comparisons, boundaries] = await Promise.all([
    api<RateTable>(`/api/rates?${m}`),
    s.measure === 'bed_days' ? null : api<VariationAnswer>(`/api/variation?${m}`),
    api<RateComparisons>(`/api/compare?${m}`),
    api<unknown>('/api/boundaries').catch(() => null),
  ]);
  const lang = s.lang;
  const title = s.split ? t('providerTitle', lang) : t('rates', lang);
  const left = el('div', {}, el('h2', {}, `${table.service.name[lang]} — ${title}`), el('p', { class: 'note' }, `${periodText(table.years)}, ${standardWords(table.standard, lang)}`),
    s.split ? providerBars(table, lang) : rateBars(table, lang, s.area, pick, new Map(variation?.uncertainty.areas.map((a) => [a.unit, a.rank]))),
    el('p', { class: 'note how' }, s.split ? t('providerHowTo', lang) : t('barsHowTo', lang)),
    el('p', { class: 'downloads' }, downloadButton('CSV', () => download(`${table.service.id}.csv`, 'text/csv', csv(table))), downloadButton('XLSX', () => location.assign(`/api/export/rates.xlsx?${m}&lang=${lang}`)), downloadButton('PNG', () => png(document.querySelector('main svg')!, `${table.service.id}.png`)), splitButton(s, toggleSplit)));
  // The configured boundary file if any, else the real map (or, by choice, the schematic tiles of the areas).
  const tiles = s.tiles && s.level === 'area';
  // A boundary file keys its features by area: at the region level the real map dissolves by region.
  const own = boundaries !== null && s.level === 'area';
  const map = own ? geoMap(boundaries, table, lang, s.area, pick)
    : tiles ? tileMap(table, lang, s.area, pick)
    : await realMap(table, s.level, lang, s.area, pick).catch(() => (s.level === 'area' ? tileMap(table, lang, s.area, pick) : el('p', { class: 'note' }, '—')));
  const mapChoice = own || s.level !== 'area' ? [] : [el('p', { class: 'downloads' }, downloadButton(t(tiles ? 'realMapChoice' : 'tileMapChoice', lang), toggleTiles))];
  const right = el('div', {}, el('h2', {}, tiles ? t('tiles', lang) : t('map', lang)), map, ...mapChoice,
    el('h2', {}, t('funnel', lang)), ...(variation ? [funnel(variation, lang, s.area), el('p', { class: 'note how' }, `${t('funnelHowTo', lang)} ${funnelMethodWords(variation, lang)}.`)] : [el('p', { class: 'note' }, t('noVariationBedDays', lang))]),
    el('h2', {}, t('trend', lang)), trend(table, lang, s.area), el('p', { class: 'note how' }, t('trendHowTo', lang)));
  return [el('section', { class: 'grid' }, left, right), el('section', {}, el('h2', {}, t('variation', lang)), variation ? variationMeasures(variation, lang) : el('p', { class: 'note' }, t('noVariationBedDays', lang))),
    el('section', {}, el('h2', {}, t('table', lang)), scrollBox(rateTable(table, variation, comparisons, lang, s.area, pick)), el('p', { class: 'note' }, t('shrunkNote', lang)), el('p', { class: 'note' }, t('suppressionNote', lang))),
    pairComparison(table, m, s.area, lang)];
}

/** Which limits the funnel draws, and why. */
function funnelMethodWords(v: VariationAnswer, lang: Lang): string {
  const method = v.uncertainty.overdispersion.method;
  return t(method === 'additive' ? 'funnelAdditive' : method === 'multiplicative' ? 'funnelMultiplicative' : 'funnelPoisson', lang);
}

/** FT1–FT3, CV and SCV, overdispersion and rankability, each with what it means; a negative SCV said in words. */
function variationMeasures(v: VariationAnswer, lang: Lang): Node {
  const n = (x: number, digits: number) => formatNumber(x, lang, digits);
  const scv = Number.isFinite(v.scv) && v.scv < 0 ? t('scvNone', lang) : n(v.scv, 2);
  const od = v.uncertainty.overdispersion;
  const b = v.uncertainty.statistics;
  const within = (x: { lower: number; upper: number }, digits: number) => `(${n(x.lower, digits)}–${n(x.upper, digits)})`;
  const item = (term: string, value: string, meaning: string) => el('div', {}, el('dt', {}, term, ' ', el('strong', {}, value)), el('dd', {}, meaning));
  return el('div', {},
    el('dl', { class: 'measures' },
      item('FT1 / FT2 / FT3', `${n(v.ft1, 2)} ${within(b.ft1, 2)} / ${n(v.ft2, 2)} / ${n(v.ft3, 2)}`, `${t('ft', lang)} (${t('ftDetail', lang)})`),
      item('CV', `${n(v.cv, 3)} ${within(b.cv, 3)}`, t('cv', lang)),
      item('SCV', `${scv} ${within(b.scv, 2)}`, `${t('scv', lang)} (p = ${n(b.scv.pValue, 3)})`),
      item('EB', `${n(b.eb.value, 4)} ${within(b.eb, 4)}`, `${t('ebStatistic', lang)} (p = ${n(b.eb.pValue, 3)})`),
      item('φ / τ²', `${n(od.phi, 2)} / ${n(od.tau2, 4)}`, `${t('overdispersion', lang)} (χ² p = ${n(od.pValue, 3)})`),
      item('ρ', n(v.uncertainty.rankability.rho, 2), t('rankability', lang))),
    el('p', { class: 'note' }, t('bootstrapNote', lang)),
    v.leftOut.length ? el('p', { class: 'note' }, `${t('leftOut', lang)}: ${v.leftOut.map((a) => a.unitName).join(', ')}`) : '');
}

function rateTable(table: RateTable, variation: VariationAnswer | null, comparisons: RateComparisons, lang: Lang, selected: string, pick: (unit: string) => void): Node {
  const rows = table.rows.filter((r) => r.year === null);
  const unitHead = t(table.level, lang);
  const counted = table.service.counts === 'stays' ? t('useStays', lang) : table.service.counts === 'bed_days' ? t('useBedDays', lang) : t('events', lang);
  const head = [unitHead, counted, t('population', lang), t('rate', lang), t('lower', lang), t('upper', lang), t('shrunkRate', lang), t('rankInterval', lang), t('ratioToNational', lang), 'O/E', t('private', lang), t('label', lang)];
  const uncertain = (unit: string) => variation?.uncertainty.areas.find((a) => a.unit === unit);
  const versus = (unit: string) => comparisons.units.find((c) => c.unit === unit)?.versusNational.ratio;
  const number = (v: number, digits = 1) => formatNumber(v, lang, digits);
  const body = el('tbody');
  const render = (sorted: RateRow[]) => {
    body.replaceChildren(...sorted.map((r) => {
      const v = variation?.areas.find((a) => a.unit === r.unit);
      const u = uncertain(r.unit);
      const tr = el('tr', { tabindex: '0', 'data-unit': r.unit, class: `${r.national ? 'national' : ''} ${r.unit === selected ? 'selected' : ''}` },
        el('th', { scope: 'row' }, r.national ? t('national', lang) : r.unitName), el('td', {}, isWithheld(r.events) ? fmt(r.events) : number(r.events, 0)), el('td', {}, number(r.population, 0)),
        el('td', {}, isWithheld(r.standardisedRate) ? fmt(r.standardisedRate) : number(r.standardisedRate.value)),
        el('td', {}, isWithheld(r.standardisedRate) ? '' : number(r.standardisedRate.lower)), el('td', {}, isWithheld(r.standardisedRate) ? '' : number(r.standardisedRate.upper)),
        el('td', {}, u ? `${number(u.shrunk.rate)} (${number(u.shrunk.weight, 2)})` : ''), el('td', {}, u ? `${u.rank.rank} (${u.rank.lower}–${u.rank.upper})` : ''),
        el('td', {}, ratioText(versus(r.unit), number)),
        el('td', {}, isWithheld(r.observedExpected) ? fmt(r.observedExpected) : number(r.observedExpected.value, 2)),
        el('td', {}, isWithheld(r.privateShare) ? fmt(r.privateShare) : `${number(r.privateShare.value * 100)} %`),
        el('td', { title: v?.label.rule[lang] ?? '' }, v?.label.text[lang] ?? ''));
      tr.addEventListener('click', () => !r.national && pick(r.unit));
      tr.addEventListener('keydown', (e) => (e as KeyboardEvent).key === 'Enter' && !r.national && pick(r.unit));
      return tr;
    }));
  };
  // Sort keys per column; a withheld figure sorts below every shown one.
  const n = (v: number | { withheld: string }) => (isWithheld(v) ? -1 : v);
  const e = (v: Estimate | { withheld: string }, part: keyof Estimate = 'value') => (isWithheld(v) ? -1 : v[part]);
  const keys: ((r: RateRow) => number | string)[] = [
    (r) => r.unitName, (r) => n(r.events), (r) => r.population, (r) => e(r.standardisedRate), (r) => e(r.standardisedRate, 'lower'),
    (r) => e(r.standardisedRate, 'upper'), (r) => uncertain(r.unit)?.shrunk.rate ?? -1, (r) => -(uncertain(r.unit)?.rank.rank ?? 1e9),
    (r) => { const c = versus(r.unit); return c === undefined || isWithheld(c) ? -1 : c.value; },
    (r) => e(r.observedExpected), (r) => e(r.privateShare),
    (r) => variation?.areas.find((a) => a.unit === r.unit)?.label.text[lang] ?? '',
  ];
  const value = (r: RateRow, i: number) => keys[i]!(r);
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

/** Two areas against each other (/api/compare's a and b): the rate ratio and difference with their intervals. */
function pairComparison(table: RateTable, query: string, selected: string, lang: Lang): Node {
  const units = table.rows.filter((r) => r.year === null && !r.national);
  const choose = (label: string, value: string) => {
    const select = el('select', { 'aria-label': label }, ...units.map((u) => new Option(u.unitName, u.unit))) as HTMLSelectElement;
    select.value = value;
    return select;
  };
  const first = choose(t('compareFirst', lang), selected || units[0]?.unit || '');
  const second = choose(`${t('compareFirst', lang)} ${t('compareSecond', lang)}`, units.find((u) => u.unit !== first.value)?.unit ?? '');
  const out = el('p', { class: 'pair-result', 'aria-live': 'polite' });
  const number = (v: number, digits: number) => formatNumber(v, lang, digits);
  let asked = 0;
  const show = async () => {
    if (first.value === second.value) return void out.replaceChildren('—');
    const mine = ++asked;
    const c = await api<RateComparisons>(`/api/compare?${query}&a=${encodeURIComponent(first.value)}&b=${encodeURIComponent(second.value)}`).catch(() => null);
    // Only the answer to the latest choice is shown; a failed request shows a dash.
    if (mine !== asked) return;
    if (!c?.between) return void out.replaceChildren('—');
    const { ratio, difference } = c.between;
    if (isWithheld(ratio) || isWithheld(difference)) return void out.replaceChildren(reasonInLanguage((isWithheld(ratio) ? ratio : difference as { withheld: string }).withheld, lang));
    out.replaceChildren(t('pairResult', lang)
      .replace('{ratio}', `${number(ratio.value, 2)} (${number(ratio.lower, 2)}–${number(ratio.upper, 2)})`)
      .replace('{difference}', `${number(difference.value, 1)} (${number(difference.lower, 1)} ${t('to', lang)} ${number(difference.upper, 1)})`)
      .replace('{per}', number(table.multiplier, 0))
      .replace('{level}', `${number(c.confidence * 100, 1).replace(/[.,]0$/, '')} %`));
  };
  first.addEventListener('change', () => void show());
  second.addEventListener('change', () => void show());
  void show();
  return el('section', {}, el('h2', {}, t('comparePair', lang)), el('p', { class: 'pair' }, el('label', {}, `${t('compareFirst', lang)} `, first), ' ', el('label', {}, `${t('compareSecond', lang)} `, second)), out);
}

/** A ratio with its interval, "1.31 (1.26–1.36)"; a withheld one marked; none for the nation. */
function ratioText(c: RateComparisons['units'][number]['versusNational']['ratio'] | undefined, number: (v: number, digits?: number) => string): Node | string {
  if (c === undefined) return '';
  return isWithheld(c) ? fmt(c) : `${number(c.value, 2)} (${number(c.lower, 2)}–${number(c.upper, 2)})`;
}

/** The colour class of a label's position (the legend says what each means). */
const positionClass = (position: string) => `pos-${position}`;
const positions = ['highest', 'above', 'near', 'below', 'lowest'] as const;

function labelLegend(lang: Lang): Node {
  return el('ul', { class: 'legend' }, ...positions.map((p) => el('li', {}, el('span', { class: `swatch ${positionClass(p)}` }), positionWords(p, lang))),
    el('li', {}, el('span', { class: 'swatch' }), t('labelLeftOut', lang)));
}

export async function labelsView(s: State): Promise<Node[]> {
  const lang = s.lang;
  const rows = await api<LabelsAnswerRow[]>(`/api/labels?years=${s.years}`);
  const units = [...new Map(rows.flatMap((r) => [...r.areas, ...r.leftOut].map((a) => [a.unit, a.unitName] as const))).entries()].sort((a, b) => Number(a[0]) - Number(b[0]));
  const cell = (r: LabelsAnswerRow, u: string) => {
    const a = r.areas.find((x) => x.unit === u);
    if (a) return el('td', { class: positionClass(a.label.position), title: a.label.rule[lang] }, a.label.text[lang]);
    const left = r.leftOut.find((x) => x.unit === u);
    return el('td', { class: 'withheld', title: left ? reasonInLanguage(left.reason, lang) : '' }, left ? fmt({ withheld: left.reason }) : '–');
  };
  const table = el('table', { class: 'labels' }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('service', lang)), ...units.map(([, n]) => el('th', { scope: 'col' }, n)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, el('th', { scope: 'row' }, r.service.name[lang]), ...units.map(([u]) => cell(r, u))))));
  const csvOf = () => csvText(['service', ...units.map(([u]) => u)], rows.map((r) => [r.service.id, ...units.map(([u]) => r.areas.find((x) => x.unit === u)?.label.text[lang] ?? 'withheld')]));
  return [el('h2', {}, `${t('labels', lang)}, ${s.years.replace('-', '–')}`), el('p', { class: 'note how' }, t('labelsHowTo', lang)), labelLegend(lang),
    tableDownloads(lang, `table-4-${s.years}`, csvOf, `/api/export/needs.xlsx?years=${s.years}&lang=${lang}`),
    scrollBox(table), el('p', { class: 'note' }, t('suppressionNote', lang))];
}

export async function needsView(s: State): Promise<Node[]> {
  const lang = s.lang;
  const report = await api<NeedsReport>(`/api/needs?service=${s.service}&years=${s.years}`);
  const { needs, variation } = report.services[0]!;
  const n = (v: number | { withheld: string }) => (isWithheld(v) ? fmt(v) : formatNumber(v, lang, 0));
  const signed = (v: number | { withheld: string }) => (isWithheld(v) ? fmt(v) : `${v > 0 ? '+' : ''}${formatNumber(v, lang, 0)}`);
  const head = [t('area', lang), t('observed', lang), t('own', lang), t('privateProviders', lang), t('contract_specialist', lang), t('expected', lang), t('change', lang), t('purchase', lang), t('label', lang)];
  const label = (unit: string) => variation.areas.find((v) => v.unit === unit)?.label;
  const body: Node[] = [];
  for (const region of needs.regions) {
    body.push(...needs.areas.filter((a) => a.regionCode === region.regionCode).map((a) => {
      const l = label(a.unit);
      return el('tr', { class: a.unit === s.area ? 'selected' : '' }, el('th', { scope: 'row' }, a.unitName), el('td', {}, n(a.observed)), el('td', {}, n(a.own)), el('td', {}, n(a.private)), el('td', {}, n(a.contractSpecialist)),
        el('td', {}, formatNumber(a.expected, lang, 0)), el('td', {}, signed(a.change)), el('td', {}, n(a.purchaseNeed)),
        el('td', { class: l ? positionClass(l.position) : 'withheld', title: l?.rule[lang] ?? '' }, l?.text[lang] ?? ''));
    }));
    const withheld = region.withheldAreas ? ` (${region.withheldAreas} ${t('areasWithheld', lang)})` : '';
    body.push(el('tr', { class: 'total' }, el('th', { scope: 'row' }, region.regionName), el('td', {}), el('td', {}), el('td', {}, formatNumber(region.private, lang, 0)), el('td', {}), el('td', {}), el('td', {}),
      el('td', {}, formatNumber(region.purchaseNeed, lang, 0)), el('td', { class: 'note' }, `${t('regionSum', lang)}${withheld}`)));
  }
  const table = el('table', {}, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, ...body));
  const csvOf = () => csvText(['unit', 'unit_name', 'observed', 'own', 'private', 'contract_specialist', 'expected', 'change', 'purchase_need'],
    needs.areas.map((a) => [a.unit, a.unitName, ...[a.observed, a.own, a.private, a.contractSpecialist].map((v) => (isWithheld(v) ? '' : v)), a.expected, isWithheld(a.change) ? '' : a.change, isWithheld(a.purchaseNeed) ? '' : a.purchaseNeed]));
  return [el('h2', {}, `${t('needs', lang)}: ${needs.service.name[lang]}, ${report.year}`), el('p', { class: 'note how' }, t('needsHowTo', lang)), labelLegend(lang),
    tableDownloads(lang, `table-5-${needs.service.id}-${report.year}`, csvOf, `/api/export/needs.xlsx?years=${s.years}&lang=${lang}`),
    scrollBox(table), el('p', { class: 'note' }, t('suppressionNote', lang))];
}


export async function factSheetView(s: State, pick: (unit: string) => void): Promise<Node[]> {
  const lang = s.lang;
  const areas = await api<{ areaCode: string; areaName: string }[]>('/api/areas');
  const picker = el('select', { id: 'sheet-area', 'aria-label': t('chooseAreaShort', lang) },
    el('option', { value: '' }, `— ${t('chooseAreaShort', lang)} —`), ...areas.map((a) => el('option', { value: a.areaCode }, a.areaName))) as HTMLSelectElement;
  picker.value = s.area;
  picker.addEventListener('change', () => pick(picker.value));
  const pickerLine = el('p', { class: 'downloads' }, el('label', {}, `${t('area', lang)} `, picker));
  if (!s.area) return [pickerLine, el('p', {}, t('chooseArea', lang))];
  const sheet = await api<FactSheet>(`/api/factsheet?area=${encodeURIComponent(s.area)}&years=${s.years}`);
  const period = periodText(sheet.years);
  const n = (v: number | { withheld: string }) => (isWithheld(v) ? fmt(v) : formatNumber(v, lang, 0));
  const group = el('tr', {}, el('td', {}), el('th', { scope: 'colgroup', colspan: '4' }, `${t('pooledRates', lang)} ${period}`), el('th', { scope: 'colgroup', colspan: '4' }, `${t('needsOf', lang)} ${sheet.year}`));
  const head = [t('service', lang), t('rate', lang), t('national', lang), 'O/E', t('label', lang), t('observed', lang), t('expected', lang), t('change', lang), t('purchase', lang)];
  const row = (r: FactSheet['services'][number]) => {
    const name = el('th', { scope: 'row' }, r.service.name[lang]);
    // Three kinds of empty: no activity anywhere, withheld here, and a real zero (shown as 0).
    if (r.nationalRate === 0) return el('tr', { class: 'empty' }, name, el('td', { colspan: '8', class: 'note' }, t('noActivity', lang)));
    const rate = r.rate ? formatNumber(r.rate.value, lang, 1) : r.leftOut ? fmt({ withheld: r.leftOut }) : '–';
    return el('tr', {}, name, el('td', { title: r.leftOut ? reasonInLanguage(r.leftOut, lang) : '' }, rate), el('td', {}, r.nationalRate === null ? '–' : formatNumber(r.nationalRate, lang, 1)),
      el('td', {}, r.ratio === null ? '' : formatNumber(r.ratio, lang, 2)),
      el('td', { class: r.label ? positionClass(r.label.position) : '', title: r.label?.rule[lang] ?? '' }, r.label?.text[lang] ?? ''),
      el('td', {}, n(r.needs.observed)), el('td', {}, formatNumber(r.needs.expected, lang, 0)), el('td', {}, n(r.needs.change)), el('td', {}, n(r.needs.purchaseNeed)));
  };
  const table = el('table', {}, el('thead', {}, group, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, ...sheet.services.map(row)));
  const csvOf = () => csvText(['service', 'rate', 'national_rate', 'ratio', 'label', 'observed', 'expected', 'change', 'purchase_need'],
    sheet.services.map((r) => [r.service.id, r.rate?.value ?? '', r.nationalRate ?? '', r.ratio ?? '', r.label?.text[lang] ?? '', ...[r.needs.observed, r.needs.expected, r.needs.change, r.needs.purchaseNeed].map((v) => (isWithheld(v) ? '' : v))]));
  const locator = await locatorMap(s.area, lang).catch(() => el('span'));
  return [pickerLine, el('div', { class: 'sheet-head' }, el('div', {}, el('h2', {}, `${t('factsheet', lang)}: ${sheet.areaName}`),
    el('p', { class: 'note' }, `${t('pooledRates', lang)} ${period} (${t('rates', lang).toLowerCase()}); ${t('needsOf', lang)} ${sheet.year}`)), locator),
    tableDownloads(lang, `factsheet-${s.area}-${period}`, csvOf, `/api/export/needs.xlsx?years=${s.years}&lang=${lang}`),
    scrollBox(table), labelLegend(lang), el('p', { class: 'note' }, t('suppressionNote', lang))];
}

/** A wide table in its own scrolling box, reachable by the keyboard (so it can be scrolled without a mouse). */
export function scrollBox(table: Node): Node {
  return el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': (table as Element).querySelector('th')?.textContent ?? 'table' }, table);
}

function splitButton(s: State, toggle: () => void): Node {
  const b = el('button', { type: 'button', 'aria-pressed': String(s.split) }, t(s.split ? 'hideProviders' : 'providers', s.lang));
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
