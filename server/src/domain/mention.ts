/**
 * A mention: one post on a social network that the brand should know about, normalized across networks.
 * Every connector turns its network's payloads into Mentions; everything downstream (queue, analysis,
 * identity, CRM mapping) sees only this shape. The zod schema is the single source of the type.
 */
import { z } from 'zod';
import { handleProblem } from './network-handles.ts';
import { payloadProblem } from './payload-bounds.ts';

export const NETWORKS = ['x', 'bluesky', 'mastodon', 'facebook', 'instagram'] as const;
export const Network = z.enum(NETWORKS);
export type Network = z.infer<typeof Network>;

export const Author = z.object({
  /** The network's stable user id (X user id, Bluesky DID, Mastodon account id, Meta user/page id). */
  id: z.string().min(1),
  /** Handle as the network shows it, without a leading `@` (`ann_lee`, `ann.bsky.social`, `ann@mastodon.social`). */
  handle: z.string().min(1),
  displayName: z.string().default(''),
  followers: z.number().int().nonnegative().nullable().default(null),
  following: z.number().int().nonnegative().nullable().default(null),
  verified: z.boolean().default(false),
  profileUrl: z.string().url().nullable().default(null),
  bio: z.string().default(''),
  avatarUrl: z.string().url().nullable().default(null),
});
export type Author = z.infer<typeof Author>;

export const Engagement = z.object({
  likes: z.number().int().nonnegative().default(0),
  reposts: z.number().int().nonnegative().default(0),
  replies: z.number().int().nonnegative().default(0),
  quotes: z.number().int().nonnegative().default(0),
});
export type Engagement = z.infer<typeof Engagement>;

export const Mention = z.object({
  network: Network,
  /** The post's id on its network (X tweet id, Bluesky at:// URI, Mastodon status id, Meta comment/post id). */
  id: z.string().min(1),
  author: Author,
  text: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  url: z.string().url().nullable().default(null),
  /** The id (same network) of the post this one replies to, or null. */
  inReplyToId: z.string().nullable().default(null),
  /** The id of the conversation's first post (X conversation_id, Bluesky reply root, ...); itself when a root. */
  threadRootId: z.string().nullable().default(null),
  /** The author id of the post replied to, when known (used to tell replies to us from side conversations). */
  inReplyToAuthorId: z.string().nullable().default(null),
  engagement: Engagement.default({ likes: 0, reposts: 0, replies: 0, quotes: 0 }),
  /** Handles (without `@`) this post mentions. */
  mentionedHandles: z.array(z.string()).default([]),
  /** Hashtags without `#`. */
  hashtags: z.array(z.string()).default([]),
  /** Links in the post (expanded where the network gives the expansion). */
  urls: z.array(z.string()).default([]),
  /** The network's own language tag for the post, if it gives one (BCP 47, e.g. `en`, `pt-BR`). */
  languageHint: z.string().nullable().default(null),
  /** What kind of event brought it: a mention of us, a reply to us, a comment on our page, a DM, a quote. */
  kind: z.enum(['mention', 'reply', 'comment', 'quote', 'direct_message']).default('mention'),
  /** The network payload as received, kept for audit; bounded in depth and size (payload-bounds.ts). */
  raw: z
    .unknown()
    .superRefine((raw, ctx) => {
      const problem = payloadProblem(raw);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { kind: problem.kind } });
    })
    .optional(),
});
export type Mention = z.infer<typeof Mention>;
export type MentionInput = z.input<typeof Mention>;

/**
 * A Mention as a connector builds it from a network's payload: the author's handle must also follow its
 * network's rules (network-handles.ts). Stored mentions are read back with `Mention`, which does not
 * re-judge handles, so a rule never strands what is already queued.
 */
export const IncomingMention = Mention.superRefine((mention, ctx) => {
  const problem = handleProblem(mention.network, mention.author.handle);
  if (problem) {
    ctx.addIssue({
      code: 'custom',
      path: ['author', 'handle'],
      message: problem,
      params: { kind: 'invalid_handle' },
    });
  }
});

/** `<network>:<post id>`: the `External_Id__c` of the mention's Social_Post__c. */
export function mentionExternalId(mention: Pick<Mention, 'network' | 'id'>): string {
  return `${mention.network}:${mention.id}`;
}

/** `<network>:<user id>`: the `External_Id__c` of the author's Social_Persona__c. */
export function personaExternalId(mention: Pick<Mention, 'network' | 'author'>): string {
  return `${mention.network}:${mention.author.id}`;
}
