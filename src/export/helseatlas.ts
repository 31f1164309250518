import type { FeatureCollection, MultiPolygon } from 'geojson';
import { isWithheld, type RateRow, type RateTable, type Shown } from '../analysis/rate-row.js';
import type { VariationResult } from '../analysis/variation.js';
import type { ServiceDefinition } from '../catalog/service.js';
import type { Dissolved } from '../geo/dissolve.js';
import { formatNumber, standardWords, type Lang } from '../i18n/messages.js';
import { naturalBreaks } from '../stats/natural-breaks.js';

/**
 * One service's figures in the national atlas's own files (SKDE's Helseatlas; the format is in
 * helseatlas-format.ts and docs/helseatlas-export.md), so that its publisher could show them unchanged:
 *   - the data file: a bar chart of the standardised rates with their 95 % intervals as error bars and
 *     each year as a dot (annualVar), a table, a map classed by Jenks natural breaks, and the data block,
 *     one row per area (keyed by `area`) and the nation ("Norge");
 *   - the atlas file in nb and in en: one chapter with the service's result box;
 *   - a GeoJSON of the areas keyed by `properties.area`, when the boundaries are known.
 * Rates are per 1 000 inhabitants, as the atlas shows them. Only what the publication grid shows is
 * written: a withheld figure is null, never 0, and nothing is computed from a withheld one.
 */
export interface HelseatlasFiles {
  data: { innhold: unknown[] };
  atlas: Record<'nb' | 'en', unknown>;
  geojson: FeatureCollection<MultiPolygon, { area: string | null; area_code: string | null; municipality?: string; areas?: string[] }> | null;
}

const dataset = 'datasett_1';
export const nationalName = 'Norge';
/** The atlas's maps have four classes. */
const mapClasses = 4;

