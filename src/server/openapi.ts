/** OpenAPI 3.1 description of the varatlas API (served at /api/openapi.json). */
const service = { name: 'service', in: 'query', required: true, schema: { type: 'string' }, description: 'service id from /api/services' };
const years = { name: 'years', in: 'query', schema: { type: 'string', pattern: '^\\d{4}(-\\d{4})?$' }, description: 'period, e.g. 2019-2023 (default: every year with activity)' };
const level = { name: 'level', in: 'query', schema: { type: 'string', enum: ['area', 'region', 'local', 'municipality'], default: 'area' } };
const measure = {
  name: 'measure', in: 'query', schema: { type: 'string', enum: ['events', 'patients', 'stays', 'bed_days'], default: 'events' },
  description: "events (the service's own unit), patients, stays (episodes of care with the service) or bed_days (their bed days); stays and bed days by area and region only, and no variation for bed days (docs/patients.md)",
};
const error = { description: 'bad parameter: the message names it', content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' } } } } } };
const lang = { name: 'lang', in: 'query', schema: { type: 'string', enum: ['nb', 'en'], default: 'en' }, description: 'language of the workbook' };
const workbook = { description: 'an XLSX workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {} } };
/** The patients' endpoints: what use is measured in, and which stays count (docs/patients.md). */
const useMeasure = { name: 'measure', in: 'query', schema: { type: 'string', enum: ['stays', 'bed_days', 'outpatient'], default: 'stays' } };
const selectionParameters = [
  { name: 'service', in: 'query', schema: { type: 'string' }, description: 'only stays with an episode of this service' },
  { name: 'specialty', in: 'query', schema: { type: 'string' }, description: 'only stays with an episode of this specialty' },
];
const useParameters = [useMeasure, years, level, ...selectionParameters];
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });

