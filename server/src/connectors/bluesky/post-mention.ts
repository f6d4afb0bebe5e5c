/**
 * Which Bluesky posts concern us, and how one becomes a Mention. Pure functions over the post record
 * (as it appears in the repo, whichever way it reached us: firehose commit or `listRecords`), so
 * the stream and the backfill classify alike.
 */
import { AtUri, RichText } from '@atproto/api';
import type { Facet } from '@atproto/api';
import { z } from 'zod';
import { IncomingMention, type Mention } from '../../domain/mention.ts';
import type { Author } from '../../domain/mention.ts';

export const POST_COLLECTION = 'app.bsky.feed.post';

const StrongRef = z.object({ uri: z.string(), cid: z.string().optional() });

const FacetSchema = z.object({
  index: z.object({ byteStart: z.number().int().nonnegative(), byteEnd: z.number().int().nonnegative() }),
  features: z.array(z.looseObject({ $type: z.string() })),
});

/** The parts of `app.bsky.feed.post` we read; anything else in the record is kept only in `raw`. */
export const PostRecord = z.object({
  text: z.string(),
  createdAt: z.string(),
  langs: z.array(z.string()).optional(),
  facets: z.array(FacetSchema).optional(),
  tags: z.array(z.string()).optional(),
  reply: z.object({ root: StrongRef, parent: StrongRef }).optional(),
  embed: z.looseObject({ $type: z.string() }).optional(),
});
export type PostRecord = z.infer<typeof PostRecord>;

export type BlueskyMentionKind = 'mention' | 'reply' | 'quote';

const MENTION_FEATURE = 'app.bsky.richtext.facet#mention';
const EMBED_RECORD = 'app.bsky.embed.record';
const EMBED_RECORD_WITH_MEDIA = 'app.bsky.embed.recordWithMedia';

/** The DID that authored an at:// URI, or null when the URI does not parse. */
export function authorOfUri(uri: string): string | null {
  try {
    return new AtUri(uri).host;
  } catch {
    return null;
  }
}

/** The at:// URI of the post this one quotes, if it embeds a record. */
export function quotedUri(record: PostRecord): string | null {
  const embed = record.embed;
  if (!embed) return null;
  const ref =
    embed.$type === EMBED_RECORD
      ? embed['record']
      : embed.$type === EMBED_RECORD_WITH_MEDIA
        ? (embed['record'] as { record?: unknown } | undefined)?.record
        : undefined;
  const parsed = StrongRef.safeParse(ref);
  return parsed.success ? parsed.data.uri : null;
}

/**
 * Why a post by `authorDid` concerns the account `ourDid`, or null when it does not. A reply to one of
 * our posts (parent or thread root) wins over a quote, which wins over a plain mention, because that is
 * the more specific conversation. Our own posts never concern us (own echo).
 */
export function classifyPost(
  record: PostRecord,
  authorDid: string,
  ourDid: string,
): BlueskyMentionKind | null {
  if (authorDid === ourDid) return null;
  const reply = record.reply;
  if (reply && (authorOfUri(reply.parent.uri) === ourDid || authorOfUri(reply.root.uri) === ourDid)) {
    return 'reply';
  }
  const quoted = quotedUri(record);
  if (quoted && authorOfUri(quoted) === ourDid) return 'quote';
  const mentionsUs = (record.facets ?? []).some((facet) =>
    facet.features.some((f) => f.$type === MENTION_FEATURE && f['did'] === ourDid),
  );
  return mentionsUs ? 'mention' : null;
}

interface Entities {
  mentionedHandles: string[];
  hashtags: string[];
  urls: string[];
}

/** Handles, hashtags and links from the post's facets (byte ranges resolved by the SDK's RichText). */
export function entitiesOf(record: PostRecord): Entities {
  const rt = new RichText({ text: record.text, facets: (record.facets ?? []) as Facet[] });
  const mentionedHandles: string[] = [];
  const hashtags: string[] = [];
  const urls: string[] = [];
  for (const segment of rt.segments()) {
    if (segment.mention) mentionedHandles.push(segment.text.replace(/^@/, ''));
    if (segment.tag) hashtags.push(segment.tag.tag.replace(/^#/, ''));
    if (segment.link) urls.push(segment.link.uri);
  }
  // Outline tags (`tags`) are hashtags the author attached without writing them in the text.
  for (const tag of record.tags ?? []) hashtags.push(tag.replace(/^#/, ''));
  return { mentionedHandles: unique(mentionedHandles), hashtags: unique(hashtags), urls: unique(urls) };
}

export interface PostToMap {
  /** at:// URI of the post. */
  uri: string;
  cid: string;
  record: PostRecord;
  /** The record as received (JSON form), kept as `raw` for audit. */
  rawRecord: unknown;
  /** Used when the record's own `createdAt` is not a valid timestamp (it is client-written). */
  fallbackCreatedAt: string;
  /** Where it came from, for audit: the firehose seq, or `backfill`. */
  source: { seq: number } | { backfill: true };
}

const IsoDatetime = z.iso.datetime({ offset: true });

/** The Mention for a post that `classifyPost` said concerns us. */
export function toMention(
  post: PostToMap,
  author: Author,
  kind: BlueskyMentionKind,
  webUrl: string,
): Mention {
  const { record } = post;
  const uri = new AtUri(post.uri);
  const parentUri = record.reply?.parent.uri ?? null;
  const createdAt = IsoDatetime.safeParse(record.createdAt).success
    ? record.createdAt
    : post.fallbackCreatedAt;
  // bsky.app accepts a DID in place of a handle, so the link works even when the handle is unverified.
  const profileKey = author.handle;
  return IncomingMention.parse({
    network: 'bluesky',
    id: post.uri,
    author,
    text: record.text,
    createdAt,
    url: `${webUrl}/profile/${profileKey}/post/${uri.rkey}`,
    inReplyToId: parentUri,
    threadRootId: record.reply?.root.uri ?? post.uri,
    inReplyToAuthorId: parentUri ? authorOfUri(parentUri) : null,
    ...entitiesOf(record),
    languageHint: record.langs?.[0] ?? null,
    kind,
    raw: { uri: post.uri, cid: post.cid, ...post.source, record: post.rawRecord },
  });
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v.length > 0))];
}
