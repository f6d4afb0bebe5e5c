/**
 * A local Mastodon instance, as far as the Social CRM and Mastodon clients talk to one: our account's
 * mention notifications (REST with Link pagination), the streaming API over server-sent events and
 * WebSocket (mastodon-streaming.ts), posting replies (with Idempotency-Key and the 500-character
 * limit), reading statuses and threads.
 *
 * What it copies from Mastodon 4.x, because clients depend on it:
 * - entities shaped as documented (https://docs.joinmastodon.org/entities/), content rendered as
 *   Mastodon renders it (`<p>`, `<br />`, h-card mention links, hashtag links, links with invisible
 *   spans), HTML-escaped like Rails (`&amp;`, `&#39;`);
 * - ids as numeric strings: statuses and accounts snowflake-like (time in the high bits), notifications
 *   a plain sequence (starting at 990 by default, so a client comparing ids as text breaks at 1000);
 * - `max_id` / `since_id` / `min_id` / `limit` paging, newest first, `Link: <…>; rel="next", <…>; rel="prev"`;
 * - errors as `{"error": "…"}`: 401 "The access token is invalid", 404 "Record not found", 422
 *   "Validation failed: …", 429 "Too many requests"; `X-RateLimit-Limit/-Remaining/-Reset` on REST
 *   responses (300 calls per 5 minutes);
 * - the streaming server (user, user:notification, public and hashtag streams; `update`,
 *   `notification`, `delete`, `status.update` events) as `/api/v2/instance` announces it.
 *
 * Faults: `down()` cuts every connection and answers 502 like the nginx in front of a dead Mastodon;
 * `expireToken()` revokes the token (open streams are closed, as Mastodon does); `rateLimit(n)` leaves
 * n calls in the current window.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { STREAMING_PATH, StreamingServer } from './mastodon-streaming.ts';
import type { StreamTarget } from './mastodon-streaming.ts';

export interface MastodonStandInOptions {
  /** 0 (default): any free port. */
  port?: number;
  host?: string;
  /** The one token the instance accepts (our account's). */
  accessToken: string;
  /** The instance's domain, as in handles (`ann@mastodon.example`). */
  instanceHost?: string;
  ownAccount: { id: string; username: string; display_name?: string };
  /** Streaming heartbeat interval; Mastodon's is 15 s. */
  heartbeatMs?: number;
  /** REST calls per window; Mastodon's default is 300 per 5 minutes. */
  rateLimit?: { limit?: number; windowMs?: number };
  /** First notification id handed out. */
  firstNotificationId?: number;
}

export interface MastodonAccountJson {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  locked: boolean;
  bot: boolean;
  discoverable: boolean;
  group: boolean;
  created_at: string;
  note: string;
  url: string;
  uri: string;
  avatar: string;
  avatar_static: string;
  header: string;
  header_static: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
  last_status_at: string | null;
  emojis: never[];
  fields: never[];
}

export interface MastodonStatusJson {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  sensitive: boolean;
  spoiler_text: string;
  visibility: Visibility;
  language: string | null;
  uri: string;
  url: string;
  replies_count: number;
  reblogs_count: number;
  favourites_count: number;
  edited_at: string | null;
  content: string;
  reblog: null;
  application: { name: string; website: string | null } | null;
  account: MastodonAccountJson;
  media_attachments: never[];
  mentions: { id: string; username: string; url: string; acct: string }[];
  tags: { name: string; url: string }[];
  emojis: never[];
  card: null;
  poll: null;
}

export interface MastodonNotificationJson {
  id: string;
  type: 'mention';
  created_at: string;
  account: MastodonAccountJson;
  status: MastodonStatusJson;
}

export type Visibility = 'public' | 'unlisted' | 'private' | 'direct';
const VISIBILITIES: readonly string[] = ['public', 'unlisted', 'private', 'direct'];

export interface MentionAuthor {
  /** The account id, for accounts that exist elsewhere already (demo data); made up otherwise. */
  id?: string;
  username: string;
  /** Another instance's domain for a remote account; omitted for a local one. */
  domain?: string;
  display_name?: string;
  followers_count?: number;
  following_count?: number;
  bot?: boolean;
  /** Bio as plain text (rendered to HTML like Mastodon does). */
  note?: string;
}

