import { csvText } from '../../src/export/csv.js';
import { periodText } from '../../src/model/period.js';
import { api, isWithheld, type AssessmentResult, type AssessmentRow, type RateTable } from './api.js';
import { rateBars, withheldMark } from './charts.js';
import { el } from './dom.js';
import { download, downloadButton, png } from './downloads.js';
import { formatNumber, t, type Key, type Lang } from './i18n.js';
import type { State } from './state.js';
import { scrollBox } from './views.js';

/** The assessment by unit as CSV: machine column names, numbers as they are, withheld cells empty. */
function assessmentCsv(units: AssessmentRow[]): string {
  const num = (v: number | { withheld: string } | null) => (v === null || typeof v === 'object' ? '' : v);
  const est = (v: { value: number; lower: number; upper: number } | { withheld: string }) => ('withheld' in v ? ['', '', ''] : [v.value, v.lower, v.upper]);
  return csvText(
    ['unit', 'referrals', 'rights', 'right_share', 'right_lower', 'right_upper', 'turned_away_share', 'turned_away_lower', 'turned_away_upper', 'observed_expected', 'oe_lower', 'oe_upper', 'label'],
    units.map((r) => [r.unit ?? 'national', num(r.referrals), num(r.rights), ...est(r.rightShare), ...est(r.turnedAwayShare), ...est(r.observedExpected), typeof r.label === 'string' ? r.label : '']),
  );
}

const labelKeys: Record<string, Key> = { higher: 'expectedHigher', near: 'expectedNear', lower: 'expectedLower' };

/**
 * Referrals for the chosen service (docs/referrals.md): referral rates by area or region (bars, with the
 * receivers' shares in the table), and the rights assessment by assessing unit.
 */
export async function referralView(s: State, pick: (unit: string) => void): Promise<Node[]> {
  const level = s.level === 'region' ? 'region' : 'area';
  const [table, assessment] = await Promise.all([
    api<RateTable>(`/api/referrals?service=${s.service}&years=${s.years}&level=${level}`),
    api<AssessmentResult>(`/api/referrals/assessment?service=${s.service}&years=${s.years}`),
  ]);
  const lang = s.lang;
  const n = (v: number, digits = 1) => formatNumber(v, lang, digits);
  const shown = (v: number | { withheld: string }, f: (x: number) => string) => (isWithheld(v) ? withheldMark(v.withheld) : f(v));
  const pooled = table.rows.filter((r) => r.year === null);
  const rates = el('table', {},
    el('thead', {}, el('tr', {}, ...[t(level, lang), t('referralsView', lang), t('rate', lang), t('private', lang)].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...pooled.map((r) => el('tr', { class: r.national ? 'national' : '' },
      el('th', { scope: 'row' }, r.national ? t('national', lang) : r.unitName),
      el('td', {}, shown(r.events, (x) => n(x, 0))),
      el('td', {}, isWithheld(r.standardisedRate) ? withheldMark(r.standardisedRate.withheld) : n(r.standardisedRate.value)),
      el('td', {}, isWithheld(r.privateShare) ? withheldMark(r.privateShare.withheld) : `${n(r.privateShare.value * 100)} %`)))));
  const units = assessment.rows.filter((r) => r.year === null);
  const pct = (v: AssessmentRow['rightShare']) => (isWithheld(v) ? withheldMark(v.withheld) : `${n(v.value * 100)} (${n(v.lower * 100)}–${n(v.upper * 100)})`);
  const head = [t('assessingUnit', lang), t('referralsView', lang), t('withRight', lang), t('turnedAway', lang), 'O/E', t('label', lang)];
  const cells = (r: AssessmentRow) => [
    r.unit ?? t('national', lang),
    shown(r.referrals, (x) => n(x, 0)),
    pct(r.rightShare),
    pct(r.turnedAwayShare),
    isWithheld(r.observedExpected) ? withheldMark(r.observedExpected.withheld) : `${n(r.observedExpected.value, 2)} (${n(r.observedExpected.lower, 2)}–${n(r.observedExpected.upper, 2)})`,
    isWithheld(r.label) ? '' : t(labelKeys[r.label]!, lang),
  ];
  const rights = el('table', {}, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...units.map((r) => el('tr', { class: r.unit === null ? 'national' : '' }, ...cells(r).map((c, i) => (i === 0 ? el('th', { scope: 'row' }, c) : el('td', {}, c)))))));
  return [
    el('section', {}, el('h2', {}, `${t('referralRates', lang)}: ${table.service.name[lang]}, ${periodText(table.years)}`), rateBars(table, lang, s.area, pick), scrollBox(rates),
      el('p', { class: 'note' }, t('suppressionNote', lang)),
      el('p', { class: 'downloads' },
        downloadButton('XLSX', () => location.assign(`/api/export/referrals.xlsx?service=${s.service}&years=${s.years}&level=${level}&lang=${lang}`)),
        downloadButton('PNG', () => png(document.querySelector('main svg')!, `${table.service.id}-referrals.png`)))),
    el('section', {}, el('h2', {}, t('rightsAssessment', lang)), scrollBox(rights), el('p', { class: 'note' }, t('assessmentNote', lang)),
      el('p', { class: 'downloads' }, downloadButton('CSV', () => download(`${table.service.id}-assessment.csv`, 'text/csv', assessmentCsv(units))))),
  ];
}
