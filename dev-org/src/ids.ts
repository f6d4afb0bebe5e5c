/**
 * Salesforce-style record Ids: 3-character key prefix, 12 characters of identity, 3-character
 * case-safe checksum suffix (18 characters in all), as the REST API returns them.
 */
import { to18 } from './store/values.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/** Instance (`Dv`) and reserved (`0`) characters mark every id as made by the dev org. */
export function recordId(keyPrefix: string, sequence: number): string {
  return to18(`${keyPrefix}Dv0${base62(sequence, 9)}`);
}
