/**
 * X signs every Account Activity webhook POST with `x-twitter-webhooks-signature:
 * sha256=<base64 HMAC-SHA256(consumer secret, raw body)>`. The HMAC is over the bytes as sent, so it is
 * checked against `req.rawBody`, never against re-serialized JSON.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const X_SIGNATURE_HEADER = 'x-twitter-webhooks-signature';

/** The header value X would send for `body`. */
export function signXPayload(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
}

/** True only when `header` is exactly the signature of `rawBody`; compared in constant time. */
export function verifyXSignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(signXPayload(secret, rawBody), 'utf8');
  const given = Buffer.from(header, 'utf8');
  // timingSafeEqual throws on different lengths; a length mismatch is simply a wrong signature.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
