import * as Plot from '@observablehq/plot';
import { csvText } from '../../src/export/csv.js';
import { api, isWithheld, type ConcentrationResult, type ConcentrationRow } from './api.js';
import { el } from './dom.js';
import { download, downloadButton, png } from './downloads.js';
import { formatNumber, reasonInLanguage, t, type Key, type Lang } from './i18n.js';
import type { State } from './state.js';
import { scrollBox } from './views.js';

const measureKeys: Record<State['use'], Key> = { stays: 'useStays', bed_days: 'useBedDays', outpatient: 'useOutpatient' };
const pct = (x: number, lang: Lang) => `${formatNumber(100 * x, lang, 1)} %`;

/** "1 % of the patients used 9.2 % (9.0–9.4) of the stays; 10 % used …" for one row, or why it is withheld. */
function sentence(r: ConcentrationRow, lang: Lang, measure: string): string {
  const name = r.unit === null ? t('national', lang) : r.unitName;
  if (isWithheld(r.tops)) return `${name}: ${t('withheld', lang)} (${reasonInLanguage(r.tops.withheld, lang)}).`;
  const parts = r.tops.map((x, i) =>
    `${formatNumber(100 * x.fraction, lang)} %${i === 0 ? ` ${t('ofPatients', lang)}` : ''} ${t('used', lang)} ${pct(x.share, lang)} (${formatNumber(100 * x.lower, lang, 1)}–${formatNumber(100 * x.upper, lang, 1)})`);
  return `${name}: ${parts.join('; ')} ${t('ofThe', lang)} ${measure}.`;
}

/**
 * Concentration of use: how much of the stays, bed days or outpatient contacts the heaviest patients
 * used, for the nation and the chosen unit (a Lorenz curve with the 1 % and 10 % marks), and every unit
 * of the level in a table. The heaviest users' list is never shown here (docs/patients.md).
 */
