/**
 * Meta webhook payloads (Facebook Page and Instagram) → Mentions.
 *
 * A POST batches entries (one per page or Instagram account) and each entry batches changes:
 * - `object: 'page'`, field `feed`: posts and comments on our page (`item: 'comment' | 'post' | 'status' | …`,
 *   `verb: 'add' | 'edited' | 'remove' | …`). Only additions by others are mentions: edits, removals,
 *   reactions and our page's own comments (our replies coming back) are skipped.
 * - `object: 'page'`, field `mention`: our page was tagged in a post or comment elsewhere.
 * - `object: 'instagram'`, field `comments`: a comment on our media; field `mentions`: our account was
 *   @mentioned in a comment. The latter carries only ids, so it becomes a `MetaMentionReference` that a
 *   resolver (Graph API lookup) turns into a Mention.
 *
 * The envelope (`object`, `entry[]`) is validated as a whole (a 400 when it is not one); each entry and
 * each change on its own: a bad change is refused with its reason while the others are queued.
 * Facebook gives no username for people, so a Facebook author's handle is their (page-scoped) user id.
 */
import { z } from 'zod';
import type { ZodError, ZodType } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { IncomingMention, type Mention, type MentionInput, type Network } from '../../domain/mention.ts';
import type { OwnAccounts } from '../connector.ts';
import { idOf, malformed, rejectionOf, type Rejection } from '../rejections.ts';

const UnixTime = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]);
const IsoOrUnix = z.union([
  UnixTime,
  z.iso.datetime({ offset: true }),
  z.string().regex(/^\d{4}-\d{2}-\d{2}T.+[+-]\d{4}$/),
]);

export const MetaChange = z.looseObject({ field: z.string().min(1), value: z.unknown() });

export const MetaEntry = z.looseObject({
  /** The page id (object `page`) or Instagram professional account id (object `instagram`). */
  id: z.string().min(1),
  time: UnixTime,
  changes: z.array(z.unknown()).optional(),
});

export const MetaWebhookPayload = z.looseObject({
  object: z.string().min(1),
  entry: z.array(z.unknown()),
});
export type MetaWebhookPayload = z.infer<typeof MetaWebhookPayload>;

export const PageFeedValue = z.looseObject({
  item: z.string(),
  verb: z.string(),
  from: z.looseObject({ id: z.string().min(1), name: z.string().optional() }).optional(),
  message: z.string().optional(),
  post_id: z.string().optional(),
  comment_id: z.string().optional(),
  parent_id: z.string().optional(),
  created_time: IsoOrUnix.optional(),
});

export const PageMentionValue = z.looseObject({
  item: z.string(),
  verb: z.string(),
  post_id: z.string().min(1),
  comment_id: z.string().optional(),
  sender_id: z.string().optional(),
  sender_name: z.string().optional(),
  message: z.string().optional(),
  created_time: IsoOrUnix.optional(),
});

export const InstagramCommentValue = z.looseObject({
  id: z.string().min(1),
  text: z.string(),
  from: z.looseObject({ id: z.string().min(1), username: z.string().min(1) }),
  media: z.looseObject({ id: z.string().min(1), media_product_type: z.string().optional() }),
  parent_id: z.string().optional(),
});

export const InstagramMentionValue = z.looseObject({
  media_id: z.string().min(1),
  comment_id: z.string().optional(),
});

/** A mention Meta announced by id only; a resolver fetches the rest from the Graph API. */
export type MetaMentionReference =
  | { network: 'instagram'; accountId: string; commentId: string; mediaId: string; raw: unknown }
  | { network: 'facebook'; pageId: string; postId: string; commentId: string | null; raw: unknown };

export interface MetaParseResult {
  mentions: Mention[];
  references: MetaMentionReference[];
  /** Entries and changes refused one by one, each with its path (`entry.0.changes.1.value.from.id: …`). */
  rejected: Rejection[];
  /** Changes in the delivery (an entry that could not be read counts as one). */
  items: number;
}

/** Items of the page feed that are someone saying something (reactions, likes, shares of links are not). */
const FEED_ITEMS = new Set(['comment', 'post', 'status', 'photo', 'video']);

function issuesAt(prefix: (string | number)[], error: ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path].map(String).join('.'),
    message: i.message,
  }));
}

function invalid(details: { path: string; message: string }[]): AppError {
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  return new AppError('validation_failed', `Meta webhook payload is invalid: ${summary}`, { details });
}

function isoFrom(value: number | string | undefined, fallbackSeconds: number | string): string {
  const v = value ?? fallbackSeconds;
  if (typeof v === 'number' || /^\d+$/.test(v)) return new Date(Number(v) * 1000).toISOString();
  // Graph API style `2024-05-01T10:00:00+0000` → add the colon ISO 8601 wants.
  return new Date(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).toISOString();
}

function facebookUrl(postId: string | undefined, commentId: string | undefined): string | null {
  if (!postId) return null;
  const comment = commentId?.split('_').at(-1);
  return `https://www.facebook.com/${postId}${comment ? `?comment_id=${comment}` : ''}`;
}

/**
 * Validates the body and maps it. Throws a `validation_failed` AppError only when the body is not a Meta
 * delivery at all; bad entries and changes are returned in `rejected`.
 */