export function helseatlasFiles(
  table: RateTable,
  v: VariationResult,
  service: ServiceDefinition,
  o: { slug: string; date: Date; boundaries: Dissolved | null },
): HelseatlasFiles {
  const toThousand = 1000 / table.multiplier;
  const [first, last] = table.years;
  const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const span = years.length;
  const value = <T>(x: Shown<T>, f: (t: T) => number): number | null => (isWithheld(x) ? null : f(x));
  const rowOf = (unit: string, year: number | null) => table.rows.find((r) => r.unit === unit && r.year === year);
  const units = table.rows.filter((r) => r.year === null);
  const rows = units.map((r: RateRow) => {
    const row: Record<string, string | number | null> = { area: r.national ? nationalName : r.unitName };
    row.ratesnitt = value(r.standardisedRate, (e) => e.value * toThousand);
    row.lowercl = value(r.standardisedRate, (e) => e.lower * toThousand);
    row.uppercl = value(r.standardisedRate, (e) => e.upper * toThousand);
    for (const y of years) {
      const yearly = rowOf(r.unit, y);
      row[`rate${y}`] = yearly ? value(yearly.standardisedRate, (e) => e.value * toThousand) : null;
    }
    row.antsnitt = value(r.events, (n) => n / span);
    row.popsnitt = r.population / span;
    row.andel_privat = value(r.privateShare, (e) => e.value);
    return row;
  });
  const name = table.service.name;
  const rateLabel = {
    nb: `Rate: antall pr. 1 000 innbyggere, ${name.nb.toLowerCase()} (standardisert for alder og kjønn)`,
    en: `Rate: number per 1,000 inhabitants, ${name.en.toLowerCase()} (age and sex standardised)`,
  };
  const areasLabel = { nb: 'Opptaksområder', en: 'Referral areas' };
  const period = span === 1 ? `${first}` : `${first}–${last}`;
  const shownRates = rows.filter((r) => r.area !== nationalName && typeof r.ratesnitt === 'number').map((r) => r.ratesnitt as number);
  const classes = naturalBreaks(shownRates, mapClasses);
  const jenks = classes.slice(0, -1).map((c, i) => ({ cluster: i + 1, min: c.min, max: c.max, lag_min: classes[i + 1]!.min, grense: (c.max + classes[i + 1]!.min) / 2 }));
  const data = {
    innhold: [
      {
        type: 'barchart', data: dataset, x: ['ratesnitt'], y: 'area', xLabel: rateLabel, yLabel: areasLabel,
        annualVar: years.map((y) => `rate${y}`), annualVarLabels: { nb: years.map(String), en: years.map(String) },
        errorBars: ['lowercl', 'uppercl'], format: ',.2f',
      },
      {
        type: 'table', data: dataset,
        caption: {
          nb: `Årlige gjennomsnitt for ${period}. Rate pr. 1 000 innbyggere, standardisert for alder og kjønn, med 95 % konfidensintervall. Tomme celler er skjult for personvern.`,
          en: `Yearly averages for ${period}. Rate per 1,000 inhabitants, age and sex standardised, with 95 % confidence interval. Empty cells are withheld for privacy.`,
        },
        columns: [
          { id: 'area', label_no: 'Opptaksområder', label_en: 'Referral areas', typeVar: 'string', format: '' },
          { id: 'ratesnitt', label_no: 'Rate', label_en: 'Rate', typeVar: 'number', format: ',.2f' },
          { id: 'lowercl', label_no: 'Nedre grense', label_en: 'Lower limit', typeVar: 'number', format: ',.2f' },
          { id: 'uppercl', label_no: 'Øvre grense', label_en: 'Upper limit', typeVar: 'number', format: ',.2f' },
          { id: 'antsnitt', label_no: 'Antall', label_en: 'Number', typeVar: 'number', format: ',.0f' },
          { id: 'popsnitt', label_no: 'Innbyggere', label_en: 'Inhabitants', typeVar: 'number', format: ',.0f' },
          { id: 'andel_privat', label_no: 'Andel kjøpt fra private', label_en: 'Share bought from private providers', typeVar: 'number', format: ',.0%' },
        ],
      },
      { type: 'map', data: dataset, x: 'ratesnitt', caption: rateLabel, jenks, format: ',.2f' },
      {
        type: 'data', label: dataset, national: nationalName,
        description: `varatlas: ${table.service.id}, ${period}, ${table.service.counts}; standard population ${table.standard}`,
        data: rows,
      },
    ],
  };
  const date = o.date.toISOString();
  const atlas = (lang: 'nb' | 'en') => ({
    filename: o.slug,
    lang,
    date,
    publisert: false,
    mainTitle: name[lang],
    shortTitle: name[lang],
    ingress: findings(v, toThousand, lang),
    kapittel: [
      {
        overskrift: name[lang],
        innhold: [
          { type: 'tekst', tekst: method(table, lang) },
          {
            type: 'resultatboks',
            overskrift: name[lang],
            data: `${o.slug}.json`,
            ingress: findings(v, toThousand, lang),
            utvalg: selection(service, period, lang),
            resultat: spread(v, lang),
            ...(o.boundaries ? { kart: `${o.slug}.geojson` } : {}),
            lang,
            publisert: date,
            oppdatert: date,
          },
        ],
      },
    ],
  });
  return { data, atlas: { nb: atlas('nb'), en: atlas('en') }, geojson: o.boundaries ? areasGeoJson(o.boundaries) : null };
}

/** Coordinates to 5 decimals (about a metre): the dissolved outlines at full precision are ten times larger. */
const rounded = (g: MultiPolygon): MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: g.coordinates.map((polygon) => polygon.map((ring) => ring.map(([x, y]) => [Math.round(x! * 1e5) / 1e5, Math.round(y! * 1e5) / 1e5]))),
});

function areasGeoJson(d: Dissolved): HelseatlasFiles['geojson'] {
  return {
    type: 'FeatureCollection',
    features: [
      ...d.units.map((u) => ({ type: 'Feature' as const, properties: { area: u.name, area_code: u.unit }, geometry: rounded(u.geometry) })),
      // A municipality split between areas (Oslo's districts) has no polygon of its own areas: its outline
      // is kept, with no area, and the areas it holds are named.
      ...d.split.map((s) => ({
        type: 'Feature' as const,
        properties: { area: null, area_code: null, municipality: `${s.municipality} ${s.name}`, areas: s.units.map((u) => u.name) },
        geometry: rounded(s.geometry),
      })),
    ],
  };
}

const fmt = (x: number, lang: Lang, digits: number) => formatNumber(x, lang, digits);

