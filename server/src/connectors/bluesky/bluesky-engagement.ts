/**
 * Engagement of our authors' posts on Bluesky, read again for the engagement refresher
 * (sync/engagement-refresh.ts): `app.bsky.feed.getPosts` with up to 25 `at://` URIs (through
 * `@atproto/api`) → `likeCount`, `repostCount`, `replyCount`, `quoteCount`. Counts live in an AppView
 * (the public one by default, `ENGAGEMENT_REFRESH.blueskyAppView`); a PDS alone does not count likes, so
 * a network without an AppView (the local one of `npm start` and the tests) fails every read: the
 * refresher reports it and keeps the posts. A post the AppView does not know is absent from the result.
 * Rate limit from the `ratelimit-remaining` / `ratelimit-reset` (epoch seconds) headers, when present.
 */
import { AtpAgent } from '@atproto/api';
import type { Engagement } from '../../domain/mention.ts';
import {
  EngagementReadError,
  type EngagementRead,
  type EngagementReader,
} from '../../sync/engagement-refresh.ts';

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function headerNumber(headers: Record<string, string | undefined> | undefined, name: string): number | null {
  const value = headers?.[name];
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) ? n : null;
}

export class BlueskyEngagementReader implements EngagementReader {
  readonly network = 'bluesky' as const;
  readonly batchSize = 25;
  readonly #agent: AtpAgent;

  constructor(options: { appViewUrl: string; fetch?: typeof fetch }) {
    this.#agent = new AtpAgent({
      service: options.appViewUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async read(postIds: readonly string[]): Promise<EngagementRead> {
    const uris = postIds.filter((id) => id.startsWith('at://')).slice(0, this.batchSize);
    if (uris.length === 0) return { metrics: new Map(), rateLimit: null };
    try {
      const res = await this.#agent.app.bsky.feed.getPosts({ uris });
      const remaining = headerNumber(res.headers, 'ratelimit-remaining');
      const reset = headerNumber(res.headers, 'ratelimit-reset');
      const metrics = new Map<string, Engagement>();
      for (const post of res.data.posts) {
        metrics.set(post.uri, {
          likes: count(post.likeCount),
          reposts: count(post.repostCount),
          replies: count(post.replyCount),
          quotes: count(post.quoteCount),
        });
      }
      return {
        metrics,
        rateLimit: remaining !== null && reset !== null ? { remaining, resetAt: reset * 1000 } : null,
      };
    } catch (error) {
      const e = error as {
        status?: number;
        headers?: Record<string, string>;
        message?: string;
        error?: string;
      };
      const what = `Bluesky getPosts failed: ${e.status ?? ''} ${e.error ?? ''} ${e.message ?? String(error)}`
        .replace(/\s+/g, ' ')
        .trim();
      if (e.status === 429) {
        const reset = headerNumber(e.headers, 'ratelimit-reset');
        throw new EngagementReadError('rate_limited', what, reset === null ? null : reset * 1000);
      }
      if (e.status === 401 || e.status === 403) throw new EngagementReadError('unauthorized', what);
      throw new EngagementReadError('unavailable', what);
    }
  }
}
