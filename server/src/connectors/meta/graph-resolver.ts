/**
 * Turns the id-only notifications (an Instagram `mentions` change, a Page `mention` without text) into
 * Mentions by asking the Graph API for the comment or post. Used by the Meta webhook route.
 */
import { z } from 'zod';
import { IncomingMention, type Mention } from '../../domain/mention.ts';
import type { OwnAccounts } from '../connector.ts';
import type { MetaMentionReference } from './payload.ts';

export const GRAPH_API_BASE_URL = 'https://graph.facebook.com';
export const GRAPH_API_VERSION = 'v21.0';

export interface MetaMentionResolver {
  /**
   * The Mention a reference points at, or null when there is none to ingest (deleted, ours, hidden).
   * Throws a ZodError when the Graph API's answer cannot be a mention (refused like a bad webhook item),
   * anything else when the lookup failed (retried).
   */
  resolve(reference: MetaMentionReference): Promise<Mention | null>;
}

export interface GraphMentionResolverOptions {
  /** Page access token; Instagram professional accounts are read through their linked page's token too. */
  pageAccessToken: string;
  ownAccounts: OwnAccounts;
  /** `https://graph.facebook.com` by default; the Meta stand-in's URL under `npm start` and in tests. */
  baseUrl?: string;
  apiVersion?: string;
}

/** A Graph API error answer (`{"error":{"message","type","code","fbtrace_id"}}`), kept with its code. */
export class GraphApiError extends Error {
  readonly status: number;
  readonly code: number | null;
  constructor(status: number, code: number | null, message: string) {
    super(message);
    this.name = 'GraphApiError';
    this.status = status;
    this.code = code;
  }
}

const GraphTime = z
  .string()
  .transform((s) => new Date(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).toISOString());

const MentionedComment = z.looseObject({
  mentioned_comment: z.looseObject({
    id: z.string(),
    text: z.string(),
    timestamp: GraphTime,
    username: z.string(),
    like_count: z.number().int().nonnegative().optional(),
    media: z.looseObject({ id: z.string(), permalink: z.string().optional() }).optional(),
  }),
});

const FacebookObject = z.looseObject({
  id: z.string(),
  message: z.string().optional(),
  created_time: GraphTime,
  from: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
  permalink_url: z.string().optional(),
});

/** "Object does not exist / cannot be loaded" (deleted since, or not visible to us): nothing to ingest. */
const GONE_CODES = new Set([100, 803]);

export class GraphMentionResolver implements MetaMentionResolver {
  readonly #options: Required<GraphMentionResolverOptions>;

  constructor(options: GraphMentionResolverOptions) {
    this.#options = { baseUrl: GRAPH_API_BASE_URL, apiVersion: GRAPH_API_VERSION, ...options };
  }

  async resolve(reference: MetaMentionReference): Promise<Mention | null> {
    return reference.network === 'instagram' ? this.#instagram(reference) : this.#facebook(reference);
  }

  async #instagram(ref: Extract<MetaMentionReference, { network: 'instagram' }>): Promise<Mention | null> {
    const fields = `mentioned_comment.comment_id(${ref.commentId}){id,text,timestamp,username,like_count,media{id,permalink}}`;
    const body = await this.#get(ref.accountId, fields);
    if (body === null) return null;
    const c = MentionedComment.parse(body).mentioned_comment;
    // The mentioned-comment edge exposes the commenter's username but no user id; the username is the id then.
    if (this.#options.ownAccounts.isOwn('instagram', c.username)) return null;
    return IncomingMention.parse({
      network: 'instagram',
      id: c.id,
      author: { id: c.username, handle: c.username, profileUrl: `https://www.instagram.com/${c.username}/` },
      text: c.text,
      createdAt: c.timestamp,
      url: c.media?.permalink ?? null,
      inReplyToId: ref.mediaId,
      threadRootId: ref.mediaId,
      engagement: { likes: c.like_count ?? 0 },
      kind: 'mention',
      raw: { notification: ref.raw, comment: body },
    });
  }

  async #facebook(ref: Extract<MetaMentionReference, { network: 'facebook' }>): Promise<Mention | null> {
    const id = ref.commentId ?? ref.postId;
    const body = await this.#get(id, 'id,message,created_time,from,permalink_url');
    if (body === null) return null;
    const post = FacebookObject.parse(body);
    if (
      !post.from ||
      post.from.id === ref.pageId ||
      this.#options.ownAccounts.isOwn('facebook', post.from.id)
    ) {
      return null;
    }
    return IncomingMention.parse({
      network: 'facebook',
      id: post.id,
      // Facebook gives no username for people: the handle is their id (see domain/network-handles.ts).
      author: { id: post.from.id, handle: post.from.id, displayName: post.from.name ?? '' },
      text: post.message ?? '',
      createdAt: post.created_time,
      url: post.permalink_url && URL.canParse(post.permalink_url) ? post.permalink_url : null,
      inReplyToId: ref.commentId ? ref.postId : null,
      threadRootId: ref.postId,
      kind: 'mention',
      raw: { notification: ref.raw, object: body },
    });
  }

  async #get(objectId: string, fields: string): Promise<unknown> {
    const { baseUrl, apiVersion, pageAccessToken } = this.#options;
    const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${apiVersion}/${encodeURIComponent(objectId)}`);
    url.searchParams.set('fields', fields);
    const res = await fetch(url, { headers: { authorization: `Bearer ${pageAccessToken}` } });
    const body: unknown = await res.json().catch(() => null);
    if (res.ok) return body;
    const error = z
      .object({ error: z.looseObject({ message: z.string(), code: z.number().optional() }) })
      .safeParse(body);
    const code = error.success ? (error.data.error.code ?? null) : null;
    if (code !== null && GONE_CODES.has(code)) return null;
    const message = error.success ? error.data.error.message : `HTTP ${res.status}`;
    throw new GraphApiError(
      res.status,
      code,
      `Graph API ${objectId}: ${message}${code === null ? '' : ` (code ${code})`}`,
    );
  }
}
