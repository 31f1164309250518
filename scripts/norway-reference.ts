/**
 * Writes the project's built-in Norwegian geography (data/norway/) from the facts in
 * ../shared/data/norway (SKDE's catchment-area table and renumbering table; see its README):
 *
 *   data/norway/geography.csv    the 2024 municipalities (and the districts of Oslo, Bergen, Stavanger and
 *                                Trondheim) → catchment area (bohf) → region (borhf), with the local-hospital
 *                                area (bosh), in the data contract's geography columns
 *   data/norway/renumbering.csv  every municipality renumbering 1988–2024, in the contract's columns
 *
 * `varatlas import geography --builtin norway` loads both. Run again when the facts change:
 *
 *   node --import tsx scripts/norway-reference.ts [path/to/shared/data/norway]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvText } from '../src/export/csv.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? join(root, '..', 'shared', 'data', 'norway');
const target = join(root, 'data', 'norway');

/** A CSV of plain fields or fields quoted with "", as SKDE writes them. */
function readCsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
  const split = (line: string) => {
    const out: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') out.push(field), (field = '');
      else field += c;
    }
    out.push(field);
    return out;
  };
  const [header, ...rows] = lines.map(split);
  return rows.map((r) => Object.fromEntries(header!.map((name, i) => [name, r[i] ?? ''])));
}

const write = (name: string, columns: string[], rows: Record<string, string>[]) => {
  writeFileSync(join(target, name), csvText(columns, rows.map((r) => columns.map((c) => r[c] ?? ''))));
};

mkdirSync(target, { recursive: true });
const geography = readCsv(join(source, 'geography-2024.csv')).sort((a, b) => a.municipality!.localeCompare(b.municipality!) || a.district!.localeCompare(b.district!));
write('geography.csv', ['municipality', 'district', 'municipality_name', 'district_name', 'area_code', 'area_name', 'region_code', 'region_name', 'local_area_code', 'local_area_name'], geography);
const renumbering = readCsv(join(source, 'renumbering.csv')).sort((a, b) => Number(a.year) - Number(b.year) || a.old_municipality!.localeCompare(b.old_municipality!));
write('renumbering.csv', ['year', 'old_municipality', 'new_municipality'], renumbering);
console.log(`data/norway: ${geography.length} geography rows (${new Set(geography.map((r) => r.municipality)).size} municipalities), ${renumbering.length} renumberings`);
