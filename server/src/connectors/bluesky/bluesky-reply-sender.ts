/**
 * Replies on Bluesky: an `app.bsky.feed.post` record in our repo with `reply.root` and `reply.parent`
 * strong refs (URI + CID: the parent is the post answered, the root is its thread's first post) and
 * mention/link facets with UTF-8 byte offsets (RichText.detectFacets resolves mentioned handles).
 *
 * Exactly once: the record key is a TID derived from the reply record (its creation time and Id), so
 * every attempt writes the same key; an earlier attempt's post is found with getRecord, and a repeated
 * create cannot make a second post.
 */
import { RichText } from '@atproto/api';
import { TID } from '@atproto/common-web';
import { createHash } from 'node:crypto';
import { SendError, type ReplySender, type SendRequest } from '../../replies/ports.ts';
import type { PublishedReply } from '../../replies/reply.ts';
import type { BlueskySession } from './session.ts';

export const POST_COLLECTION = 'app.bsky.feed.post';

export interface BlueskyReplySenderOptions {
  session: BlueskySession;
  /** Reads a record and its CID from the PDS hosting it (BlueskyConnector.getRecord). */
  getRecord: (uri: string) => Promise<{ cid: string; value: Record<string, unknown> } | null>;
  webUrl?: string;
}

interface StrongRef {
  uri: string;
  cid: string;
}

/** The record key for a reply: the same for every attempt, a valid TID. */
export function replyRecordKey(replyId: string, createdAt: string): string {
  const micros = Math.max(0, Date.parse(createdAt)) * 1000;
  const clockId = createHash('sha256').update(replyId).digest().readUInt16BE(0) % 1024;
  return TID.fromTime(micros, clockId).toString();
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

function toSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === 429) {
    const reset = Number((error as { headers?: Record<string, string> }).headers?.['ratelimit-reset']);
    return new SendError(
      'rate_limited',
      message,
      Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : null,
    );
  }
  if (status === 401) return new SendError('auth', message);
  if (status === null || status >= 500) return new SendError('unavailable', message);
  return new SendError('rejected', message);
}

export class BlueskyReplySender implements ReplySender {
  readonly network = 'bluesky' as const;
  readonly #options: BlueskyReplySenderOptions;

  constructor(options: BlueskyReplySenderOptions) {
    this.#options = options;
  }

  async #did(): Promise<string> {
    const session = this.#options.session;
    if (!session.did) await session.login();
    if (!session.did) {
      throw new SendError('auth', session.state().lastError ?? 'we are not logged in to our Bluesky account');
    }
    return session.did;
  }

  #published(did: string, rkey: string): PublishedReply {
    const handle = this.#options.session.agent.session?.handle ?? did;
    const web = (this.#options.webUrl ?? 'https://bsky.app').replace(/\/+$/, '');
    return {
      networkPostId: `at://${did}/${POST_COLLECTION}/${rkey}`,
      url: `${web}/profile/${handle}/post/${rkey}`,
    };
  }

  async #refs(parentUri: string): Promise<{ root: StrongRef; parent: StrongRef }> {
    let parentRecord;
    try {
      parentRecord = await this.#options.getRecord(parentUri);
    } catch (error) {
      throw new SendError('unavailable', error instanceof Error ? error.message : String(error));
    }
    if (!parentRecord) throw new SendError('rejected', 'the post was deleted on Bluesky');
    const parent = { uri: parentUri, cid: parentRecord.cid };
    const reply = parentRecord.value['reply'] as { root?: { uri?: unknown; cid?: unknown } } | undefined;
    const root =
      reply?.root && typeof reply.root.uri === 'string' && typeof reply.root.cid === 'string'
        ? { uri: reply.root.uri, cid: reply.root.cid }
        : parent;
    return { root, parent };
  }

  async send(request: SendRequest): Promise<PublishedReply> {
    const did = await this.#did();
    const rkey = replyRecordKey(request.replyId, request.createdAt);
    const refs = await this.#refs(request.target.networkPostId);
    const agent = this.#options.session.agent;
    try {
      const text = new RichText({ text: request.text });
      await text.detectFacets(agent);
      await agent.com.atproto.repo.createRecord({
        repo: did,
        collection: POST_COLLECTION,
        rkey,
        record: {
          $type: POST_COLLECTION,
          text: text.text,
          ...(text.facets?.length ? { facets: text.facets } : {}),
          reply: refs,
          createdAt: new Date().toISOString(),
        },
      });
      return this.#published(did, rkey);
    } catch (error) {
      // The same key written before (a retried attempt): the post is there already.
      const existing = await this.findSent(request).catch(() => null);
      if (existing) return existing;
      throw toSendError(error);
    }
  }

  async findSent(request: SendRequest): Promise<PublishedReply | null> {
    const did = await this.#did();
    const rkey = replyRecordKey(request.replyId, request.createdAt);
    try {
      await this.#options.session.agent.com.atproto.repo.getRecord({
        repo: did,
        collection: POST_COLLECTION,
        rkey,
      });
      return this.#published(did, rkey);
    } catch (error) {
      const status = statusOf(error);
      if (status === 400 || status === 404) return null;
      throw toSendError(error);
    }
  }
}