export interface AddMentionInput {
  author: MentionAuthor;
  /** Plain text as the author typed it; `@ourname` is prepended when missing, as a client's reply box does. */
  text: string;
  inReplyToId?: string;
  language?: string;
  visibility?: Visibility;
  spoilerText?: string;
  /** Backdates the post (and its notification), e.g. to test history backfill. */
  createdAt?: Date;
  /** The status id, for posts that exist elsewhere already (demo data). */
  id?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string without `?`, decoded. */
  query: string;
  status: number;
  at: number;
}

export interface MastodonFaults {
  /** The instance is unreachable: every connection is cut, every request answered 502 until up(). */
  down(): void;
  up(): void;
  /** Revokes the access token: 401 from now on, open streams are closed. */
  expireToken(): void;
  /** Accepts the access token again (an admin issued it anew). */
  restoreToken(): void;
  /** Leaves `remaining` calls in the current window, which resets after `resetInMs` (default 1 s). */
  rateLimit(remaining: number, resetInMs?: number): void;
}

export interface MastodonStandIn {
  url: string;
  instanceHost: string;
  close(): Promise<void>;
  /** Makes an account known (or updates it), e.g. with the id it has elsewhere, before it posts. */
  addAccount(author: MentionAuthor): MastodonAccountJson;
  /** A post by someone else mentioning our account: stored, notified, pushed to open streams. */
  addMention(input: AddMentionInput): MastodonStatusJson;
  /** The author edits a status: new text, `edited_at`, `status.update` on the streams. */
  editStatus(id: string, text: string): MastodonStatusJson;
  /** The author deletes a status (and its notifications): `delete` on the streams, 404 from then on. */
  deleteStatus(id: string): void;
  /** Others favourite or boost a status: its `favourites_count` / `reblogs_count` (what lookups serve). */
  setCounts(id: string, counts: { favourites?: number; reblogs?: number }): MastodonStatusJson;
  /** Statuses our account posted through `POST /api/v1/statuses`, oldest first. */
  postedStatuses(): MastodonStatusJson[];
  /** Our account's notifications, oldest first. */
  notifications(): MastodonNotificationJson[];
  /** Open streaming connections and their streams (`user:notification`, `hashtag:<tag>`, …). */
  streamingConnections(): { transport: 'sse' | 'websocket'; streams: string[] }[];
  /** Every HTTP request received, in order (health and instance lookups included). */
  requests(): RecordedRequest[];
  faults: MastodonFaults;
}

interface AccountRecord {
  id: string;
  username: string;
  domain: string | null;
  displayName: string;
  note: string;
  followers: number;
  following: number;
  bot: boolean;
  createdAt: Date;
}

interface StatusRecord {
  id: string;
  accountId: string;
  createdAt: Date;
  contentHtml: string;
  spoilerText: string;
  visibility: Visibility;
  language: string | null;
  inReplyToId: string | null;
  inReplyToAccountId: string | null;
  mentionIds: string[];
  tags: string[];
  viaApi: boolean;
  editedAt: Date | null;
  /** Favourites and boosts by others (`setCounts`). */
  favourites?: number;
  reblogs?: number;
}

interface NotificationRecord {
  id: bigint;
  createdAt: Date;
  accountId: string;
  statusId: string;
}

const HOUR_MS = 60 * 60 * 1000;
const CHARACTER_LIMIT = 500;
/** Mastodon counts every link as this many characters, whatever its length. */
const URL_WEIGHT = 23;
const MAX_BODY_BYTES = 1024 * 1024;

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

