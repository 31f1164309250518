/**
 * The one CSV writer of the project (the CLI's `--format csv`, the demo's rates.csv, the atlas's
 * downloads): RFC 4180 quoting, and text that a spreadsheet would run as a formula neutralised as
 * OWASP recommends ("CSV injection"): a text cell starting with =, +, -, @, a tab or a carriage return
 * gets a leading apostrophe. Numbers are written as numbers (a negative number stays a number).
 */
export type CsvValue = string | number | null | undefined;

const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = formulaStart.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV text: a header line, then one line per row, each ending in a line feed. */
export function csvText(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
