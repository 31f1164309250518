import * as Plot from '@observablehq/plot';
import { csvText } from '../../src/export/csv.js';
import { periodText } from '../../src/model/period.js';
import { funnelLimits } from '../../src/stats/variation.js';
import { api, isWithheld, type PathwayAnswer, type PathwayRow, type PathwaySummary } from './api.js';
import { el } from './dom.js';
import { download, downloadButton, png } from './downloads.js';
import { formatNumber, reasonInLanguage, t, termWords, type Key, type Lang } from './i18n.js';
import type { State } from './state.js';
import { scrollBox } from './views.js';

const funnelKeys: Record<string, Key> = { 'above 99.8 %': 'funnelAbove998', 'above 95 %': 'funnelAbove95', inside: 'funnelInside', 'below 95 %': 'funnelBelow95', 'below 99.8 %': 'funnelBelow998' };
const range = (x: { value: number; lower: number; upper: number }, lang: Lang, digits: number) =>
  `${formatNumber(x.value, lang, digits)} (${formatNumber(x.lower, lang, digits)}–${formatNumber(x.upper, lang, digits)})`;
const nameOf = (r: PathwayRow, lang: Lang) => (r.unit === null ? t('national', lang) : r.unit === 'other' ? t('otherProviders', lang) : r.unitName);

/** The controls' funnel: each unit's standardised ratio against its expected controls, with the 95 % and 99.8 % limits. */
function controlsFunnel(rows: PathwayRow[], lang: Lang, selected: string): Element {
  const dots = rows.flatMap((r) => (r.unit === null || isWithheld(r.controlsRatio) ? [] : [{ unit: r.unit, name: nameOf(r, lang), expected: r.controlsRatio.expected, ratio: r.controlsRatio.value }]));
  const span = dots.length ? [Math.min(...dots.map((d) => d.expected)) * 0.8, Math.max(...dots.map((d) => d.expected)) * 1.2] : [1, 10];
  const curve = Array.from({ length: 60 }, (_, i) => span[0]! * (span[1]! / span[0]!) ** (i / 59)).map((e) => ({ e, l95: funnelLimits(e, 0.95), l998: funnelLimits(e, 0.998) }));
  const chart = Plot.plot({
    width: 560, height: 340, x: { type: 'log', label: t('expectedControls', lang), tickFormat: (v: number) => formatNumber(v, lang) }, y: { label: t('controlsRatio', lang), grid: true, tickFormat: (v: number) => formatNumber(v, lang, 1) },
    marks: [
      Plot.line(curve, { x: 'e', y: (d: (typeof curve)[number]) => d.l95.upper, stroke: '#999' }),
      Plot.line(curve, { x: 'e', y: (d: (typeof curve)[number]) => d.l95.lower, stroke: '#999' }),
      Plot.line(curve, { x: 'e', y: (d: (typeof curve)[number]) => d.l998.upper, stroke: '#999', strokeDasharray: '4 3' }),
      Plot.line(curve, { x: 'e', y: (d: (typeof curve)[number]) => d.l998.lower, stroke: '#999', strokeDasharray: '4 3' }),
      Plot.ruleY([1], { stroke: '#e69f00' }),
      Plot.dot(dots, { x: 'expected', y: 'ratio', r: 4, fill: (d: { unit: string }) => (d.unit === selected ? '#d55e00' : '#0072b2'), title: (d: { name: string; ratio: number }) => `${d.name}: ${formatNumber(d.ratio, lang, 2)}` }),
    ],
  });
  chart.setAttribute('aria-label', t('controlsFunnel', lang));
  return chart;
}

/**
 * A pathway (docs/patients.md#pathways): entering, operated and controls per patient by area, region or
 * entry provider, standardised, the controls' funnel, and the needs-based follow-up scenario.
 */
