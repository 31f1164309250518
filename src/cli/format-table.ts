/** A plain text table for terminals: numbers right-aligned with thin-space grouping, text left. */
export function formatTable(headers: string[], rows: (string | number | null)[][]): string {
  const cells = rows.map((r) => r.map((v) => (v === null ? '–' : typeof v === 'number' ? formatNumber(v) : v)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US').replaceAll(',', ' ') : n.toFixed(1);
}
