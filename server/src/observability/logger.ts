/**
 * Structured JSON logging (pino). Two promises this module keeps, so call sites need not:
 * - credentials (tokens, secrets, signatures, auth headers) are never written, at any level;
 * - message bodies (what people posted or replied) are written only at debug/trace, when an
 *   operator has asked for them; at info and above they are replaced by "[redacted]".
 */
import { pino } from 'pino';
import type { DestinationStream, Level, Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = Level | 'silent';

const CENSOR = '[redacted]';

// pino's redaction matches exact paths; `*.x` covers one level of nesting, which is how we log
// (`logger.info({ mention: { text } })`). Keep fields holding secrets or bodies at that depth.
const withNesting = (keys: readonly string[]): string[] => keys.flatMap((k) => [k, `*.${k}`]);

const CREDENTIAL_KEYS = [
  'accessToken',
  'access_token',
  'refreshToken',
  'token',
  'password',
  'secret',
  'signature',
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["x-twitter-webhooks-signature"]',
  'headers["x-hub-signature-256"]',
];

const BODY_KEYS = ['body', 'rawBody', 'text', 'Body__c'];

const BODY_LEVELS: ReadonlySet<string> = new Set(['debug', 'trace']);

export const REDACTED = CENSOR;

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const paths = withNesting(CREDENTIAL_KEYS);
  if (!BODY_LEVELS.has(level)) paths.push(...withNesting(BODY_KEYS));
  const pinoOptions = {
    level,
    base: { service: 'socialcrm-sync' },
    redact: { paths, censor: CENSOR },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** A logger that writes nothing: the default for tests and for library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
