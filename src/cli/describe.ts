import { echoed } from '../errors.js';
import type { ImportReport } from '../import/import-file.js';
import type { StoreStatus } from '../store/store.js';
import { formatNumber, formatTable } from './format-table.js';

/** The lines an import prints: what was read and where the rejects are. read = accepted + rejected. */
export function describeImport(r: ImportReport): string {
  const how = [r.format, r.encoding, r.delimiter ? `delimiter '${r.delimiter}'` : undefined].filter(Boolean).join(', ');
  const lines = [
    `${r.kind} from ${r.fileName} (${how}): read ${formatNumber(r.rowsRead)}, accepted ${formatNumber(r.rowsAccepted)}, ` +
      `rejected ${formatNumber(r.rowsRejected)} — import ${r.importId}`,
  ];
  if (r.note) lines.push(`  ${r.note}`);
  if (r.replacedImports.length) lines.push(`  replaced earlier import ${r.replacedImports.join(', ')}`);
  if (r.ignoredColumns.length) lines.push(`  ignored columns not in the data contract: ${echoed(r.ignoredColumns.join(', '))}`);
  if (r.rowsRejected > 0) lines.push(`  see the rejected rows with: varatlas rejects --import ${r.importId}`);
  if (r.cube?.changed) lines.push(`  strata cube refreshed in ${r.cube.seconds.toFixed(1)} s (${r.cube.scannedImports} import(s) scanned)`);
  return lines.join('\n');
}

export function describeStatus(s: StoreStatus): string {
  const parts: string[] = [];
  parts.push(formatTable(['table', 'rows'], s.tables.map((t) => [t.kind, t.rows])));
  if (s.imports.length) {
    parts.push(
      formatTable(
        ['import', 'kind', 'file', 'read', 'accepted', 'rejected', 'imported at'],
        s.imports.map((i) => [String(i.importId), i.kind, i.fileName, i.rowsRead, i.rowsAccepted, i.rowsRejected, i.importedAt]),
      ),
    );
  }
  parts.push(`${formatNumber(s.rejects)} problem(s) in rejected rows kept: see them with varatlas rejects [--import N]`);
  if (s.episodeYears.length) {
    parts.push(
      formatTable(
        ['year', 'episodes', 'mapped to an area', 'unmapped'],
        s.episodeYears.map((y) => [String(y.year), y.episodes, y.mapped, y.unmapped]),
      ),
    );
  }
  if (s.populationYears.length) {
    parts.push(
      formatTable(['year', 'population', 'unmapped population'], s.populationYears.map((y) => [String(y.year), y.population, y.unmapped])),
    );
  }
  if (s.areas.length) {
    parts.push(
      formatTable(
        ['area', 'name', 'region', 'municipalities'],
        s.areas.map((a) => [a.areaCode, a.areaName, a.regionName, a.municipalities]),
      ),
    );
  }
  if (s.unmapped.length) {
    parts.push(
      'Episodes whose place of residence has no catchment area in the geography for that year (kept, not counted in any area):\n' +
        formatTable(
          ['municipality', 'district', 'year', 'episodes'],
          s.unmapped.map((u) => [u.municipality, u.district, String(u.year), u.episodes]),
        ),
    );
  }
  return parts.join('\n\n');
}
