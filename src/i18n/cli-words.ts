import type { Lang } from './messages.js';
import { countedWord as countedKey, tw } from './table-words.js';

/** What a rate table counts, as a word of its head (lower case). */
const countedWord = (counts: string, lang: Lang): string => tw(countedKey(counts), lang).toLowerCase();

/**
 * The CLI's sentences in both languages: each a function of its figures, so that word order can
 * differ between the languages; with the words for a position against the nation and in the funnel,
 * which the Table 5 workbook uses too. The column heads are in table-words.ts.
 */

/** A level of residence in a sentence ("by local-hospital area", "etter kommune"). */
const levelWords: Record<Lang, Record<string, string>> = {
  en: { area: 'area', region: 'region', local: 'local-hospital area', municipality: 'municipality' },
  nb: { area: 'opptaksområde', region: 'region', local: 'lokalsykehusområde', municipality: 'kommune' },
};
const levelWord = (level: string, lang: Lang): string => levelWords[lang][level] ?? levelWords[lang].area!;

const en = {
  ratesHead: (service: string, counts: string, level: string, frame: string, per: string, confidence: string, standard: string) =>
    `${service}, ${countedWord(counts, 'en')} by ${levelWord(level, 'en')} of residence, ${frame}; rates per ${per}, ${confidence} % intervals, ${standard}`,
  pooled: (period: string) => `${period} pooled`,
  ratesLegend: (min: number) =>
    `n<${min}: rate withheld, fewer than ${min} events; 1–4: small count withheld; (s): withheld so that a small count cannot be worked out from the total; (p): provider split withheld (a count of 1–4).`,
  noMatch: (id: string, period: string) => `No episode in the store matches ${id} in ${period}: the zeros are real. Check its codes with varatlas services show ${id}.`,
  variationHead: (service: string, period: string, level: string, rate: string) => `${service}, ${period}, by ${levelWord(level, 'en')}: national standardised rate ${rate} per 100 000`,
  compared: (n: number) => `${n} areas compared`,
  compareHead: (service: string, when: string, level: string, rate: string) =>
    `${service}, ${when}, by ${levelWord(level, 'en')}: standardised rates against the national ${rate} per 100 000 (rate ratio and difference, 95 %)`,
  compareBetween: (a: string, b: string, ratio: string, difference: string) => `${a} against ${b}: rate ratio ${ratio}, difference ${difference} per 100 000`,
  compareNote: 'Ratios on the log scale, differences on the rate scale (APHO/PHE methods); the nation is a fixed reference; a year against the year before counts both years\' uncertainty.',
  leftOut: 'Left out',
  ruleNote: 'The rule behind each label: --format json (areas[].label.rule).',
  uncertainty: (phi: string, tau2: string, p: string, method: string, rho: string, scvP: string, ebP: string) =>
    `Intervals: 95 %, 1 000 bootstrap draws; against chance alone SCV p ${scvP}, EB p ${ebP}. Overdispersion φ ${phi}, τ² ${tau2} (χ² test p ${p}): funnel limits ${method === 'additive' ? 'widened by a random effect' : method === 'multiplicative' ? 'widened by √φ' : 'by Poisson noise'}. Rankability ρ ${rho}; shrunk rates and rank intervals from 10 000 simulated rankings (docs/methods/uncertainty.md).`,
  versus: { above: 'above', below: 'below', 'not significant': 'not significant' } as Record<string, string>,
  funnel: { 'above 99.8 %': 'above 99.8 %', 'above 95 %': 'above 95 %', inside: 'inside', 'below 95 %': 'below 95 %', 'below 99.8 %': 'below 99.8 %' } as Record<string, string>,
  needsHead: (service: string, year: number, target: string, region: string | undefined) => `${service}, ${year}: needs at ${target}${region ? `, region ${region}` : ''}`,
  regionLine: (region: string, need: number, bought: number, withheld: number) => `${region}: purchase need ${need}, bought now ${bought}${withheld ? ` (${withheld} area(s) withheld)` : ''}`,
  contractVolume: (n: number) => `Contract volume in source 004 (Helse Midt-Norge): ${n} a year.`,
  withheldNote: '(s): withheld — a count of 1–4, or one that would let such a count be worked out from the published tables',
  effectHead: (name: string, start: string, areas: string) => `${name} — from ${start}, areas ${areas}`,
  effectSeries: (first: string, last: string, post: string, months: number) => `  series ${first}–${last}, post period from ${post} (${months} months)`,
  effectChange: (level: string, slope: string) => `  level change ${level} a month, slope change ${slope} a month per month`,
  effectAvoided: (avoided: string, beforeAfter: string, rho: string) =>
    `  avoided over the post period: ${avoided} (interrupted time series, 95 %, autocorrelated errors by REML, ρ = ${rho}); before/after: ${beforeAfter}`,
  effectControls: (avoided: string) => `  with the other areas as controls: avoided ${avoided}`,
  effectHours: (role: string, hours: string) => `  ${role} hours freed: ${hours}`,
  to: 'to',
  measures: { stays: 'stays', bed_days: 'bed days', outpatient: 'outpatient contacts' } as Record<string, string>,
  assessmentHead: (service: string, period: string) =>
    `${service}, ${period}: the rights assessment by assessing unit — share with a right and declined or returned (95 % intervals), rights standardised for sex, age and reason (O/E)`,
  assessmentLegend: (min: number) =>
    `–: withheld (a unit with fewer than ${min} referrals or a count of 1–4 in a year of the period, or one whose figures would give such a unit's away). Label: higher, near or lower than expected by the 95 % interval of O/E.`,
  funnelPosition: (p95: string, p998: string) => (p998 !== 'within' ? `${p998} 99.8 %` : p95 !== 'within' ? `${p95} 95 %` : 'within'),
  expectedLabel: (l: string) => `${l}${l === 'near' ? ' expected' : ' than expected'}`,
  referralReceivers: (frame: string, total: string, kinds: string) => `The nation, ${frame}: ${total} referrals, ${kinds}.`,
  receiverKinds: (publicCount: string, privateCount: string, contract: string) => `${publicCount} to public hospitals, ${privateCount} to private providers and ${contract} to contract specialists`,
  concentrationHead: (measure: string, selection: string, frame: string, level: string) =>
    `Concentration of ${measure}${selection}, ${frame}, patients by ${levelWord(level, 'en')} of residence; 95 % bootstrap intervals`,
  concentrationSentence: (unit: string, parts: string[], measure: string) => `${unit}: ${parts.join('; ')} of the ${measure}.`,
  topPart: (percent: string, share: string, lower: string, upper: string, first: boolean) => `${percent} %${first ? ' of patients' : ''} used ${share} % (${lower}–${upper})`,
  concentrationWithheld: (unit: string, reason: string) => `${unit}: not shown (${reason}).`,
  /** `measure`: the measure's table word in lower case (stays, bed days, outpatient contacts). */
  heavyHead: (n: number, measure: string, unit: string, frame: string) =>
    `The ${n} heaviest users of ${measure}, ${unit}, ${frame} (individual-level: not for publication; docs/patients.md)`,
  selectionService: (name: string) => ` with ${name}`,
  selectionSpecialty: (s: string) => ` in specialty ${s}`,
  pathwayHead: (name: string, by: string, frame: string, window: number, lookBack: number) =>
    `${name}, entries ${frame} by ${by === 'provider' ? 'entry provider' : `${levelWord(by, 'en')} of residence`}: a first contact with none in the ${lookBack} months before, followed ${window} months; 95 % intervals`,
  pathwayNation: (entrants: string, operated: string, median: string, controls: string) =>
    `National: ${entrants} patients entered; ${operated} operated in the window (median ${median} days to the operation); ${controls} controls per patient.`,
  scenarioHead: (target: string, ratio: string) => `Needs-based follow-up: controls at ${target} (standardised ratio ${ratio} of the national level)`,
  scenarioTotal: (avoided: string, hours: string) => `In all: ${avoided} controls avoided; hours freed: ${hours}.`,
  targets: { lower_quartile: 'the lower quartile of the units', national: 'the national level' } as Record<string, string>,
  otherProviders: 'other providers',
  profileHead: (unit: string, frame: string, measure: string) => `Who the heaviest users are, ${unit}, ${frame} (ranked by ${measure}; shares of the group's patients, or of its stays for chapters and departments)`,
  profileGroup: (fraction: number) => (fraction === 1 ? 'all patients' : `top ${fraction * 100} %`),
  profileDimensions: { sex: 'sex', age: 'age', chapter: 'ICD-10 chapter', department: 'department', readmitted: 'readmitted within 30 days', regions: 'providers in two or more regions' } as Record<string, string>,
};

