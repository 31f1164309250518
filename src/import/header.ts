import { VaratlasError } from '../errors.js';

const allowed = [';', ','];

/** Split a CSV header line, honouring double quotes. */
export function splitHeader(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === delimiter && !quoted) {
      fields.push(field.trim());
      field = '';
    } else field += ch;
  }
  fields.push(field.trim());
  return fields;
}

/**
 * The delimiter of a header line: comma or semicolon, whichever splits it into more fields.
 * A header that only splits on tab or pipe is named as such, so the user knows what to change.
 */
export function detectDelimiter(headerLine: string, fileName: string): string {
  const best = likelyDelimiter(headerLine);
  if (splitHeader(headerLine, best).length > 1) return best;
  for (const [d, name] of [
    ['\t', 'tab'],
    ['|', 'pipe (|)'],
  ] as const) {
    if (splitHeader(headerLine, d).length > 1) {
      throw new VaratlasError('input', `${fileName} is ${name}-separated; the data contract accepts comma or semicolon`);
    }
  }
  return best; // a single column: the missing-column check gives the clear message
}

/** Comma or semicolon, whichever splits the header into more fields (a tie: semicolon). */
export function likelyDelimiter(headerLine: string): string {
  const counts = allowed.map((d) => splitHeader(headerLine, d).length);
  return allowed[counts[0]! >= counts[1]! ? 0 : 1]!;
}