// Mastodon's username and mention rules (Account::USERNAME_RE / MENTION_RE), hashtags (Tag::HASHTAG_RE, simplified).
const TOKEN_RE =
  /(https?:\/\/[^\s<>"]+)|(?<![\w@/])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)(?:@([a-z0-9-]+(?:\.[a-z0-9-]+)+))?|(?<![\w&/#])#([\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)/giu;

interface Token {
  kind: 'url' | 'mention' | 'tag';
  start: number;
  end: number;
  url?: string;
  username?: string;
  domain?: string | null;
  tag?: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const start = m.index;
    if (m[1]) {
      // Trailing punctuation ends a sentence, not the link.
      const url = m[1].replace(/[.,;:!?)'"]+$/, '');
      tokens.push({ kind: 'url', start, end: start + url.length, url });
    } else if (m[2]) {
      tokens.push({ kind: 'mention', start, end: start + m[0].length, username: m[2], domain: m[3] ?? null });
    } else if (m[4]) {
      tokens.push({ kind: 'tag', start, end: start + m[0].length, tag: m[4] });
    }
  }
  return tokens;
}

/** Characters as Mastodon's validator counts them: links weigh 23, remote mentions count without their domain. */
function countCharacters(text: string): number {
  let weighted = '';
  let last = 0;
  for (const t of tokenize(text)) {
    weighted += text.slice(last, t.start);
    weighted +=
      t.kind === 'url'
        ? 'x'.repeat(URL_WEIGHT)
        : t.kind === 'mention'
          ? `@${t.username}`
          : text.slice(t.start, t.end);
    last = t.end;
  }
  weighted += text.slice(last);
  return [...weighted].length;
}

function linkHtml(url: string): string {
  const prefix = /^https?:\/\/(?:www\.)?/i.exec(url)?.[0] ?? '';
  const rest = url.slice(prefix.length);
  const shown = rest.slice(0, 30);
  const hidden = rest.slice(30);
  return (
    `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener" translate="no">` +
    `<span class="invisible">${escapeHtml(prefix)}</span>` +
    `<span class="${hidden ? 'ellipsis' : ''}">${escapeHtml(shown)}</span>` +
    `<span class="invisible">${escapeHtml(hidden)}</span></a>`
  );
}

/** The whole stand-in in one closure: state, rendering, HTTP. */
export async function startMastodonStandIn(options: MastodonStandInOptions): Promise<MastodonStandIn> {
  const domain = (options.instanceHost ?? 'mastodon.example').toLowerCase();
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const limit = options.rateLimit?.limit ?? 300;
  const windowMs = options.rateLimit?.windowMs ?? 5 * 60_000;

  const accounts = new Map<string, AccountRecord>();
  const statuses = new Map<string, StatusRecord>();
  const notifications: NotificationRecord[] = [];
  const posted: string[] = [];
  const idempotency = new Map<string, { statusId: string; at: number }>();
  const log: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  let isDown = false;
  let tokenValid = true;
  let window = { endsAt: Date.now() + windowMs, used: 0 };
  let nextNotificationId = BigInt(options.firstNotificationId ?? 990);
  let lastSnowflake = 0n;
  let url = '';

  // Snowflake-like: milliseconds in the high bits, a sequence in the low 16, like Mastodon's ids.
  const snowflake = (at: Date): string => {
    let id = BigInt(at.getTime()) << 16n;
    if (at.getTime() >= Date.now() - 1000 && id <= lastSnowflake) id = lastSnowflake + 1n;
    while (statuses.has(id.toString()) || accounts.has(id.toString())) id += 1n;
    if (id > lastSnowflake) lastSnowflake = id;
    return id.toString();
  };

  const own: AccountRecord = {
    id: options.ownAccount.id,
    username: options.ownAccount.username,
    domain: null,
    displayName: options.ownAccount.display_name ?? options.ownAccount.username,
    note: '',
    followers: 0,
    following: 0,
    bot: false,
    createdAt: new Date(Date.UTC(2022, 10, 1)),
  };
  accounts.set(own.id, own);

  const acctOf = (a: AccountRecord): string => (a.domain ? `${a.username}@${a.domain}` : a.username);
  const profileUrl = (a: AccountRecord): string => `https://${a.domain ?? domain}/@${a.username}`;

  const findAccount = (username: string, accountDomain: string | null): AccountRecord | undefined => {
    const d = accountDomain?.toLowerCase() === domain ? null : (accountDomain?.toLowerCase() ?? null);
    for (const a of accounts.values()) {
      if (a.username.toLowerCase() === username.toLowerCase() && a.domain === d) return a;
    }
    return undefined;
  };

  const upsertAuthor = (author: MentionAuthor): AccountRecord => {
    const existing = findAccount(author.username, author.domain ?? null);
    const d = author.domain && author.domain.toLowerCase() !== domain ? author.domain.toLowerCase() : null;
    if (!existing && author.id !== undefined && accounts.has(author.id)) {
      throw new Error(`account id ${author.id} belongs to @${acctOf(accounts.get(author.id)!)} already`);
    }
    const account: AccountRecord = existing ?? {
      id: author.id ?? snowflake(new Date()),
      username: author.username,
      domain: d,
      displayName: '',
      note: '',
      followers: 0,
      following: 0,
      bot: false,
      createdAt: new Date(Date.UTC(2023, 0, 15)),
    };
    if (author.display_name !== undefined) account.displayName = author.display_name;
    if (author.note !== undefined) account.note = author.note;
    if (author.followers_count !== undefined) account.followers = author.followers_count;
    if (author.following_count !== undefined) account.following = author.following_count;
    if (author.bot !== undefined) account.bot = author.bot;
    accounts.set(account.id, account);
    return account;
  };

  /** Renders plain text as Mastodon's TextFormatter does; returns the HTML and what it linked. */
  const render = (text: string): { html: string; mentionIds: string[]; tags: string[] } => {
    const mentionIds: string[] = [];
    const tags: string[] = [];
    const paragraphs = text
      .replace(/\r\n?/g, '\n')
      .trim()
      .split(/\n{2,}/);
    const html = paragraphs
      .map((paragraph) => {
        let out = '';
        let last = 0;
        for (const t of tokenize(paragraph)) {
          out += escapeHtml(paragraph.slice(last, t.start));
          last = t.end;
          if (t.kind === 'url' && t.url) {
            out += linkHtml(t.url);
          } else if (t.kind === 'tag' && t.tag) {
            const name = t.tag.toLowerCase();
            if (!tags.includes(name)) tags.push(name);
            out += `<a href="https://${domain}/tags/${encodeURIComponent(name)}" class="mention hashtag" rel="tag">#<span>${escapeHtml(t.tag)}</span></a>`;
          } else if (t.kind === 'mention' && t.username) {
            // Remote accounts resolve (webfinger, in real life); unknown local names stay plain text.
            const account =
              findAccount(t.username, t.domain ?? null) ??
              (t.domain && t.domain.toLowerCase() !== domain
                ? upsertAuthor({ username: t.username, domain: t.domain })
                : undefined);
            if (!account) {
              out += escapeHtml(paragraph.slice(t.start, t.end));
              continue;
            }
            if (!mentionIds.includes(account.id)) mentionIds.push(account.id);
            out += `<span class="h-card" translate="no"><a href="${escapeHtml(profileUrl(account))}" class="u-url mention">@<span>${escapeHtml(account.username)}</span></a></span>`;
          }
        }
        out += escapeHtml(paragraph.slice(last));
        return `<p>${out.replace(/\n/g, '<br />')}</p>`;
      })
      .join('');
    return { html, mentionIds, tags };
  };

  const accountJson = (a: AccountRecord): MastodonAccountJson => {
    const authored = [...statuses.values()].filter((s) => s.accountId === a.id);
    const lastStatus = authored.reduce<Date | null>(
      (max, s) => (!max || s.createdAt > max ? s.createdAt : max),
      null,
    );
    const base = `https://${a.domain ?? domain}`;
    return {
      id: a.id,
      username: a.username,
      acct: acctOf(a),
      display_name: a.displayName,
      locked: false,
      bot: a.bot,
      discoverable: true,
      group: false,
      created_at: new Date(
        Date.UTC(a.createdAt.getUTCFullYear(), a.createdAt.getUTCMonth(), a.createdAt.getUTCDate()),
      ).toISOString(),
      note: a.note ? render(a.note).html : '',
      url: profileUrl(a),
      uri: `${base}/users/${a.username}`,
      avatar: `https://${domain}/avatars/original/missing.png`,
      avatar_static: `https://${domain}/avatars/original/missing.png`,
      header: `https://${domain}/headers/original/missing.png`,
      header_static: `https://${domain}/headers/original/missing.png`,
      followers_count: a.followers,
      following_count: a.following,
      statuses_count: authored.length,
      last_status_at: lastStatus ? lastStatus.toISOString().slice(0, 10) : null,
      emojis: [],
      fields: [],
    };
  };

  const statusJson = (s: StatusRecord): MastodonStatusJson => {
    const author = accounts.get(s.accountId) ?? own;
    const base = `https://${author.domain ?? domain}`;
    return {
      id: s.id,
      created_at: s.createdAt.toISOString(),
      in_reply_to_id: s.inReplyToId,
      in_reply_to_account_id: s.inReplyToAccountId,
      sensitive: s.spoilerText !== '',
      spoiler_text: s.spoilerText,
      visibility: s.visibility,
      language: s.language,
      uri: `${base}/users/${author.username}/statuses/${s.id}`,
      url: `${base}/@${author.username}/${s.id}`,
      replies_count: [...statuses.values()].filter((r) => r.inReplyToId === s.id).length,
      reblogs_count: s.reblogs ?? 0,
      favourites_count: s.favourites ?? 0,
      edited_at: s.editedAt?.toISOString() ?? null,
      content: s.contentHtml,
      reblog: null,
      application: s.viaApi ? { name: 'Social CRM', website: null } : null,
      account: accountJson(author),
      media_attachments: [],
      mentions: s.mentionIds.flatMap((id) => {
        const m = accounts.get(id);
        return m ? [{ id: m.id, username: m.username, url: profileUrl(m), acct: acctOf(m) }] : [];
      }),
      tags: s.tags.map((name) => ({ name, url: `https://${domain}/tags/${encodeURIComponent(name)}` })),
      emojis: [],
      card: null,
      poll: null,
    };
  };

  const notificationJson = (n: NotificationRecord): MastodonNotificationJson => {
    const status = statuses.get(n.statusId);
    const account = accounts.get(n.accountId);
    if (!status || !account) throw new Error(`notification ${n.id} lost its status or account`);
    return {
      id: n.id.toString(),
      type: 'mention',
      created_at: n.createdAt.toISOString(),
      account: accountJson(account),
      status: statusJson(status),
    };
  };

  const createStatus = (
    author: AccountRecord,
    input: {
      text: string;
      inReplyToId?: string | null;
      visibility?: Visibility;
      language?: string | null;
      spoilerText?: string;
      createdAt?: Date;
      viaApi: boolean;
      id?: string;
    },
  ): StatusRecord => {
    const parent = input.inReplyToId ? statuses.get(input.inReplyToId) : undefined;
    const createdAt = input.createdAt ?? new Date();
    const { html, mentionIds, tags } = render(input.text);
    const status: StatusRecord = {
      id: input.id ?? snowflake(createdAt),
      accountId: author.id,
      createdAt,
      contentHtml: html,
      spoilerText: input.spoilerText ?? '',
      visibility: input.visibility ?? 'public',
      language: input.language ?? null,
      inReplyToId: parent?.id ?? null,
      inReplyToAccountId: parent?.accountId ?? null,
      mentionIds,
      tags,
      viaApi: input.viaApi,
      editedAt: null,
    };
    statuses.set(status.id, status);
    streaming.publish(statusTargets(status), 'update', statusJson(status));
    return status;
  };

  /**
   * The streams a status shows on: our home timeline for our own posts (nobody is followed here), the
   * public and hashtag timelines for public posts (local ones on the local variants too).
   */
  const statusTargets = (s: StatusRecord): StreamTarget[] => {
    const author = accounts.get(s.accountId) ?? own;
    const targets: StreamTarget[] = author.id === own.id ? [{ stream: 'user' }] : [];
    if (s.visibility !== 'public') return targets;
    const local = author.domain === null;
    targets.push({ stream: 'public' }, { stream: local ? 'public:local' : 'public:remote' });
    for (const tag of s.tags) {
      targets.push({ stream: 'hashtag', tag });
      if (local) targets.push({ stream: 'hashtag:local', tag });
    }
    return targets;
  };
  const NOTIFICATION_TARGETS: StreamTarget[] = [{ stream: 'user' }, { stream: 'user:notification' }];

  const authorizeStream = (token: string | null): { status: number; error: string } | null => {
    if (!token) return { status: 401, error: 'Missing access token' };
    if (!tokenValid || token !== options.accessToken) return { status: 401, error: 'Invalid access token' };
    return null;
  };
  const streaming = new StreamingServer({ authorize: authorizeStream, heartbeatMs });

  // ---- HTTP --------------------------------------------------------------------------------------

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const bearer = (req: IncomingMessage, query: URLSearchParams): string | null => {
    const header = req.headers.authorization;
    if (header && /^bearer\s+/i.test(header)) return header.replace(/^bearer\s+/i, '').trim();
    return query.get('access_token');
  };

  const rateHeaders = (): Record<string, string> => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(Math.max(0, limit - window.used)),
    'x-ratelimit-reset': new Date(window.endsAt).toISOString(),
  });

  const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > MAX_BODY_BYTES) throw Object.assign(new Error('body too large'), { status: 413 });
      chunks.push(buf);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    if (raw === '') return {};
    const type = req.headers['content-type'] ?? '';
    if (type.includes('application/json')) {
      try {
        const parsed: unknown = JSON.parse(raw);
        return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
      } catch {
        throw Object.assign(new Error('Error while parsing request body'), { status: 400 });
      }
    }
    return Object.fromEntries(new URLSearchParams(raw));
  };

  const listNotifications = (
    query: URLSearchParams,
  ): { items: NotificationRecord[]; links: string | null } => {
    const types = [...query.getAll('types[]'), ...query.getAll('types')];
    const excluded = [...query.getAll('exclude_types[]'), ...query.getAll('exclude_types')];
    const accountId = query.get('account_id');
    const id = (name: string): bigint | null => {
      const v = query.get(name);
      return v && /^\d+$/.test(v) ? BigInt(v) : null;
    };
    const maxId = id('max_id');
    const sinceId = id('since_id');
    const minId = id('min_id');
    const requested = Number.parseInt(query.get('limit') ?? '', 10);
    const pageSize = Number.isNaN(requested) || requested <= 0 ? 40 : Math.min(requested, 80);

    const matching = notifications.filter(
      (n) =>
        (types.length === 0 || types.includes('mention')) &&
        !excluded.includes('mention') &&
        (!accountId || n.accountId === accountId) &&
        (maxId === null || n.id < maxId),
    );
    let items: NotificationRecord[];
    if (minId !== null) {
      // "Immediately newer than": the oldest page above min_id, still answered newest first.
      items = matching
        .filter((n) => n.id > minId)
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .slice(0, pageSize)
        .reverse();
    } else {
      items = matching
        .filter((n) => sinceId === null || n.id > sinceId)
        .sort((a, b) => (a.id > b.id ? -1 : 1))
        .slice(0, pageSize);
    }
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return { items, links: null };
    const carried = new URLSearchParams();
    for (const t of types) carried.append('types[]', t);
    for (const t of excluded) carried.append('exclude_types[]', t);
    if (accountId) carried.set('account_id', accountId);
    carried.set('limit', String(pageSize));
    const link = (key: string, value: bigint): string => {
      const q = new URLSearchParams(carried);
      q.set(key, value.toString());
      return `${url}/api/v1/notifications?${q.toString()}`;
    };
    return {
      items,
      links: `<${link('max_id', last.id)}>; rel="next", <${link('min_id', first.id)}>; rel="prev"`,
    };
  };

  const context = (
    s: StatusRecord,
  ): { ancestors: MastodonStatusJson[]; descendants: MastodonStatusJson[] } => {
    const ancestors: MastodonStatusJson[] = [];
    for (
      let p = s.inReplyToId ? statuses.get(s.inReplyToId) : undefined;
      p;
      p = p.inReplyToId ? statuses.get(p.inReplyToId) : undefined
    ) {
      ancestors.unshift(statusJson(p));
    }
    const descendants: MastodonStatusJson[] = [];
    const walk = (parentId: string): void => {
      const replies = [...statuses.values()]
        .filter((r) => r.inReplyToId === parentId)
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      for (const r of replies) {
        descendants.push(statusJson(r));
        walk(r.id);
      }
    };
    walk(s.id);
    return { ancestors, descendants };
  };

  const postStatus = async (
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
  ): Promise<void> => {
    const key = req.headers['idempotency-key'];
    const idemKey = typeof key === 'string' && key !== '' ? `${own.id}:${key}` : null;
    if (idemKey) {
      const seen = idempotency.get(idemKey);
      const earlier = seen ? statuses.get(seen.statusId) : undefined;
      if (seen && earlier && Date.now() - seen.at < HOUR_MS)
        return send(res, 200, statusJson(earlier), headers);
    }
    const body = await readBody(req);
    const text = typeof body.status === 'string' ? body.status : '';
    const spoiler = typeof body.spoiler_text === 'string' ? body.spoiler_text : '';
    const visibility =
      typeof body.visibility === 'string' && body.visibility !== '' ? body.visibility : 'public';
    const inReplyTo =
      typeof body.in_reply_to_id === 'string' && body.in_reply_to_id !== '' ? body.in_reply_to_id : null;
    const language = typeof body.language === 'string' && body.language !== '' ? body.language : null;
    if (inReplyTo !== null && !statuses.has(inReplyTo)) {
      return send(
        res,
        404,
        { error: 'The post you are trying to reply to does not appear to exist.' },
        headers,
      );
    }
    if (text.trim() === '')
      return send(res, 422, { error: "Validation failed: Text can't be blank" }, headers);
    if (!VISIBILITIES.includes(visibility)) {
      return send(res, 422, { error: 'Validation failed: Visibility is not included in the list' }, headers);
    }
    if (countCharacters(text) + [...spoiler].length > CHARACTER_LIMIT) {
      return send(
        res,
        422,
        { error: `Validation failed: Text character limit of ${CHARACTER_LIMIT} exceeded` },
        headers,
      );
    }
    const status = createStatus(own, {
      text,
      inReplyToId: inReplyTo,
      visibility: visibility as Visibility,
      language,
      spoilerText: spoiler,
      viaApi: true,
    });
    posted.push(status.id);
    if (idemKey) idempotency.set(idemKey, { statusId: status.id, at: Date.now() });
    send(res, 200, statusJson(status), headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = new URL(req.url ?? '/', 'http://stand-in');
    const path = target.pathname.replace(/\/+$/, '') || '/';
    const query = target.searchParams;
    const method = req.method ?? 'GET';

    if (isDown) {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(
        '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
      );
      return;
    }

    // The streaming server: its own auth messages, no rate limit.
    if (path === STREAMING_PATH || path.startsWith(`${STREAMING_PATH}/`)) {
      if (path === `${STREAMING_PATH}/health`) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('OK');
        return;
      }
      if (method !== 'GET' || path === STREAMING_PATH)
        return send(res, 404, { error: 'Unknown stream type' });
      return streaming.serveEventStream(req, res, path.slice(STREAMING_PATH.length + 1), query);
    }

    if (Date.now() >= window.endsAt) window = { endsAt: Date.now() + windowMs, used: 0 };
    window.used += 1;
    const headers = rateHeaders();
    if (window.used > limit) return send(res, 429, { error: 'Too many requests' }, headers);

    const token = bearer(req, query);
    const authenticated = token !== null && tokenValid && token === options.accessToken;
    if (token !== null && !authenticated)
      return send(res, 401, { error: 'The access token is invalid' }, headers);
    const requireAuth = (): boolean => {
      if (authenticated) return true;
      send(res, 401, { error: 'This method requires an authenticated user' }, headers);
      return false;
    };

    if (method === 'GET' && path === '/api/v2/instance') {
      return send(
        res,
        200,
        {
          domain,
          title: 'Mastodon stand-in',
          version: '4.3.0',
          source_url: 'https://github.com/mastodon/mastodon',
          configuration: {
            urls: { streaming: url.replace(/^http/, 'ws') },
            statuses: {
              max_characters: CHARACTER_LIMIT,
              max_media_attachments: 4,
              characters_reserved_per_url: URL_WEIGHT,
            },
          },
        },
        headers,
      );
    }
    if (method === 'GET' && path === '/api/v1/instance') {
      return send(
        res,
        200,
        {
          uri: domain,
          title: 'Mastodon stand-in',
          version: '4.3.0',
          urls: { streaming_api: url.replace(/^http/, 'ws') },
        },
        headers,
      );
    }
    if (method === 'GET' && path === '/api/v1/accounts/verify_credentials') {
      if (!requireAuth()) return;
      return send(
        res,
        200,
        {
          ...accountJson(own),
          source: { privacy: 'public', sensitive: false, language: 'en', note: '', fields: [] },
        },
        headers,
      );
    }
    if (method === 'GET' && path === '/api/v1/notifications') {
      if (!requireAuth()) return;
      const { items, links } = listNotifications(query);
      return send(res, 200, items.map(notificationJson), links ? { ...headers, link: links } : headers);
    }
    if (method === 'POST' && path === '/api/v1/statuses') {
      if (!requireAuth()) return;
      return postStatus(req, res, headers);
    }
    const statusMatch = /^\/api\/v1\/statuses\/(\d+)(\/context)?$/.exec(path);
    if (method === 'GET' && statusMatch?.[1]) {
      const status = statuses.get(statusMatch[1]);
      // Private and direct posts do not exist for anonymous readers.
      if (
        !status ||
        (!authenticated && (status.visibility === 'private' || status.visibility === 'direct'))
      ) {
        return send(res, 404, { error: 'Record not found' }, headers);
      }
      return send(res, 200, statusMatch[2] ? context(status) : statusJson(status), headers);
    }
    send(res, 404, { error: 'Record not found' }, headers);
  };

  const server: Server = createServer((req, res) => {
    res.on('close', () => log.push(entry(req, res.statusCode)));
    handle(req, res).catch((err: unknown) => {
      const status = (err as { status?: unknown }).status;
      if (res.headersSent) return void res.destroy();
      send(res, typeof status === 'number' ? status : 500, {
        error:
          typeof status === 'number'
            ? (err as Error).message
            : "We're sorry, but something went wrong on our end.",
      });
    });
  });
  const entry = (req: IncomingMessage, status: number): RecordedRequest => {
    const u = new URL(req.url ?? '/', 'http://stand-in');
    return {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: decodeURIComponent(u.search.replace(/^\?/, '')),
      status,
      at: Date.now(),
    };
  };
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const target = new URL(req.url ?? '/', 'http://stand-in');
    const path = target.pathname.replace(/\/+$/, '');
    if (isDown) return void socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
    if (path !== STREAMING_PATH)
      return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    streaming.handleUpgrade(req, socket, head, target.searchParams);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Streams stay open indefinitely; nothing should time them out on our side.
  server.requestTimeout = 0;
  server.headersTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;

  return {
    url,
    instanceHost: domain,
    addAccount: (author: MentionAuthor) => accountJson(upsertAuthor(author)),
    addMention(input: AddMentionInput): MastodonStatusJson {
      const author = upsertAuthor(input.author);
      if (author.id === own.id)
        throw new Error('our own account cannot mention itself (Mastodon does not notify self-mentions)');
      if (input.inReplyToId !== undefined && !statuses.has(input.inReplyToId)) {
        throw new Error(`addMention: no status ${input.inReplyToId} to reply to`);
      }
      const mentionsUs = new RegExp(`(^|[^\\w@/])@${own.username}(?![\\w@])`, 'i').test(input.text);
      const text = mentionsUs ? input.text : `@${own.username} ${input.text}`;
      const status = createStatus(author, {
        text,
        inReplyToId: input.inReplyToId ?? null,
        visibility: input.visibility ?? 'public',
        language: input.language ?? null,
        ...(input.spoilerText !== undefined ? { spoilerText: input.spoilerText } : {}),
        ...(input.createdAt !== undefined ? { createdAt: input.createdAt } : {}),
        ...(input.id !== undefined ? { id: input.id } : {}),
        viaApi: false,
      });
      const notification: NotificationRecord = {
        id: nextNotificationId,
        createdAt: status.createdAt,
        accountId: author.id,
        statusId: status.id,
      };
      nextNotificationId += 1n;
      notifications.push(notification);
      streaming.publish(NOTIFICATION_TARGETS, 'notification', notificationJson(notification));
      return statusJson(status);
    },
    editStatus(id: string, text: string): MastodonStatusJson {
      const status = statuses.get(id);
      if (!status) throw new Error(`editStatus: no status ${id}`);
      const { html, mentionIds, tags } = render(text);
      Object.assign(status, { contentHtml: html, mentionIds, tags, editedAt: new Date() });
      streaming.publish(statusTargets(status), 'status.update', statusJson(status));
      return statusJson(status);
    },
    setCounts(id: string, counts: { favourites?: number; reblogs?: number }): MastodonStatusJson {
      const status = statuses.get(id);
      if (!status) throw new Error(`No status ${id}`);
      if (counts.favourites !== undefined) status.favourites = counts.favourites;
      if (counts.reblogs !== undefined) status.reblogs = counts.reblogs;
      return statusJson(status);
    },
    deleteStatus(id: string): void {
      const status = statuses.get(id);
      if (!status) throw new Error(`deleteStatus: no status ${id}`);
      const targets = statusTargets(status);
      if (status.mentionIds.includes(own.id) && status.accountId !== own.id) targets.push({ stream: 'user' });
      statuses.delete(id);
      // Mastodon removes the notifications of a deleted status with it.
      for (let i = notifications.length - 1; i >= 0; i--) {
        if (notifications[i]?.statusId === id) notifications.splice(i, 1);
      }
      streaming.publish(targets, 'delete', id);
    },
    postedStatuses: () =>
      posted.flatMap((id) => {
        const s = statuses.get(id);
        return s ? [statusJson(s)] : [];
      }),
    notifications: () => notifications.map(notificationJson),
    requests: () => [...log],
    streamingConnections: () => streaming.connections(),
    faults: {
      down() {
        isDown = true;
        streaming.closeAll();
        for (const socket of sockets) socket.destroy();
      },
      up() {
        isDown = false;
      },
      expireToken() {
        tokenValid = false;
        streaming.closeAll();
      },
      restoreToken() {
        tokenValid = true;
      },
      rateLimit(remaining: number, resetInMs = 1000) {
        window = { endsAt: Date.now() + resetInMs, used: Math.max(0, limit - remaining) };
      },
    },
    close: () =>
      new Promise<void>((resolve) => {
        streaming.closeAll();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
