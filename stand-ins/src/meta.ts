/**
 * A local stand-in for the Meta Graph API (Facebook Page and Instagram) and Meta's webhooks.
 *
 * Served (under `/v21.0/`, any `vNN.N` accepted): `POST /:id/comments` (comment on a post, reply to a
 * Facebook comment, comment on Instagram media), `POST /:igCommentId/replies` (reply to an Instagram
 * comment), `POST /:igUserId/mentions` (reply to a comment that mentions us), `GET /:id?fields=…` (post,
 * comment, and `mentioned_comment.comment_id(…){…}` on the Instagram account), `GET /me`.
 * Errors use the Graph shape `{"error":{"message","type","code","fbtrace_id"}}` (190 bad token, 4/32/613
 * rate limits, 100 unknown object).
 *
 * Webhooks: `registerWebhook(url)` performs the hub.challenge handshake; deliveries are signed with
 * `X-Hub-Signature-256` over the bytes sent, which, as Meta's, are JSON with non-ASCII and `/` escaped.
 */
import { createHmac, randomBytes } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { startListener } from './listener.ts';

export type MetaObject = 'page' | 'instagram';

export interface MetaChange {
  field: string;
  value: Record<string, unknown>;
}

export interface MetaDelivery {
  url: string;
  status: number;
  body: string;
  /** The exact bytes sent (escaped-unicode JSON). */
  payload: string;
}

export interface MetaReply {
  id: string;
  /** The object replied on (post, comment, media, or the mentioned comment). */
  parentId: string;
  message: string;
  network: 'facebook' | 'instagram';
  endpoint: 'comments' | 'replies' | 'mentions';
  createdAt: string;
}

export interface MetaFaults {
  /** `unavailable`: 503 with Graph's transient error; `refused`: nothing listens. */
  down: false | 'unavailable' | 'refused';
  /** The page token is rejected (code 190, subcode 460), as after a password change. */
  tokenRevoked: boolean;
  /** Every call answers this rate-limit error: 4 (app), 32 (page), 613 (endpoint); false for none. */
  rateLimited: false | 4 | 32 | 613;
}

export interface MetaStandInOptions {
  port?: number;
  host?: string;
  appSecret: string;
  verifyToken: string;
  pageId: string;
  pageToken: string;
  pageName?: string;
  /** Our Instagram professional account (linked to the page); default derived from the page id. */
  instagramAccountId?: string;
  instagramUsername?: string;
}

export interface FacebookAuthor {
  id?: string;
  name: string;
}

export interface MetaStandIn {
  readonly url: string;
  readonly pageId: string;
  readonly instagramAccountId: string;
  /** hub.challenge handshake with the callback URL; throws when it does not echo the challenge. */
  registerWebhook(url: string): Promise<void>;
  readonly webhookUrl: string | null;
  /** POSTs one signed webhook with the changes in one entry (our page's, or our Instagram account's). */
  deliver(
    object: MetaObject,
    changes: MetaChange[],
    options?: { entryId?: string; time?: number },
  ): Promise<MetaDelivery>;
  /** A post of our page (to comment on). Not delivered: page posts by the page itself are not mentions. */
  addPagePost(message: string): { postId: string };
  /** Someone comments on a post of ours (or replies to a comment); delivered as a `feed` change. */
  addPageComment(input: {
    from: FacebookAuthor;
    message: string;
    postId?: string;
    parentId?: string;
  }): Promise<{ commentId: string; postId: string; delivery: MetaDelivery | null }>;
  /** Someone posts on our page; delivered as a `feed` change with `item: 'status'`. */
  addVisitorPost(input: {
    from: FacebookAuthor;
    message: string;
  }): Promise<{ postId: string; delivery: MetaDelivery | null }>;
  /** Media of our Instagram account (to comment on). */
  addInstagramMedia(caption: string): { mediaId: string };
  /** Someone comments on our media; delivered as an Instagram `comments` change. */
  addInstagramComment(input: {
    username: string;
    /** The commenter's Instagram-scoped id, for accounts that exist elsewhere already (demo data). */
    userId?: string;
    text: string;
    mediaId?: string;
    parentId?: string;
  }): Promise<{ commentId: string; mediaId: string; delivery: MetaDelivery | null }>;
  /** Someone @mentions us in a comment on other media; delivered as a `mentions` change (ids only). */
  addInstagramMention(input: {
    username: string;
    text: string;
  }): Promise<{ commentId: string; mediaId: string; delivery: MetaDelivery | null }>;
  sentReplies(): MetaReply[];
  setFaults(faults: Partial<MetaFaults>): Promise<void>;
  readonly requests: readonly { method: string; path: string }[];
  close(): Promise<void>;
}

