/**
 * X API v2 tweets (`data` + `includes.users`/`includes.tweets`, as the mentions timeline, filtered-stream
 * webhooks and the Activity API deliver them) → Mentions. Used by the poller and by the webhook route.
 */
import { z } from 'zod';
import { IncomingMention, type Mention } from '../../domain/mention.ts';
import type { OwnAccounts } from '../connector.ts';
import { idOf, malformed, rejectionOf, type Rejection } from '../rejections.ts';
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

/** `includes` as delivered: each user is validated on its own, so one odd user refuses only its tweets. */
export interface IncludesV2 {
  users?: readonly unknown[] | undefined;
  tweets?: readonly unknown[] | undefined;
}

/** What a quoted or replied-to tweet in `includes.tweets` must give: whose it is. */
const ReferencedTweet = z.looseObject({ id: z.string(), author_id: z.string().optional() });

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
  /** Where the tweet at `index` sits in its delivery, for reasons; `data.<index>` by default. */
  itemPath?: (index: number) => (string | number)[];
}

/**
 * Tweets → Mentions, skipping retweets and our own posts, refusing (with the reason) each tweet that is
 * malformed, whose author is missing or malformed in `includes.users`, or that cannot be kept (nested too
 * deep, an author handle X would not allow).
 */
export function tweetsV2ToMentions(
  tweets: readonly unknown[],
  includes: IncludesV2 | undefined,
  context: V2MappingContext,
): { mentions: Mention[]; rejected: Rejection[] } {
  const users = new Map<string, UserV2>();
  const badUsers = new Map<string, string>();
  (includes?.users ?? []).forEach((item, index) => {
    const user = UserV2.safeParse(item);
    if (user.success) users.set(user.data.id, user.data);
    else {
      const id = idOf(item, 'id');
      if (id !== null) badUsers.set(id, malformed('x', id, user.error, ['includes', 'users', index]).reason);
    }
  });
  const referenced = new Map<string, string | undefined>();
  for (const item of includes?.tweets ?? []) {
    const tweet = ReferencedTweet.safeParse(item);
    if (tweet.success) referenced.set(tweet.data.id, tweet.data.author_id);
  }
  const isOwn = (userId: string | undefined): boolean =>
    userId !== undefined && (userId === context.ownUserId || context.ownAccounts.isOwn('x', userId));

  const mentions: Mention[] = [];
  const rejected: Rejection[] = [];
  tweets.forEach((item, index) => {
    const at = context.itemPath?.(index) ?? ['data', index];
    const parsed = TweetV2.safeParse(item);
    if (!parsed.success) {
      rejected.push(malformed('x', idOf(item, 'id'), parsed.error, at));
      return;
    }
    const tweet = parsed.data;
    const refs = tweet.referenced_tweets ?? [];
    if (refs.some((r) => r.type === 'retweeted')) return;
    if (tweet.author_id === undefined || isOwn(tweet.author_id)) return;
    const author = users.get(tweet.author_id);
    if (!author) {
      const why = badUsers.get(tweet.author_id) ?? `its author ${tweet.author_id} is not in includes.users`;
      rejected.push({ network: 'x', id: tweet.id, kind: 'malformed', reason: why });
      return;
    }

    const repliedTo = refs.find((r) => r.type === 'replied_to');
    const quoted = refs.find((r) => r.type === 'quoted');
    const quotedAuthor = quoted ? referenced.get(quoted.id) : undefined;
    const kind =
      repliedTo && isOwn(tweet.in_reply_to_user_id)
        ? 'reply'
        : quoted && isOwn(quotedAuthor)
          ? 'quote'
          : 'mention';

    try {
      mentions.push(
        IncomingMention.parse({
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
    } catch (error) {
      const rejection = rejectionOf(error, 'x', tweet.id, at);
      if (!rejection) throw error;
      rejected.push(rejection);
    }
  });
  return { mentions, rejected };
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