/** The headline: highest and lowest area, how many times, and the nation. */
function findings(v: VariationResult, toThousand: number, lang: 'nb' | 'en'): string {
  if (v.areas.length < 2) return lang === 'nb' ? 'For få opptaksområder har publiserte rater til å sammenligne.' : 'Too few referral areas have published rates to compare.';
  const high = v.areas[0]!;
  const low = v.areas[v.areas.length - 1]!;
  const rate = (a: { standardisedRate: { value: number } }) => fmt(a.standardisedRate.value * toThousand, lang, 2);
  const national = fmt(v.nationalRate * toThousand, lang, 2);
  return lang === 'nb'
    ? `Raten var høyest i ${high.unitName} (${rate(high)} pr. 1 000 innbyggere) og lavest i ${low.unitName} (${rate(low)}), ${fmt(v.ft1, lang, 1)} ganger så høy. Landsgjennomsnittet var ${national}.`
    : `The rate was highest in ${high.unitName} (${rate(high)} per 1,000 inhabitants) and lowest in ${low.unitName} (${rate(low)}), ${fmt(v.ft1, lang, 1)} times as high. The national rate was ${national}.`;
}

/** The spread: FT1, CV, SCV, and how many areas lie outside the funnel's 95 % limits. */
function spread(v: VariationResult, lang: 'nb' | 'en'): string {
  const outside = v.areas.filter((a) => a.funnel.position !== 'inside').length;
  return lang === 'nb'
    ? `Variasjonen mellom ${v.areas.length} opptaksområder: FT1 ${fmt(v.ft1, lang, 2)}, CV ${fmt(v.cv, lang, 3)}, SCV ${fmt(v.scv, lang, 2)}. ${outside} av ${v.areas.length} ligger utenfor 95 %-grensene i traktplottet (observert mot forventet).`
    : `Variation across ${v.areas.length} referral areas: FT1 ${fmt(v.ft1, lang, 2)}, CV ${fmt(v.cv, lang, 3)}, SCV ${fmt(v.scv, lang, 2)}. ${outside} of ${v.areas.length} lie outside the funnel plot's 95 % limits (observed against expected).`;
}

/** What is counted, in the atlas's words: the codes are the catalogue's. */
function selection(s: ServiceDefinition, period: string, lang: 'nb' | 'en'): string {
  const words = lang === 'nb'
    ? { diagnoses: 'hoveddiagnose', procedures: 'prosedyrekode', drg: 'DRG', or: 'eller', and: 'og', aged: (a: string) => `alder ${a}`, period: 'Periode', pop: 'Befolkningen med de samme alders- og kjønnsgrensene er nevneren.' }
    : { diagnoses: 'main diagnosis', procedures: 'procedure code', drg: 'DRG', or: 'or', and: 'and', aged: (a: string) => `aged ${a}`, period: 'Period', pop: 'The population within the same age and sex limits is the denominator.' };
  const alternatives = s.include
    .map((a) => (['diagnoses', 'procedures', 'drg'] as const).filter((k) => a[k]?.length).map((k) => `${words[k]} ${a[k]!.join(', ')}`).join(` ${words.and} `))
    .join(`; ${words.or} `);
  const age = s.age?.min !== undefined || s.age?.max !== undefined ? `; ${words.aged(`${s.age?.min ?? 0}–${s.age?.max ?? ''}`.replace(/–$/, '+'))}` : '';
  return `${s.name[lang]} (${s.id}): ${alternatives}${age}. ${words.period} ${period}. ${words.pop}`;
}

function method(table: RateTable, lang: 'nb' | 'en'): string {
  return lang === 'nb'
    ? `Ratene er beregnet av varatlas fra episoder etter pasientens bosted, direkte ${standardWords(table.standard, lang)} etter alder og kjønn, med 95 % konfidensintervall (Dobson). Antall fra 1 til 4, og tall som ville la dem regnes ut, er skjult.`
    : `The rates are computed by varatlas from episodes by the patient's place of residence, directly ${standardWords(table.standard, lang)} by age and sex, with 95 % confidence intervals (Dobson). Counts of 1 to 4, and figures that would let them be worked out, are withheld.`;
}
