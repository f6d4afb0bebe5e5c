/**
 * The one place where errors become HTTP answers: `{"error":{"code","message","hint"?,"details"?}}`
 * with a status derived from the code. Stack traces go to the log, never to the client.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError } from '../domain/errors.ts';
import type { ErrorCode } from '../domain/errors.ts';
import type { Logger } from '../observability/logger.ts';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; hint?: string; details?: unknown };
}

export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Errors from express's body parser (http-errors with a `type` such as "entity.parse.failed"). */
function fromBodyParser(err: unknown): AppError | undefined {
  const type = field(err, 'type');
  if (typeof type !== 'string') return undefined;
  switch (type) {
    case 'entity.parse.failed':
      return new AppError('invalid_json', 'Request body is not valid JSON', {
        hint: 'Send a well-formed JSON document with Content-Type: application/json.',
      });
    case 'entity.too.large': {
      const limit = field(err, 'limit');
      return new AppError('payload_too_large', 'Request body is too large', {
        ...(typeof limit === 'number' ? { details: { limitBytes: limit } } : {}),
        hint: 'Send fewer items per request.',
      });
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'Request body encoding or charset is not supported', {
        hint: 'Send UTF-8 JSON, uncompressed or gzip/deflate/br encoded.',
      });
    default:
      return undefined;
  }
}

/** Maps anything thrown in a handler to the AppError that describes it for a client. */
export function toClientError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    const details = err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    return new AppError('validation_failed', `Request is invalid: ${summary}`, { details });
  }
  const parsed = fromBodyParser(err);
  if (parsed) return parsed;
  // Other http-errors (thrown by express or its middleware) that are safe to show.
  const status = field(err, 'status') ?? field(err, 'statusCode');
  if (typeof status === 'number' && status >= 400 && status < 500 && field(err, 'expose') === true) {
    const message = err instanceof Error ? err.message : 'Bad request';
    return new AppError(CODE_BY_STATUS[status] ?? 'bad_request', message);
  }
  return new AppError('internal', 'Internal server error', { cause: err });
}

export function errorBody(error: AppError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Too late for a JSON answer; express's default handler ends the connection.
      next(err);
      return;
    }
    const error = toClientError(err);
    const status = statusForCode(error.code);
    if (status >= 500) {
      logger.error({ err, method: req.method, path: req.path, code: error.code }, 'request failed');
    } else {
      logger.debug({ method: req.method, path: req.path, code: error.code }, error.message);
    }
    res.status(status).json(errorBody(error));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path.slice(0, 200)}`));
};