export async function pathwayView(s: State, pick: (change: Partial<State>) => void): Promise<Node[]> {
  const pathways = await api<PathwaySummary[]>('/api/pathways');
  const id = s.pathway || pathways[0]!.id;
  const choose = el('select', { 'aria-label': t('pathway', s.lang) }, ...pathways.map((p) => new Option(p.name[s.lang], p.id)));
  (choose as HTMLSelectElement).value = id;
  choose.addEventListener('change', () => pick({ pathway: (choose as HTMLSelectElement).value }));
  const by = el('select', { 'aria-label': t('pathwayBy', s.lang) }, ...(['area', 'region', 'provider'] as const).map((b) => new Option(t(b === 'provider' ? 'provider' : b, s.lang), b)));
  (by as HTMLSelectElement).value = s.pby;
  by.addEventListener('change', () => pick({ pby: (by as HTMLSelectElement).value as State['pby'] }));
  const a = await api<PathwayAnswer>(`/api/pathway?pathway=${id}&by=${s.pby}`);
  const shown = (v: number | { withheld: string }, digits = 0) =>
    el('td', { title: isWithheld(v) ? reasonInLanguage(v.withheld, s.lang) : '' }, isWithheld(v) ? '(s)' : formatNumber(v, s.lang, digits));
  const estimate = (v: { value: number; lower: number; upper: number } | { withheld: string }, digits: number, scale = 1) =>
    isWithheld(v) ? shown(v) : el('td', {}, `${range({ value: v.value * scale, lower: v.lower * scale, upper: v.upper * scale }, s.lang, digits)}${scale === 100 ? ' %' : ''}`);
  const heads = [t(s.pby === 'provider' ? 'provider' : s.pby, s.lang), t('entering', s.lang), t('operatedShare', s.lang), t('operatedRatio', s.lang), t('medianDays', s.lang), t('controlsPerPatient', s.lang), t('controlsRatio', s.lang), t('funnelPosition', s.lang)];
  const table = el('table', {}, el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...a.rows.map((r) => el('tr', { class: r.unit === null ? 'national' : '' },
      el('td', {}, nameOf(r, s.lang)), shown(r.entrants), estimate(r.operatedShare, 1, 100), estimate(r.operatedRatio, 2), shown(r.medianDaysToOperation), shown(r.controlsPerPatient, 2),
      estimate(r.controlsRatio, 2), el('td', {}, r.unit === null || isWithheld(r.controlsRatio) ? '' : t(funnelKeys[r.controlsRatio.funnel]!, s.lang))))));
  const nodes: Node[] = [
    el('h2', {}, `${t('pathway', s.lang)}: ${a.pathway.name[s.lang]}${a.years ? `, ${periodText(a.years)}` : ''}`),
    el('p', {}, el('label', {}, `${t('pathway', s.lang)} `, choose), ' ', el('label', {}, `${t('pathwayBy', s.lang)} `, by)),
    el('p', { class: 'note' }, a.pathway.source[s.lang]),
  ];
  const chart = controlsFunnel(a.rows, s.lang, s.area);
  const file = `${id}-${s.pby}`;
  nodes.push(chart, el('p', { class: 'downloads' },
    downloadButton('CSV', () => download(`${file}.csv`, 'text/csv', pathwayCsv(a.rows))),
    downloadButton('XLSX', () => location.assign(`/api/export/pathway.xlsx?pathway=${id}&by=${s.pby}&lang=${s.lang}`)),
    downloadButton('PNG', () => png(chart, `${file}.png`))), scrollBox(table));
  if ('withheld' in a.scenario) {
    nodes.push(el('p', { class: 'note' }, reasonInLanguage(a.scenario.withheld, s.lang)));
  } else {
    const sc = a.scenario;
    const roles = Object.keys(a.pathway.minutesPerControl);
    nodes.push(el('h3', {}, `${t('scenario', s.lang)} (${t('targetRatio', s.lang)} ${formatNumber(sc.targetRatio, s.lang, 2)})`),
      scrollBox(el('table', {}, el('thead', {}, el('tr', {}, ...[heads[0]!, t('controls', s.lang), t('atTarget', s.lang), t('controlsAvoided', s.lang), ...roles.map((role) => `${t('hours', s.lang)}: ${termWords(role, s.lang)}`)].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...sc.rows.map((r) => el('tr', {}, el('td', {}, r.unit === 'other' ? t('otherProviders', s.lang) : r.unitName), el('td', {}, formatNumber(r.controls, s.lang)), el('td', {}, formatNumber(r.atTarget, s.lang, 0)),
          el('td', {}, range(r.avoided, s.lang, 0)), ...roles.map((role) => el('td', {}, range(r.hours[role]!, s.lang, 0))))),
          el('tr', { class: 'national' }, el('td', {}, t('total', s.lang)), el('td', {}, ''), el('td', {}, ''), el('td', {}, range(sc.total.avoided, s.lang, 0)), ...roles.map((role) => el('td', {}, range(sc.total.hours[role]!, s.lang, 0))))))));
  }
  nodes.push(el('p', { class: 'note' }, t('pathwayHowTo', s.lang)));
  return nodes;
}

/** The pathway's table as CSV: withheld figures empty, never 0. */
function pathwayCsv(rows: PathwayRow[]): string {
  const n = (v: number | { withheld: string }) => (isWithheld(v) ? '' : v);
  const e = (v: { value: number; lower: number; upper: number } | { withheld: string }) => (isWithheld(v) ? ['', '', ''] : [v.value, v.lower, v.upper]);
  return csvText(['unit', 'unit_name', 'entering', 'operated', 'operated_share', 'operated_share_lower', 'operated_share_upper', 'operated_oe', 'operated_oe_lower', 'operated_oe_upper', 'median_days_to_operation', 'controls', 'controls_per_patient', 'controls_oe', 'controls_oe_lower', 'controls_oe_upper'],
    rows.map((r) => [r.unit ?? 'national', r.unitName, n(r.entrants), n(r.operated), ...e(r.operatedShare), ...e(r.operatedRatio), n(r.medianDaysToOperation), n(r.controls), n(r.controlsPerPatient), ...e(r.controlsRatio)]));
}
