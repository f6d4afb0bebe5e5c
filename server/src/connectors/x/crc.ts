/**
 * X's Challenge-Response Check: when a webhook URL is registered, and about hourly after that, X calls
 * `GET <url>?crc_token=T` and expects `{"response_token":"sha256=" + base64(HMAC-SHA256(consumer secret, T))}`
 * back within 3 s. A URL that fails the check is marked invalid and stops receiving events.
 */
import { createHmac } from 'node:crypto';

export interface CrcResponse {
  response_token: string;
}

export function crcResponse(secret: string, crcToken: string): CrcResponse {
  const digest = createHmac('sha256', secret).update(crcToken, 'utf8').digest('base64');
  return { response_token: `sha256=${digest}` };
}