/** JSON as Meta sends it: non-ASCII as `\uXXXX` (UTF-16 units) and `/` as `\/`. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

type StoredObject =
  | { kind: 'fb_post'; id: string; message: string; from: { id: string; name: string }; created_time: number }
  | {
      kind: 'fb_comment';
      id: string;
      postId: string;
      parentId: string;
      message: string;
      from: { id: string; name: string };
      created_time: number;
    }
  | { kind: 'ig_media'; id: string; caption: string; owner: string; username: string; timestamp: number }
  | {
      kind: 'ig_comment';
      id: string;
      mediaId: string;
      parentId?: string;
      text: string;
      from: { id: string; username: string };
      timestamp: number;
    };

class GraphError extends Error {
  readonly status: number;
  readonly body: { error: Record<string, unknown> };
  readonly headers: Record<string, string>;
  constructor(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(String(error['message']));
    this.status = status;
    this.body = { error: { ...error, fbtrace_id: randomBytes(8).toString('base64url') } };
    this.headers = headers;
  }
}

const RATE_LIMIT_ERRORS: Record<4 | 32 | 613, { message: string; header: string }> = {
  4: { message: '(#4) Application request limit reached', header: 'x-app-usage' },
  32: { message: '(#32) Page request limit reached', header: 'x-business-use-case-usage' },
  613: { message: '(#613) Calls to this api have exceeded the rate limit.', header: 'x-app-usage' },
};

/** Graph API time format: `2024-05-01T10:00:00+0000`. */
function graphTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

