/**
 * X webhook payloads → Mentions.
 *
 * Two shapes arrive at `POST /webhooks/x`:
 * - Account Activity API (v1.1 objects): `{ for_user_id, tweet_create_events: [tweet…] }` plus other
 *   event arrays (favorites, follows, DMs…) that carry no mentions. X sends the subscribed user's own
 *   tweets and retweets there too; those are not mentions.
 * - v2 (filtered-stream webhooks, Activity API): `{ data: tweet | tweet[], includes: { users, tweets } }`.
 *
 * The delivery is validated as a whole (a body of neither shape is a 400), each tweet on its own: one bad
 * tweet is refused with its reason while the others are queued (rejections.ts).
 */
import { z } from 'zod';
import { IncomingMention, type Mention } from '../../domain/mention.ts';
import type { OwnAccounts } from '../connector.ts';
import {
  idOf,
  malformed,
  refuseUnusable,
  rejectionOf,
  type Delivery,
  type Rejection,
} from '../rejections.ts';
import { invalidPayload, profileUrl, tweetUrl, urlOrNull } from './links.ts';
import { tweetsV2ToMentions, usefulLang } from './tweet-v2.ts';

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

/** The delivery around the tweets; each tweet is validated on its own (see `parseXDelivery`). */
export const AccountActivityPayload = z.looseObject({
  for_user_id: z.string().min(1),
  tweet_create_events: z.array(z.unknown()).optional(),
});
export type AccountActivityPayload = z.infer<typeof AccountActivityPayload>;

export const V2WebhookPayload = z.looseObject({
  data: z.union([z.array(z.unknown()), z.looseObject({})]),
  includes: z
    .looseObject({ users: z.array(z.unknown()).optional(), tweets: z.array(z.unknown()).optional() })
    .optional(),
  for_user_id: z.string().optional(),
});
export type V2WebhookPayload = z.infer<typeof V2WebhookPayload>;

export type XWebhookPayload =
  { shape: 'account_activity'; payload: AccountActivityPayload } | { shape: 'v2'; payload: V2WebhookPayload };

/**
 * Validates the delivery around the tweets; a body that is neither shape is a `validation_failed`
 * AppError naming what is wrong (judged against the Account Activity shape unless the body has v2's `data`).
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

  return IncomingMention.parse({
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

/**
 * A validated delivery → the Mentions in it (possibly none: favorites, follows, our own tweets…) and the
 * tweets refused one by one (malformed, nested too deep, an author handle X would not allow), each with
 * its path in the delivery. `items` counts the tweets.
 */
export function payloadToMentions(parsed: XWebhookPayload, ownAccounts: OwnAccounts): Delivery {
  if (parsed.shape === 'v2') {
    const { data, includes, for_user_id: ownUserId } = parsed.payload;
    const tweets = Array.isArray(data) ? data : [data];
    const mapped = tweetsV2ToMentions(tweets, includes, {
      ownAccounts,
      ownUserId,
      itemPath: (index) => (Array.isArray(data) ? ['data', index] : ['data']),
    });
    return { ...mapped, items: tweets.length };
  }
  const mentions: Mention[] = [];
  const rejected: Rejection[] = [];
  const tweets = parsed.payload.tweet_create_events ?? [];
  tweets.forEach((item, index) => {
    const at = ['tweet_create_events', index];
    const tweet = TweetV1.safeParse(item);
    if (!tweet.success) {
      rejected.push(malformed('x', idOf(item, 'id_str'), tweet.error, at));
      return;
    }
    try {
      const mention = tweetV1ToMention(tweet.data, parsed.payload.for_user_id, ownAccounts);
      if (mention) mentions.push(mention);
    } catch (error) {
      const rejection = rejectionOf(error, 'x', tweet.data.id_str, at);
      if (!rejection) throw error;
      rejected.push(rejection);
    }
  });
  return { mentions, rejected, items: tweets.length };
}

/** Validates a webhook body and maps it, refusing bad tweets one by one (a 400 only when the delivery is unusable). */
export function parseXDelivery(body: unknown, ownAccounts: OwnAccounts): Delivery {
  return payloadToMentions(parseXWebhookPayload(body), ownAccounts);
}

/**
 * The Mentions of a webhook body. Throws a `validation_failed` AppError when the body is not a delivery
 * or when every tweet in it was refused; tweets refused beside good ones are dropped (see `parseXDelivery`).
 */
export function toMentions(body: unknown, ownAccounts: OwnAccounts): Mention[] {
  const delivery = parseXDelivery(body, ownAccounts);
  refuseUnusable('X webhook payload', delivery.items, delivery.rejected);
  return delivery.mentions;
}
