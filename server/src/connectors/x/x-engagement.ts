/**
 * Engagement of our authors' posts on X, read again for the engagement refresher
 * (sync/engagement-refresh.ts): `GET /2/tweets?ids=<up to 100>&tweet.fields=public_metrics` with the
 * app-only bearer token → `public_metrics {like_count, retweet_count, reply_count, quote_count}`. Posts X
 * no longer serves come back under `errors` (resource-not-found) and are simply absent from the result.
 * The rate limit is X's per endpoint and token: `x-rate-limit-remaining` and `x-rate-limit-reset` (epoch
 * seconds) on every answer, 429 when spent; both are handed to the refresher.
 */
import type { Engagement } from '../../domain/mention.ts';
import {
  EngagementReadError,
  type EngagementRead,
  type EngagementReader,
} from '../../sync/engagement-refresh.ts';
import { readBoundedJson } from '../bounded-body.ts';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

interface TweetsAnswer {
  data?: { id?: unknown; public_metrics?: Record<string, unknown> }[];
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export class XEngagementReader implements EngagementReader {
  readonly network = 'x' as const;
  readonly batchSize = 100;
  readonly #baseUrl: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;

  constructor(options: { baseUrl: string; bearerToken: string; fetch?: typeof fetch }) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.bearerToken;
    this.#fetch = options.fetch ?? fetch;
  }

  async read(postIds: readonly string[]): Promise<EngagementRead> {
    const ids = postIds.filter((id) => /^\d{1,19}$/.test(id)).slice(0, this.batchSize);
    if (ids.length === 0) return { metrics: new Map(), rateLimit: null };
    const url = new URL(`${this.#baseUrl}/2/tweets`);
    url.searchParams.set('ids', ids.join(','));
    url.searchParams.set('tweet.fields', 'public_metrics');
    let res: Response;
    try {
      res = await this.#fetch(url, {
        headers: { authorization: `Bearer ${this.#token}` },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new EngagementReadError('unavailable', `X unreachable: ${(error as Error).message}`);
    }
    const remaining = Number(res.headers.get('x-rate-limit-remaining'));
    const reset = Number(res.headers.get('x-rate-limit-reset'));
    const rateLimit =
      res.headers.has('x-rate-limit-remaining') && Number.isFinite(remaining) && Number.isFinite(reset)
        ? { remaining, resetAt: reset * 1000 }
        : null;
    if (res.status === 429) {
      await res.body?.cancel();
      throw new EngagementReadError(
        'rate_limited',
        'X rate limit reached (GET /2/tweets)',
        rateLimit ? rateLimit.resetAt : null,
      );
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new EngagementReadError('unauthorized', `X refused the bearer token: HTTP ${res.status}`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new EngagementReadError('unavailable', `X answered HTTP ${res.status} to GET /2/tweets`);
    }
    const body = (await readBoundedJson(res, MAX_BODY_BYTES, 'X GET /2/tweets').catch(
      () => null,
    )) as TweetsAnswer | null;
    const metrics = new Map<string, Engagement>();
    for (const tweet of body?.data ?? []) {
      const m = tweet.public_metrics;
      if (typeof tweet.id !== 'string' || !m) continue;
      metrics.set(tweet.id, {
        likes: count(m['like_count']),
        reposts: count(m['retweet_count']),
        replies: count(m['reply_count']),
        quotes: count(m['quote_count']),
      });
    }
    return { metrics, rateLimit };
  }
}
