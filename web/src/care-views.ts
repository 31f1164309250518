import * as Plot from '@observablehq/plot';
import { el } from './dom.js';
import { api, isWithheld, type Intervention, type LowValueMeasure as Measure, type LowValueReport, type PublishedEffect as Effect } from './api.js';
import { rateBars, withheldMark } from './charts.js';
import { formatMonth, formatNumber, phaseWords, positionWords, reasonInLanguage, t, termWords, variantWords, type Lang } from './i18n.js';
import { scrollBox } from './views.js';
import { csvText } from '../../src/export/csv.js';
import { download, downloadButton, png } from './downloads.js';
import type { State } from './state.js';

const range = (x: { value: number; lower: number; upper: number }, lang: Lang) => `${formatNumber(x.value, lang, 0)} (${formatNumber(x.lower, lang, 0)} ${t('to', lang)} ${formatNumber(x.upper, lang, 0)})`;

/** A low-value measure: its variation across areas (bars with intervals and labels) and shares. */
export async function lowValueView(s: State, pickMeasure: (id: string) => void, pickArea: (unit: string) => void): Promise<Node[]> {
  const measures = await api<Measure[]>('/api/measures');
  const id = s.lv || measures[0]!.id;
  const picker = el('select', { 'aria-label': t('measureName', s.lang) }, ...measures.map((m) => new Option(`${m.name[s.lang]} (${variantWords(m.variant, s.lang)})`, m.id)));
  (picker as HTMLSelectElement).value = id;
  picker.addEventListener('change', () => pickMeasure((picker as HTMLSelectElement).value));
  const report = await api<LowValueReport>(`/api/lowvalue?measure=${id}&years=${s.years}`);
  const table = el('table', {}, el('thead', {}, el('tr', {}, ...[t('area', s.lang), t('events', s.lang), t('share', s.lang), t('label', s.lang)].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...report.shares.map((r) => {
      const v = report.variation.areas.find((a) => a.unit === r.unit);
      return el('tr', { class: r.national ? 'national' : '' }, el('td', {}, r.national ? t('national', s.lang) : r.unitName),
        el('td', { title: isWithheld(r.numerator) ? reasonInLanguage(r.numerator.withheld, s.lang) : '' }, isWithheld(r.numerator) ? withheldMark(r.numerator.withheld) : `${formatNumber(r.numerator, s.lang, 0)} / ${isWithheld(r.denominator) ? withheldMark(r.denominator.withheld) : formatNumber(r.denominator, s.lang, 0)}`),
        el('td', { title: isWithheld(r.share) ? reasonInLanguage(r.share.withheld, s.lang) : '' }, isWithheld(r.share) ? withheldMark(r.share.withheld) : `${formatNumber(r.share.value * 100, s.lang, 1)} % (${formatNumber(r.share.lower * 100, s.lang, 1)}–${formatNumber(r.share.upper * 100, s.lang, 1)})`),
        // A low-value measure is labelled by its position only: the purchase part of a service's label means nothing here.
        el('td', { title: v?.label.rule[s.lang] ?? '' }, v ? positionWords(v.label.position, s.lang) : ''));
    })));
  return [
    el('h2', {}, `${t('lowvalue', s.lang)}: ${report.measure.name[s.lang]}`), el('p', {}, el('label', {}, `${t('measureName', s.lang)} `, picker)),
    el('p', { class: 'note' }, report.measure.reference[s.lang]),
    rateBars(report.rates, s.lang, s.area, pickArea),
    el('p', { class: 'downloads' },
      downloadButton('CSV', () => download(`${id}-${s.years}.csv`, 'text/csv', sharesCsv(report))),
      downloadButton('XLSX', () => location.assign(`/api/export/lowvalue.xlsx?measure=${id}&years=${s.years}&lang=${s.lang}`)),
      downloadButton('PNG', () => png(document.querySelector('main svg')!, `${id}-${s.years}.png`))),
    scrollBox(table), el('p', { class: 'note' }, t('suppressionNote', s.lang)),
  ];
}

/** The portfolio board by phase, and for each project in force its series, counterfactual and effect. */
export async function interventionsView(s: State): Promise<Node[]> {
  let register: Intervention[];
  try {
    register = await api<Intervention[]>('/api/interventions');
  } catch {
    return [el('p', {}, t('noRegister', s.lang))];
  }
  const phases = ['pre-analysis', 'analysis', 'start', 'execution'];
  const board = el('div', { class: 'grid', style: 'grid-template-columns: repeat(4, 1fr)' }, ...phases.map((phase) =>
    el('section', { 'aria-label': phaseWords(phase, s.lang) }, el('h3', {}, phaseWords(phase, s.lang)), ...register.filter((i) => i.phase === phase).map((i) => el('p', {}, i.name)))));
  const nodes: Node[] = [el('h2', {}, t('portfolio', s.lang)), board,
    el('p', { class: 'downloads' }, downloadButton('XLSX', () => location.assign(`/api/export/effects.xlsx?lang=${s.lang}`)))];
  for (const i of register.filter((x) => x.phase === 'execution' || x.phase === 'start')) {
    const e = await api<Effect>(`/api/interventions/effect?name=${encodeURIComponent(i.name)}`);
    if ('withheld' in e) {
      const months = e.withheldMonths;
      nodes.push(el('section', {}, el('h2', {}, i.name), el('p', { class: 'note' }, `${t('effectWithheld', s.lang)} ${months.slice(0, 6).join(', ')}${months.length > 6 ? ', …' : ''}`)));
      continue;
    }
    // Months with 1–4 procedures are withheld by the server: no dot is drawn for them.
    const points = e.months.map((m, k) => {
      const o = e.observed[k]!;
      return { month: new Date(`${m}-01`), observed: typeof o === 'number' ? o : NaN, fitted: e.its.fitted[k]!, counterfactual: e.its.counterfactual[k]! };
    });
    const chart = Plot.plot({
      // The y axis starts at 0: a drop is drawn in proportion.
      width: 900, height: 300, y: { grid: true, label: t('events', s.lang), zero: true, tickFormat: (v: number) => formatNumber(v, s.lang) }, x: { label: null, tickFormat: (d: Date) => formatMonth(d, s.lang) },
      marks: [
        Plot.dot(points.filter((p) => !Number.isNaN(p.observed)), { x: 'month', y: 'observed', fill: '#0072b2', r: 2.5 }),
        Plot.line(points, { x: 'month', y: 'fitted', stroke: '#0072b2' }),
        Plot.line(points.slice(e.startIndex), { x: 'month', y: 'counterfactual', stroke: '#e69f00', strokeDasharray: '5 3' }),
        Plot.ruleX([new Date(i.start)], { stroke: '#d55e00' }),
        Plot.text([{ x: new Date(i.start) }], { x: 'x', text: () => i.start, frameAnchor: 'top', dx: 4, textAnchor: 'start' }),
      ],
    });
    chart.setAttribute('aria-label', `${i.name}: ${t('avoided', s.lang)} ${range(e.avoided, s.lang)}`);
    const hours = Object.entries(e.freedHours).map(([role, h]) => `${termWords(role, s.lang)} ${range(h, s.lang)}`).join(', ');
    const file = i.name.replace(/[^\p{L}\p{N}]+/gu, '-');
    const seriesCsv = () => csvText(['month', 'observed', 'fitted', 'counterfactual', 'in_force'],
      e.months.map((m, k) => [m, typeof e.observed[k] === 'number' ? (e.observed[k] as number) : '', e.its.fitted[k]!, e.its.counterfactual[k]!, k >= e.startIndex ? 1 : 0]));
    nodes.push(el('section', {}, el('h2', {}, i.name), chart,
      el('p', { class: 'downloads' }, downloadButton('CSV', () => download(`${file}.csv`, 'text/csv', seriesCsv())), downloadButton('PNG', () => png(chart, `${file}.png`))),
      el('p', {}, `${t('avoided', s.lang)}: ${range(e.avoided, s.lang)}. ${t('hours', s.lang)}: ${hours}.`),
      el('p', { class: 'note' }, t('effectHowTo', s.lang))));
  }
  return nodes;
}

/** The shares as CSV: withheld figures empty, never 0. */
function sharesCsv(report: LowValueReport): string {
  const n = (v: number | { withheld: string }) => (isWithheld(v) ? '' : v);
  return csvText(['unit', 'unit_name', 'low_value', 'all', 'share', 'lower', 'upper'],
    report.shares.map((r) => [r.unit, r.unitName, n(r.numerator), n(r.denominator), ...(isWithheld(r.share) ? ['', '', ''] : [r.share.value, r.share.lower, r.share.upper])]));
}
