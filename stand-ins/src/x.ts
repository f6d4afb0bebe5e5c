/**
 * A local stand-in for the X API: the v2 endpoints the product uses, X's auth and rate-limit behaviour
 * and error bodies, and Account Activity webhooks (CRC check on registration, signed deliveries).
 *
 * Served: `GET /2/users/:id/mentions`, `GET /2/users/:id/tweets`, `GET /2/tweets?ids=` (1–100),
 * `GET /2/tweets/:id`, `POST /2/tweets`,
 * `GET /2/users/me`, `GET /2/users/:id`, `GET /2/users/by/username/:username`, `POST /2/webhooks`.
 * Controlled in-process (tests) through the returned handle, or over HTTP under `/_standin/` (demo traffic
 * from another process).
 *
 * Auth, as X checks it: `bearerToken` is the app's OAuth 2.0 app-only token, `userAccessToken` our
 * account's OAuth 2.0 user-context token; they are never the same token. Each endpoint accepts the kinds
 * X documents for it (`ENDPOINT_AUTH`); the other known kind gets X's 403 `Unsupported Authentication`,
 * anything else 401.
 */
import { createHmac, randomBytes } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { startListener } from './listener.ts';
import { charCount, processText } from './x-text.ts';
import type { TextEntities } from './x-text.ts';

export interface XUser {
  id: string;
  username: string;
  name: string;
  description: string;
  url: string;
  verified: boolean;
  profile_image_url: string;
  created_at: string;
  followers_count: number;
  following_count: number;
}

export interface XTweet {
  id: string;
  text: string;
  author_id: string;
  /** ISO 8601 with milliseconds, as v2 returns it. */
  created_at: string;
  conversation_id: string;
  in_reply_to_user_id?: string;
  referenced_tweets?: { type: 'replied_to' | 'quoted' | 'retweeted'; id: string }[];
  entities: TextEntities;
  lang: string;
  public_metrics: { retweet_count: number; reply_count: number; like_count: number; quote_count: number };
  edit_history_tweet_ids: string[];
}

export interface AddMentionInput {
  /** A username (a user is made up for it) or a user (known fields kept, the rest made up). */
  author: string | (Partial<XUser> & { username: string });
  /** `@<our username>` is put in front when the text does not mention us (unless it quotes us). */
  text: string;
  /** The tweet id, for posts that exist elsewhere already (demo data); new ids grow with time otherwise. */
  id?: string;
  inReplyToTweetId?: string;
  quoteTweetId?: string;
  /** BCP 47 tag X detected; default `en`. */
  lang?: string;
  createdAt?: Date;
  likes?: number;
  reposts?: number;
  /** Deliver as a signed Account Activity webhook to the registered URL (default: when one is registered). */
  deliver?: boolean;
}

export interface WebhookDelivery {
  url: string;
  status: number;
  body: string;
}

export interface AddedMention {
  tweet: XTweet;
  author: XUser;
  /** Present when it was delivered as a webhook. */
  delivery: WebhookDelivery | null;
}

export interface XFaults {
  /** `unavailable`: 503 on every API call; `refused`: nothing listens (ECONNREFUSED). */
  down: false | 'unavailable' | 'refused';
  /** Every token is rejected with 401, as after revocation. */
  tokenRevoked: boolean;
}

export interface RateLimitSetting {
  limit: number;
  windowSeconds: number;
}

export type XEndpoint = 'mentions' | 'tweets:create' | 'tweets:lookup' | 'users:lookup';

export interface XRequestRecord {
  method: string;
  path: string;
  query: string;
  /** The status answered (0 until the response is sent). */
  status: number;
}

export interface XStandInOptions {
  port?: number;
  host?: string;
  consumerSecret: string;
  /** The app-only bearer token. */
  bearerToken: string;
  /** Our account's user-context token; made up when not given (read it from the handle). */
  userAccessToken?: string;
  /** Our brand's account (whose mentions are served and who posts replies). */
  ownUser?: Partial<XUser> & { username?: string };
  rateLimits?: Partial<Record<XEndpoint, RateLimitSetting>>;
}

