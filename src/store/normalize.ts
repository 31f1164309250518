import { VaratlasError } from '../errors.js';

/** DuckDB returns 64-bit integers as BigInt; nothing outside the store ever sees one. */
export function toNumber(value: unknown): number {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new VaratlasError('store', `a count (${value}) is too large to represent exactly`);
    }
    return Number(value);
  }
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return 0;
  return Number(value);
}

export function toNullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export type Row = Record<string, unknown>;
