/**
 * The one error type of varatlas. Expected row-level problems are values (rejects), not errors;
 * a VaratlasError means a whole operation could not be done. The CLI maps `code` to an exit code,
 * the server (later) to an HTTP status.
 */
export type ErrorCode =
  | 'usage' // the caller asked for something malformed
  | 'input' // a file cannot be read as the data contract requires
  | 'duplicate_import' // the same file was imported before
  | 'interrupted' // the user pressed Ctrl-C; nothing was written
  | 'store' // the database failed
  | 'busy' // the server has too much to do right now; ask again
  | 'not_configured'; // an optional part (e.g. map boundaries) is not set up

const exitCodes: Record<ErrorCode, number> = {
  usage: 2,
  input: 3,
  duplicate_import: 4,
  interrupted: 130,
  store: 5,
  busy: 75,
  not_configured: 6,
};

export class VaratlasError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VaratlasError';
  }

  get exitCode(): number {
    return exitCodes[this.code];
  }
}

export function isVaratlasError(error: unknown): error is VaratlasError {
  return error instanceof VaratlasError;
}

/** At most this much of a user's text goes into a message: a 10 MB header line must not flood the terminal. */
export function echoed(text: string, limit = 300): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length.toLocaleString('en')} characters in all)` : text;
}
