/**
 * Pulls mentions of our Mastodon account: live from the streaming API, and from the REST API after
 * every (re)connect, because a stream has no replay: whatever was posted while we were away is only
 * found with `GET /api/v1/notifications?min_id=<cursor>`.
 *
 * Delivery is at-least-once towards the sink and in notification order; the cursor (the highest
 * notification id handled, compared as a big integer) is persisted only after `sink.accept` resolved,
 * so a crash or a failing sink means a redelivery, never a gap. Redeliveries within one run are
 * suppressed here (the stream and the catch-up overlap on every reconnect); across runs the queue's
 * dedupe by `mastodon:<status id>` takes care of the rest.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { z } from 'zod';
import type { Mention } from '../../domain/mention.ts';
import type { CursorStore } from '../../intake/mention-queue.ts';
import type { Logger } from '../../observability/logger.ts';
import { silentLogger } from '../../observability/logger.ts';
import type { ConnectorHealth, MentionSink, OwnAccounts, PullConnector } from '../connector.ts';
import { malformed, rejectionOf, type Rejection, type RejectionLog } from '../rejections.ts';
import { MastodonApiError, MastodonClient } from './client.ts';
import { MastodonAccount, MastodonNotification, compareIds, toMention } from './status.ts';
import { openNotificationStream } from './stream.ts';
import type { OpenStream } from './stream.ts';

export interface MastodonConnectorOptions {
  /** The instance's web address, e.g. `https://mastodon.social`. */
  instanceUrl: string;
  /** A user token of our account with (at least) `read:notifications`. */
  accessToken: string;
  ownAccounts: OwnAccounts;
  cursorStore: CursorStore;
  /** Where the streaming server lives; by default as the instance announces it (`/api/v2/instance`). */
  streamingUrl?: string;
  /** The domain in local accounts' handles (`ann@<domain>`); by default as the instance announces it. */
  instanceHost?: string;
  /** Key of the persisted cursor; by default `mastodon:<domain>:<our account id>:notifications`. */
  cursorKey?: string;
  /** Notifications per REST page, 1–80 (Mastodon's maximum). */
  pageLimit?: number;
  /** Reconnect delays: exponential from `initialMs` up to `maxMs`, with jitter. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Silence (no event, no heartbeat) after which the stream counts as dead. Mastodon beats every 15 s. */
  idleTimeoutMs?: number;
  logger?: Logger;
  /** Where notifications refused one by one (malformed, too deep, a bad handle) are reported. */
  rejections?: RejectionLog;
  fetch?: typeof fetch;
  /** For jitter; tests pin it. */
  random?: () => number;
}

interface Session {
  domain: string;
  accountId: string;
  streamUrl: URL;
  cursorKey: string;
}

/** A notification as far as the cursor needs it; the rest is validated per item, so one odd item cannot wedge a page. */
const NotificationId = z.looseObject({ id: z.string().regex(/^\d+$/) });
const NotificationPage = z.array(z.unknown());

const InstanceInfo = z.looseObject({
  domain: z.string().optional(),
  uri: z.string().optional(),
  configuration: z
    .looseObject({ urls: z.looseObject({ streaming: z.string().optional() }).optional() })
    .optional(),
  urls: z.looseObject({ streaming_api: z.string().optional() }).optional(),
});

const DEFAULT_PAGE_LIMIT = 80;
const SEEN_LIMIT = 10_000;
const STREAM_PATH = '/api/v1/streaming/user/notification';

export class MastodonConnector implements PullConnector {
  readonly network = 'mastodon' as const;
  readonly name = 'mastodon-stream';

  readonly #options: MastodonConnectorOptions;
  readonly #client: MastodonClient;
  readonly #log: Logger;
  readonly #pageLimit: number;
  readonly #random: () => number;

  #stopper: AbortController | null = null;
  #loop: Promise<void> | null = null;
  #session: Session | null = null;
  #cursor: string | null = null;
  /** The cursor this run started from: nothing at or below it is new. */
  #floor: string | null = null;
  /** Ids handled in this run (insertion-ordered, bounded): the stream/catch-up overlap. */
  readonly #seen = new Set<string>();

  #streamOpen = false;
  #lastEventAt: string | null = null;
  #tokenValid: boolean | null = null;
  #errorStreak = 0;
  #lastError: string | null = null;
  #hint: string | null = null;
  #rateLimitedUntil: Date | null = null;

