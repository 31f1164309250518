/**
 * A low-value care measure: the low-value part (numerator) of a service (denominator).
 * An episode of the service is low-value when the patient's age is inside the limits and no
 * excluding diagnosis is on the episode (main or secondary) or, with a look-back window, on the same
 * patient's earlier episodes.
 */
export interface LowValueMeasure {
  id: string;
  name: { nb: string; en: string };
  variant: 'sensitive' | 'specific';
  /** Service id of the service catalogue. */
  denominator: string;
  age?: { min?: number; max?: number };
  exclude: { diagnoses: string[]; lookBack?: { months: number; diagnoses: string[] } };
  /** The evidence and the definition's source, in words (a catalogue may give one text for both languages). */
  reference: { nb: string; en: string };
}
