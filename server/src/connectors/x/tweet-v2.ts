/**
 * X API v2 tweets (`data` + `includes.users`/`includes.tweets`, as the mentions timeline, filtered-stream
 * webhooks and the Activity API deliver them) → Mentions. Used by the poller and by the webhook route.
 */
import { z } from 'zod';
import { Mention } from '../../domain/mention.ts';
import type { OwnAccounts } from '../connector.ts';
import { profileUrl, tweetUrl, urlOrNull } from './links.ts';

const count = z.number().int().nonnegative();

export const UserV2 = z.looseObject({
  id: z.string().min(1),
  username: z.string().min(1),
  name: z.string().optional(),
  description: z.string().optional(),
  url: z.string().optional(),
  verified: z.boolean().optional(),
  profile_image_url: z.string().optional(),
  public_metrics: z
    .looseObject({ followers_count: count.optional(), following_count: count.optional() })
    .optional(),
});
export type UserV2 = z.infer<typeof UserV2>;

export const TweetV2 = z.looseObject({
  id: z.string().regex(/^\d+$/, 'expected a numeric id string'),
  text: z.string(),
  author_id: z.string().optional(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  conversation_id: z.string().optional(),
  in_reply_to_user_id: z.string().optional(),
  lang: z.string().optional(),
  referenced_tweets: z
    .array(z.looseObject({ type: z.enum(['retweeted', 'quoted', 'replied_to']), id: z.string() }))
    .optional(),
  entities: z
    .looseObject({
      mentions: z.array(z.looseObject({ username: z.string() })).optional(),
      hashtags: z.array(z.looseObject({ tag: z.string() })).optional(),
      urls: z.array(z.looseObject({ url: z.string(), expanded_url: z.string().optional() })).optional(),
    })
    .optional(),
  public_metrics: z
    .looseObject({
      like_count: count.optional(),
      retweet_count: count.optional(),
      reply_count: count.optional(),
      quote_count: count.optional(),
    })
    .optional(),
  /** Posts longer than 280 characters carry their full text here; `text` is then truncated. */
  note_tweet: z.looseObject({ text: z.string() }).optional(),
});
export type TweetV2 = z.infer<typeof TweetV2>;

export const IncludesV2 = z.looseObject({
  users: z.array(UserV2).optional(),
  tweets: z.array(TweetV2).optional(),
});
export type IncludesV2 = z.infer<typeof IncludesV2>;

/** Fields the poller asks for, so the mapping below has what it needs. */
export const TWEET_FIELDS = [
  'author_id',
  'created_at',
  'conversation_id',
  'in_reply_to_user_id',
  'referenced_tweets',
  'entities',
  'lang',
  'public_metrics',
  'note_tweet',
] as const;
export const USER_FIELDS = ['description', 'url', 'verified', 'profile_image_url', 'public_metrics'] as const;
export const EXPANSIONS = ['author_id', 'referenced_tweets.id', 'referenced_tweets.id.author_id'] as const;

export interface V2MappingContext {
  ownAccounts: OwnAccounts;
  /** Our account's user id, when known (the poller's user, a webhook's `for_user_id`). */
  ownUserId?: string | undefined;
}

/** Tweets → Mentions, skipping retweets, our own posts and tweets whose author is not in `includes`. */
export function tweetsV2ToMentions(
  tweets: readonly TweetV2[],
  includes: IncludesV2 | undefined,
  context: V2MappingContext,
): Mention[] {
  const users = new Map((includes?.users ?? []).map((u) => [u.id, u]));
  const referenced = new Map((includes?.tweets ?? []).map((t) => [t.id, t]));
  const isOwn = (userId: string | undefined): boolean =>
    userId !== undefined && (userId === context.ownUserId || context.ownAccounts.isOwn('x', userId));

  const mentions: Mention[] = [];
  for (const tweet of tweets) {
    const refs = tweet.referenced_tweets ?? [];
    if (refs.some((r) => r.type === 'retweeted')) continue;
    if (tweet.author_id === undefined || isOwn(tweet.author_id)) continue;
    const author = users.get(tweet.author_id);
    if (!author) continue;

    const repliedTo = refs.find((r) => r.type === 'replied_to');
    const quoted = refs.find((r) => r.type === 'quoted');
    const quotedAuthor = quoted ? referenced.get(quoted.id)?.author_id : undefined;
    const kind =
      repliedTo && isOwn(tweet.in_reply_to_user_id)
        ? 'reply'
        : quoted && isOwn(quotedAuthor)
          ? 'quote'
          : 'mention';

    mentions.push(
      Mention.parse({
        network: 'x',
        id: tweet.id,
        author: {
          id: author.id,
          handle: author.username,
          displayName: author.name ?? '',
          followers: author.public_metrics?.followers_count ?? null,
          following: author.public_metrics?.following_count ?? null,
          verified: author.verified ?? false,
          profileUrl: profileUrl(author.username),
          bio: author.description ?? '',
          avatarUrl: urlOrNull(author.profile_image_url),
        },
        text: tweet.note_tweet?.text ?? tweet.text,
        createdAt: tweet.created_at ?? snowflakeTime(tweet.id).toISOString(),
        url: tweetUrl(author.username, tweet.id),
        inReplyToId: repliedTo?.id ?? null,
        threadRootId: tweet.conversation_id ?? (repliedTo ? null : tweet.id),
        inReplyToAuthorId: tweet.in_reply_to_user_id ?? null,
        engagement: {
          likes: tweet.public_metrics?.like_count ?? 0,
          reposts: tweet.public_metrics?.retweet_count ?? 0,
          replies: tweet.public_metrics?.reply_count ?? 0,
          quotes: tweet.public_metrics?.quote_count ?? 0,
        },
        mentionedHandles: (tweet.entities?.mentions ?? []).map((m) => m.username),
        hashtags: (tweet.entities?.hashtags ?? []).map((h) => h.tag),
        urls: (tweet.entities?.urls ?? []).map((u) => u.expanded_url ?? u.url),
        languageHint: usefulLang(tweet.lang),
        kind,
        raw: { tweet, author },
      }),
    );
  }
  return mentions;
}

/** X tags posts it cannot classify `und` (undetermined) or `qme`/`zxx` (media, links only): no hint. */
export function usefulLang(lang: string | null | undefined): string | null {
  if (!lang || lang === 'und' || lang === 'qme' || lang === 'zxx' || lang === 'qht' || lang === 'qam')
    return null;
  return lang;
}

const TWITTER_EPOCH_MS = 1288834974657n;

/** The creation time encoded in a snowflake id (ms since X's epoch, in the bits above 22). */
export function snowflakeTime(id: string): Date {
  return new Date(Number((BigInt(id) >> 22n) + TWITTER_EPOCH_MS));
}
