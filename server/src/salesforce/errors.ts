/**
 * Turns what jsforce throws into the domain's AppError, keeping Salesforce's own `errorCode`
 * in `details` and adding a hint a person can act on.
 */
import { AppError } from '../domain/errors.ts';

/** Network-level failure codes (from Node's fetch `cause`) that mean "the org is not reachable". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The system error code behind a failed fetch: on `cause`, or on the first of an AggregateError's errors. */
function networkCode(error: unknown): string | undefined {
  const cause = field(error, 'cause');
  const code = field(cause, 'code') ?? field(error, 'code');
  if (typeof code === 'string') return code;
  const nested = field(cause, 'errors');
  if (Array.isArray(nested)) {
    const first: unknown = field(nested[0], 'code');
    if (typeof first === 'string') return first;
  }
  return undefined;
}

const ORG_TROUBLE_HINT =
  'The org is having trouble; it is retried later. Check https://status.salesforce.com for a production org.';

export interface SalesforceErrorContext {
  instanceUrl: string;
}

export function toAppError(error: unknown, context: SalesforceErrorContext): AppError {
  if (error instanceof AppError) return error;
  const sfCode = field(error, 'errorCode');
  const message = error instanceof Error ? error.message : String(error);

  if (typeof sfCode === 'string') {
    const details = { salesforceErrorCode: sfCode };
    switch (sfCode) {
      case 'INVALID_SESSION_ID':
        return new AppError('unauthorized', `Salesforce rejected the access token (${sfCode}: ${message})`, {
          details,
          cause: error,
          hint: `Set SF_ACCESS_TOKEN to a valid session id or OAuth access token for ${context.instanceUrl} (for an org you use with the Salesforce CLI: \`sf org display --target-org <alias> --json\` shows one).`,
        });
      case 'REQUEST_LIMIT_EXCEEDED':
        return new AppError('rate_limited', `Salesforce API limit reached (${sfCode}: ${message})`, {
          details,
          cause: error,
          hint: 'Wait for the org API usage to fall (Setup > Company Information shows it) or raise the limit.',
        });
      case 'API_DISABLED_FOR_ORG':
      case 'API_CURRENTLY_DISABLED':
        return new AppError('forbidden', `Salesforce API access is off for this user or org (${sfCode})`, {
          details,
          cause: error,
          hint: 'Give the integration user the "API Enabled" permission.',
        });
      case 'NOT_FOUND':
        return new AppError('not_found', message, { details, cause: error });
      case 'SERVER_UNAVAILABLE':
        // A 503 with Salesforce's JSON body (maintenance, overload): the org is down, not our request wrong.
        return new AppError('unavailable', `Salesforce is unavailable (${sfCode}: ${message})`, {
          details,
          cause: error,
          hint: ORG_TROUBLE_HINT,
        });
      default:
        if (/^ERROR_HTTP_5\d\d$/.test(sfCode)) {
          return new AppError('unavailable', `Salesforce answered ${sfCode.slice(-3)}`, {
            details,
            cause: error,
            hint: ORG_TROUBLE_HINT,
          });
        }
        return new AppError('internal', `Salesforce error ${sfCode}: ${message}`, { details, cause: error });
    }
  }

  const code = networkCode(error);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return new AppError('unavailable', `Cannot reach Salesforce at ${context.instanceUrl} (${code})`, {
      details: { networkErrorCode: code },
      cause: error,
      hint: 'Start the dev org (`npm run dev-org`, or `npm start` for everything) or set SF_INSTANCE_URL to your org.',
    });
  }
  return new AppError('unavailable', `Salesforce call failed: ${message}`, { cause: error });
}
