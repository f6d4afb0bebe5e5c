/**
 * The one error type of the sync server's domain. Code that knows *what* went wrong throws an
 * AppError with a stable `code`; the HTTP layer alone decides which status that becomes, so the
 * domain stays free of express and of Salesforce's wire format.
 */

/** Stable, machine-readable error codes. Clients match on these, so add freely but never rename. */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'invalid_json',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorOptions {
  /** Structured facts a client can act on (e.g. which fields failed validation). Sent to clients. */
  details?: unknown;
  /** What to do about it, in words a user or operator can follow. Sent to clients. */
  hint?: string;
  /** The underlying error, kept for logs; never sent to clients. */
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.hint = options.hint;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
