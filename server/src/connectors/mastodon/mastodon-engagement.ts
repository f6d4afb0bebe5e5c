/**
 * Engagement of our authors' statuses on Mastodon, read again for the engagement refresher
 * (sync/engagement-refresh.ts): `GET /api/v1/statuses/:id` per status (Mastodon has no batch lookup) →
 * `favourites_count`, `reblogs_count`, `replies_count`. A status that is gone (404) is absent from the
 * result. Rate limit from `X-RateLimit-Remaining` / `X-RateLimit-Reset` (an ISO date-time), 429 when spent.
 * Status ids are the brand instance's (what its notifications carried), so the brand's token reads them.
 */
import type { Engagement } from '../../domain/mention.ts';
import {
  EngagementReadError,
  type EngagementRead,
  type EngagementReader,
} from '../../sync/engagement-refresh.ts';
import { readBoundedJson } from '../bounded-body.ts';

const MAX_BODY_BYTES = 1024 * 1024;

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export class MastodonEngagementReader implements EngagementReader {
  readonly network = 'mastodon' as const;
  readonly batchSize = 1;
  readonly #instanceUrl: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;

  constructor(options: { instanceUrl: string; accessToken: string; fetch?: typeof fetch }) {
    this.#instanceUrl = options.instanceUrl.replace(/\/+$/, '');
    this.#token = options.accessToken;
    this.#fetch = options.fetch ?? fetch;
  }

  async read(postIds: readonly string[]): Promise<EngagementRead> {
    const metrics = new Map<string, Engagement>();
    let rateLimit: EngagementRead['rateLimit'] = null;
    for (const id of postIds.slice(0, this.batchSize)) {
      if (!/^\d{1,30}$/.test(id)) continue;
      let res: Response;
      try {
        res = await this.#fetch(`${this.#instanceUrl}/api/v1/statuses/${id}`, {
          headers: { authorization: `Bearer ${this.#token}` },
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw new EngagementReadError('unavailable', `Mastodon unreachable: ${(error as Error).message}`);
      }
      const remaining = Number(res.headers.get('x-ratelimit-remaining'));
      const reset = Date.parse(res.headers.get('x-ratelimit-reset') ?? '');
      rateLimit =
        res.headers.has('x-ratelimit-remaining') && Number.isFinite(remaining) && Number.isFinite(reset)
          ? { remaining, resetAt: reset }
          : null;
      if (res.status === 429) {
        await res.body?.cancel();
        throw new EngagementReadError(
          'rate_limited',
          'Mastodon rate limit reached',
          rateLimit?.resetAt ?? null,
        );
      }
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        throw new EngagementReadError(
          'unauthorized',
          `Mastodon refused the access token: HTTP ${res.status}`,
        );
      }
      if (res.status === 404) {
        await res.body?.cancel();
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new EngagementReadError(
          'unavailable',
          `Mastodon answered HTTP ${res.status} to a status lookup`,
        );
      }
      const body = (await readBoundedJson(res, MAX_BODY_BYTES, 'Mastodon status').catch(
        () => null,
      )) as Record<string, unknown> | null;
      if (!body) continue;
      metrics.set(id, {
        likes: count(body['favourites_count']),
        reposts: count(body['reblogs_count']),
        replies: count(body['replies_count']),
        quotes: count(body['quotes_count']),
      });
    }
    return { metrics, rateLimit };
  }
}
