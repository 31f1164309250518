/**
 * The vocabulary for describing a column of the data contract. The model says what a valid value
 * is; the store's dialect turns each value type into SQL that parses it, so a rule is written once.
 */
export type ValueType =
  | { kind: 'text' }
  | { kind: 'integer'; min: number; max?: number }
  | { kind: 'date' }
  | { kind: 'sex' }
  | { kind: 'digits'; length: number; example: string }
  | { kind: 'choice'; values: Record<string, string> } // accepted spelling (lower case) -> stored value
  | { kind: 'icd10' }
  | { kind: 'code_list' }
  | { kind: 'age_group' }; // "0-4", "90+", "37"; stored as age_lo/age_hi

export interface ColumnSpec {
  /** Contract name (English, snake_case). */
  name: string;
  type: ValueType;
  required: boolean;
  /** Other header names accepted for this column, e.g. NPR's or SKDE's own. */
  aliases?: string[];
  /** Identifying: the raw value is never kept in rejects, logs or messages. */
  identifying?: boolean;
}

/** A rule that involves more than one column or more than one row. */
export type RowRule =
  | { kind: 'not_before'; column: string; other: string } // column >= other when both present
  | { kind: 'not_above'; column: string; other: string } // column <= other when both present
  | { kind: 'unique'; column: string } // within the file and within the store
  | { kind: 'in_window'; column: string } // a date inside the import's date window (default 1990-01-01 to the day of the import)
  | { kind: 'five_year_group'; column: string }; // an age group inside one of 0–4, 5–9, …, 85–89, or from 90

/** Human-readable reason for a value that does not parse as its type. */
export function invalidReason(spec: ColumnSpec): string {
  const t = spec.type;
  switch (t.kind) {
    case 'text':
      return 'must not be empty';
    case 'integer':
      return t.max === undefined
        ? `must be a whole number ≥ ${t.min}`
        : `must be a whole number from ${t.min} to ${t.max}`;
    case 'date':
      return 'must be a real date written YYYY-MM-DD (or DD.MM.YYYY)';
    case 'sex':
      return 'must be 1/M (male) or 2/F/K (female)';
    case 'digits':
      return `must be exactly ${t.length} digits, leading zero kept (e.g. ${t.example})`;
    case 'choice':
      return `must be one of ${[...new Set(Object.values(t.values))].join(', ')}`;
    case 'icd10':
      return 'must be an ICD-10 code such as K21.0 or K210';
    case 'code_list':
      return 'must be codes of 3–10 letters/digits separated by space, comma or semicolon';
    case 'age_group':
      return 'must be an age (0–120), a group like 0-4, or an open group like 90+';
  }
}

export const missingReason = 'required value is missing';
