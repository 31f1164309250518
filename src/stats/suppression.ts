/**
 * Small numbers. A rate on few events is withheld (too uncertain, and it may identify people);
 * a count from 1 to 4 is never published. Suppressed values are flagged with the reason, never
 * replaced by 0.
 */
export interface SuppressionRules {
  /** Rates on fewer events than this are withheld (default 10). */
  minEvents: number;
  /** Counts from 1 to this are never shown in output meant for publication (default 4). */
  maxHiddenCount: number;
}

export const defaultSuppression: SuppressionRules = { minEvents: 10, maxHiddenCount: 4 };

export type Suppressed = { suppressed: true; reason: string };

/** Why a rate on `events` events is withheld, or null when it may be shown. */
export function rateSuppression(events: number, rules: SuppressionRules): string | null {
  return events < rules.minEvents ? `fewer than ${rules.minEvents} events` : null;
}

/** A count as it may be published: the number, or a suppression flag for 1…maxHiddenCount. */
export function publishableCount(count: number, rules: SuppressionRules): number | Suppressed {
  return count >= 1 && count <= rules.maxHiddenCount ? { suppressed: true, reason: `between 1 and ${rules.maxHiddenCount}` } : count;
}