  constructor(options: MastodonConnectorOptions) {
    this.#options = options;
    this.#log = (options.logger ?? silentLogger()).child({ connector: this.name });
    this.#pageLimit = Math.min(80, Math.max(1, Math.trunc(options.pageLimit ?? DEFAULT_PAGE_LIMIT)));
    this.#random = options.random ?? Math.random;
    this.#client = new MastodonClient({
      baseUrl: options.instanceUrl,
      accessToken: options.accessToken,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      sleep: (ms, signal) => sleepFor(ms, undefined, signal ? { signal } : {}),
      onRateLimitWait: (until) => {
        this.#rateLimitedUntil = until;
        this.#log.warn({ until: until.toISOString() }, 'mastodon rate limit spent; waiting for the reset');
      },
    });
  }

  async start(sink: MentionSink): Promise<void> {
    if (this.#loop) throw new Error('the Mastodon connector is already running');
    const stopper = new AbortController();
    this.#stopper = stopper;
    await new Promise<void>((running) => {
      this.#loop = this.#run(sink, stopper.signal, running);
    });
  }

  async stop(): Promise<void> {
    this.#stopper?.abort();
    await this.#loop;
    this.#loop = null;
    this.#stopper = null;
    this.#streamOpen = false;
  }

  async backfill(since: Date, sink: MentionSink): Promise<number> {
    const signal = this.#stopper?.signal;
    const session = await this.#ensureSession(signal);
    let target: string | URL = this.#notificationsPath({});
    let count = 0;
    for (;;) {
      const page = await this.#api(() => this.#client.get(target, NotificationPage, signal));
      const mentions: Mention[] = [];
      let reachedSince = page.body.length === 0;
      // Pages come newest first; the first notification older than `since` ends the walk.
      for (const item of page.body) {
        const parsed = MastodonNotification.safeParse(item);
        if (!parsed.success) {
          this.#refuse(malformed('mastodon', NotificationId.safeParse(item).data?.id ?? null, parsed.error));
          continue;
        }
        if (Date.parse(parsed.data.created_at) < since.getTime()) {
          reachedSince = true;
          break;
        }
        const mention = this.#toMention(parsed.data, session.domain);
        if (mention) mentions.push(mention);
      }
      if (mentions.length > 0) await sink.accept(mentions);
      count += mentions.length;
      if (reachedSince || !page.links.next) return count;
      target = page.links.next;
    }
  }

  health(): ConnectorHealth {
    return {
      network: this.network,
      name: this.name,
      status: this.#status(),
      lastEventAt: this.#lastEventAt,
      cursor: this.#cursor,
      tokenValid: this.#tokenValid,
      // Mastodon user tokens do not expire; they are revoked.
      tokenExpiresAt: null,
      errorStreak: this.#errorStreak,
      lastError: this.#lastError,
      hint: this.#hint ?? this.#rateLimitHint(),
    };
  }

  #status(): ConnectorHealth['status'] {
    if (!this.#loop) return 'idle';
    if (this.#tokenValid === false || this.#errorStreak >= 3) return 'down';
    if (this.#errorStreak > 0 || !this.#streamOpen || this.#rateLimited()) return 'degraded';
    return 'ok';
  }

  #rateLimited(): boolean {
    return this.#rateLimitedUntil !== null && this.#rateLimitedUntil.getTime() > Date.now();
  }

  #rateLimitHint(): string | null {
    if (!this.#rateLimited() || !this.#rateLimitedUntil) return null;
    return (
      `Mastodon's rate limit for this account is spent (every app using the account shares it); ` +
      `the connector waits until ${this.#rateLimitedUntil.toISOString()} and then continues.`
    );
  }

  async #run(sink: MentionSink, signal: AbortSignal, running: () => void): Promise<void> {
    while (!signal.aborted) {
      let stream: OpenStream | null = null;
      try {
        const session = await this.#ensureSession(signal);
        await this.#ensureCursor(session, signal);
        // Stream first, then catch up: whatever happens in between arrives on the (buffered) stream,
        // and the overlap is dropped as already seen.
        stream = await this.#api(() =>
          openNotificationStream({
            url: session.streamUrl,
            accessToken: this.#options.accessToken,
            ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
            signal,
            idleTimeoutMs: this.#options.idleTimeoutMs ?? 60_000,
          }),
        );
        await this.#catchUp(session, sink, signal);
        this.#streamOpen = true;
        this.#recovered();
        running();
        for await (const event of stream.events) {
          if (event.event !== 'notification') continue;
          await this.#deliver([parseJson(event.data)], session, sink);
        }
        if (!signal.aborted) throw new Error('the streaming server closed the stream');
      } catch (err) {
        stream?.close();
        this.#streamOpen = false;
        if (signal.aborted) break;
        this.#failed(err);
        running();
        await sleepFor(this.#backoffMs(), undefined, { signal }).catch(() => undefined);
      }
    }
    this.#streamOpen = false;
  }

  /** REST catch-up from the cursor, oldest first (`min_id` + `rel="prev"`), so the cursor moves page by page. */
  async #catchUp(session: Session, sink: MentionSink, signal: AbortSignal): Promise<void> {
    let target: string | URL = this.#notificationsPath({ min_id: this.#cursor ?? '0' });
    for (;;) {
      const page = await this.#api(() => this.#client.get(target, NotificationPage, signal));
      const items = page.body.map((item) => ({ raw: item, id: NotificationId.safeParse(item).data?.id }));
      if (items.length === 0) return;
      const newest = items.reduce<string | null>(
        (max, { id }) => (id && (max === null || compareIds(id, max) > 0) ? id : max),
        null,
      );
      await this.#deliver(
        items.map((i) => i.raw),
        session,
        sink,
      );
      if (newest === null) return;
      target = page.links.prev ?? this.#notificationsPath({ min_id: newest });
    }
  }

  /** Hands the new mentions among `batch` to the sink, then advances and persists the cursor. */
  async #deliver(batch: readonly unknown[], session: Session, sink: MentionSink): Promise<void> {
    const fresh: { id: string; item: unknown }[] = [];
    for (const item of batch) {
      const parsed = NotificationId.safeParse(item);
      if (!parsed.success) {
        this.#log.warn({ issues: parsed.error.issues }, 'mastodon notification without a usable id skipped');
        continue;
      }
      const id = parsed.data.id;
      if (this.#seen.has(id) || (this.#floor !== null && compareIds(id, this.#floor) <= 0)) continue;
      fresh.push({ id, item: parsed.data });
    }
    if (fresh.length === 0) return;
    fresh.sort((a, b) => compareIds(a.id, b.id));
    this.#lastEventAt = new Date().toISOString();

    const mentions: Mention[] = [];
    for (const { id, item } of fresh) {
      const parsed = MastodonNotification.safeParse(item);
      if (!parsed.success) {
        this.#refuse(malformed('mastodon', id, parsed.error));
        continue;
      }
      const mention = this.#toMention(parsed.data, session.domain);
      if (mention) mentions.push(mention);
    }
    if (mentions.length > 0) await sink.accept(mentions);

    for (const { id } of fresh) this.#remember(id);
    const newest = fresh[fresh.length - 1]?.id;
    if (newest !== undefined && (this.#cursor === null || compareIds(newest, this.#cursor) > 0)) {
      this.#cursor = newest;
      await this.#options.cursorStore.set(session.cursorKey, newest);
    }
  }

  #toMention(notification: MastodonNotification, domain: string): Mention | null {
    try {
      return toMention(notification, this.#options.ownAccounts, domain);
    } catch (err) {
      const rejection = rejectionOf(err, 'mastodon', notification.id);
      if (rejection) this.#refuse(rejection);
      else {
        this.#log.warn(
          { err, notificationId: notification.id },
          'mastodon notification could not be mapped; skipped',
        );
      }
      return null;
    }
  }

  /** One notification refused: reported, and the cursor moves past it like any other. */
  #refuse(rejection: Rejection): void {
    if (this.#options.rejections) this.#options.rejections.record(this.name, [rejection]);
    else this.#log.warn({ itemId: rejection.id, reason: rejection.reason }, 'mastodon notification refused');
  }

  #remember(id: string): void {
    this.#seen.add(id);
    if (this.#seen.size > SEEN_LIMIT) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
  }

  async #ensureSession(signal: AbortSignal | undefined): Promise<Session> {
    if (this.#session) return this.#session;
    const account = await this.#api(() =>
      this.#client.get('/api/v1/accounts/verify_credentials', MastodonAccount, signal),
    );
    const instance = await this.#instanceInfo(signal);
    const opts = this.#options;
    const domain = (
      opts.instanceHost ??
      instance?.domain ??
      instance?.uri ??
      new URL(opts.instanceUrl).host
    ).toLowerCase();
    const streamBase =
      opts.streamingUrl ??
      instance?.configuration?.urls?.streaming ??
      instance?.urls?.streaming_api ??
      opts.instanceUrl;
    const streamUrl = new URL(STREAM_PATH, streamBase.replace(/^ws(s?):/i, 'http$1:'));
    this.#session = {
      domain,
      accountId: account.body.id,
      streamUrl,
      cursorKey: opts.cursorKey ?? `mastodon:${domain}:${account.body.id}:notifications`,
    };
    return this.#session;
  }

  /** `/api/v2/instance` (Mastodon ≥ 4.0), else `/api/v1/instance`; neither is essential. */
  async #instanceInfo(signal: AbortSignal | undefined): Promise<z.infer<typeof InstanceInfo> | null> {
    for (const path of ['/api/v2/instance', '/api/v1/instance']) {
      try {
        return (await this.#client.get(path, InstanceInfo, signal)).body;
      } catch (err) {
        if (signal?.aborted) throw err;
        this.#log.debug({ err, path }, 'mastodon instance info unavailable');
      }
    }
    return null;
  }

  /** Loads the persisted cursor; on the very first run starts from "now" (history is backfill's job). */
  async #ensureCursor(session: Session, signal: AbortSignal): Promise<void> {
    if (this.#cursor !== null) return;
    const stored = await this.#options.cursorStore.get(session.cursorKey);
    if (stored !== null && /^\d+$/.test(stored)) {
      this.#cursor = stored;
    } else {
      const newest = await this.#api(() =>
        this.#client.get(this.#notificationsPath({ limit: '1' }), z.array(NotificationId), signal),
      );
      // No mention yet at all: every future one is above 0.
      this.#cursor = newest.body[0]?.id ?? '0';
      await this.#options.cursorStore.set(session.cursorKey, this.#cursor);
    }
    this.#floor = this.#cursor;
  }

  #notificationsPath(params: Record<string, string>): string {
    const query = new URLSearchParams({ 'types[]': 'mention', limit: String(this.#pageLimit), ...params });
    return `/api/v1/notifications?${query.toString()}`;
  }

  /** Runs an API call, keeping token validity in the health report. */
  async #api<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.#tokenValid = true;
      return result;
    } catch (err) {
      if (err instanceof MastodonApiError && err.tokenRejected) this.#tokenValid = false;
      throw err;
    } finally {
      if (this.#rateLimitedUntil && !this.#rateLimited()) this.#rateLimitedUntil = null;
    }
  }

  #recovered(): void {
    if (this.#errorStreak > 0) this.#log.info({ after: this.#errorStreak }, 'mastodon stream reconnected');
    this.#errorStreak = 0;
    this.#lastError = null;
    this.#hint = null;
  }

  #failed(err: unknown): void {
    this.#errorStreak += 1;
    this.#lastError = err instanceof Error ? err.message : String(err);
    this.#hint = this.#hintFor(err);
    this.#log.warn({ err, errorStreak: this.#errorStreak }, 'mastodon stream failed; reconnecting');
  }

  #hintFor(err: unknown): string {
    const instance = this.#options.instanceUrl;
    if (err instanceof MastodonApiError) {
      if (err.status === 401) {
        return (
          `Mastodon rejected the access token (revoked, or the app was removed). On ${instance}, create a new ` +
          `token under Preferences > Development with the read:notifications and write:statuses scopes, ` +
          `set it as the connector's access token and restart the sync server.`
        );
      }
      if (err.status === 403) {
        return `The access token lacks a scope: it needs read:notifications (and write:statuses to reply). Create one on ${instance} under Preferences > Development.`;
      }
      if (err.status === 429)
        return this.#rateLimitHint() ?? 'Mastodon is rate limiting this account; retrying later.';
    }
    return `Cannot keep a stream to ${instance} open; retrying with backoff. If this persists, check the instance URL and that the instance is up.`;
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so reconnects neither stampede nor stall. */
  #backoffMs(): number {
    const initial = this.#options.backoff?.initialMs ?? 1_000;
    const max = this.#options.backoff?.maxMs ?? 60_000;
    const base = Math.min(max, initial * 2 ** Math.min(this.#errorStreak - 1, 30));
    return base / 2 + this.#random() * (base / 2);
  }
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return null;
  }
}
