export type Lang = 'nb' | 'en';

const strings = {
  service: { nb: 'Tjeneste', en: 'Service' },
  period: { nb: 'Periode', en: 'Period' },
  level: { nb: 'Nivå', en: 'Level' },
  area: { nb: 'Opptaksområde', en: 'Catchment area' },
  local: { nb: 'Lokalsykehusområde', en: 'Local-hospital area' },
  municipality: { nb: 'Kommune', en: 'Municipality' },
  region: { nb: 'Region', en: 'Region' },
  view: { nb: 'Visning', en: 'View' },
  atlas: { nb: 'Atlas', en: 'Atlas' },
  labels: { nb: 'Tabell 4: merkelapper', en: 'Table 4: labels' },
  needs: { nb: 'Tabell 5: behov', en: 'Table 5: needs' },
  factsheet: { nb: 'Faktaark', en: 'Fact sheet' },
  rates: { nb: 'Standardiserte forbruksrater per 100 000 innbyggere', en: 'Standardised use rates per 100 000 inhabitants' },
  national: { nb: 'Landet', en: 'National' },
  map: { nb: 'Kart', en: 'Map' },
  tiles: { nb: 'Skjematisk kart', en: 'Schematic map' },
  realMapChoice: { nb: 'Vis ekte kart', en: 'Show the real map' },
  tileMapChoice: { nb: 'Vis skjematisk kart', en: 'Show the schematic map' },
  per100k: { nb: 'per 100 000', en: 'per 100 000' },
  ofNational: { nb: 'av landet', en: 'of national' },
  noData: { nb: 'ingen tall', en: 'no figures' },
  noNational: { nb: 'landets rate er skjult: ingen sammenligning', en: 'the national rate is withheld: no comparison' },
  splitCity: { nb: 'delt mellom', en: 'divided between' },
  splitNote: {
    nb: 'bydelene hører til flere opptaksområder. Kartet har ingen bydelsgrenser, så byen er tegnet som én flate (stiplet); områdene er her:',
    en: 'its districts belong to several areas. The map has no district boundaries, so the city is drawn as one shape (dashed); its areas are here:',
  },
  mapHint: { nb: 'Pek på eller gå med Tab til et område for tallene; klikk eller Enter velger det.', en: 'Point at an area or Tab to it for its figures; click or Enter selects it.' },
  inset: { nb: 'Oslo og Sørøstlandet', en: 'Oslo and the south-east' },
  legend: { nb: 'Tegnforklaring', en: 'Legend' },
  legendTitle: { nb: 'Standardisert rate i prosent av landet (rate per 100 000)', en: 'Standardised rate as a percentage of the national rate (rate per 100 000)' },
  catchmentSource: { nb: 'Opptaksområder: SKDE', en: 'Catchment areas: SKDE' },
  unplaced: { nb: 'Kommuner på kartet som geografien ikke plasserer', en: 'Municipalities on the map that the geography does not place' },
  locator: { nb: 'Hvor området ligger', en: 'Where the area lies' },
  funnel: { nb: 'Traktplott: observert/forventet', en: 'Funnel plot: observed/expected' },
  trend: { nb: 'Utvikling per år', en: 'Trend per year' },
  table: { nb: 'Alle tall', en: 'All figures' },
  variation: { nb: 'Variasjon', en: 'Variation' },
  events: { nb: 'Hendelser', en: 'Events' },
  patients: { nb: 'Pasienter', en: 'Patients' },
  measure: { nb: 'Telle', en: 'Count' },
  population: { nb: 'Innbyggere', en: 'Population' },
  rate: { nb: 'Rate', en: 'Rate' },
  lower: { nb: 'Nedre', en: 'Lower' },
  upper: { nb: 'Øvre', en: 'Upper' },
  private: { nb: 'Andel private', en: 'Private share' },
  providers: { nb: 'Vis fordeling offentlig/privat/avtalespesialist', en: 'Show public/private/contract specialist split' },
  download: { nb: 'Last ned', en: 'Download' },
  loading: { nb: 'Henter …', en: 'Loading …' },
  leftOut: { nb: 'Utelatt', en: 'Left out' },
  expected: { nb: 'Forventet', en: 'Expected' },
  change: { nb: 'Legge til (+) / kutte (−)', en: 'Add (+) / cut (−)' },
  purchase: { nb: 'Kjøpsbehov', en: 'Purchase need' },
  observed: { nb: 'Observert', en: 'Observed' },
  label: { nb: 'Merkelapp', en: 'Label' },
  chooseArea: { nb: 'Velg et område i atlaset (klikk på en stolpe, et område på kartet eller en rad).', en: 'Choose an area in the atlas (click a bar, an area on the map or a row).' },
  withheld: { nb: 'skjult', en: 'withheld' },
  lowvalue: { nb: 'Lav verdi', en: 'Low-value care' },
  interventions: { nb: 'Tiltak', en: 'Interventions' },
  measureName: { nb: 'Mål', en: 'Measure' },
  share: { nb: 'Andel lav verdi', en: 'Share low-value' },
  portfolio: { nb: 'Porteføljen etter fase', en: 'Portfolio by phase' },
  avoided: { nb: 'Unngåtte prosedyrer', en: 'Procedures avoided' },
  hours: { nb: 'Frigjorte timer', en: 'Hours freed' },
  noRegister: { nb: 'Ingen tiltaksregister er satt opp (varatlas serve --interventions FIL).', en: 'No intervention register is configured (varatlas serve --interventions FILE).' },
  public: { nb: 'Offentlig', en: 'Public' },
  contract_specialist: { nb: 'Avtalespesialist', en: 'Contract specialist' },
  hideProviders: { nb: 'Skjul fordelingen', en: 'Hide the split' },
  providerTitle: { nb: 'Hendelser etter hvem som utførte dem (antall, ikke standardisert)', en: 'Events by who provided them (counts, not standardised)' },
  barsHowTo: {
    nb: 'Stolpen er den standardiserte raten for hele perioden, den svarte streken dens 95 %-konfidensintervall, prikkene hvert enkelt år; den stiplede oransje linjen er landets rate. Tallet i stolpen er rangen, med 95 %-intervall i parentes.',
    en: 'Each bar is the standardised rate for the whole period, the black line its 95 % confidence interval, the dots each single year; the dashed orange line is the national rate. The number in the bar is its rank, with its 95 % interval in brackets.',
  },
  referralsView: { nb: 'Henvisninger', en: 'Referrals' },
  referralRates: { nb: 'Henvisningsrater etter bosted', en: 'Referral rates by place of residence' },
  rightsAssessment: { nb: 'Rettighetsvurdering etter vurderende enhet', en: 'Rights assessment by assessing unit' },
  assessingUnit: { nb: 'Vurderende enhet', en: 'Assessing unit' },
  withRight: { nb: 'Med rett, %', en: 'With a right, %' },
  turnedAway: { nb: 'Avvist eller returnert, %', en: 'Declined or returned, %' },
  expectedHigher: { nb: 'høyere enn forventet', en: 'higher than expected' },
  expectedNear: { nb: 'nær forventet', en: 'near expected' },
  expectedLower: { nb: 'lavere enn forventet', en: 'lower than expected' },
  assessmentNote: {
    nb: 'Rettigheter standardisert for kjønn, alder og henvisningsårsak (O/E, 95 %-intervall). En enhet med færre enn 20 henvisninger eller et antall på 1–4 i et år er skjult, og den minste andre med den.',
    en: 'Rights standardised for sex, age and reason for referral (O/E, 95 % interval). A unit with fewer than 20 referrals or a count of 1–4 in a year is withheld, and the smallest other with it.',
  },
  noVariationBedDays: {
    nb: 'Variasjonsmålene og traktdiagrammet regner med hendelser; liggedøgn er ikke et antall hendelser. Velg opphold for å se variasjonen.',
    en: 'The variation measures and the funnel plot count events; bed days are not a count of events. Choose stays to see the variation.',
  },
  funnelHowTo: {
    nb: 'Hvert punkt er et område: observert delt på forventet (O/E) mot forventet antall. Heltrukne grenser: 95 %, stiplede: 99,8 %; utenfor grensene er avviket større enn tilfeldigheter gir.',
    en: 'Each dot is an area: observed divided by expected (O/E) against the expected number. Solid limits: 95 %, dashed: 99.8 %; outside them the difference is larger than chance gives.',
  },
  providerHowTo: {
    nb: 'Antall hendelser i perioden etter hvem som utførte dem, områdene med flest først. Skjulte antall (1–4) er utelatt fra stolpen, aldri vist som 0.',
    en: 'Events in the period by who provided them, the areas with the most first. Withheld counts (1–4) are left out of the bar, never shown as 0.',
  },
  trendHowTo: { nb: 'Grå: alle områder; farget: landet og valgt område.', en: 'Grey: every area; coloured: the nation and the chosen area.' },
  suppressionNote: {
    nb: 'Små tall skjules: n<10 = raten er skjult (færre enn 10 hendelser); 1–4 = et lite antall er skjult; (s) = skjult så et lite tall ikke kan regnes ut av summen. Skjult betyr aldri 0.',
    en: 'Small numbers are withheld: n<10 = rate withheld (fewer than 10 events); 1–4 = a small count is withheld; (s) = withheld so that a small count cannot be worked out from a total. Withheld never means 0.',
  },
  ft: { nb: 'Forholdet mellom høyeste og laveste rate', en: 'Ratio of the highest to the lowest rate' },
  ftDetail: { nb: 'FT1: alle områder; FT2: uten de to ytterste; FT3: uten de fire ytterste', en: 'FT1: all areas; FT2: without the two most extreme; FT3: without the four most extreme' },
  cv: { nb: 'Variasjonskoeffisient (standardavvik / gjennomsnitt)', en: 'Coefficient of variation (standard deviation / mean)' },
  scv: { nb: 'Systematisk variasjonskomponent (variasjon utover tilfeldigheter; over 10 er svært høy)', en: 'Systematic component of variation (variation beyond chance; above 10 is very high)' },
  scvNone: { nb: 'under 0: ingen variasjon utover tilfeldigheter', en: 'below 0: no variation beyond chance' },
  overdispersion: {
    nb: 'Overspredning: hvor mye mer områdene sprer seg enn tilfeldigheter gir (φ = 1: bare tilfeldigheter); τ² er variansen mellom områdene',
    en: 'Overdispersion: how much more the areas spread than chance gives (φ = 1: chance alone); τ² is the variance between them',
  },
  rankability: {
    nb: 'Rangerbarhet: hvor stor del av spredningen som er reell; under 0,5 skyldes rekkefølgen mest tilfeldigheter',
    en: 'Rankability: how much of the spread is real; below 0.5 the order mostly reflects chance',
  },
  funnelAdditive: {
    nb: 'Grensene er utvidet for overspredning (en tilfeldig effekt per område), siden spredningen er større enn tilfeldigheter gir',
    en: 'The limits are widened for overdispersion (a random effect per area), since the spread is larger than chance gives',
  },
  funnelMultiplicative: { nb: 'Grensene er utvidet for overspredning (med √φ)', en: 'The limits are widened for overdispersion (by √φ)' },
  funnelPoisson: {
    nb: 'Grensene gjelder tilfeldig variasjon alene, siden spredningen mellom områdene er innenfor det tilfeldigheter gir',
    en: 'The limits are those of chance alone, since the spread between the areas is within what chance gives',
  },
  ebStatistic: {
    nb: 'Variansen mellom områdene i log(O/E) (empirisk Bayes); p: sannsynligheten for minst så mye variasjon av tilfeldigheter alene',
    en: 'Variance between the areas of log(O/E) (empirical Bayes); p: the chance of at least this much variation from chance alone',
  },
  bootstrapNote: { nb: 'I parentes: 95 %-intervall fra 1 000 bootstrap-trekninger.', en: 'In brackets: 95 % interval from 1 000 bootstrap draws.' },
  shrunkRate: { nb: 'Krympet rate (vekt)', en: 'Shrunk rate (weight)' },
  rankInterval: { nb: 'Rang (95 %)', en: 'Rank (95 %)' },
  ratioToNational: { nb: 'Forhold til landet (95 %)', en: 'Ratio to national (95 %)' },
  comparePair: { nb: 'To områder mot hverandre', en: 'Two areas against each other' },
  compareFirst: { nb: 'Område', en: 'Area' },
  compareSecond: { nb: 'mot', en: 'against' },
  pairResult: { nb: 'Rateforhold {ratio}; differanse {difference} per {per} ({level}).', en: 'Rate ratio {ratio}; difference {difference} per {per} ({level}).' },
  shrunkNote: {
    nb: 'Krympet rate: raten trukket mot gjennomsnittet etter hvor lite området selv kan si (empirisk Bayes); vekten er hvor mye av områdets egen rate som beholdes (1: alt). Rang: plass fra høyeste rate, med 95 %-intervall fra 10 000 simulerte rangeringer. Forhold til landet: den standardiserte raten delt på landets, med 95 %-intervall (APHO/PHE-metoden).',
    en: 'Shrunk rate: the rate pulled toward the mean by how little the area itself can tell (empirical Bayes); the weight is how much of the area\'s own rate is kept (1: all of it). Rank: place from the highest rate, with its 95 % interval from 10 000 simulated rankings. Ratio to national: the standardised rate over the national one, with its 95 % interval (the APHO/PHE method).',
  },
  demoData: { nb: 'Syntetiske demodata – ikke virkelige pasienter eller virkelig aktivitet.', en: 'Synthetic demo data – not real patients or real activity.' },
  source: { nb: 'Kilde', en: 'Source' },
  effectHowTo: {
    nb: 'Prikker: observert (måneder med 1–4 vises ikke); linje: tilpasset; stiplet: uten tiltaket (kontrafaktisk); rød: start.',
    en: 'Dots: observed (months with 1–4 are not shown); line: fitted; dashed: without the intervention (counterfactual); red: start.',
  },
  chooseAreaShort: { nb: 'Velg område', en: 'Choose an area' },
  pooledRates: { nb: 'Rater for hele perioden', en: 'Rates for the whole period' },
  needsOf: { nb: 'Behov i', en: 'Needs in' },
  noActivity: { nb: 'Ingen aktivitet noe sted i landet i perioden (ikke skjult: det finnes ingen hendelser).', en: 'No activity anywhere in the country in the period (not withheld: there are no events).' },
  posHighest: { nb: 'Høyest i landet', en: 'Highest in the country' },
  posAbove: { nb: 'Over snitt', en: 'Above average' },
  posNear: { nb: 'Nært snitt', en: 'Near average' },
  posBelow: { nb: 'Under snitt', en: 'Below average' },
  posLowest: { nb: 'Lavest i landet', en: 'Lowest in the country' },
  labelLeftOut: { nb: 'Ikke merket: for få hendelser eller skjult', en: 'No label: too few events, or withheld' },
  print: { nb: 'Skriv ut / PDF', en: 'Print / PDF' },
  labelsHowTo: {
    nb: 'Hvert område merket etter hvor raten ligger mot landet (nært snitt: innenfor ±10 % eller ikke signifikant) og hvor stor andel som kjøpes fra private. Pek på en merkelapp for regelen bak den.',
    en: 'Each area labelled by where its rate lies against the nation (near average: within ±10 % or not significant) and how much is bought from private providers. Point at a label for the rule behind it.',
  },
  needsHowTo: {
    nb: 'Forventet: aktiviteten området ville hatt med landets rate. Legge til / kutte: forskjellen fra observert. Kjøpsbehov: det området ikke gjør selv, teoretisk å kjøpe fra private.',
    en: 'Expected: the activity the area would have at the national rate. Add / cut: the difference from observed. Purchase need: what the area does not do itself, in theory to buy from private providers.',
  },
  own: { nb: 'Eget helseforetak', en: 'Own trust' },
  privateProviders: { nb: 'Private', en: 'Private' },
  regionSum: { nb: 'sum for regionen, viste områder', en: 'region total, areas shown' },
  areasWithheld: { nb: 'områder skjult', en: 'areas withheld' },
  variantSensitive: { nb: 'sensitiv', en: 'sensitive' },
  variantSpecific: { nb: 'spesifikk', en: 'specific' },
  phasePreAnalysis: { nb: 'Pre-analyse', en: 'Pre-analysis' },
  phaseAnalysis: { nb: 'Analyse', en: 'Analysis' },
  phaseStart: { nb: 'Oppstart', en: 'Start' },
  phaseExecution: { nb: 'Gjennomføring', en: 'Execution' },
  effectWithheld: {
    nb: 'Effekten publiseres ikke: noen måneder i serien har skjulte antall, og modellens tall ville avsløre dem. Måneder:',
    en: 'The effect is not published: some months of its series hold withheld counts, and the model\'s figures would give them away. Months:',
  },
  dataLine: { nb: 'Data', en: 'Data' },
  to: { nb: 'til', en: 'to' },
  rows: { nb: 'rader', en: 'rows' },
  lastImport: { nb: 'sist importert', en: 'last import' },
  geography: { nb: 'geografi', en: 'geography' },
  concentration: { nb: 'Konsentrasjon av bruk', en: 'Concentration of use' },
  useMeasure: { nb: 'Bruk målt i', en: 'Use measured in' },
  useStays: { nb: 'Opphold', en: 'Stays' },
  useBedDays: { nb: 'Liggedøgn', en: 'Bed days' },
  useOutpatient: { nb: 'Polikliniske kontakter', en: 'Outpatient contacts' },
  ofPatients: { nb: 'av pasientene', en: 'of the patients' },
  used: { nb: 'brukte', en: 'used' },
  ofThe: { nb: 'av', en: 'of the' },
  topShare: { nb: 'Andel brukt av de øverste', en: 'Share used by the top' },
  lorenzX: { nb: 'Andel av pasientene, de som brukte minst først', en: 'Share of the patients, lightest users first' },
  lorenzY: { nb: 'Andel av bruken', en: 'Share of the use' },
  pathways: { nb: 'Pasientforløp', en: 'Patient pathways' },
  pathway: { nb: 'Forløp', en: 'Pathway' },
  pathwayBy: { nb: 'Etter', en: 'By' },
  provider: { nb: 'Behandlingssted', en: 'Provider' },
  otherProviders: { nb: 'Andre behandlingssteder', en: 'Other providers' },
  entering: { nb: 'Nye pasienter', en: 'Entering' },
  operatedShare: { nb: 'Andel operert', en: 'Operated' },
  operatedRatio: { nb: 'Operert O/F', en: 'Operated O/E' },
  medianDays: { nb: 'Median dager til operasjon', en: 'Median days to operation' },
  controlsPerPatient: { nb: 'Kontroller per pasient', en: 'Controls per patient' },
  controlsRatio: { nb: 'Kontroller O/F', en: 'Controls O/E' },
  funnelPosition: { nb: 'Traktplott', en: 'Funnel' },
  funnelAbove998: { nb: 'over 99,8 %', en: 'above 99.8 %' },
  funnelAbove95: { nb: 'over 95 %', en: 'above 95 %' },
  funnelInside: { nb: 'innenfor', en: 'inside' },
  funnelBelow95: { nb: 'under 95 %', en: 'below 95 %' },
  funnelBelow998: { nb: 'under 99,8 %', en: 'below 99.8 %' },
  expectedControls: { nb: 'Forventede kontroller', en: 'Expected controls' },
  controlsFunnel: { nb: 'Traktplott: kontroller, observert/forventet', en: 'Funnel plot: controls, observed/expected' },
  scenario: { nb: 'Behovsbasert oppfølging', en: 'Needs-based follow-up' },
  targetRatio: { nb: 'mål: forhold til landet', en: 'target: ratio to the nation' },
  controls: { nb: 'Kontroller', en: 'Controls' },
  atTarget: { nb: 'Ved målet', en: 'At target' },
  controlsAvoided: { nb: 'Unngåtte kontroller', en: 'Controls avoided' },
  total: { nb: 'I alt', en: 'Total' },
  pathwayHowTo: {
    nb: 'Et forløp starter ved første kontakt for tilstanden uten kontakt i perioden før, og følges så lenge forløpet sier. O/F er observert delt på forventet etter kjønn og alder (indirekte standardisert), med 95 %-intervall. Scenarioet viser kontrollene og legetimene som spares om hver enhet hadde kontroller på målet (nedre kvartil av enhetene). Enheter med færre enn 20 nye pasienter vises ikke hver for seg.',
    en: 'A pathway starts at the first contact for the condition with none in the period before, and is followed as long as the pathway says. O/E is observed over expected for sex and age (indirectly standardised), with its 95 % interval. The scenario shows the controls and clinician hours saved if each unit had its controls at the target (the lower quartile of the units). Units with fewer than 20 patients entering are not shown on their own.',
  },
  concentrationHowTo: {
    nb: 'Kurven (Lorenz-kurven) viser hvor stor andel av bruken de pasientene som brukte minst, sto for; jo lenger under diagonalen, jo mer er bruken samlet på få. Strekene merker de 10 % og 1 % som brukte mest. Et opphold er sammenhengende behandling, også overføringer mellom sykehus. Enheter med færre enn 500 pasienter vises ikke, og da heller ikke antallene for de andre enhetene på samme nivå. Intervallene er 95 % (bootstrap).',
    en: 'The curve (the Lorenz curve) shows the share of the use by the patients who used least; the further below the diagonal, the more use is concentrated on few. The rules mark the 10 % and 1 % who used most. A stay is continuous care, transfers between hospitals included. Units with fewer than 500 patients are not shown, nor then the counts of the other units of the level. Intervals are 95 % (bootstrap).',
  },
} as const;

