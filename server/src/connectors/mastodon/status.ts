/**
 * Mastodon's Notification, Status and Account entities as the REST and streaming APIs send them
 * (https://docs.joinmastodon.org/entities/), and their mapping onto our Mention.
 *
 * The schemas are lenient where servers that speak the Mastodon API differ (GoToSocial, Akkoma, older
 * Mastodon): optional lists and counters default, unknown fields are kept (`raw` is for audit).
 */
import { z } from 'zod';
import { IncomingMention, type Mention } from '../../domain/mention.ts';
import type { OwnAccounts } from '../connector.ts';
import { htmlToText } from './html-text.ts';

/** Mastodon counts a hidden follower count as -1 on some servers; we store "unknown" as null. */
const Count = z
  .number()
  .int()
  .nullish()
  .transform((n) => (n === null || n === undefined || n < 0 ? null : n));

const Counter = z
  .number()
  .int()
  .nonnegative()
  .nullish()
  .transform((n) => n ?? 0);

export const MastodonAccount = z.looseObject({
  id: z.string().min(1),
  username: z.string().min(1),
  /** `user` for accounts of the same instance, `user@other.host` for remote ones. */
  acct: z.string().min(1),
  display_name: z.string().default(''),
  url: z.string().nullish(),
  /** HTML. */
  note: z.string().default(''),
  followers_count: Count,
  following_count: Count,
  bot: z.boolean().nullish(),
  avatar: z.string().nullish(),
});
export type MastodonAccount = z.infer<typeof MastodonAccount>;

export const MastodonStatusMention = z.looseObject({
  id: z.string(),
  username: z.string(),
  acct: z.string(),
  url: z.string().nullish(),
});

export const MastodonTag = z.looseObject({ name: z.string(), url: z.string().nullish() });

export const VISIBILITIES = ['public', 'unlisted', 'private', 'direct'] as const;

const StatusCore = z.looseObject({
  id: z.string().min(1),
  uri: z.string(),
  url: z.string().nullish(),
  created_at: z.iso.datetime({ offset: true }),
  /** HTML. */
  content: z.string().default(''),
  spoiler_text: z.string().default(''),
  // A server may add a visibility (e.g. `local`); keep it as text rather than failing the whole status.
  visibility: z.string().default('public'),
  language: z.string().nullish(),
  in_reply_to_id: z.string().nullish(),
  in_reply_to_account_id: z.string().nullish(),
  account: MastodonAccount,
  mentions: z.array(MastodonStatusMention).default([]),
  tags: z.array(MastodonTag).default([]),
  replies_count: Counter,
  reblogs_count: Counter,
  favourites_count: Counter,
  quotes_count: Counter,
});

export const MastodonStatus = StatusCore.extend({
  /** A boost carries the boosted status here; a boost of a boost does not exist. */
  reblog: StatusCore.nullish(),
});
export type MastodonStatus = z.infer<typeof MastodonStatus>;

/** The notification types Mastodon documents; servers add more, so the schema accepts any string. */
export const NOTIFICATION_TYPES = [
  'mention',
  'status',
  'reblog',
  'follow',
  'follow_request',
  'favourite',
  'poll',
  'update',
  'quote',
  'quoted_update',
  'admin.sign_up',
  'admin.report',
  'severed_relationships',
  'moderation_warning',
] as const;

export const MastodonNotification = z.looseObject({
  /** A numeric string, increasing; compare as big integers, never as text or floats. */
  id: z.string().regex(/^\d+$/, 'a Mastodon notification id is a numeric string'),
  type: z.string(),
  created_at: z.iso.datetime({ offset: true }),
  account: MastodonAccount,
  status: MastodonStatus.nullish(),
});
export type MastodonNotification = z.infer<typeof MastodonNotification>;

/**
 * `user@instance` for any account: remote accounts keep their domain (lower-cased), local ones (whose
 * `acct` is the bare username) get the instance's domain, so handles are unambiguous across instances.
 */
export function normalizeAcct(acct: string, instanceHost: string): string {
  const bare = acct.trim().replace(/^@/, '');
  const at = bare.indexOf('@');
  if (at < 0) return `${bare}@${instanceHost.toLowerCase()}`;
  return `${bare.slice(0, at)}@${bare.slice(at + 1).toLowerCase()}`;
}

const httpUrl = (value: string | null | undefined): string | null => {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
};

/** Compares two Mastodon ids (numeric strings of any length) as integers. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The Mention a mention notification stands for, or null when it is not one we ingest: another type of
 * notification (follow, favourite…), no status, or a post by one of our own accounts (our replies
 * coming back must never be treated as customers talking to us).
 */
export function toMention(
  notification: MastodonNotification,
  ownAccounts: OwnAccounts,
  instanceHost: string,
): Mention | null {
  const status = notification.status;
  if (notification.type !== 'mention' || !status) return null;
  if (ownAccounts.isOwn('mastodon', status.account.id)) return null;

  const body = htmlToText(status.content);
  const spoiler = status.spoiler_text.trim();
  const account = status.account;
  const replyToUs =
    status.in_reply_to_account_id !== null &&
    status.in_reply_to_account_id !== undefined &&
    ownAccounts.isOwn('mastodon', status.in_reply_to_account_id);

  return IncomingMention.parse({
    network: 'mastodon',
    id: status.id,
    author: {
      id: account.id,
      handle: normalizeAcct(account.acct, instanceHost),
      displayName: account.display_name,
      followers: account.followers_count,
      following: account.following_count,
      profileUrl: httpUrl(account.url),
      bio: htmlToText(account.note).text,
      avatarUrl: httpUrl(account.avatar),
    },
    // A content warning is what the author chose to say first; analysis should read it too.
    text: spoiler ? `${spoiler}\n\n${body.text}` : body.text,
    createdAt: status.created_at,
    url: httpUrl(status.url) ?? httpUrl(status.uri),
    inReplyToId: status.in_reply_to_id ?? null,
    // A notification does not say where a reply's thread starts; only a root is its own root.
    threadRootId: status.in_reply_to_id ? null : status.id,
    inReplyToAuthorId: status.in_reply_to_account_id ?? null,
    engagement: {
      likes: status.favourites_count,
      reposts: status.reblogs_count,
      replies: status.replies_count,
      quotes: status.quotes_count,
    },
    mentionedHandles: status.mentions.map((m) => normalizeAcct(m.acct, instanceHost)),
    hashtags: status.tags.map((t) => t.name),
    urls: body.links,
    languageHint: status.language ?? null,
    // Mastodon has no separate DM object: a "direct" post is a private mention.
    kind: status.visibility === 'direct' ? 'direct_message' : replyToUs ? 'reply' : 'mention',
    raw: notification,
  });
}
