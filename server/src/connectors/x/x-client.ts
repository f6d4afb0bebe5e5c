/**
 * twitter-api-v2's v2 client for a token and an API base URL (the real API, or a local stand-in).
 */
import { Agent as HttpAgent } from 'node:http';
import { TwitterApi, TwitterApiv2 } from 'twitter-api-v2';

export const X_API_BASE_URL = 'https://api.x.com';

/** twitter-api-v2's v2 client with another URL prefix (its own `cloneWithPrefix` cannot construct ES classes). */
class PrefixedTwitterApiv2 extends TwitterApiv2 {
  constructor(parent: TwitterApi, prefix: string) {
    super(parent);
    this.setPrefix(prefix);
  }
}

/** A v2 client with `token` (app-only bearer, or an OAuth 2.0 user-context token) against `baseUrl`. */
export function createXClient(token: string, baseUrl: string = X_API_BASE_URL): TwitterApiv2 {
  const base = baseUrl.replace(/\/+$/, '');
  // twitter-api-v2 always calls https.request; with an http.Agent that accepts http: URLs (stand-ins).
  const settings = base.startsWith('http:') ? { httpAgent: new HttpAgent({ keepAlive: true }) } : {};
  return new PrefixedTwitterApiv2(new TwitterApi(token, settings), `${base}/2/`);
}
