/** Small helpers shared by the v1.1 and v2 mappings. */
import type { ZodError } from 'zod';
import { AppError } from '../../domain/errors.ts';

export function tweetUrl(handle: string, tweetId: string): string {
  return `https://x.com/${handle}/status/${tweetId}`;
}

export function profileUrl(handle: string): string {
  return `https://x.com/${handle}`;
}

/** The URL when it is one, else null: X sends `""` or relative values now and then, Mention wants a URL or null. */
export function urlOrNull(value: string | null | undefined): string | null {
  return value && URL.canParse(value) ? value : null;
}

/** A 400 `validation_failed` naming every field that is wrong, e.g. `tweet_create_events.0.user: required`. */
export function invalidPayload(what: string, error: ZodError): AppError {
  const details = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  return new AppError('validation_failed', `${what} is invalid: ${summary}`, { details });
}
