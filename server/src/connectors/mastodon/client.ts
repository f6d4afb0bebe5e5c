/**
 * The Mastodon REST calls the connector makes, over `fetch`: bearer auth, Mastodon's error bodies
 * (`{"error": "..."}`), `Link` pagination and the rate limit (`X-RateLimit-Remaining` / `-Reset`:
 * 300 calls per 5 minutes per account by default). When the budget is spent the client waits for the
 * reset instead of earning 429s; when a 429 comes anyway it waits and retries.
 *
 * A thin hand-written client rather than a library (e.g. `masto`): the connector needs the raw headers
 * (Link, rate limit) and status codes, which such libraries hide.
 */
import type { z } from 'zod';
import { readBoundedJson } from '../bounded-body.ts';

/**
 * Largest REST answer read: a page is at most 80 notifications, each kept only when its JSON fits the
 * 131,072-character audit copy, so about 10 MB; a bigger answer is refused unread.
 */
export const MAX_PAGE_BYTES = 16 * 1024 * 1024;

export class MastodonApiError extends Error {
  readonly status: number;
  /** Mastodon's `error` text, when the body had one. */
  readonly serverMessage: string | null;

  constructor(status: number, serverMessage: string | null, what: string) {
    super(`${what}: HTTP ${status}${serverMessage ? ` (${serverMessage})` : ''}`);
    this.name = 'MastodonApiError';
    this.status = status;
    this.serverMessage = serverMessage;
  }

  get tokenRejected(): boolean {
    return this.status === 401;
  }
}

export interface PageLinks {
  /** Older items (`max_id`). */
  next: URL | null;
  /** Newer items (`min_id`). */
  prev: URL | null;
}

export interface ApiPage<T> {
  body: T;
  links: PageLinks;
}

export interface RateLimitState {
  remaining: number | null;
  resetAt: Date | null;
}

export interface MastodonClientOptions {
  /** e.g. `https://mastodon.social`. */
  baseUrl: string;
  accessToken: string;
  fetch?: typeof fetch;
  /** Abortable sleep; the connector passes one that stop() cancels. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Called before the client waits for the rate-limit window to reset (for health reporting). */
  onRateLimitWait?: (until: Date) => void;
  requestTimeoutMs?: number;
  /** Calls left in the window at which the client starts waiting for the reset (default 0). */
  reserve?: number;
}

/** Longest a rate-limit wait may be: Mastodon's window is 5 minutes. */
const MAX_RATE_WAIT_MS = 5 * 60_000;
const MAX_429_RETRIES = 5;
/** A few ms past the announced reset, so we do not arrive a hair early and spend a 429. */
const RESET_SLACK_MS = 50;

/** Parses an RFC 8288 Link header into the `next`/`prev` targets Mastodon uses for pagination. */
export function parseLinkHeader(header: string | null, base: string): PageLinks {
  const links: PageLinks = { next: null, prev: null };
  if (!header) return links;
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '')?.[1];
    if (!rel || !match[1]) continue;
    let target: URL;
    try {
      target = new URL(match[1], base);
    } catch {
      continue;
    }
    for (const r of rel.toLowerCase().split(/\s+/)) {
      if (r === 'next' || r === 'prev') links[r] = target;
    }
  }
  return links;
}

async function errorMessageOf(res: Response): Promise<string | null> {
  try {
    const body: unknown = await res.json();
    if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') {
      return body.error;
    }
  } catch {
    // Not JSON (a proxy's HTML error page, say): the status says enough.
  }
  return null;
}

export class MastodonClient {
  readonly origin: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #now: () => number;
  readonly #onRateLimitWait: ((until: Date) => void) | undefined;
  readonly #timeoutMs: number;
  readonly #reserve: number;
  #rate: RateLimitState = { remaining: null, resetAt: null };

  constructor(options: MastodonClientOptions) {
    this.origin = new URL(options.baseUrl).origin;
    this.#token = options.accessToken;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#sleep = options.sleep;
    this.#now = options.now ?? Date.now;
    this.#onRateLimitWait = options.onRateLimitWait;
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#reserve = options.reserve ?? 0;
  }

  rateLimit(): RateLimitState {
    return { ...this.#rate };
  }

  /**
   * GET a path (`/api/v1/...`) or a URL the instance gave us (a Link target). Only URLs of the instance's
   * own origin are followed, so the token is never sent anywhere else.
   */
  async get<S extends z.ZodType>(
    target: string | URL,
    schema: S,
    signal?: AbortSignal,
  ): Promise<ApiPage<z.infer<S>>> {
    const url = new URL(target, this.origin);
    if (url.origin !== this.origin) {
      throw new Error(`refusing to send the Mastodon token to ${url.origin} (instance is ${this.origin})`);
    }
    const what = `GET ${url.pathname}`;
    for (let attempt = 0; ; attempt++) {
      await this.#waitForBudget(signal);
      const res = await this.#fetch(url, {
        headers: { authorization: `Bearer ${this.#token}`, accept: 'application/json' },
        signal: signal
          ? AbortSignal.any([signal, AbortSignal.timeout(this.#timeoutMs)])
          : AbortSignal.timeout(this.#timeoutMs),
      });
      this.#noteRateHeaders(res.headers);
      if (res.status === 429 && attempt < MAX_429_RETRIES) {
        await res.body?.cancel();
        // The budget is spent whatever the header said; wait for the announced reset (or back off).
        this.#rate = {
          remaining: 0,
          resetAt:
            this.#rate.resetAt && this.#rate.resetAt.getTime() > this.#now()
              ? this.#rate.resetAt
              : new Date(this.#now() + 1000 * 2 ** attempt),
        };
        continue;
      }
      if (!res.ok) throw new MastodonApiError(res.status, await errorMessageOf(res), what);
      const body = schema.parse(await readBoundedJson(res, MAX_PAGE_BYTES, what)) as z.infer<S>;
      return { body, links: parseLinkHeader(res.headers.get('link'), url.href) };
    }
  }

  #noteRateHeaders(headers: Headers): void {
    const remaining = Number.parseInt(headers.get('x-ratelimit-remaining') ?? '', 10);
    const reset = Date.parse(headers.get('x-ratelimit-reset') ?? '');
    if (Number.isNaN(remaining) && Number.isNaN(reset)) return;
    this.#rate = {
      remaining: Number.isNaN(remaining) ? null : remaining,
      resetAt: Number.isNaN(reset) ? null : new Date(reset),
    };
  }

  async #waitForBudget(signal?: AbortSignal): Promise<void> {
    const { remaining, resetAt } = this.#rate;
    if (remaining === null || remaining > this.#reserve || !resetAt) return;
    const waitMs = Math.min(resetAt.getTime() - this.#now() + RESET_SLACK_MS, MAX_RATE_WAIT_MS);
    if (waitMs <= 0) return;
    this.#onRateLimitWait?.(new Date(this.#now() + waitMs));
    await this.#sleep(waitMs, signal);
    // The window has turned over; the next response tells us the new budget.
    this.#rate = { remaining: null, resetAt: null };
  }
}
