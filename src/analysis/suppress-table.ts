import type { SuppressionRules } from '../stats/suppression.js';
import { isWithheld, providerTypes, type RateRow } from './rates.js';

/**
 * Make a rate table safe to publish: no count from 1 to `maxHiddenCount` is shown, and none can be
 * worked out from what is shown.
 * - A small events or patients count is withheld, and with it every figure that would reveal it
 *   (rates, the observed/expected ratio, the provider split).
 * - A small provider count withholds the whole split of that row (the others would give it away).
 * - Within one year (or the period), if exactly one unit's count is withheld while the national total
 *   is shown, the next smallest unit's count is withheld too, so the difference reveals neither.
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
  const frames = new Set(out.map((r) => r.year));
  for (const year of frames) {
    const units = out.filter((r) => r.year === year && !r.national);
    for (const field of ['events', 'patients'] as const) {
      const hidden = units.filter((r) => isWithheld(r[field]));
      if (hidden.length !== 1) continue;
      const next = units
        .filter((r) => !isWithheld(r[field]) && (r[field] as number) > 0)
        .sort((a, b) => (a[field] as number) - (b[field] as number))[0];
      if (!next) continue;
      const reason = 'withheld so that a small count cannot be worked out from the total';
      if (field === 'events') withholdEvents(next, reason);
      else next.patients = { withheld: reason };
    }
  }
  return out;
}

function withholdEvents(r: RateRow, reason: string): void {
  r.events = { withheld: reason };
  r.crudeRate = { withheld: reason };
  r.standardisedRate = { withheld: reason };
  r.observedExpected = { withheld: reason };
  withholdSplit(r, reason);
}

function withholdSplit(r: RateRow, reason: string): void {
  for (const t of providerTypes) r.providers[t] = { withheld: reason };
  r.privateShare = { withheld: reason };
  r.contractSpecialistShare = { withheld: reason };
}