export interface XStandIn {
  readonly url: string;
  readonly ownUser: XUser;
  /** Our account's OAuth 2.0 user-context token (for posting and `users/me`). */
  readonly userAccessToken: string;
  addUser(user: Partial<XUser> & { username: string }): XUser;
  /** Stores a post mentioning our account (served by the mentions timeline) and delivers it as a webhook. */
  addMention(input: AddMentionInput): Promise<AddedMention>;
  /** Registers the Account Activity webhook URL after X's CRC check of it; throws if the check fails. */
  registerWebhook(url: string): Promise<void>;
  readonly webhookUrl: string | null;
  /** Posts created through `POST /2/tweets`, oldest first. */
  sentTweets(): XTweet[];
  tweet(id: string): XTweet | undefined;
  /** People like, repost, reply to or quote a post: its `public_metrics` change (what lookups serve). */
  setMetrics(id: string, metrics: Partial<XTweet['public_metrics']>): XTweet;
  setFaults(faults: Partial<XFaults>): Promise<void>;
  /** Uses up an endpoint's window: 429 until `resetInSeconds` from now (X resets every 15 minutes). */
  exhaustRateLimit(endpoint?: XEndpoint, resetInSeconds?: number): void;
  /** Requests served (method and path), for assertions. */
  readonly requests: readonly XRequestRecord[];
  close(): Promise<void>;
}

const TWITTER_EPOCH = 1288834974657n;
const DEFAULT_RATE_LIMITS: Record<XEndpoint, RateLimitSetting> = {
  // X API v2 (Basic/Pro app-auth): mentions timeline 450 / 15 min, post creation 100 / 15 min per user.
  mentions: { limit: 450, windowSeconds: 900 },
  'tweets:create': { limit: 100, windowSeconds: 900 },
  'tweets:lookup': { limit: 450, windowSeconds: 900 },
  'users:lookup': { limit: 300, windowSeconds: 900 },
};

/** Who may call what, from X's API reference ("Authentication methods supported by this endpoint"). */
type TokenKind = 'app' | 'user';
const READ: readonly TokenKind[] = ['app', 'user'];
const ENDPOINT_AUTH = {
  timeline: READ,
  tweetLookup: READ,
  userLookup: READ,
  createTweet: ['user'],
  me: ['user'],
  webhooks: ['app'],
} as const satisfies Record<string, readonly TokenKind[]>;
const AUTH_NAMES: Record<TokenKind, string> = {
  app: 'OAuth 2.0 Application-Only',
  user: 'OAuth 2.0 User Context',
};
// X lists these in its answer; OAuth 1.0a user context is accepted wherever OAuth 2.0 user context is.
const SUPPORTED_NAMES: Record<TokenKind, string> = {
  app: 'OAuth 2.0 Application-Only',
  user: 'OAuth 1.0a User Context, OAuth 2.0 User Context',
};

const DEFAULT_TWEET_FIELDS = new Set(['id', 'text', 'edit_history_tweet_ids']);
const DEFAULT_USER_FIELDS = new Set(['id', 'name', 'username']);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Wed Oct 10 20:19:24 +0000 2018`: the v1.1 `created_at` format. */
export function xDate(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${p(date.getUTCDate())} ${p(date.getUTCHours())}:${p(
    date.getUTCMinutes(),
  )}:${p(date.getUTCSeconds())} +0000 ${date.getUTCFullYear()}`;
}

