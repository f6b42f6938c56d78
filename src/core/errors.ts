/**
 * One error type for the whole product. `code` is a stable dotted identifier that scripts and
 * tests can match on; `message` is safe to show to a user or an operator; `hint` says how to fix it.
 */
export class DubanError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DubanError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

export function isDubanError(value: unknown, code?: string): value is DubanError {
  return value instanceof DubanError && (code === undefined || value.code === code);
}