export type Key = keyof typeof strings;

/** Every message in both languages (the atlas's language test reads it). */
export const messages: Readonly<Record<Key, { nb: string; en: string }>> = strings;

const locales: Record<Lang, string> = { nb: 'nb-NO', en: 'en-GB' };
/** A number in the reader's language: 1 318,3 in Norwegian, 1,318.3 in English. */
export function formatNumber(value: number, lang: Lang, digits?: number): string {
  if (!Number.isFinite(value)) return '–';
  const options = digits === undefined ? { maximumFractionDigits: 2 } : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return value.toLocaleString(locales[lang], options);
}
export const t = (key: Key, lang: Lang): string => strings[key][lang];

/** A month on a time axis in the reader's language ("okt." / "Oct"), with the year under January. */
export function formatMonth(date: Date, lang: Lang): string {
  const month = date.toLocaleDateString(locales[lang], { month: 'short', timeZone: 'UTC' });
  return date.getUTCMonth() === 0 ? `${month}\n${date.getUTCFullYear()}` : month;
}

const positionKeys = { highest: 'posHighest', above: 'posAbove', near: 'posNear', below: 'posBelow', lowest: 'posLowest' } as const;
/** Where a unit's rate lies against the nation, in words (Table 4's first half). */
export const positionWords = (position: keyof typeof positionKeys, lang: Lang): string => t(positionKeys[position], lang);