export const openApi = {
  openapi: '3.1.0',
  info: {
    title: 'varatlas API',
    version: '0.1.0',
    description: 'Use rates by area of residence, variation, labels and needs. Aggregates only; counts 1–4 are withheld and rates on fewer than 10 events are withheld, never shown as 0 (a withheld value is { "withheld": "reason" }).',
  },
  components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
  security: [{}, { token: [] }],
  paths: {
    '/api/health': { get: { summary: 'the server is up (no store access)', responses: { 200: ok('{ "ok": true }') } } },
    '/api/openapi.json': { get: { summary: 'this description', responses: { 200: ok('OpenAPI 3.1') } } },
    '/api/services': { get: { summary: 'the service catalogue', responses: { 200: ok('services') } } },
    '/api/boundaries': { get: { summary: 'the configured GeoJSON/TopoJSON of the areas (404 when none)', responses: { 200: ok('GeoJSON or TopoJSON'), 404: error } } },
    '/api/map/municipalities': { get: { summary: "Norway's 2024 municipality boundaries as TopoJSON (© Kartverket, CC BY 4.0), object `municipalities`; cached for a day", responses: { 200: ok('TopoJSON') } } },
    '/api/places': { get: { summary: 'every municipality and district of the geography with its area, region and local-hospital area (what the map dissolves by)', responses: { 200: ok('places') } } },
    '/api/about': { get: { summary: "the data's period and the latest imports of episodes, geography and population (file name, time, rows)", responses: { 200: ok('about') } } },
    '/api/areas': { get: { summary: 'catchment areas and regions', responses: { 200: ok('areas') } } },
    '/api/rates': {
      get: {
        summary: 'rates per unit, per year and pooled (docs/rates.md)',
        parameters: [service, years, level, { name: 'confidence', in: 'query', schema: { type: 'string', enum: ['95', '99.8'], default: '95' } }, measure],
        responses: { 200: ok('a RateTable'), 400: error },
      },
    },
    '/api/compare': {
      get: {
        summary: "each unit's standardised rate against the nation and against its previous year, and two chosen units against each other: rate ratios and rate differences with intervals (docs/methods/uncertainty.md); withheld where a rate is",
        parameters: [
          service, years, level, { name: 'confidence', in: 'query', schema: { type: 'string', enum: ['95', '99.8'], default: '95' } }, measure,
          { name: 'year', in: 'query', schema: { type: 'string' }, description: 'the year compared (default: the pooled period)' },
          { name: 'a', in: 'query', schema: { type: 'string' }, description: 'a unit code; with b, a against b' },
          { name: 'b', in: 'query', schema: { type: 'string' }, description: 'the unit a is compared with' },
        ],
        responses: { 200: ok('RateComparisons'), 400: error },
      },
    },
    '/api/referrals': {
      get: {
        summary: "referral rates by area or region of residence for a service, standardised with intervals; the provider split is the receivers' (public, private, contract specialist); small counts withheld by the referrals' own grid (docs/referrals.md)",
        parameters: [service, years, { ...level, schema: { type: 'string', enum: ['area', 'region'], default: 'area' } }],
        responses: { 200: ok('a RateTable counting referrals'), 400: error },
      },
    },
    '/api/export/referrals.xlsx': {
      get: {
        summary: 'the referral rate table as an Excel workbook (the same figures and withheld marks as /api/referrals)',
        parameters: [service, years, { ...level, schema: { type: 'string', enum: ['area', 'region'], default: 'area' } }, lang],
        responses: { 200: workbook, 400: error },
      },
    },
    '/api/referrals/assessment': {
      get: {
        summary: 'the rights assessment of a service\'s referrals by assessing unit and the nation: shares with a right and declined or returned, rights standardised for sex, age and reason (O/E), funnel position at 95 and 99.8 %, label, median days to assessment and deadline; small units withheld (docs/referrals.md)',
        parameters: [service, years],
        responses: { 200: ok('an AssessmentResult'), 400: error },
      },
    },
    '/api/series': { get: { summary: 'standardised rate per unit and year', parameters: [service, years, level], responses: { 200: ok('series'), 400: error } } },
    '/api/variation': {
      get: {
        summary: 'FT1–FT3, CV, SCV, significance, funnel and table-4 labels with their rules',
        parameters: [service, years, { ...level, schema: { type: 'string', enum: ['area', 'region', 'local', 'municipality'], default: 'area' } }, measure],
        responses: { 200: ok('a VariationResult'), 400: error },
      },
    },
    '/api/concentration': {
      get: {
        summary: 'concentration of use: shares of the stays, bed days or outpatient contacts used by the heaviest 1, 5, 10 and 20 % of patients, Gini and the Lorenz curve, with bootstrap intervals, for the nation and each unit (docs/patients.md)',
        parameters: useParameters,
        responses: { 200: ok('a ConcentrationResult'), 400: error },
      },
    },
    '/api/export/concentration.xlsx': {
      get: {
        summary: 'the concentration of use as a workbook: the shares, Gini and counts per unit (as /api/concentration), and the Lorenz curves',
        parameters: [...useParameters, lang],
        responses: { 200: workbook, 400: error },
      },
    },
    '/api/pathways': {
      get: { summary: 'the pathways of the catalogue (catalog/pathways.yaml)', responses: { 200: ok('PathwaySummary[]') } },
    },
    '/api/pathway': {
      get: {
        summary: 'one pathway by area, region or entry provider: entering, operated, controls per patient, standardised ratios with intervals and funnel positions, and the needs-based follow-up scenario (docs/patients.md)',
        parameters: [
          { name: 'pathway', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'by', in: 'query', schema: { type: 'string', enum: ['area', 'region', 'provider'], default: 'area' } },
          { name: 'year', in: 'query', schema: { type: 'string' }, description: 'one whole year (default: every whole year pooled)' },
          { name: 'target', in: 'query', schema: { type: 'string', default: 'lower_quartile' }, description: 'lower_quartile, national, or a ratio to the national level such as 0.8' },
        ],
        responses: { 200: ok('a PathwayAnswer'), 400: error },
      },
    },
    '/api/export/pathway.xlsx': {
      get: {
        summary: "a pathway as a workbook: every whole year and the period by unit (as /api/pathway), and the period's follow-up scenario",
        parameters: [
          { name: 'pathway', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'by', in: 'query', schema: { type: 'string', enum: ['area', 'region', 'provider'], default: 'area' } },
          { name: 'target', in: 'query', schema: { type: 'string', default: 'lower_quartile' } },
          lang,
        ],
        responses: { 200: workbook, 400: error },
      },
    },
    '/api/heavy-users/profile': {
      get: {
        summary: "who the heaviest 1 % and 10 % of the patients are, in aggregate: shares by sex, age band, ICD-10 chapter and department, readmitted within 30 days, treated in two or more regions; counts for the nation only; small counts withheld (docs/patients.md)",
        parameters: [
          { name: 'measure', in: 'query', schema: { type: 'string', enum: ['stays', 'bed_days'], default: 'stays' } },
          years, level,
          { name: 'unit', in: 'query', schema: { type: 'string' }, description: 'a unit of the level (default: the nation)' },
          ...selectionParameters,
        ],
        responses: { 200: ok('a HeavyProfile'), 400: error },
      },
    },
    '/api/heavy-users': {
      get: {
        summary: 'the heaviest users: rank, amount and main department only; individual-level, served only with the access token in an Authorization header (docs/patients.md)',
        parameters: [
          useMeasure,
          years, level,
          { name: 'unit', in: 'query', schema: { type: 'string' }, description: 'a unit of the level (default: the nation)' },
          ...selectionParameters,
          { name: 'count', in: 'query', schema: { type: 'integer', default: 10, maximum: 1000 } },
        ],
        responses: { 200: ok('{ heavyUsers: { rank, amount, department }[] }'), 400: error, 403: error },
      },
    },
    '/api/export/rates.xlsx': {
      get: {
        summary: 'the rate table as an Excel workbook (the same figures and withheld marks as /api/rates)',
        parameters: [service, years, level, measure, lang],
        responses: { 200: workbook, 400: error },
      },
    },
    '/api/export/needs.xlsx': {
      get: {
        summary: "tables 4 and 5 for every service as a workbook, the CLI's `needs --format xlsx` (labels with their rules, ± procedures, all figures, region sums)",
        parameters: [years, { name: 'year', in: 'query', schema: { type: 'string' }, description: 'the year of the needs (default: the last of the period)' }, lang],
        responses: { 200: workbook, 400: error },
      },
    },
    '/api/export/lowvalue.xlsx': {
      get: {
        summary: 'a low-value measure as a workbook: shares by area, then the standardised rates of its low-value episodes (as /api/lowvalue)',
        parameters: [{ name: 'measure', in: 'query', required: true, schema: { type: 'string' } }, years, lang],
        responses: { 200: workbook, 400: error },
      },
    },
    '/api/export/effects.xlsx': {
      get: {
        summary: "the register's interventions in the start or execution phase as a workbook: effects and monthly series (as /api/interventions/effect)",
        parameters: [lang],
        responses: { 200: workbook, 404: error },
      },
    },
    '/api/labels': { get: { summary: 'table 4: labels with their rules for every service and area', parameters: [years], responses: { 200: ok('labels per service'), 400: error } } },
    '/api/measures': { get: { summary: 'low-value measures with references', responses: { 200: ok('measures') } } },
    '/api/lowvalue': {
      get: {
        summary: 'a low-value measure by area for one year or the standard period: shares, standardised rates, variation and labels (withheld as the measure\'s publication grid decides)',
        parameters: [{ name: 'measure', in: 'query', required: true, schema: { type: 'string' } }, years],
        responses: { 200: ok('a LowValueReport'), 400: error },
      },
    },
    '/api/lowvalue/series': {
      get: {
        summary: 'low-value episodes of a measure in every month of the standard period, for one area or the nation (withheld as the measure\'s publication grid decides)',
        parameters: [{ name: 'measure', in: 'query', required: true, schema: { type: 'string' } }, { name: 'area', in: 'query', schema: { type: 'string', default: 'national' } }],
        responses: { 200: ok('a monthly series'), 400: error },
      },
    },
    '/api/interventions': { get: { summary: 'the intervention register (404 when none is configured)', responses: { 200: ok('interventions'), 404: error } } },
    '/api/interventions/effect': {
      get: {
        summary: 'effect of one intervention: monthly series, interrupted time series, avoided procedures, hours freed — the model only when no month of its series is withheld (else `withheld` says why)',
        parameters: [{ name: 'name', in: 'query', required: true, schema: { type: 'string' } }, { name: 'controls', in: 'query', schema: { type: 'boolean', default: false } }],
        responses: { 200: ok('a PublishedEffect'), 400: error, 404: error },
      },
    },
    '/api/factsheet': {
      get: {
        summary: 'every service for one area against the national rate: rate, O/E, label, needs',
        parameters: [{ name: 'area', in: 'query', required: true, schema: { type: 'string' } }, years, { name: 'year', in: 'query', schema: { type: 'string' } }],
        responses: { 200: ok('a fact sheet'), 400: error },
      },
    },
    '/api/needs': {
      get: {
        summary: 'needs at a target rate: expected, ± procedures, purchase need (table 5)',
        parameters: [
          service, years,
          { name: 'year', in: 'query', schema: { type: 'string' } },
          { name: 'target', in: 'query', schema: { type: 'string', default: 'national' }, description: 'national, national:FACTOR, quartile:lower|upper, area:CODE' },
          { name: 'region', in: 'query', schema: { type: 'string' } },
        ],
        responses: { 200: ok('a NeedsReport'), 400: error },
      },
    },
  },
};
