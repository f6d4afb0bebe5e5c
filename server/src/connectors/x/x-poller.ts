/**
 * Polls X's mentions timeline (`GET /2/users/:id/mentions`) for our account: the way in when no Account
 * Activity webhook is available (or as a safety net beside it; the queue drops what it has seen).
 *
 * - The `since_id` cursor is persisted, and advanced only after the sink has durably queued the page's
 *   mentions, so a crash between fetch and queue re-reads rather than loses.
 * - X's rate limits are honoured from `x-rate-limit-remaining`/`x-rate-limit-reset`: with none left (or
 *   on a 429) the poller waits for the window to reset, reporting `degraded` with a hint meanwhile.
 * - A 401 means the bearer token is revoked or wrong: health says `tokenValid: false` and what to do.
 * - Failures back off exponentially (up to 15 minutes) and are counted in `errorStreak`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiRequestError, ApiResponseError, type TwitterApiv2 } from 'twitter-api-v2';
import { createXClient, X_API_BASE_URL } from './x-client.ts';
import type { TweetUserMentionTimelineV2Paginator, TweetV2UserTimelineParams } from 'twitter-api-v2';
import type { Mention } from '../../domain/mention.ts';
import type { CursorStore } from '../../intake/mention-queue.ts';
import type { Logger } from '../../observability/logger.ts';
import { silentLogger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { ConnectorHealth, MentionSink, OwnAccounts, PullConnector } from '../connector.ts';
import type { RejectionLog } from '../rejections.ts';
import { EXPANSIONS, TWEET_FIELDS, USER_FIELDS, tweetsV2ToMentions } from './tweet-v2.ts';

export { X_API_BASE_URL };
const MAX_BACKOFF_MS = 15 * 60_000;
/** Extra wait after X's reset second, so the first request lands in the new window. */
const RESET_MARGIN_MS = 500;

export interface XMentionsPollerOptions {
  /** Our account's X user id: whose mentions to read. */
  userId: string;
  /** App-only (or user-context OAuth 2.0) bearer token. */
  bearerToken: string;
  cursors: CursorStore;
  ownAccounts: OwnAccounts;
  /** `https://api.x.com` by default; the X stand-in's URL under `npm start` and in tests. */
  baseUrl?: string;
  /** Time between polls when all is well (default 60 s: X allows 450 timeline reads per 15 minutes). */
  intervalMs?: number;
  /** Page size, 5–100 (default 100). */
  maxResults?: number;
  /** Most pages read per poll or backfill (default 10; X keeps only the 800 latest mentions anyway). */
  maxPages?: number;
  logger?: Logger;
  metrics?: Metrics;
  /** Where tweets refused one by one (malformed, too deep, a bad handle) are reported. */
  rejections?: RejectionLog;
}

/** Tweets and includes as X sent them: each is validated on its own when mapped, so one bad tweet cannot wedge the cursor. */
interface PageResult {
  tweets: unknown[];
  includes: { users: unknown[]; tweets: unknown[] };
  newestId: string | null;
}

function maxId(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return BigInt(a) >= BigInt(b) ? a : b;
}