export async function startMetaStandIn(options: MetaStandInOptions): Promise<MetaStandIn> {
  const pageName = options.pageName ?? 'Social CRM Demo';
  const igAccountId =
    options.instagramAccountId ?? `1784${options.pageId.replace(/\D/g, '').padEnd(13, '0').slice(0, 13)}`;
  const igUsername = options.instagramUsername ?? 'socialcrm_demo';
  const objects = new Map<string, StoredObject>();
  const replies: MetaReply[] = [];
  const requests: { method: string; path: string }[] = [];
  const faults: MetaFaults = { down: false, tokenRevoked: false, rateLimited: false };
  let webhookUrl: string | null = null;
  // Numeric ids that look like Meta's and never collide within a run.
  let counter = BigInt(Date.now()) * 1000n;
  const nextNumber = (): string => (++counter).toString();
  const igId = (): string => `179${nextNumber().slice(-14)}`;
  const userIdFor = new Map<string, string>();
  const personId = (key: string): string => {
    let id = userIdFor.get(key);
    if (!id) {
      id = `10${nextNumber().slice(-13)}`;
      userIdFor.set(key, id);
    }
    return id;
  };
  const now = (): number => Math.floor(Date.now() / 1000);

  // ---- webhooks ----

  async function registerWebhook(url: string): Promise<void> {
    const challenge = String(Math.floor(Math.random() * 2 ** 31));
    const target = new URL(url);
    target.searchParams.set('hub.mode', 'subscribe');
    target.searchParams.set('hub.challenge', challenge);
    target.searchParams.set('hub.verify_token', options.verifyToken);
    const res = await fetch(target, { signal: AbortSignal.timeout(5000) });
    const body = await res.text();
    if (res.status !== 200 || body !== challenge) {
      throw new Error(
        `Callback verification of ${url} failed: HTTP ${res.status}, body ${JSON.stringify(body.slice(0, 100))}`,
      );
    }
    webhookUrl = url;
  }

  async function deliver(
    object: MetaObject,
    changes: MetaChange[],
    opts: { entryId?: string; time?: number } = {},
  ): Promise<MetaDelivery> {
    if (!webhookUrl) throw new Error('No webhook registered: call registerWebhook(url) first');
    const entryId = opts.entryId ?? (object === 'page' ? options.pageId : igAccountId);
    const payload = metaJson({ entry: [{ id: entryId, time: opts.time ?? now(), changes }], object });
    const sha256 = createHmac('sha256', options.appSecret).update(payload).digest('hex');
    const sha1 = createHmac('sha1', options.appSecret).update(payload).digest('hex');
    const res = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature': `sha1=${sha1}`,
        'x-hub-signature-256': `sha256=${sha256}`,
        'user-agent': 'facebookexternalua',
      },
      body: payload,
    });
    return { url: webhookUrl, status: res.status, body: await res.text(), payload };
  }

  const deliverIfRegistered = (object: MetaObject, change: MetaChange): Promise<MetaDelivery | null> =>
    webhookUrl ? deliver(object, [change]) : Promise.resolve(null);

  // ---- seeding ----

  function addPagePost(message: string): { postId: string } {
    const postId = `${options.pageId}_${nextNumber()}`;
    objects.set(postId, {
      kind: 'fb_post',
      id: postId,
      message,
      from: { id: options.pageId, name: pageName },
      created_time: now(),
    });
    return { postId };
  }

  const author = (from: FacebookAuthor): { id: string; name: string } => ({
    id: from.id ?? personId(`fb:${from.name}`),
    name: from.name,
  });

  async function addPageComment(input: {
    from: FacebookAuthor;
    message: string;
    postId?: string;
    parentId?: string;
  }) {
    const parent = input.parentId ? objects.get(input.parentId) : undefined;
    const postId =
      input.postId ??
      (parent?.kind === 'fb_comment' ? parent.postId : addPagePost('Hello from our page!').postId);
    const postNumber = postId.split('_').at(-1) ?? postId;
    const commentId = `${postNumber}_${nextNumber()}`;
    const from = author(input.from);
    const created = now();
    objects.set(commentId, {
      kind: 'fb_comment',
      id: commentId,
      postId,
      parentId: input.parentId ?? postId,
      message: input.message,
      from,
      created_time: created,
    });
    const delivery = await deliverIfRegistered('page', {
      field: 'feed',
      value: {
        from,
        post: {
          status_type: 'added_photos',
          is_published: true,
          updated_time: graphTime(created),
          permalink_url: `https://www.facebook.com/${postId}`,
          promotion_status: 'inactive',
          id: postId,
        },
        message: input.message,
        post_id: postId,
        comment_id: commentId,
        created_time: created,
        item: 'comment',
        parent_id: input.parentId ?? postId,
        verb: 'add',
      },
    });
    return { commentId, postId, delivery };
  }

  async function addVisitorPost(input: { from: FacebookAuthor; message: string }) {
    const postId = `${options.pageId}_${nextNumber()}`;
    const from = author(input.from);
    const created = now();
    objects.set(postId, { kind: 'fb_post', id: postId, message: input.message, from, created_time: created });
    const delivery = await deliverIfRegistered('page', {
      field: 'feed',
      value: {
        from,
        message: input.message,
        post_id: postId,
        created_time: created,
        item: 'status',
        published: 1,
        verb: 'add',
      },
    });
    return { postId, delivery };
  }

  function addInstagramMedia(
    caption: string,
    owner = igAccountId,
    username = igUsername,
  ): { mediaId: string } {
    const mediaId = igId();
    objects.set(mediaId, { kind: 'ig_media', id: mediaId, caption, owner, username, timestamp: now() });
    return { mediaId };
  }

  async function addInstagramComment(input: {
    username: string;
    userId?: string;
    text: string;
    mediaId?: string;
    parentId?: string;
  }) {
    const mediaId = input.mediaId ?? addInstagramMedia('New in store this week ✨').mediaId;
    const commentId = igId();
    const from = { id: input.userId ?? personId(`ig:${input.username}`), username: input.username };
    objects.set(commentId, {
      kind: 'ig_comment',
      id: commentId,
      mediaId,
      ...(input.parentId ? { parentId: input.parentId } : {}),
      text: input.text,
      from,
      timestamp: now(),
    });
    const delivery = await deliverIfRegistered('instagram', {
      field: 'comments',
      value: {
        from,
        media: { id: mediaId, media_product_type: 'FEED' },
        id: commentId,
        ...(input.parentId ? { parent_id: input.parentId } : {}),
        text: input.text,
      },
    });
    return { commentId, mediaId, delivery };
  }

  async function addInstagramMention(input: { username: string; text: string }) {
    const text = new RegExp(`@${igUsername}\\b`, 'i').test(input.text)
      ? input.text
      : `@${igUsername} ${input.text}`;
    const { mediaId } = addInstagramMedia('Weekend vibes', personId(`ig:${input.username}`), input.username);
    const commentId = igId();
    objects.set(commentId, {
      kind: 'ig_comment',
      id: commentId,
      mediaId,
      text,
      from: { id: personId(`ig:${input.username}`), username: input.username },
      timestamp: now(),
    });
    const delivery = await deliverIfRegistered('instagram', {
      field: 'mentions',
      value: { media_id: mediaId, comment_id: commentId },
    });
    return { commentId, mediaId, delivery };
  }

  // ---- Graph API over HTTP ----

  const param = (req: Request, name: string): string | undefined => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?.[name];
    const fromQuery = req.query[name];
    const value = fromBody ?? fromQuery;
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  };

  const authenticate = (req: Request): void => {
    const header = req.get('authorization') ?? '';
    const token = /^(Bearer|OAuth) /.test(header)
      ? header.replace(/^(Bearer|OAuth) /, '')
      : param(req, 'access_token');
    if (!token) {
      throw new GraphError(400, {
        message: 'An active access token must be used to query information about the current user.',
        type: 'OAuthException',
        code: 2500,
      });
    }
    if (token !== options.pageToken) {
      throw new GraphError(
        400,
        {
          message: 'Invalid OAuth access token - Cannot parse access token',
          type: 'OAuthException',
          code: 190,
        },
        {
          'www-authenticate':
            'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"',
        },
      );
    }
    if (faults.tokenRevoked) {
      const message =
        'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.';
      throw new GraphError(
        400,
        { message, type: 'OAuthException', code: 190, error_subcode: 460 },
        { 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${message}"` },
      );
    }
    if (faults.rateLimited) {
      const { message, header: usageHeader } = RATE_LIMIT_ERRORS[faults.rateLimited];
      const usage =
        usageHeader === 'x-app-usage'
          ? JSON.stringify({ call_count: 100, total_cputime: 35, total_time: 40 })
          : JSON.stringify({
              [options.pageId]: [
                {
                  type: 'pages',
                  call_count: 100,
                  total_cputime: 30,
                  total_time: 35,
                  estimated_time_to_regain_access: 5,
                },
              ],
            });
      throw new GraphError(
        400,
        { message, type: 'OAuthException', is_transient: true, code: faults.rateLimited },
        { [usageHeader]: usage },
      );
    }
  };

  const unknownObject = (id: string, post: boolean): GraphError =>
    new GraphError(400, {
      message: `Unsupported ${post ? 'post' : 'get'} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
    });

  const requireMessage = (req: Request): string => {
    const message = param(req, 'message');
    if (!message)
      throw new GraphError(400, {
        message: '(#100) Missing message or attachment',
        type: 'OAuthException',
        code: 100,
      });
    return message;
  };

  const recordReply = (
    parentId: string,
    message: string,
    network: MetaReply['network'],
    endpoint: MetaReply['endpoint'],
    id: string,
  ): void => {
    replies.push({ id, parentId, message, network, endpoint, createdAt: new Date().toISOString() });
  };

  const app = express();
  app.disable('x-powered-by');
  app.use((req, _res, next) => {
    requests.push({ method: req.method, path: req.path });
    next();
  });
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  // ---- test control over HTTP ----
  app.post('/_standin/webhook', async (req, res) => {
    await registerWebhook(String((req.body as { url?: unknown }).url));
    res.json({ url: webhookUrl });
  });
  app.post('/_standin/page-comments', async (req, res) => {
    res.status(201).json(await addPageComment(req.body as { from: FacebookAuthor; message: string }));
  });
  app.post('/_standin/instagram-comments', async (req, res) => {
    res.status(201).json(await addInstagramComment(req.body as { username: string; text: string }));
  });
  app.post('/_standin/instagram-mentions', async (req, res) => {
    res.status(201).json(await addInstagramMention(req.body as { username: string; text: string }));
  });
  app.get('/_standin/replies', (_req, res) => {
    res.json(replies);
  });
  app.post('/_standin/faults', async (req, res) => {
    await setFaults(req.body as Partial<MetaFaults>);
    res.json(faults);
  });

  const graph = express.Router({ mergeParams: true });
  app.use(
    '/:version',
    (req, _res, next) => {
      if (!/^v\d+\.\d+$/.test(String(req.params['version']))) {
        throw new GraphError(400, {
          message: `Unknown path components: ${req.originalUrl.split('?')[0]}`,
          type: 'OAuthException',
          code: 2500,
        });
      }
      if (faults.down === 'unavailable') {
        throw new GraphError(503, {
          message: 'An unexpected error has occurred. Please retry your request later.',
          type: 'OAuthException',
          is_transient: true,
          code: 2,
        });
      }
      authenticate(req);
      next();
    },
    graph,
  );

  graph.get('/me', (_req, res) => {
    res.json({ name: pageName, id: options.pageId });
  });

  graph.post('/:id/comments', (req, res) => {
    const id = req.params['id'] ?? '';
    const target = objects.get(id);
    const message = requireMessage(req);
    if (target?.kind === 'fb_post' || target?.kind === 'fb_comment') {
      const postId = target.kind === 'fb_post' ? target.id : target.postId;
      const commentId = `${postId.split('_').at(-1)}_${nextNumber()}`;
      objects.set(commentId, {
        kind: 'fb_comment',
        id: commentId,
        postId,
        parentId: id,
        message,
        from: { id: options.pageId, name: pageName },
        created_time: now(),
      });
      recordReply(id, message, 'facebook', 'comments', commentId);
      res.json({ id: commentId });
      return;
    }
    if (target?.kind === 'ig_media') {
      const commentId = igId();
      objects.set(commentId, {
        kind: 'ig_comment',
        id: commentId,
        mediaId: id,
        text: message,
        from: { id: igAccountId, username: igUsername },
        timestamp: now(),
      });
      recordReply(id, message, 'instagram', 'comments', commentId);
      res.json({ id: commentId });
      return;
    }
    throw unknownObject(id, true);
  });

  graph.post('/:id/replies', (req, res) => {
    const id = req.params['id'] ?? '';
    const target = objects.get(id);
    if (target?.kind !== 'ig_comment') throw unknownObject(id, true);
    const message = requireMessage(req);
    const replyId = igId();
    objects.set(replyId, {
      kind: 'ig_comment',
      id: replyId,
      mediaId: target.mediaId,
      parentId: id,
      text: message,
      from: { id: igAccountId, username: igUsername },
      timestamp: now(),
    });
    recordReply(id, message, 'instagram', 'replies', replyId);
    res.json({ id: replyId });
  });

  graph.post('/:id/mentions', (req, res) => {
    const id = req.params['id'] ?? '';
    if (id !== igAccountId) throw unknownObject(id, true);
    const commentId = param(req, 'comment_id');
    const mediaId = param(req, 'media_id');
    if (!mediaId)
      throw new GraphError(400, {
        message: '(#100) The parameter media_id is required',
        type: 'OAuthException',
        code: 100,
      });
    const target = commentId ? objects.get(commentId) : objects.get(mediaId);
    if (!target) throw unknownObject(commentId ?? mediaId, true);
    const message = requireMessage(req);
    const replyId = igId();
    recordReply(commentId ?? mediaId, message, 'instagram', 'mentions', replyId);
    res.json({ id: replyId });
  });

  // Reading an object's comments (Facebook) or a comment's replies (Instagram), oldest first: how a
  // client finds what it posted before. Fields beyond id/message/text/from are not served.
  const timeOf = (o: StoredObject): number =>
    'created_time' in o ? o.created_time : 'timestamp' in o ? o.timestamp : 0;
  const iso = (t: number): string => new Date(t).toISOString().replace(/\.\d{3}Z$/, '+0000');
  const commentsJson = (list: StoredObject[]) =>
    list
      .sort((a, b) => timeOf(a) - timeOf(b))
      .map((o) =>
        o.kind === 'fb_comment'
          ? { id: o.id, message: o.message, from: o.from, created_time: iso(o.created_time) }
          : o.kind === 'ig_comment'
            ? { id: o.id, text: o.text, from: o.from, timestamp: iso(o.timestamp) }
            : { id: o.id },
      );
  graph.get('/:id/comments', (req, res) => {
    const id = String(req.params['id'] ?? '');
    const target = objects.get(id);
    if (!target) throw unknownObject(id, false);
    const children = [...objects.values()].filter((o) =>
      target.kind === 'ig_media'
        ? o.kind === 'ig_comment' && o.mediaId === id && !o.parentId
        : o.kind === 'fb_comment' && o.parentId === id,
    );
    res.json({ data: commentsJson(children) });
  });
  graph.get('/:id/replies', (req, res) => {
    const id = String(req.params['id'] ?? '');
    if (objects.get(id)?.kind !== 'ig_comment') throw unknownObject(id, false);
    const replies = [...objects.values()].filter((o) => o.kind === 'ig_comment' && o.parentId === id);
    res.json({ data: commentsJson(replies) });
  });

  graph.get('/:id', (req, res) => {
    const id = req.params['id'] ?? '';
    const fields = typeof req.query['fields'] === 'string' ? req.query['fields'] : '';
    if (id === igAccountId) {
      const mention = /^mentioned_comment\.comment_id\((\d+)\)/.exec(fields);
      if (mention) {
        const comment = objects.get(mention[1] ?? '');
        if (comment?.kind !== 'ig_comment') throw unknownObject(mention[1] ?? '', false);
        const media = objects.get(comment.mediaId);
        res.json({
          mentioned_comment: {
            id: comment.id,
            text: comment.text,
            timestamp: graphTime(comment.timestamp),
            username: comment.from.username,
            like_count: 0,
            media: {
              id: comment.mediaId,
              ...(media?.kind === 'ig_media'
                ? { permalink: `https://www.instagram.com/p/${media.id.slice(-11)}/` }
                : {}),
            },
          },
          id,
        });
        return;
      }
      res.json({ id, username: igUsername, name: pageName });
      return;
    }
    const object = objects.get(id);
    if (!object) throw unknownObject(id, false);
    const all: Record<string, unknown> =
      object.kind === 'fb_post'
        ? {
            id,
            message: object.message,
            created_time: graphTime(object.created_time),
            from: object.from,
            permalink_url: `https://www.facebook.com/${id}`,
          }
        : object.kind === 'fb_comment'
          ? {
              id,
              message: object.message,
              created_time: graphTime(object.created_time),
              from: object.from,
              parent: { id: object.parentId },
              permalink_url: `https://www.facebook.com/${object.postId}?comment_id=${id.split('_').at(-1)}`,
            }
          : object.kind === 'ig_media'
            ? {
                id,
                caption: object.caption,
                timestamp: graphTime(object.timestamp),
                username: object.username,
              }
            : {
                id,
                text: object.text,
                timestamp: graphTime(object.timestamp),
                username: object.from.username,
                from: object.from,
              };
    const wanted = fields
      ? new Set(fields.split(',').map((f) => f.trim()))
      : new Set(['id', 'message', 'created_time', 'name']);
    res.json(Object.fromEntries(Object.entries(all).filter(([k]) => k === 'id' || wanted.has(k))));
  });

  app.use((req, _res, next) =>
    next(
      new GraphError(400, {
        message: `Unknown path components: ${req.path}`,
        type: 'OAuthException',
        code: 2500,
      }),
    ),
  );
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof GraphError) {
      res.status(err.status).set(err.headers).json(err.body);
      return;
    }
    res
      .status(500)
      .json({ error: { message: String(err), type: 'OAuthException', code: 1, fbtrace_id: 'standin' } });
  });

  const listener = await startListener(app, options.port ?? 0, options.host ?? '127.0.0.1');

  async function setFaults(change: Partial<MetaFaults>): Promise<void> {
    Object.assign(faults, change);
    if (faults.down === 'refused') await listener.pause();
    else await listener.resume();
  }

  return {
    url: listener.url,
    pageId: options.pageId,
    instagramAccountId: igAccountId,
    registerWebhook,
    get webhookUrl() {
      return webhookUrl;
    },
    deliver,
    addPagePost,
    addPageComment,
    addVisitorPost,
    addInstagramMedia: (caption: string) => addInstagramMedia(caption),
    addInstagramComment,
    addInstagramMention,
    sentReplies: () => [...replies],
    setFaults,
    requests,
    close: () => listener.close(),
  };
}
