import { providerTypes, type RateRow } from './rate-row.js';

/** Withhold a row's events and everything that would reveal them: its rates, O/E and provider split. */
export function withholdEvents(r: RateRow, reason: string): void {
  r.events = { withheld: reason };
  r.crudeRate = { withheld: reason };
  r.standardisedRate = { withheld: reason };
  r.observedExpected = { withheld: reason };
  withholdSplit(r, reason);
}

/** Withhold a row's provider split and the shares made of it. */
export function withholdSplit(r: RateRow, reason: string): void {
  for (const t of providerTypes) r.providers[t] = { withheld: reason };
  r.privateShare = { withheld: reason };
  r.contractSpecialistShare = { withheld: reason };
}