const phaseKeys = { 'pre-analysis': 'phasePreAnalysis', analysis: 'phaseAnalysis', start: 'phaseStart', execution: 'phaseExecution' } as const;
/** An intervention's phase (source 000: pre-analysis → analysis → start → execution), in words. */
export const phaseWords = (phase: string, lang: Lang): string => (phase in phaseKeys ? t(phaseKeys[phase as keyof typeof phaseKeys], lang) : phase);

/** A measure's variant in words. */
export const variantWords = (variant: 'sensitive' | 'specific', lang: Lang): string => t(variant === 'sensitive' ? 'variantSensitive' : 'variantSpecific', lang);

/**
 * Names of the catalogue's specialties and of the clinician roles an intervention register uses. A
 * catalogue or a register may use others: they are shown as written, with '_' as a space.
 */
const terms: Record<string, { nb: string; en: string }> = {
  ent: { nb: 'Øre-nese-hals', en: 'Ear, nose and throat' },
  eye: { nb: 'Øye', en: 'Eye' },
  gastro_surgery: { nb: 'Gastrokirurgi', en: 'Gastrointestinal surgery' },
  gastroenterology: { nb: 'Fordøyelsessykdommer', en: 'Gastroenterology' },
  orthopaedics: { nb: 'Ortopedi', en: 'Orthopaedics' },
  plastic_surgery: { nb: 'Plastikkirurgi', en: 'Plastic surgery' },
  sleep_apnoea: { nb: 'Søvnapné', en: 'Sleep apnoea' },
  urology: { nb: 'Urologi', en: 'Urology' },
  vascular: { nb: 'Karkirurgi', en: 'Vascular surgery' },
  physician: { nb: 'lege', en: 'physician' },
  nurse: { nb: 'sykepleier', en: 'nurse' },
  physiotherapist: { nb: 'fysioterapeut', en: 'physiotherapist' },
  psychologist: { nb: 'psykolog', en: 'psychologist' },
  secretary: { nb: 'sekretær', en: 'secretary' },
};
export const termWords = (term: string, lang: Lang): string => terms[term]?.[lang] ?? term.replaceAll('_', ' ');

