/**
 * The file formats of the national atlas (SKDE's Helseatlas, the public repository mong/mongts,
 * apps/skde: types in src/types, read by src/components/ResultBox and src/charts), as a field list and
 * a check of a file against it. docs/helseatlas-export.md gives the same list in words. The check is
 * what the export runs on its own files before it writes them, and what its test runs.
 */
type Check = (value: unknown, path: string, problems: string[]) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const string: Check = (v, path, p) => void (typeof v === 'string' || p.push(`${path}: a string, not ${JSON.stringify(v)}`));
const finiteOrNull: Check = (v, path, p) => void (v === null || (typeof v === 'number' && Number.isFinite(v)) || p.push(`${path}: a number (or null when withheld), not ${JSON.stringify(v)}`));
const number: Check = (v, path, p) => void ((typeof v === 'number' && Number.isFinite(v)) || p.push(`${path}: a number, not ${JSON.stringify(v)}`));
const literal = (value: string): Check => (v, path, p) => void (v === value || p.push(`${path}: "${value}", not ${JSON.stringify(v)}`));
const list = (item: Check): Check => (v, path, p) => {
  if (!Array.isArray(v)) return void p.push(`${path}: a list, not ${JSON.stringify(v)}`);
  v.forEach((x, i) => item(x, `${path}[${i}]`, p));
};
const oneOrList = (item: Check): Check => (v, path, p) => (Array.isArray(v) ? list(item)(v, path, p) : item(v, path, p));
/** An object with these fields (`?` after a name: optional); other fields are refused. */
const shape = (fields: Record<string, Check>): Check => (v, path, p) => {
  if (!isObject(v)) return void p.push(`${path}: an object, not ${JSON.stringify(v)}`);
  for (const [name, check] of Object.entries(fields)) {
    const key = name.replace(/\?$/, '');
    if (v[key] === undefined) {
      if (!name.endsWith('?')) p.push(`${path}.${key}: missing`);
    } else check(v[key], `${path}.${key}`, p);
  }
  const known = new Set(Object.keys(fields).map((n) => n.replace(/\?$/, '')));
  for (const key of Object.keys(v)) if (!known.has(key)) p.push(`${path}.${key}: not a field of this element`);
};
/** Text in the atlas's languages: nb and en (nn optional). */
const labels = (item: Check): Check => shape({ nb: item, en: item, 'nn?': item });

const barchart = shape({
  type: literal('barchart'), data: string, x: oneOrList(string), y: string, xLabel: labels(string), yLabel: labels(string),
  'annualVar?': list(string), 'annualVarLabels?': labels(list(string)), 'xLegend?': labels(list(string)), 'errorBars?': list(string), 'format?': string,
});
const table = shape({
  type: literal('table'), data: string, caption: labels(string),
  columns: list(shape({ id: string, label_no: string, label_en: string, typeVar: string, format: string })),
});
const map = shape({
  type: literal('map'), data: string, x: string, caption: labels(string),
  jenks: list(shape({ cluster: number, min: number, max: number, lag_min: number, grense: number })), 'format?': string,
});
/** The data block: rows keyed by `area` (the national row named by `national`); every other field a number or null. */
const dataBlock: Check = (v, path, p) => {
  shape({ type: literal('data'), label: string, description: string, national: string, data: list((row, rowPath, q) => {
    if (!isObject(row)) return void q.push(`${rowPath}: an object`);
    string(row.area, `${rowPath}.area`, q);
    for (const [key, value] of Object.entries(row)) if (key !== 'area') finiteOrNull(value, `${rowPath}.${key}`, q);
  }) })(v, path, p);
};

/** Problems with a data file ({ innhold: [...] }), and with how its elements refer to each other. */
export function checkAtlasData(file: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(file) || !Array.isArray(file.innhold)) return ['the file: { "innhold": [...] }'];
  const blocks = new Map<string, Record<string, unknown>[]>();
  file.innhold.forEach((element, i) => {
    const path = `innhold[${i}]`;
    const type = isObject(element) ? element.type : undefined;
    if (type === 'barchart') barchart(element, path, problems);
    else if (type === 'table') table(element, path, problems);
    else if (type === 'map') map(element, path, problems);
    else if (type === 'data') {
      dataBlock(element, path, problems);
      if (isObject(element) && typeof element.label === 'string' && Array.isArray(element.data)) blocks.set(element.label, element.data as Record<string, unknown>[]);
    } else problems.push(`${path}.type: barchart, table, map or data, not ${JSON.stringify(type)}`);
  });
  // The atlas shows the first element's xLabel on the result box: it must be a bar chart.
  if (isObject(file.innhold[0]) && file.innhold[0].type !== 'barchart') problems.push('innhold[0]: the first element is a barchart (its xLabel heads the result box)');
  // Every field a chart or table names must be in its data block's rows; the national row must be there.
  file.innhold.forEach((element, i) => {
    if (!isObject(element) || element.type === 'data') return;
    const rows = blocks.get(String(element.data));
    if (!rows) return void problems.push(`innhold[${i}].data: no data block labelled ${JSON.stringify(element.data)}`);
    const named = [element.x, element.y, element.annualVar, element.errorBars, Array.isArray(element.columns) ? element.columns.map((c) => (isObject(c) ? c.id : undefined)) : undefined]
      .flat()
      .filter((f): f is string => typeof f === 'string');
    for (const field of named) if (!rows.every((r) => field in r)) problems.push(`innhold[${i}]: field ${field} is not in every row of ${String(element.data)}`);
  });
  for (const element of file.innhold) {
    if (isObject(element) && element.type === 'data' && Array.isArray(element.data) && !element.data.some((r) => isObject(r) && r.area === element.national)) {
      problems.push(`data block ${String(element.label)}: no row for the national ${JSON.stringify(element.national)}`);
    }
  }
  return problems;
}

const date: Check = (v, path, p) => void ((typeof v === 'string' && !Number.isNaN(Date.parse(v))) || p.push(`${path}: an ISO date, not ${JSON.stringify(v)}`));
const language: Check = (v, path, p) => void (['nb', 'en', 'nn'].includes(String(v)) || p.push(`${path}: nb, en or nn, not ${JSON.stringify(v)}`));
const resultatboks = shape({
  type: literal('resultatboks'), overskrift: string, data: string, ingress: string, utvalg: string, resultat: string,
  publisert: date, oppdatert: date, 'kart?': string, 'lang?': language,
});
const tekst = shape({ type: literal('tekst'), tekst: string, 'beskrivelse?': string });
const faktaboks = shape({ type: literal('faktaboks'), overskrift: string, tekst: string, 'lang?': language });
const chapterElement: Check = (v, path, p) => {
  const type = isObject(v) ? v.type : undefined;
  if (type === 'resultatboks') resultatboks(v, path, p);
  else if (type === 'tekst') tekst(v, path, p);
  else if (type === 'faktaboks') faktaboks(v, path, p);
  else p.push(`${path}.type: tekst, faktaboks or resultatboks, not ${JSON.stringify(type)}`);
};
const atlas = shape({
  filename: string, lang: language, date, publisert: (v, path, p) => void (typeof v === 'boolean' || p.push(`${path}: true or false`)),
  mainTitle: string, shortTitle: string, ingress: string, 'frontpagetext?': string, 'image?': string,
  kapittel: list(shape({ overskrift: string, innhold: list(chapterElement) })),
});

/** Problems with an atlas file (the chapters and their result boxes, one language). */
export function checkAtlas(file: unknown): string[] {
  const problems: string[] = [];
  atlas(file, 'atlas', problems);
  return problems;
}
