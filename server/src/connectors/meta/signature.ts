/**
 * Meta signs webhook POSTs with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>`. Meta
 * computes it over the payload as it sends it, which is JSON with non-ASCII escaped (`é` as `\u00e9`,
 * `/` as `\/`), so it is checked against the raw bytes as received; re-serializing the parsed JSON would
 * produce other bytes and a signature mismatch on any comment with an accent or an emoji.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const META_SIGNATURE_HEADER = 'x-hub-signature-256';

/** The header value Meta would send for `body`. */
export function signMetaPayload(appSecret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** True only when `header` is exactly the signature of `rawBody` (hex compared case-insensitively); constant time. */
export function verifyMetaSignature(appSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(signMetaPayload(appSecret, rawBody), 'utf8');
  const given = Buffer.from(`sha256=${header.slice('sha256='.length).toLowerCase()}`, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