export async function concentrationView(s: State, pickUse: (use: State['use']) => void, pickArea: (unit: string) => void): Promise<Node[]> {
  const picker = el('select', { 'aria-label': t('useMeasure', s.lang) }, ...(['stays', 'bed_days', 'outpatient'] as const).map((m) => new Option(t(measureKeys[m], s.lang), m)));
  (picker as HTMLSelectElement).value = s.use;
  picker.addEventListener('change', () => pickUse((picker as HTMLSelectElement).value as State['use']));
  const result = await api<ConcentrationResult>(`/api/concentration?measure=${s.use}&years=${s.years}&level=${s.level}`);
  const frame = result.years[0] === result.years[1] ? result.years[0] : null;
  const rows = result.rows.filter((r) => r.year === frame);
  const measure = t(measureKeys[s.use], s.lang).toLowerCase();
  const nation = rows.find((r) => r.unit === null);
  const chosen = rows.find((r) => r.unit !== null && r.unit === s.area);
  const curves = [nation, chosen].filter((r): r is ConcentrationRow => r !== undefined && !isWithheld(r.lorenz));
  const points = curves.flatMap((r) => (isWithheld(r.lorenz) ? [] : r.lorenz.map((p) => ({ ...p, who: r.unit === null ? t('national', s.lang) : r.unitName }))));
  const marks = nation && !isWithheld(nation.tops) ? nation.tops.filter((x) => x.fraction === 0.01 || x.fraction === 0.1) : [];
  const chart = Plot.plot({
    width: 560, height: 440, grid: true, marginLeft: 48, color: { range: ['#0072b2', '#d55e00'] },
    x: { label: t('lorenzX', s.lang), domain: [0, 1], tickFormat: (v: number) => `${formatNumber(100 * v, s.lang, 0)} %` },
    y: { label: t('lorenzY', s.lang), domain: [0, 1], tickFormat: (v: number) => `${formatNumber(100 * v, s.lang, 0)} %` },
    marks: [
      Plot.line([{ x: 0, y: 0 }, { x: 1, y: 1 }], { x: 'x', y: 'y', stroke: '#999', strokeDasharray: '4 3' }),
      Plot.line(points, { x: 'population', y: 'use', stroke: 'who' }),
      // Each curve named where it leaves the bottom edge (no separate legend).
      Plot.text(points.filter((p) => p.population === 0.6), { x: 'population', y: 'use', text: 'who', fill: 'who', dy: -10, textAnchor: 'end' }),
      // The top 1 % and 10 %: the curve's rise over the last 1 % and 10 % of the patients.
      Plot.ruleX(marks.map((x) => 1 - x.fraction), { stroke: '#555' }),
      Plot.text(marks, {
        x: (x: { fraction: number }) => 1 - x.fraction, y: (x: { fraction: number }) => (x.fraction < 0.05 ? 0.16 : 0.06),
        text: (x: { fraction: number; share: number }) => `${t('topShare', s.lang)} ${formatNumber(100 * x.fraction, s.lang)} %: ${pct(x.share, s.lang)}`,
        textAnchor: 'end', dx: -4, stroke: 'white', strokeWidth: 4, fill: 'black',
      }),
    ],
  });
  chart.setAttribute('aria-label', nation ? sentence(nation, s.lang, measure) : t('noData', s.lang));
  const cell = (v: number | { withheld: string }, digits = 0) =>
    el('td', { title: isWithheld(v) ? reasonInLanguage(v.withheld, s.lang) : '' }, isWithheld(v) ? '(s)' : formatNumber(v, s.lang, digits));
  const table = el('table', {},
    el('thead', {}, el('tr', {}, ...[t(s.level as Key, s.lang), t('patients', s.lang), t(measureKeys[s.use], s.lang), ...[1, 5, 10, 20].map((p) => `${t('topShare', s.lang)} ${p} %`), 'Gini (95 %)'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => {
      const row = el('tr', { class: `${r.unit === null ? 'national' : ''}${r.unit !== null && r.unit === s.area ? ' selected' : ''}` },
        el('td', {}, r.unit === null ? t('national', s.lang) : r.unitName), cell(r.patients), cell(r.total),
        ...(isWithheld(r.tops) ? [0, 1, 2, 3].map(() => cell(r.tops as { withheld: string })) : r.tops.map((x) => el('td', {}, pct(x.share, s.lang)))),
        isWithheld(r.gini) ? cell(r.gini) : el('td', {}, `${formatNumber(r.gini.value, s.lang, 3)} (${formatNumber(r.gini.lower, s.lang, 3)}–${formatNumber(r.gini.upper, s.lang, 3)})`));
      if (r.unit !== null) row.addEventListener('click', () => pickArea(r.unit!));
      return row;
    })));
  const file = `concentration-${s.use}-${s.years}-${s.level}`;
  return [
    el('h2', {}, `${t('concentration', s.lang)}: ${measure}, ${s.years.replace('-', '–')}`),
    el('p', {}, el('label', {}, `${t('useMeasure', s.lang)} `, picker)),
    ...[nation, chosen].filter((r): r is ConcentrationRow => r !== undefined).map((r) => el('p', { class: 'sentence' }, sentence(r, s.lang, measure))),
    chart,
    el('p', { class: 'downloads' },
      downloadButton('CSV', () => download(`${file}.csv`, 'text/csv', concentrationCsv(rows))),
      downloadButton('XLSX', () => location.assign(`/api/export/concentration.xlsx?measure=${s.use}&years=${s.years}&level=${s.level}&lang=${s.lang}`)),
      downloadButton('PNG', () => png(chart, `${file}.png`))),
    scrollBox(table),
    el('p', { class: 'note' }, t('concentrationHowTo', s.lang)),
  ];
}

/** The table as CSV: withheld figures empty, never 0. */
function concentrationCsv(rows: ConcentrationRow[]): string {
  const n = (v: number | { withheld: string }) => (isWithheld(v) ? '' : v);
  return csvText(['unit', 'unit_name', 'year', 'patients', 'total', 'top_1', 'top_5', 'top_10', 'top_20', 'gini', 'gini_lower', 'gini_upper'],
    rows.map((r) => [r.unit ?? 'national', r.unitName, r.year ?? '', n(r.patients), n(r.total),
      ...(isWithheld(r.tops) ? ['', '', '', ''] : r.tops.map((x) => x.share)), ...(isWithheld(r.gini) ? ['', '', ''] : [r.gini.value, r.gini.lower, r.gini.upper])]));
}