export function parseMetaWebhook(body: unknown, ownAccounts: OwnAccounts): MetaParseResult {
  const parsed = MetaWebhookPayload.safeParse(body);
  if (!parsed.success) throw invalid(issuesAt([], parsed.error));
  const payload = parsed.data;
  const network: Network = payload.object === 'instagram' ? 'instagram' : 'facebook';
  const result: MetaParseResult = { mentions: [], references: [], rejected: [], items: 0 };

  payload.entry.forEach((rawEntry, e) => {
    const checkedEntry = MetaEntry.safeParse(rawEntry);
    if (!checkedEntry.success) {
      result.items += 1;
      result.rejected.push(malformed(network, idOf(rawEntry, 'id'), checkedEntry.error, ['entry', e]));
      return;
    }
    const entry = checkedEntry.data;
    (entry.changes ?? []).forEach((rawChange, c) => {
      result.items += 1;
      const checkedChange = MetaChange.safeParse(rawChange);
      if (!checkedChange.success) {
        result.rejected.push(malformed(network, null, checkedChange.error, ['entry', e, 'changes', c]));
        return;
      }
      const change = checkedChange.data;
      const at = ['entry', e, 'changes', c, 'value'];
      const itemId =
        idOf(change.value, 'comment_id') ?? idOf(change.value, 'id') ?? idOf(change.value, 'post_id');
      const value = <T>(schema: ZodType<T>): T | undefined => {
        const checked = schema.safeParse(change.value);
        if (checked.success) return checked.data;
        result.rejected.push(malformed(network, itemId, checked.error, at));
        return undefined;
      };
      /** The mention, or the reason it is refused (nested too deep, a handle the network would not allow). */
      const take = (input: MentionInput): void => {
        try {
          result.mentions.push(IncomingMention.parse(input));
        } catch (error) {
          const rejection = rejectionOf(error, input.network, input.id, ['entry', e, 'changes', c]);
          if (!rejection) throw error;
          result.rejected.push(rejection);
        }
      };
      const raw = { object: payload.object, entryId: entry.id, time: entry.time, change };

      if (payload.object === 'page' && change.field === 'feed') {
        const v = value(PageFeedValue);
        if (!v || v.verb !== 'add' || !FEED_ITEMS.has(v.item) || !v.from) return;
        if (v.from.id === entry.id || ownAccounts.isOwn('facebook', v.from.id)) return;
        const isComment = v.item === 'comment';
        const id = isComment ? v.comment_id : v.post_id;
        if (!id) return;
        const parent = isComment ? (v.parent_id ?? v.post_id ?? null) : null;
        const onOurPost = !!v.post_id && v.post_id.startsWith(`${entry.id}_`);
        take({
          network: 'facebook',
          id,
          author: { id: v.from.id, handle: v.from.id, displayName: v.from.name ?? '' },
          text: v.message ?? '',
          createdAt: isoFrom(v.created_time, entry.time),
          url: facebookUrl(v.post_id, isComment ? v.comment_id : undefined),
          inReplyToId: parent,
          threadRootId: v.post_id ?? id,
          // A top-level comment on a post of ours answers us; a reply to another comment, we cannot tell.
          inReplyToAuthorId: isComment && parent === v.post_id && onOurPost ? entry.id : null,
          kind: 'comment',
          raw,
        });
      } else if (payload.object === 'page' && change.field === 'mention') {
        const v = value(PageMentionValue);
        if (!v || v.verb !== 'add') return;
        if (v.sender_id && (v.sender_id === entry.id || ownAccounts.isOwn('facebook', v.sender_id))) return;
        const commentId = v.item === 'comment' ? (v.comment_id ?? null) : null;
        if (v.sender_id && v.message !== undefined) {
          take({
            network: 'facebook',
            id: commentId ?? v.post_id,
            author: { id: v.sender_id, handle: v.sender_id, displayName: v.sender_name ?? '' },
            text: v.message,
            createdAt: isoFrom(v.created_time, entry.time),
            url: facebookUrl(v.post_id, commentId ?? undefined),
            inReplyToId: commentId ? v.post_id : null,
            threadRootId: v.post_id,
            kind: 'mention',
            raw,
          });
        } else {
          result.references.push({
            network: 'facebook',
            pageId: entry.id,
            postId: v.post_id,
            commentId,
            raw,
          });
        }
      } else if (payload.object === 'instagram' && change.field === 'comments') {
        const v = value(InstagramCommentValue);
        if (!v) return;
        if (v.from.id === entry.id || ownAccounts.isOwn('instagram', v.from.id)) return;
        take({
          network: 'instagram',
          id: v.id,
          author: {
            id: v.from.id,
            handle: v.from.username,
            profileUrl: `https://www.instagram.com/${v.from.username}/`,
          },
          text: v.text,
          createdAt: isoFrom(undefined, entry.time),
          inReplyToId: v.parent_id ?? v.media.id,
          threadRootId: v.media.id,
          // Comments arrive for our own media: a top-level one answers us.
          inReplyToAuthorId: v.parent_id ? null : entry.id,
          kind: 'comment',
          raw,
        });
      } else if (payload.object === 'instagram' && change.field === 'mentions') {
        const v = value(InstagramMentionValue);
        // A mention in a caption (no comment_id) is not a conversation we can reply in; skip it.
        if (!v || !v.comment_id) return;
        result.references.push({
          network: 'instagram',
          accountId: entry.id,
          commentId: v.comment_id,
          mediaId: v.media_id,
          raw,
        });
      }
      // Other objects and fields (messages, reactions, permissions…) carry no mentions.
    });
  });

  return result;
}