/** Plot's names of a chart's parts (read by screen readers), in Norwegian; English keeps Plot's own. */
const chartParts: Record<string, string> = {
  'x-axis tick': 'x-akse, merker', 'x-axis tick label': 'x-akse, merketekster', 'x-axis label': 'x-aksens tittel', 'x-grid': 'x-rutenett',
  'y-axis tick': 'y-akse, merker', 'y-axis tick label': 'y-akse, merketekster', 'y-axis label': 'y-aksens tittel', 'y-grid': 'y-rutenett',
  bar: 'stolper', dot: 'punkter', line: 'linjer', rule: 'linjer', text: 'tekster', tick: 'streker', area: 'flater', geo: 'kartflater',
  frame: 'ramme', link: 'forbindelser', rect: 'rektangler', cell: 'celler', tip: 'verktøytips',
};
export const chartPartWords = (name: string, lang: Lang): string => (lang === 'nb' ? chartParts[name] ?? name : name);

/** The standard population a rate table names ("national population 2023", or an imported one), in words. */
export function standardWords(description: string, lang: Lang): string {
  const year = /^national population (\d{4})$/.exec(description)?.[1];
  if (year) return lang === 'nb' ? `standardisert til landets befolkning ${year}` : `standardised to the national population ${year}`;
  return lang === 'nb' ? 'standardisert til den importerte standardbefolkningen' : 'standardised to the imported standard population';
}
