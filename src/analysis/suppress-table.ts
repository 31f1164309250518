import type { SuppressionRules } from '../stats/suppression.js';
import { isWithheld, providerTypes, type RateRow, type Shown } from './rate-row.js';

/**
 * Make a rate table safe to publish: no count from 1 to `maxHiddenCount` is shown, and none can be
 * worked out from what is shown.
 * - A small events or patients count is withheld, and with it every figure that would reveal it
 *   (rates, the observed/expected ratio, the provider split).
 * - A small provider count withholds the whole split of that row (the others would give it away).
 * - Within one year (or the period), if exactly one unit's count is withheld while the national total
 *   is shown, the next smallest unit's count is withheld too, so the difference reveals neither; the
 *   same across the years of one unit, whose pooled period is shown.
 */
export function suppressSmallCounts(rows: RateRow[], rules: SuppressionRules): RateRow[] {
  const small = (n: unknown) => typeof n === 'number' && n >= 1 && n <= rules.maxHiddenCount;
  const hiddenReason = `between 1 and ${rules.maxHiddenCount}`;
  const out = rows.map((r) => ({ ...r, providers: { ...r.providers } }));
  for (const r of out) {
    if (small(r.events)) withholdEvents(r, hiddenReason);
    if (small(r.patients)) r.patients = { withheld: hiddenReason };
    if (providerTypes.some((t) => small(r.providers[t]))) withholdSplit(r, 'a provider count is between 1 and ' + rules.maxHiddenCount);
  }
  // Complementary cells, until nothing changes: one withheld unit in a year (the nation is shown),
  // or one withheld year of a unit (the pooled period is shown), takes the next smallest with it.
  const frames = new Set(out.map((r) => r.year));
  const units = new Set(out.filter((r) => !r.national).map((r) => r.unit));
  const groups = [
    ...[...frames].map((year) => out.filter((r) => r.year === year && !r.national)),
    ...[...units].map((unit) => out.filter((r) => r.unit === unit && r.year !== null)),
  ];
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of groups) {
      changed = withholdComplement(group, (r) => r.events, (r) => withholdEvents(r, complementReason)) || changed;
      changed = withholdComplement(group, (r) => r.patients, (r) => (r.patients = { withheld: complementReason })) || changed;
    }
  }
  return out;
}

export const complementReason = 'withheld so that a small count cannot be worked out from a total';

/**
 * Complementary suppression for one group of cells whose total is shown: when exactly one cell is
 * withheld, withhold the smallest shown non-zero cell too, so the total minus the others gives neither.
 * Returns whether it withheld a cell.
 */
export function withholdComplement<T>(group: T[], count: (row: T) => Shown<number>, withhold: (row: T) => void): boolean {
  if (group.filter((r) => isWithheld(count(r))).length !== 1) return false;
  const next = group
    .filter((r) => !isWithheld(count(r)) && (count(r) as number) > 0)
    .sort((a, b) => (count(a) as number) - (count(b) as number))[0];
  if (!next) return false;
  withhold(next);
  return true;
}

export function withholdEvents(r: RateRow, reason: string): void {
  r.events = { withheld: reason };
  r.crudeRate = { withheld: reason };
  r.standardisedRate = { withheld: reason };
  r.observedExpected = { withheld: reason };
  withholdSplit(r, reason);
}

export function withholdSplit(r: RateRow, reason: string): void {
  for (const t of providerTypes) r.providers[t] = { withheld: reason };
  r.privateShare = { withheld: reason };
  r.contractSpecialistShare = { withheld: reason };
}
