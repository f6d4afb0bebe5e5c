/**
 * X webhook payloads → Mentions.
 *
 * Two shapes arrive at `POST /webhooks/x`:
 * - Account Activity API (v1.1 objects): `{ for_user_id, tweet_create_events: [tweet…] }` plus other
 *   event arrays (favorites, follows, DMs…) that carry no mentions. X sends the subscribed user's own
 *   tweets and retweets there too; those are not mentions.
 * - v2 (filtered-stream webhooks, Activity API): `{ data: tweet | tweet[], includes: { users, tweets } }`.
 */
import { z } from 'zod';
import { Mention } from '../../domain/mention.ts';
import type { OwnAccounts } from '../connector.ts';
import { invalidPayload, profileUrl, tweetUrl, urlOrNull } from './links.ts';
import { IncludesV2, TweetV2, tweetsV2ToMentions, usefulLang } from './tweet-v2.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const X_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

/** `Wed Oct 10 20:19:24 +0000 2018` (X's v1.1 `created_at`) → ISO 8601, or null when not in that format. */
export function parseXDate(value: string): string | null {
  const m = X_DATE.exec(value);
  if (!m) return null;
  const [, mon, day, hh, mm, ss, sign, oh, om, year] = m;
  const month = MONTHS.indexOf(mon ?? '');
  if (month < 0) return null;
  const utc = Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss));
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  const date = new Date(utc - offsetMs);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const count = z.number().int().nonnegative().nullish();

const XDate = z.string().refine((s) => parseXDate(s) !== null, {
  message: 'expected X\'s date format, e.g. "Wed Oct 10 20:19:24 +0000 2018"',
});

export const UserV1 = z.looseObject({
  id_str: z.string().regex(/^\d+$/, 'expected a numeric id string'),
  screen_name: z.string().min(1),
  name: z.string().nullish(),
  followers_count: count,
  friends_count: count,
  verified: z.boolean().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  profile_image_url_https: z.string().nullish(),
});
export type UserV1 = z.infer<typeof UserV1>;

const EntitiesV1 = z.looseObject({
  user_mentions: z
    .array(z.looseObject({ screen_name: z.string(), id_str: z.string().optional() }))
    .optional(),
  hashtags: z.array(z.looseObject({ text: z.string() })).optional(),
  urls: z.array(z.looseObject({ url: z.string(), expanded_url: z.string().nullish() })).optional(),
});

export const TweetV1 = z
  .looseObject({
    id_str: z.string().regex(/^\d+$/, 'expected a numeric id string'),
    text: z.string().optional(),
    full_text: z.string().optional(),
    truncated: z.boolean().optional(),
    extended_tweet: z.looseObject({ full_text: z.string(), entities: EntitiesV1.optional() }).optional(),
    created_at: XDate,
    user: UserV1,
    in_reply_to_status_id_str: z.string().nullish(),
    in_reply_to_user_id_str: z.string().nullish(),
    entities: EntitiesV1.optional(),
    lang: z.string().nullish(),
    favorite_count: count,
    retweet_count: count,
    reply_count: count,
    quote_count: count,
    is_quote_status: z.boolean().optional(),
    quoted_status: z.looseObject({ user: z.looseObject({ id_str: z.string() }).optional() }).optional(),
    retweeted_status: z.unknown().optional(),
  })
  .refine((t) => t.text !== undefined || t.full_text !== undefined || t.extended_tweet !== undefined, {
    message: 'a tweet needs text, full_text or extended_tweet.full_text',
    path: ['text'],
  });
export type TweetV1 = z.infer<typeof TweetV1>;

export const AccountActivityPayload = z.looseObject({
  for_user_id: z.string().min(1),
  tweet_create_events: z.array(TweetV1).optional(),
});
export type AccountActivityPayload = z.infer<typeof AccountActivityPayload>;

export const V2WebhookPayload = z.looseObject({
  data: z.union([TweetV2, z.array(TweetV2)]),
  includes: IncludesV2.optional(),
  for_user_id: z.string().optional(),
});
export type V2WebhookPayload = z.infer<typeof V2WebhookPayload>;

export type XWebhookPayload =
  { shape: 'account_activity'; payload: AccountActivityPayload } | { shape: 'v2'; payload: V2WebhookPayload };