class SnowflakeIds {
  #sequence = new Map<bigint, bigint>();
  /**
   * Ids increase with time, as X's do: milliseconds since X's epoch in the bits above 22, then a 12-bit
   * sequence. Past 4,096 ids in one millisecond the next millisecond is used, as a snowflake generator
   * waits for the clock: ids never repeat.
   */
  next(at: Date): string {
    let ms = BigInt(at.getTime()) - TWITTER_EPOCH;
    while ((this.#sequence.get(ms) ?? 0n) > 0xfffn) ms += 1n;
    const seq = this.#sequence.get(ms) ?? 0n;
    this.#sequence.set(ms, seq + 1n);
    return ((ms << 22n) | (1n << 17n) | seq).toString();
  }
}

class HttpProblem extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

const problem = (status: number, title: string, detail = title): HttpProblem =>
  new HttpProblem(status, { title, type: 'about:blank', status, detail });

const invalidRequest = (message: string, parameters?: Record<string, string[]>): HttpProblem =>
  new HttpProblem(400, {
    errors: [{ ...(parameters ? { parameters } : {}), message }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  });

function csv(value: unknown): Set<string> {
  return new Set(typeof value === 'string' && value !== '' ? value.split(',').map((s) => s.trim()) : []);
}

function pick<T extends object>(value: T, fields: Set<string>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => fields.has(k))) as Partial<T>;
}

function userV2(user: XUser, fields: Set<string>): Record<string, unknown> {
  const all = {
    ...user,
    public_metrics: {
      followers_count: user.followers_count,
      following_count: user.following_count,
      tweet_count: 0,
      listed_count: 0,
    },
  };
  const shown = new Set([...DEFAULT_USER_FIELDS, ...fields]);
  return pick(all, shown);
}

function tweetV2(
  tweet: XTweet,
  fields: Set<string>,
  authorOf: (id: string) => XUser | undefined,
): Record<string, unknown> {
  const entities = {
    ...(tweet.entities.mentions.length
      ? { mentions: tweet.entities.mentions.map((m) => ({ ...m, id: authorOf(m.username)?.id })) }
      : {}),
    ...(tweet.entities.hashtags.length ? { hashtags: tweet.entities.hashtags } : {}),
    ...(tweet.entities.urls.length ? { urls: tweet.entities.urls } : {}),
  };
  const shown = new Set([...DEFAULT_TWEET_FIELDS, ...fields]);
  const full: Record<string, unknown> = { ...tweet, entities };
  if (Object.keys(entities).length === 0) delete full['entities'];
  return pick(full, shown);
}

export async function startXStandIn(options: XStandInOptions): Promise<XStandIn> {
  const ids = new SnowflakeIds();
  const users = new Map<string, XUser>();
  /** Lower-cased username → id. */
  const usernames = new Map<string, string>();
  const byUsername = (username: string): XUser | undefined => {
    const id = usernames.get(username.replace(/^@/, '').toLowerCase());
    return id === undefined ? undefined : users.get(id);
  };
  const tweets = new Map<string, XTweet>();
  const sent: XTweet[] = [];
  const requests: XRequestRecord[] = [];
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const windows = new Map<string, { remaining: number; reset: number }>();
  const faults: XFaults = { down: false, tokenRevoked: false };
  const userToken = options.userAccessToken ?? `user-context-${randomBytes(12).toString('hex')}`;
  if (userToken === options.bearerToken) {
    throw new Error('userAccessToken must differ from bearerToken: X never issues one token for both');
  }
  let webhookUrl: string | null = null;
  let webhookId: string | null = null;

  const makeUser = (input: Partial<XUser> & { username: string }): XUser => {
    const created = new Date(Date.UTC(2015, 2, 14));
    return {
      id: input.id ?? ids.next(created),
      username: input.username.replace(/^@/, ''),
      name: input.name ?? input.username.replace(/^@/, '').replace(/[_.]/g, ' '),
      description: input.description ?? '',
      url: input.url ?? '',
      verified: input.verified ?? false,
      profile_image_url:
        input.profile_image_url ?? `https://pbs.twimg.com/profile_images/${input.username}/avatar_normal.jpg`,
      created_at: input.created_at ?? created.toISOString(),
      followers_count: input.followers_count ?? 100 + ((input.username.length * 137) % 5000),
      following_count: input.following_count ?? 50 + ((input.username.length * 53) % 800),
    };
  };
  const addUser = (input: Partial<XUser> & { username: string }): XUser => {
    const existing = byUsername(input.username);
    const user = existing ? { ...existing, ...input, id: existing.id } : makeUser(input);
    users.set(user.id, user);
    usernames.set(user.username.toLowerCase(), user.id);
    return user;
  };

  const own = addUser({
    username: 'socialcrm_demo',
    name: 'Social CRM Demo',
    description: 'The brand account of the Social CRM demo.',
    verified: true,
    ...options.ownUser,
  } as Partial<XUser> & { username: string });

  const storeTweet = (input: {
    id?: string | undefined;
    author: XUser;
    text: string;
    at: Date;
    replyTo?: XTweet | undefined;
    quote?: XTweet | undefined;
    lang?: string | undefined;
    likes?: number | undefined;
    reposts?: number | undefined;
  }): XTweet => {
    const id = input.id ?? ids.next(input.at);
    const { text, entities } = processText(input.text);
    const refs: XTweet['referenced_tweets'] = [];
    if (input.replyTo) refs.push({ type: 'replied_to', id: input.replyTo.id });
    if (input.quote) refs.push({ type: 'quoted', id: input.quote.id });
    const tweet: XTweet = {
      id,
      text,
      author_id: input.author.id,
      created_at: input.at.toISOString(),
      conversation_id: input.replyTo?.conversation_id ?? id,
      ...(input.replyTo ? { in_reply_to_user_id: input.replyTo.author_id } : {}),
      ...(refs.length ? { referenced_tweets: refs } : {}),
      entities,
      lang: input.lang ?? 'en',
      public_metrics: {
        retweet_count: input.reposts ?? 0,
        reply_count: 0,
        like_count: input.likes ?? 0,
        quote_count: 0,
      },
      edit_history_tweet_ids: [id],
    };
    if (input.replyTo) input.replyTo.public_metrics.reply_count += 1;
    if (input.quote) input.quote.public_metrics.quote_count += 1;
    tweets.set(id, tweet);
    return tweet;
  };

  /** The v1.1 object Account Activity webhooks carry. */
  const tweetV1 = (tweet: XTweet): Record<string, unknown> => {
    const author = users.get(tweet.author_id) ?? own;
    const replyTo = tweet.referenced_tweets?.find((r) => r.type === 'replied_to');
    const quoted = tweet.referenced_tweets?.find((r) => r.type === 'quoted');
    const quotedTweet = quoted ? tweets.get(quoted.id) : undefined;
    const entities = {
      hashtags: tweet.entities.hashtags.map((h) => ({ text: h.tag, indices: [h.start, h.end] })),
      urls: tweet.entities.urls.map((u) => ({
        url: u.url,
        expanded_url: u.expanded_url,
        display_url: u.display_url,
        indices: [u.start, u.end],
      })),
      user_mentions: tweet.entities.mentions.map((m) => {
        const user = byUsername(m.username);
        return {
          screen_name: m.username,
          name: user?.name ?? m.username,
          id_str: user?.id,
          indices: [m.start, m.end],
        };
      }),
      symbols: [],
    };
    const long = charCount(tweet.text) > 140;
    return {
      created_at: xDate(new Date(tweet.created_at)),
      id_str: tweet.id,
      text: long ? `${[...tweet.text].slice(0, 139).join('')}…` : tweet.text,
      source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
      truncated: long,
      ...(long
        ? {
            extended_tweet: {
              full_text: tweet.text,
              display_text_range: [0, charCount(tweet.text)],
              entities,
            },
          }
        : {}),
      in_reply_to_status_id_str: replyTo?.id ?? null,
      in_reply_to_user_id_str: tweet.in_reply_to_user_id ?? null,
      in_reply_to_screen_name: tweet.in_reply_to_user_id
        ? (users.get(tweet.in_reply_to_user_id)?.username ?? null)
        : null,
      user: {
        id_str: author.id,
        name: author.name,
        screen_name: author.username,
        location: null,
        url: author.url || null,
        description: author.description || null,
        verified: author.verified,
        followers_count: author.followers_count,
        friends_count: author.following_count,
        created_at: xDate(new Date(author.created_at)),
        profile_image_url_https: author.profile_image_url,
      },
      is_quote_status: quoted !== undefined,
      ...(quotedTweet ? { quoted_status_id_str: quotedTweet.id, quoted_status: tweetV1(quotedTweet) } : {}),
      quote_count: tweet.public_metrics.quote_count,
      reply_count: tweet.public_metrics.reply_count,
      retweet_count: tweet.public_metrics.retweet_count,
      favorite_count: tweet.public_metrics.like_count,
      entities: long ? { hashtags: [], urls: [], user_mentions: [], symbols: [] } : entities,
      favorited: false,
      retweeted: false,
      filter_level: 'low',
      lang: tweet.lang,
      timestamp_ms: String(Date.parse(tweet.created_at)),
    };
  };

  const deliver = async (tweet: XTweet): Promise<WebhookDelivery> => {
    if (!webhookUrl) throw new Error('No webhook registered: call registerWebhook(url) first');
    const body = JSON.stringify({
      for_user_id: own.id,
      user_has_blocked: false,
      tweet_create_events: [tweetV1(tweet)],
    });
    const signature = `sha256=${createHmac('sha256', options.consumerSecret).update(body).digest('base64')}`;
    const res = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature },
      body,
    });
    return { url: webhookUrl, status: res.status, body: await res.text() };
  };

  const crcCheck = async (url: string): Promise<void> => {
    const token = randomBytes(24).toString('base64url');
    const target = new URL(url);
    target.searchParams.set('crc_token', token);
    const res = await fetch(target, { signal: AbortSignal.timeout(3000) });
    const expected = `sha256=${createHmac('sha256', options.consumerSecret).update(token).digest('base64')}`;
    const body = (await res.json().catch(() => null)) as { response_token?: unknown } | null;
    if (res.status !== 200 || body?.response_token !== expected) {
      throw new Error(
        `CRC check of ${url} failed: HTTP ${res.status}, response_token ${String(body?.response_token)}`,
      );
    }
  };

  // ---- HTTP ----

  const rateLimit = (endpoint: XEndpoint, token: string, res: Response): void => {
    const setting = limits[endpoint];
    const key = `${endpoint}:${token}`;
    const now = Math.floor(Date.now() / 1000);
    let window = windows.get(key);
    if (!window || window.reset <= now) {
      window = { remaining: setting.limit, reset: now + setting.windowSeconds };
      windows.set(key, window);
    }
    const headers = {
      'x-rate-limit-limit': String(setting.limit),
      'x-rate-limit-remaining': String(Math.max(window.remaining - 1, 0)),
      'x-rate-limit-reset': String(window.reset),
    };
    if (window.remaining <= 0) {
      throw new HttpProblem(
        429,
        { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
        { ...headers, 'x-rate-limit-remaining': '0' },
      );
    }
    window.remaining -= 1;
    res.set(headers);
  };

  /** The caller's token when its kind is one the endpoint accepts; 401 for an unknown one, 403 for the other kind. */
  const authenticate = (req: Request, accepted: readonly TokenKind[]): string => {
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const kind: TokenKind | null =
      token === options.bearerToken ? 'app' : token === userToken ? 'user' : null;
    if (faults.tokenRevoked || kind === null) throw problem(401, 'Unauthorized');
    if (!accepted.includes(kind)) {
      throw new HttpProblem(403, {
        title: 'Unsupported Authentication',
        detail: `Authenticating with ${AUTH_NAMES[kind]} is forbidden for this endpoint.  Supported authentication types are [${accepted.map((k) => SUPPORTED_NAMES[k]).join(', ')}].`,
        type: 'https://api.twitter.com/2/problems/unsupported-authentication',
        status: 403,
      });
    }
    return token;
  };

  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const record: XRequestRecord = {
      method: req.method,
      path: req.path,
      query: req.url.split('?')[1] ?? '',
      status: 0,
    };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    next();
  });
  app.use('/2', (_req, _res, next) => {
    if (faults.down === 'unavailable') throw problem(503, 'Service Unavailable');
    next();
  });
  app.use(express.json({ limit: '1mb' }));

  // The mentions timeline (posts mentioning the user) and the user Tweet timeline (posts by the user)
  // page alike: newest first, since_id/until_id/start_time/end_time, pagination_token.
  const timeline = (kind: 'mentions' | 'tweets') => (req: Request, res: Response) => {
    const token = authenticate(req, ENDPOINT_AUTH.timeline);
    rateLimit(kind === 'mentions' ? 'mentions' : 'tweets:lookup', token, res);
    const userId = String(req.params['id'] ?? '');
    const user = users.get(userId);
    if (!/^\d+$/.test(userId))
      throw invalidRequest(`The \`id\` query parameter value [${userId}] is not valid`, { id: [userId] });
    if (!user) {
      res.json({
        errors: [
          {
            value: userId,
            detail: `Could not find user with id: [${userId}].`,
            title: 'Not Found Error',
            resource_type: 'user',
            parameter: 'id',
            resource_id: userId,
            type: 'https://api.twitter.com/2/problems/resource-not-found',
          },
        ],
      });
      return;
    }
    const q = req.query;
    const maxResults = q['max_results'] === undefined ? 10 : Number(q['max_results']);
    if (!Number.isInteger(maxResults) || maxResults < 5 || maxResults > 100) {
      throw invalidRequest(
        `The \`max_results\` query parameter value [${String(q['max_results'])}] is not between 5 and 100`,
        {
          max_results: [String(q['max_results'])],
        },
      );
    }
    const idParam = (name: string): bigint | null => {
      const value = q[name];
      if (value === undefined) return null;
      if (typeof value !== 'string' || !/^\d{1,19}$/.test(value)) {
        throw invalidRequest(`The \`${name}\` query parameter value [${String(value)}] is not valid`, {
          [name]: [String(value)],
        });
      }
      return BigInt(value);
    };
    const timeParam = (name: string): number | null => {
      const value = q[name];
      if (value === undefined) return null;
      const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
      if (Number.isNaN(ms)) {
        throw invalidRequest(
          `Invalid '${name}':'${String(value)}'. '${name}' must be a valid RFC 3339 date-time, e.g. 2024-01-01T00:00:00Z`,
          { [name]: [String(value)] },
        );
      }
      return ms;
    };
    const sinceId = idParam('since_id');
    let untilId = idParam('until_id');
    const startTime = timeParam('start_time');
    const endTime = timeParam('end_time');
    const paginationToken = q['pagination_token'];
    if (paginationToken !== undefined) {
      const decoded =
        typeof paginationToken === 'string' && /^[0-9a-z]+$/.test(paginationToken)
          ? BigInt(parseInt36(paginationToken))
          : null;
      if (decoded === null)
        throw invalidRequest(
          `The \`pagination_token\` query parameter value [${String(paginationToken)}] is not valid`,
        );
      untilId = untilId === null || decoded < untilId ? decoded : untilId;
    }

    const matching = [...tweets.values()]
      .filter((t) =>
        kind === 'tweets'
          ? t.author_id === user.id
          : t.entities.mentions.some((m) => m.username.toLowerCase() === user.username.toLowerCase()),
      )
      .filter(
        (t) => (sinceId === null || BigInt(t.id) > sinceId) && (untilId === null || BigInt(t.id) < untilId),
      )
      .filter(
        (t) =>
          (startTime === null || Date.parse(t.created_at) >= startTime) &&
          (endTime === null || Date.parse(t.created_at) < endTime),
      )
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const page = matching.slice(0, maxResults);
    if (page.length === 0) {
      res.json({ meta: { result_count: 0 } });
      return;
    }
    const tweetFields = csv(q['tweet.fields']);
    const userFields = csv(q['user.fields']);
    const expansions = csv(q['expansions']);
    const includedUsers = new Map<string, XUser>();
    const includedTweets = new Map<string, XTweet>();
    for (const t of page) {
      if (expansions.has('author_id')) {
        const author = users.get(t.author_id);
        if (author) includedUsers.set(author.id, author);
      }
      for (const ref of t.referenced_tweets ?? []) {
        const referenced = tweets.get(ref.id);
        if (!referenced) continue;
        if (expansions.has('referenced_tweets.id')) includedTweets.set(referenced.id, referenced);
        const refAuthor = users.get(referenced.author_id);
        if (expansions.has('referenced_tweets.id.author_id') && refAuthor)
          includedUsers.set(refAuthor.id, refAuthor);
      }
    }
    const last = page[page.length - 1];
    const more = last !== undefined && matching.length > page.length;
    const includes: Record<string, unknown> = {};
    if (includedUsers.size) includes['users'] = [...includedUsers.values()].map((u) => userV2(u, userFields));
    if (includedTweets.size)
      includes['tweets'] = [...includedTweets.values()].map((t) => tweetV2(t, tweetFields, byUsername));
    res.json({
      data: page.map((t) => tweetV2(t, tweetFields, byUsername)),
      ...(Object.keys(includes).length ? { includes } : {}),
      meta: {
        newest_id: page[0]?.id,
        oldest_id: last?.id,
        result_count: page.length,
        ...(more && last ? { next_token: BigInt(last.id).toString(36) } : {}),
      },
    });
  };
  app.get('/2/users/:id/mentions', timeline('mentions'));
  app.get('/2/users/:id/tweets', timeline('tweets'));

  const answerUser = (req: Request, res: Response, user: XUser | undefined, by: 'id' | 'username'): void => {
    const value = String(req.params[by] ?? '');
    if (!user) {
      res.json({
        errors: [
          {
            value,
            detail: `Could not find user with ${by}: [${value}].`,
            title: 'Not Found Error',
            resource_type: 'user',
            parameter: by,
            resource_id: value,
            type: 'https://api.twitter.com/2/problems/resource-not-found',
          },
        ],
      });
      return;
    }
    res.json({ data: userV2(user, csv(req.query['user.fields'])) });
  };
  app.get('/2/users/me', (req, res) => {
    const token = authenticate(req, ENDPOINT_AUTH.me);
    rateLimit('users:lookup', token, res);
    res.json({ data: userV2(own, csv(req.query['user.fields'])) });
  });
  app.get('/2/users/by/username/:username', (req, res) => {
    const token = authenticate(req, ENDPOINT_AUTH.userLookup);
    rateLimit('users:lookup', token, res);
    answerUser(req, res, byUsername(String(req.params['username'] ?? '')), 'username');
  });
  app.get('/2/users/:id', (req, res) => {
    const token = authenticate(req, ENDPOINT_AUTH.userLookup);
    rateLimit('users:lookup', token, res);
    answerUser(req, res, users.get(String(req.params['id'] ?? '')), 'id');
  });

  // Post lookup by ids (1–100), as X serves it: found posts under `data`, missing ones under `errors`.
  app.get('/2/tweets', (req, res) => {
    const token = authenticate(req, ENDPOINT_AUTH.tweetLookup);
    rateLimit('tweets:lookup', token, res);
    const raw = req.query['ids'];
    const list = typeof raw === 'string' && raw !== '' ? raw.split(',') : [];
    if (list.length === 0) {
      throw invalidRequest('The `ids` query parameter can not be empty', { ids: [String(raw ?? '')] });
    }
    if (list.length > 100) {
      throw invalidRequest(`size [${list.length}] is not between 1 and 100`, { ids: [String(raw)] });
    }
    const bad = list.find((id) => !/^\d{1,19}$/.test(id));
    if (bad !== undefined) {
      throw invalidRequest(`The \`ids\` query parameter value [${bad}] is not valid`, { ids: [bad] });
    }
    const fields = csv(req.query['tweet.fields']);
    const found = list.flatMap((id) => {
      const tweet = tweets.get(id);
      return tweet ? [tweetV2(tweet, fields, byUsername)] : [];
    });
    const missing = list.filter((id) => !tweets.has(id));
    res.json({
      ...(found.length ? { data: found } : {}),
      ...(missing.length
        ? {
            errors: missing.map((id) => ({
              value: id,
              detail: `Could not find tweet with ids: [${id}].`,
              title: 'Not Found Error',
              resource_type: 'tweet',
              parameter: 'ids',
              resource_id: id,
              type: 'https://api.twitter.com/2/problems/resource-not-found',
            })),
          }
        : {}),
    });
  });

  app.get('/2/tweets/:id', (req, res) => {
    const token = authenticate(req, ENDPOINT_AUTH.tweetLookup);
    rateLimit('tweets:lookup', token, res);
    const tweet = tweets.get(req.params['id'] ?? '');
    if (!tweet) {
      const id = req.params['id'];
      res.json({
        errors: [
          {
            value: id,
            detail: `Could not find tweet with id: [${id}].`,
            title: 'Not Found Error',
            resource_type: 'tweet',
            parameter: 'id',
            resource_id: id,
            type: 'https://api.twitter.com/2/problems/resource-not-found',
          },
        ],
      });
      return;
    }
    const author = users.get(tweet.author_id);
    const expansions = csv(req.query['expansions']);
    res.json({
      data: tweetV2(tweet, csv(req.query['tweet.fields']), byUsername),
      ...(expansions.has('author_id') && author
        ? { includes: { users: [userV2(author, csv(req.query['user.fields']))] } }
        : {}),
    });
  });

  app.post('/2/tweets', (req, res) => {
    const token = authenticate(req, ENDPOINT_AUTH.createTweet);
    rateLimit('tweets:create', token, res);
    const body = (req.body ?? {}) as {
      text?: unknown;
      reply?: { in_reply_to_tweet_id?: unknown };
      quote_tweet_id?: unknown;
    };
    if (typeof body.text !== 'string' || body.text.trim() === '') {
      throw invalidRequest('$.text: is missing but it is required', { text: [String(body.text)] });
    }
    if (charCount(body.text) > 280) throw problem(403, 'Forbidden', 'Your Tweet text is too long.');
    let replyTo: XTweet | undefined;
    if (body.reply !== undefined) {
      const targetId = body.reply.in_reply_to_tweet_id;
      if (typeof targetId !== 'string' || !/^\d+$/.test(targetId)) {
        throw invalidRequest('$.reply.in_reply_to_tweet_id: string found, number expected', {
          'reply.in_reply_to_tweet_id': [String(targetId)],
        });
      }
      replyTo = tweets.get(targetId);
      if (!replyTo)
        throw problem(
          403,
          'Forbidden',
          'You attempted to reply to a Tweet that is deleted or not visible to you.',
        );
      const engagedUs =
        replyTo.author_id === own.id ||
        replyTo.entities.mentions.some((m) => m.username.toLowerCase() === own.username.toLowerCase()) ||
        (replyTo.referenced_tweets ?? []).some(
          (r) => r.type === 'quoted' && tweets.get(r.id)?.author_id === own.id,
        );
      if (!engagedUs) {
        throw problem(
          403,
          'Forbidden',
          'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.',
        );
      }
    }
    const quote = typeof body.quote_tweet_id === 'string' ? tweets.get(body.quote_tweet_id) : undefined;
    if (sent.some((t) => t.text === processText(body.text as string).text)) {
      throw problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
    }
    const tweet = storeTweet({ author: own, text: body.text, at: new Date(), replyTo, quote });
    sent.push(tweet);
    res.status(201).json({ data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } });
  });

  app.post('/2/webhooks', async (req, res) => {
    authenticate(req, ENDPOINT_AUTH.webhooks);
    const url = (req.body as { url?: unknown } | undefined)?.url;
    if (typeof url !== 'string' || !URL.canParse(url))
      throw invalidRequest('$.url: is missing but it is required');
    try {
      await registerWebhook(url);
    } catch (error) {
      throw new HttpProblem(400, {
        errors: [{ message: 'CrcValidationFailed' }],
        title: 'Invalid Request',
        detail: (error as Error).message,
        type: 'https://api.twitter.com/2/problems/invalid-request',
      });
    }
    res.json({ data: { id: webhookId, url, valid: true, created_at: new Date().toISOString() } });
  });

  // ---- test control over HTTP (demo traffic from another process) ----
  app.post('/_standin/mentions', async (req, res) => {
    const added = await addMention(req.body as AddMentionInput);
    res.status(201).json(added);
  });
  app.post('/_standin/webhook', async (req, res) => {
    await registerWebhook(String((req.body as { url?: unknown }).url));
    res.json({ url: webhookUrl });
  });
  app.get('/_standin/sent', (_req, res) => {
    res.json(sent);
  });
  app.post('/_standin/faults', async (req, res) => {
    await setFaults(req.body as Partial<XFaults>);
    res.json(faults);
  });

  app.use((req, _res, next) =>
    next(problem(404, 'Not Found Error', `Sorry, that page does not exist: ${req.path}`)),
  );
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpProblem) {
      res.status(err.status).set(err.headers).json(err.body);
      return;
    }
    const status = (err as { status?: number }).status;
    if (status === 400) {
      res.status(400).json(invalidRequest('Request body is not valid JSON'));
      return;
    }
    res
      .status(500)
      .json({ title: 'Internal Server Error', type: 'about:blank', status: 500, detail: String(err) });
  });

  const listener = await startListener(app, options.port ?? 0, options.host ?? '127.0.0.1');

  async function registerWebhook(url: string): Promise<void> {
    await crcCheck(url);
    webhookUrl = url;
    webhookId = ids.next(new Date());
  }

  async function addMention(input: AddMentionInput): Promise<AddedMention> {
    const author =
      typeof input.author === 'string' ? addUser({ username: input.author }) : addUser(input.author);
    const replyTo = input.inReplyToTweetId ? tweets.get(input.inReplyToTweetId) : undefined;
    if (input.inReplyToTweetId && !replyTo) throw new Error(`No tweet ${input.inReplyToTweetId} to reply to`);
    const quote = input.quoteTweetId ? tweets.get(input.quoteTweetId) : undefined;
    const mentionsUs = new RegExp(`(^|[^\\w@])@${own.username}\\b`, 'i').test(input.text);
    const text = mentionsUs || quote ? input.text : `@${own.username} ${input.text}`;
    const tweet = storeTweet({
      id: input.id,
      author,
      text,
      at: input.createdAt ?? new Date(),
      replyTo,
      quote,
      lang: input.lang,
      likes: input.likes,
      reposts: input.reposts,
    });
    const shouldDeliver = input.deliver ?? webhookUrl !== null;
    const delivery = shouldDeliver ? await deliver(tweet) : null;
    return { tweet, author, delivery };
  }

  async function setFaults(change: Partial<XFaults>): Promise<void> {
    Object.assign(faults, change);
    if (faults.down === 'refused') await listener.pause();
    else await listener.resume();
  }

  return {
    url: listener.url,
    ownUser: own,
    userAccessToken: userToken,
    addUser,
    addMention,
    registerWebhook,
    get webhookUrl() {
      return webhookUrl;
    },
    sentTweets: () => [...sent],
    tweet: (id) => tweets.get(id),
    setMetrics(id, metrics) {
      const tweet = tweets.get(id);
      if (!tweet) throw new Error(`No tweet ${id}`);
      tweet.public_metrics = { ...tweet.public_metrics, ...metrics };
      return tweet;
    },
    setFaults,
    exhaustRateLimit(endpoint: XEndpoint = 'mentions', resetInSeconds = 900) {
      const reset = Math.floor(Date.now() / 1000) + resetInSeconds;
      for (const token of new Set([options.bearerToken, userToken])) {
        windows.set(`${endpoint}:${token}`, { remaining: 0, reset });
      }
    },
    requests,
    close: () => listener.close(),
  };
}

function parseInt36(value: string): bigint {
  let n = 0n;
  for (const ch of value) n = n * 36n + BigInt(parseInt(ch, 36));
  return n;
}