/** twitter-api-v2 keeps the socket error as `_options.error` while its `requestError` getter reads another key. */
function requestErrorMessage(error: ApiRequestError): string {
  const options: unknown = Reflect.get(error, '_options');
  const cause = (options as { error?: unknown; requestError?: unknown } | undefined) ?? {};
  const inner = cause.requestError ?? cause.error;
  return inner instanceof Error ? inner.message || inner.name : error.message;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

export class XMentionsPoller implements PullConnector {
  readonly network = 'x' as const;
  readonly name = 'x-poll';

  readonly #options: Required<Omit<XMentionsPollerOptions, 'metrics' | 'logger' | 'rejections'>>;
  readonly #client: TwitterApiv2;
  readonly #logger: Logger;
  readonly #metrics: Metrics | undefined;
  readonly #rejections: RejectionLog | undefined;
  readonly #cursorKey: string;

  #running = false;
  /** Has polled or backfilled at least once (health is `idle` before). */
  #active = false;
  #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #cursor: string | null = null;
  #lastEventAt: string | null = null;
  #tokenValid: boolean | null = null;
  #errorStreak = 0;
  #lastError: string | null = null;
  #hint: string | null = null;
  #rateLimitedUntil = 0;

  constructor(options: XMentionsPollerOptions) {
    this.#options = {
      baseUrl: X_API_BASE_URL,
      intervalMs: 60_000,
      maxResults: 100,
      maxPages: 10,
      ...options,
    };
    this.#logger = options.logger ?? silentLogger();
    this.#metrics = options.metrics;
    this.#rejections = options.rejections;
    this.#cursorKey = XMentionsPoller.cursorKey(options.userId);
    this.#client = createXClient(options.bearerToken, this.#options.baseUrl);
  }

  /** Where the since_id cursor is kept in the CursorStore. */
  static cursorKey(userId: string): string {
    return `x:mentions:${userId}:since_id`;
  }

  async start(sink: MentionSink): Promise<void> {
    if (this.#running) return;
    this.#cursor = await this.#options.cursors.get(this.#cursorKey);
    this.#running = true;
    this.#abort = new AbortController();
    this.#loop = this.#run(sink, this.#abort.signal);
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#abort.abort();
    await this.#loop;
    this.#loop = undefined;
  }

  /**
   * One poll: mentions newer than the cursor, all pages, to the sink oldest first; then the cursor moves.
   * Without a cursor yet, only the latest page is read (history is what `backfill` is for).
   * Returns the number of mentions handed to the sink. Throws what went wrong (after recording it).
   */
  async pollOnce(sink: MentionSink, signal: AbortSignal = this.#abort.signal): Promise<number> {
    try {
      this.#active = true;
      const since = await this.#options.cursors.get(this.#cursorKey);
      this.#cursor = since;
      const query: Partial<TweetV2UserTimelineParams> = since === null ? {} : { since_id: since };
      const pages = await this.#fetch(query, since === null ? 1 : this.#options.maxPages, signal);
      const mentions = this.#toMentions(pages);
      await this.#deliver(mentions, sink);
      const newest = maxId(since, pages.newestId);
      if (newest !== null && newest !== since) {
        await this.#options.cursors.set(this.#cursorKey, newest);
        this.#cursor = newest;
      }
      this.#succeeded();
      return mentions.length;
    } catch (error) {
      if (!isAbort(error)) this.#failed(error);
      throw error;
    }
  }

  async backfill(since: Date, sink: MentionSink): Promise<number> {
    this.#active = true;
    try {
      const query = { start_time: since.toISOString() };
      const pages = await this.#fetch(query, this.#options.maxPages, this.#abort.signal);
      const mentions = this.#toMentions(pages);
      await this.#deliver(mentions, sink);
      this.#succeeded();
      return mentions.length;
    } catch (error) {
      if (!isAbort(error)) this.#failed(error);
      throw error;
    }
  }

  health(): ConnectorHealth {
    const rateLimited = this.#rateLimitedUntil > Date.now();
    let status: ConnectorHealth['status'];
    if (this.#tokenValid === false || this.#errorStreak >= 3) status = 'down';
    else if (rateLimited || this.#errorStreak > 0) status = 'degraded';
    else if (!this.#running && !this.#active) status = 'idle';
    else status = 'ok';
    const rateHint = rateLimited
      ? `X rate limit for the mentions timeline is used up; polling resumes at ${new Date(this.#rateLimitedUntil).toISOString()}. Lengthen the poll interval if this recurs.`
      : null;
    return {
      network: 'x',
      name: this.name,
      status,
      lastEventAt: this.#lastEventAt,
      cursor: this.#cursor,
      tokenValid: this.#tokenValid,
      tokenExpiresAt: null,
      errorStreak: this.#errorStreak,
      lastError: this.#lastError,
      hint: this.#hint ?? rateHint,
    };
  }

  async #run(sink: MentionSink, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.pollOnce(sink, signal);
      } catch (error) {
        if (isAbort(error)) return;
        this.#logger.warn(
          { err: error, connector: this.name, errorStreak: this.#errorStreak },
          'x poll failed',
        );
      }
      const backoff = this.#errorStreak === 0 ? 0 : this.#options.intervalMs * 2 ** (this.#errorStreak - 1);
      const delay = Math.min(Math.max(this.#options.intervalMs, backoff), MAX_BACKOFF_MS);
      try {
        await sleep(Math.max(delay, this.#rateLimitedUntil - Date.now()), undefined, { signal });
      } catch {
        return;
      }
    }
  }

  async #fetch(
    query: Partial<TweetV2UserTimelineParams>,
    maxPages: number,
    signal: AbortSignal,
  ): Promise<PageResult> {
    const params: Partial<TweetV2UserTimelineParams> = {
      ...query,
      max_results: this.#options.maxResults,
      expansions: [...EXPANSIONS],
      'tweet.fields': [...TWEET_FIELDS],
      'user.fields': [...USER_FIELDS],
    };
    const result: PageResult = { tweets: [], includes: { users: [], tweets: [] }, newestId: null };
    const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
    let page = await this.#call(() => this.#client.userMentionTimeline(this.#options.userId, params), signal);
    for (let n = 1; ; n++) {
      const body = page.data as {
        data?: unknown;
        includes?: { users?: unknown; tweets?: unknown };
        meta?: { newest_id?: string };
      };
      result.tweets.push(...list(body.data));
      result.includes.users.push(...list(body.includes?.users));
      result.includes.tweets.push(...list(body.includes?.tweets));
      result.newestId = maxId(result.newestId, body.meta?.newest_id ?? null);
      if (page.done) break;
      if (n >= maxPages) {
        this.#logger.warn(
          { connector: this.name, pages: n },
          'x mentions: stopped paging at the page limit; older mentions in this window are skipped (use backfill)',
        );
        break;
      }
      const current = page;
      page = await this.#call(() => current.next(), signal);
    }
    return result;
  }

  /** One request, waiting out X's rate limit before it and retrying once the window resets after a 429. */
  async #call(
    request: () => Promise<TweetUserMentionTimelineV2Paginator>,
    signal: AbortSignal,
  ): Promise<TweetUserMentionTimelineV2Paginator> {
    for (;;) {
      const wait = this.#rateLimitedUntil - Date.now();
      if (wait > 0) {
        this.#logger.info(
          { connector: this.name, waitMs: wait },
          'x rate limit reached; waiting for the reset',
        );
        await sleep(wait, undefined, { signal });
      }
      try {
        const page = await request();
        this.#tokenValid = true;
        const { remaining, reset } = page.rateLimit;
        if (remaining === 0 && reset) this.#rateLimitedUntil = reset * 1000 + RESET_MARGIN_MS;
        return page;
      } catch (error) {
        if (error instanceof ApiResponseError && error.code === 429) {
          const reset = error.rateLimit?.reset;
          this.#rateLimitedUntil = reset ? reset * 1000 + RESET_MARGIN_MS : Date.now() + MAX_BACKOFF_MS;
          continue;
        }
        throw error;
      }
    }
  }

  #toMentions(pages: PageResult): Mention[] {
    const { mentions, rejected } = tweetsV2ToMentions(pages.tweets, pages.includes, {
      ownAccounts: this.#options.ownAccounts,
      ownUserId: this.#options.userId,
    });
    if (rejected.length > 0) {
      if (this.#rejections) this.#rejections.record(this.name, rejected);
      else this.#logger.warn({ connector: this.name, refused: rejected }, 'x tweets refused');
    }
    // The timeline is newest first; the queue keeps per-author order, so hand them over oldest first.
    return mentions.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  async #deliver(mentions: Mention[], sink: MentionSink): Promise<void> {
    if (mentions.length === 0) return;
    try {
      await sink.accept(mentions);
    } catch (error) {
      throw new Error(`Could not queue ${mentions.length} X mentions: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.#metrics?.mentionsReceived.labels('x').inc(mentions.length);
    this.#lastEventAt = new Date().toISOString();
  }

  #succeeded(): void {
    this.#errorStreak = 0;
    this.#lastError = null;
    this.#hint = null;
  }

  #failed(error: unknown): void {
    this.#errorStreak += 1;
    const base = this.#options.baseUrl;
    if (error instanceof ApiResponseError) {
      this.#lastError = `X API answered ${error.code}: ${error.message}`;
      if (error.code === 401) {
        this.#tokenValid = false;
        this.#hint =
          'X rejected the bearer token (401). Regenerate the bearer token in the X developer portal (your app → Keys and tokens), update the sync server setting and restart it.';
      } else if (error.code === 403) {
        this.#hint =
          "X refused the mentions timeline (403). Check that the app's access level includes reading posts and that the user id is right.";
      } else {
        this.#hint = `X API is failing (${error.code}); retrying with backoff. See https://status.x.com.`;
      }
    } else if (error instanceof ApiRequestError) {
      this.#lastError = `X API unreachable at ${base}: ${requestErrorMessage(error)}`;
      this.#hint = `Could not reach the X API at ${base}; check the network (or that the X stand-in is running).`;
    } else {
      this.#lastError = error instanceof Error ? error.message : String(error);
      this.#hint =
        error instanceof Error && error.message.startsWith('Could not queue')
          ? 'The durable queue refused the mentions; check the queue store (DATA_DIR) and /readyz.'
          : null;
    }
  }
}