/**
 * Validates a webhook body; a body that is neither shape is a `validation_failed` AppError naming what
 * is wrong (judged against the Account Activity shape unless the body has v2's `data`).
 */
export function parseXWebhookPayload(body: unknown): XWebhookPayload {
  const isV2 =
    typeof body === 'object' && body !== null && 'data' in body && !('tweet_create_events' in body);
  if (isV2) {
    const parsed = V2WebhookPayload.safeParse(body);
    if (!parsed.success) throw invalidPayload('X webhook payload (v2)', parsed.error);
    return { shape: 'v2', payload: parsed.data };
  }
  const parsed = AccountActivityPayload.safeParse(body);
  if (!parsed.success) throw invalidPayload('X webhook payload', parsed.error);
  return { shape: 'account_activity', payload: parsed.data };
}

/** One v1.1 tweet → a Mention, or null when it is not one (a retweet, or our own post). */
export function tweetV1ToMention(
  tweet: TweetV1,
  ownUserId: string,
  ownAccounts: OwnAccounts,
): Mention | null {
  if (tweet.retweeted_status !== undefined && tweet.retweeted_status !== null) return null;
  const isOwn = (id: string | null | undefined): boolean =>
    !!id && (id === ownUserId || ownAccounts.isOwn('x', id));
  const user = tweet.user;
  if (isOwn(user.id_str)) return null;

  const extended = tweet.extended_tweet;
  const entities = extended?.entities ?? tweet.entities;
  const replyTo = tweet.in_reply_to_status_id_str ?? null;
  const quotesUs = tweet.is_quote_status === true && isOwn(tweet.quoted_status?.user?.id_str);
  const kind = replyTo && isOwn(tweet.in_reply_to_user_id_str) ? 'reply' : quotesUs ? 'quote' : 'mention';

  return Mention.parse({
    network: 'x',
    id: tweet.id_str,
    author: {
      id: user.id_str,
      handle: user.screen_name,
      displayName: user.name ?? '',
      followers: user.followers_count ?? null,
      following: user.friends_count ?? null,
      verified: user.verified ?? false,
      profileUrl: profileUrl(user.screen_name),
      bio: user.description ?? '',
      avatarUrl: urlOrNull(user.profile_image_url_https),
    },
    text: extended?.full_text ?? tweet.full_text ?? tweet.text ?? '',
    createdAt: parseXDate(tweet.created_at),
    url: tweetUrl(user.screen_name, tweet.id_str),
    inReplyToId: replyTo,
    // v1.1 objects carry no conversation id: a root is its own thread, a reply's root is unknown here.
    threadRootId: replyTo ? null : tweet.id_str,
    inReplyToAuthorId: tweet.in_reply_to_user_id_str ?? null,
    engagement: {
      likes: tweet.favorite_count ?? 0,
      reposts: tweet.retweet_count ?? 0,
      replies: tweet.reply_count ?? 0,
      quotes: tweet.quote_count ?? 0,
    },
    mentionedHandles: (entities?.user_mentions ?? []).map((m) => m.screen_name),
    hashtags: (entities?.hashtags ?? []).map((h) => h.text),
    urls: (entities?.urls ?? []).map((u) => u.expanded_url ?? u.url),
    languageHint: usefulLang(tweet.lang),
    kind,
    raw: tweet,
  });
}

/** A validated payload → the Mentions in it (possibly none: favorites, follows, our own tweets…). */
export function payloadToMentions(parsed: XWebhookPayload, ownAccounts: OwnAccounts): Mention[] {
  if (parsed.shape === 'v2') {
    const { data, includes, for_user_id: ownUserId } = parsed.payload;
    return tweetsV2ToMentions(Array.isArray(data) ? data : [data], includes, { ownAccounts, ownUserId });
  }
  const mentions: Mention[] = [];
  for (const tweet of parsed.payload.tweet_create_events ?? []) {
    const mention = tweetV1ToMention(tweet, parsed.payload.for_user_id, ownAccounts);
    if (mention) mentions.push(mention);
  }
  return mentions;
}

/** Validates `body` and maps it: throws a `validation_failed` AppError when malformed. */
export function toMentions(body: unknown, ownAccounts: OwnAccounts): Mention[] {
  return payloadToMentions(parseXWebhookPayload(body), ownAccounts);
}
