import { periodText } from '../model/period.js';
import { csvText } from '../export/csv.js';
import { isWithheld, type Estimate, type RateRow, type RateTable, type Shown } from '../analysis/rates.js';
import { formatNumber, formatTable } from './format-table.js';
import { cliWords } from '../i18n/cli-words.js';
import { formatNumber as inLanguage, standardWords, type Lang } from '../i18n/messages.js';
import { countedWord, tw } from '../i18n/table-words.js';

/** Short marks for withheld values; the legend under the table says what they mean. Never 0. */
function mark(reason: string): string {
  if (reason.startsWith('fewer than')) return `n<${reason.replace(/\D+/g, '')}`;
  if (reason.startsWith('between 1')) return '1–4';
  if (reason.startsWith('withheld so that')) return '(s)';
  if (reason.startsWith('a provider count')) return '(p)';
  return '–';
}

const count = (v: Shown<number>) => (isWithheld(v) ? mark(v.withheld) : v);
const rateIn = (lang: Lang) => (v: Shown<Estimate>, digits = 1) =>
  isWithheld(v) ? mark(v.withheld) : `${inLanguage(v.value, lang, digits)} (${inLanguage(v.lower, lang, digits)}–${inLanguage(v.upper, lang, digits)})`;
const percentIn = (lang: Lang) => (v: Shown<Estimate>) => (isWithheld(v) ? mark(v.withheld) : `${inLanguage(v.value * 100, lang, 1)} %`);

/** The terminal table: one row per unit for the period (or one year), the nation last. */
export function rateTableText(t: RateTable, year: number | null, language: 'nb' | 'en' = 'en'): string {
  const rows = t.rows.filter((r) => r.year === year);
  const per = formatNumber(t.multiplier);
  const say = cliWords(language);
  const rate = rateIn(language);
  const percent = percentIn(language);
  const frame = year !== null ? String(year) : t.years[0] === t.years[1] ? String(t.years[0]) : say.pooled(periodText(t.years));
  const head = say.ratesHead(`${t.service.name[language]} (${t.service.id})`, t.service.counts, t.level, frame, per,
    (t.confidence * 100).toFixed(1).replace('.0', ''), standardWords(t.standard, language));
  // Stays, bed days and referrals count no patients: their column is left out.
  const counted = countedWord(t.service.counts === 'patients' ? 'episodes' : t.service.counts);
  const patients = !(counted !== 'events' && rows.every((r) => isWithheld(r.patients) && r.patients.withheld === 'not counted'));
  const table = formatTable(
    [tw(t.level === 'area' ? 'area' : t.level, language), tw(counted, language), ...(patients ? [tw('patients', language)] : []),
      ...(['population', 'crudeRate', 'standardisedRate', 'observedExpected', 'privateShare', 'contractShare'] as const).map((k) => tw(k, language))],
    rows.map((r) => [
      r.national ? tw('national', language) : r.unitName,
      count(r.events),
      ...(patients ? [count(r.patients)] : []),
      r.population,
      rate(r.crudeRate),
      rate(r.standardisedRate),
      rate(r.observedExpected, 2),
      percent(r.privateShare),
      percent(r.contractSpecialistShare),
    ]),
  );
  const legend = say.ratesLegend(t.minEvents);
  // A definition that matches nothing is worth saying: a table of zeros looks like a finding.
  const none = t.rows.every((r) => r.events === 0) ? `\n\n${say.noMatch(t.service.id, periodText(t.years))}` : '';
  return `${head}\n\n${table}\n\n${legend}${none}`;
}

const csvColumns = [
  'service', 'level', 'unit', 'unit_name', 'year', 'events', 'patients', 'population',
  'crude_rate', 'crude_lower', 'crude_upper', 'standardised_rate', 'standardised_lower', 'standardised_upper',
  'observed_expected', 'oe_lower', 'oe_upper', 'expected', 'public', 'private', 'contract_specialist',
  'private_share', 'contract_specialist_share', 'withheld',
];

/** CSV, one line per unit and year ('period' for the pooled row); withheld cells are empty and explained. */
export function rateTableCsv(tables: RateTable[]): string {
  return csvText(csvColumns, tables.flatMap((t) => t.rows.map((r) => csvLine(t, r))));
}

function csvLine(t: RateTable, r: RateRow): (string | number)[] {
  const reasons = new Set<string>();
  const n = (v: Shown<number>) => (isWithheld(v) ? (reasons.add(v.withheld), '') : v);
  const e = (v: Shown<Estimate>) => (isWithheld(v) ? (reasons.add(v.withheld), ['', '', '']) : [v.value, v.lower, v.upper]);
  const oe = r.observedExpected;
  return [
    t.service.id, t.level, r.unit, r.unitName, r.year ?? 'period', n(r.events), n(r.patients), r.population,
    ...e(r.crudeRate), ...e(r.standardisedRate), ...e(oe), isWithheld(oe) ? '' : oe.expected,
    n(r.providers.public), n(r.providers.private), n(r.providers.contract_specialist),
    isWithheld(r.privateShare) ? '' : r.privateShare.value, isWithheld(r.contractSpecialistShare) ? '' : r.contractSpecialistShare.value,
    [...reasons].join('; '),
  ];
}