const nb: typeof en = {
  ratesHead: (service, counts, level, frame, per, confidence, standard) =>
    `${service}, ${countedWord(counts, 'nb')} etter ${levelWord(level, 'nb')} for bosted, ${frame}; rater per ${per}, ${confidence} %-intervaller, ${standard}`,
  pooled: (period) => `${period} samlet`,
  ratesLegend: (min) =>
    `n<${min}: raten er skjult, færre enn ${min} hendelser; 1–4: et lite antall er skjult; (s): skjult så et lite antall ikke kan regnes ut av summen; (p): fordelingen på utførere er skjult (et antall på 1–4).`,
  noMatch: (id, period) => `Ingen episode i databasen passer ${id} i ${period}: nullene er ekte. Sjekk kodene med varatlas services show ${id}.`,
  variationHead: (service, period, level, rate) => `${service}, ${period}, etter ${levelWord(level, 'nb')}: landets standardiserte rate ${rate} per 100 000`,
  compared: (n) => `${n} områder sammenlignet`,
  compareHead: (service, when, level, rate) =>
    `${service}, ${when}, etter ${levelWord(level, 'nb')}: standardiserte rater mot landets ${rate} per 100 000 (rateforhold og differanse, 95 %)`,
  compareBetween: (a, b, ratio, difference) => `${a} mot ${b}: rateforhold ${ratio}, differanse ${difference} per 100 000`,
  compareNote: 'Forhold på logaritmisk skala, differanser på rateskala (APHO/PHE-metodene); landet er en fast referanse; et år mot året før regner med usikkerheten i begge år.',
  leftOut: 'Utelatt',
  ruleNote: 'Regelen bak hver merkelapp: --format json (areas[].label.rule).',
  uncertainty: (phi, tau2, p, method, rho, scvP, ebP) =>
    `Intervaller: 95 %, 1 000 bootstrap-trekninger; mot tilfeldigheter alene SCV p ${scvP}, EB p ${ebP}. Overdispersjon φ ${phi}, τ² ${tau2} (χ²-test p ${p}): traktens grenser ${method === 'additive' ? 'utvidet med en tilfeldig effekt' : method === 'multiplicative' ? 'utvidet med √φ' : 'etter Poisson-støy'}. Rangerbarhet ρ ${rho}; krympede rater og rangintervaller fra 10 000 simulerte rangeringer (docs/methods/uncertainty.md).`,
  versus: { above: 'over', below: 'under', 'not significant': 'ikke signifikant' },
  funnel: { 'above 99.8 %': 'over 99,8 %', 'above 95 %': 'over 95 %', inside: 'innenfor', 'below 95 %': 'under 95 %', 'below 99.8 %': 'under 99,8 %' },
  needsHead: (service, year, target, region) => `${service}, ${year}: behov mot ${targetWords(target)}${region ? `, region ${region}` : ''}`,
  regionLine: (region, need, bought, withheld) => `${region}: kjøpsbehov ${need}, kjøpt nå ${bought}${withheld ? ` (${withheld} område(r) skjult)` : ''}`,
  contractVolume: (n) => `Avtalevolum i kilde 004 (Helse Midt-Norge): ${n} i året.`,
  withheldNote: '(s): skjult — et antall på 1–4, eller et som ville la et slikt antall regnes ut av de publiserte tabellene',
  effectHead: (name, start, areas) => `${name} — fra ${start}, områder ${areas}`,
  effectSeries: (first, last, post, months) => `  serie ${first}–${last}, etterperiode fra ${post} (${months} måneder)`,
  effectChange: (level, slope) => `  nivåendring ${level} i måneden, endring i stigning ${slope} i måneden per måned`,
  effectAvoided: (avoided, beforeAfter, rho) => `  unngått i etterperioden: ${avoided} (avbrutt tidsserie, 95 %, autokorrelerte feil ved REML, ρ = ${rho}); før/etter: ${beforeAfter}`,
  effectControls: (avoided) => `  med de andre områdene som kontroll: unngått ${avoided}`,
  effectHours: (role, hours) => `  frigjorte timer, ${role}: ${hours}`,
  to: 'til',
  measures: { stays: 'oppholdene', bed_days: 'liggedøgnene', outpatient: 'de polikliniske kontaktene' } as Record<string, string>,
  assessmentHead: (service, period) =>
    `${service}, ${period}: rettighetsvurderingen etter vurderende enhet — andel med rett og avvist eller returnert (95 %-intervaller), rettigheter standardisert for kjønn, alder og årsak (O/E)`,
  assessmentLegend: (min) =>
    `–: skjult (en enhet med færre enn ${min} henvisninger eller et antall på 1–4 i et år av perioden, eller en som ville avsløre en slik). Merke: høyere, nær eller lavere enn forventet etter 95 %-intervallet for O/E.`,
  funnelPosition: (p95, p998) => {
    const word = (p: string) => (p === 'above' ? 'over' : 'under');
    return p998 !== 'within' ? `${word(p998)} 99,8 %` : p95 !== 'within' ? `${word(p95)} 95 %` : 'innenfor';
  },
  expectedLabel: (l) => (l === 'higher' ? 'høyere enn forventet' : l === 'lower' ? 'lavere enn forventet' : 'nær forventet'),
  referralReceivers: (frame, total, kinds) => `Landet, ${frame}: ${total} henvisninger, ${kinds}.`,
  receiverKinds: (publicCount, privateCount, contract) => `${publicCount} til offentlige sykehus, ${privateCount} til private leverandører og ${contract} til avtalespesialister`,
  concentrationHead: (measure, selection, frame, level) =>
    `Konsentrasjon av ${measure}${selection}, ${frame}, pasienter etter ${levelWord(level, 'nb')} de bor i; 95 % bootstrap-intervaller`,
  concentrationSentence: (unit, parts, measure) => `${unit}: ${parts.join('; ')} av ${measure}.`,
  topPart: (percent, share, lower, upper, first) => `${percent} %${first ? ' av pasientene' : ''} brukte ${share} % (${lower}–${upper})`,
  concentrationWithheld: (unit, reason) => `${unit}: ikke vist (${reason}).`,
  heavyHead: (n, measure, unit, frame) =>
    `De ${n} som brukte flest ${measure}, ${unit}, ${frame} (individnivå: ikke til publisering; docs/patients.md)`,
  selectionService: (name) => ` med ${name}`,
  selectionSpecialty: (s) => ` i fagområde ${s}`,
  pathwayHead: (name, by, frame, window, lookBack) =>
    `${name}, nye pasienter ${frame} etter ${by === 'provider' ? 'behandlingssted ved første kontakt' : `${levelWord(by, 'nb')} de bor i`}: første kontakt uten kontakt de ${lookBack} månedene før, fulgt i ${window} måneder; 95 %-intervaller`,
  pathwayNation: (entrants, operated, median, controls) =>
    `Landet: ${entrants} nye pasienter; ${operated} operert i perioden (median ${median} dager til operasjon); ${controls} kontroller per pasient.`,
  scenarioHead: (target, ratio) => `Behovsbasert oppfølging: kontroller på ${target} (standardisert forhold ${ratio} av landsnivået)`,
  scenarioTotal: (avoided, hours) => `I alt: ${avoided} kontroller unngått; frigjorte timer: ${hours}.`,
  targets: { lower_quartile: 'nedre kvartil av enhetene', national: 'landsnivået' },
  otherProviders: 'andre behandlingssteder',
  profileHead: (unit, frame, measure) => `Hvem de som bruker mest er, ${unit}, ${frame} (rangert etter ${measure}; andeler av gruppens pasienter, eller av oppholdene for kapitler og avdelinger)`,
  profileGroup: (fraction) => (fraction === 1 ? 'alle pasienter' : `øverste ${String(fraction * 100).replace('.', ',')} %`),
  profileDimensions: { sex: 'kjønn', age: 'alder', chapter: 'ICD-10-kapittel', department: 'avdeling', readmitted: 'reinnlagt innen 30 dager', regions: 'behandlet i to eller flere regioner' },
};

export const cliWords = (lang: Lang): typeof en => (lang === 'nb' ? nb : en);

/** A needs target as needs.ts describes it, in Norwegian. */
function targetWords(target: string): string {
  return target
    .replace(/^the national rate( × (.+))?$/, (_, f, factor) => (f ? `landets rate × ${factor}` : 'landets rate'))
    .replace(/^the (lower|upper) quartile of the areas' observed\/expected ratios$/, (_, w) => `${w === 'lower' ? 'nedre' : 'øvre'} kvartil av områdenes observert/forventet`)
    .replace(/^the rate of area (.+)$/, 'raten i område $1');
}
