/**
 * The social inbox's JSON API, guarded like the record page (loopback, or a signed-in user of the org):
 * - `GET /api/inbox?status=needs_reply|assigned|done&queue=&owner=<id|me>&network=&language=&intent=&limit=&cursor=`
 *   → `{items, nextCursor}`, soonest due first (done: latest closed first); `?ids=a,b` reads those posts;
 * - `GET /api/inbox/options` → the queues that take posts, the active users, the caller and their queues;
 * - `POST /api/inbox/assign` `{postIds, ownerId: <user or queue Id> | "me", force?}`;
 * - `POST /api/inbox/done` `{postIds, reason, force?}`;
 * - `POST /api/inbox/take-next` `{queueIds?}` → `{item}`: the soonest due open post of the caller's queues, now theirs
 *   (404 when nothing waits);
 * - `POST /api/inbox/link` `{postId, recordId}` and `POST /api/inbox/create-record` `{postId, recordType: "Lead"|"Contact"}`:
 *   put a name to an unknown author (author-links.ts);
 * - `GET /api/inbox/thread?id=<thread root External Id>` → `{posts}`: the conversation of an item (`threadId`);
 * - `GET /api/inbox/events` → server-sent `changed` events with the Ids of posts to read again.
 *
 * Who acts: the signed-in user; on the loopback binding without sign-in, the active org user the page
 * names in the `X-SocialCRM-User` header (the machine's own user chooses whom they work as), else nobody
 * (reading works; "me" and taking posts need a user).
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { NETWORKS } from '../../domain/mention.ts';
import type { InboxFeed } from '../../record-page/inbox-feed.ts';
import {
  INBOX_STATUSES,
  requireId,
  type Actor,
  type SalesforceInboxStore,
} from '../../salesforce/inbox-store.ts';
import { DoneReason } from '../../inbox/inbox-status.ts';
import type { SalesforceAuthorLinks } from '../../salesforce/author-links.ts';
import type { SalesforceRecordReader } from '../../salesforce/record-reader.ts';

export const ACTOR_HEADER = 'x-socialcrm-user';

export interface InboxRouterDeps {
  store: Pick<
    SalesforceInboxStore,
    'list' | 'items' | 'options' | 'assign' | 'done' | 'activeUser' | 'takeNext'
  >;
  feed: InboxFeed;
  /** Links unknown authors to Contacts and Leads. */
  links: Pick<SalesforceAuthorLinks, 'link' | 'create'>;
  /** Reads a conversation (the record page's reader). */
  reader: Pick<SalesforceRecordReader, 'thread'>;
  /** The record page's access guard (loopback or signed-in). */
  guard: RequestHandler;
  /** Whether the header may name the actor (loopback without sign-in). */
  headerActor: boolean;
  /** Told of posts this router changed (metrics, the open pages). */
  onChanged?: (postIds: readonly string[]) => void;
}

const Id = z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'must be a Salesforce record Id');

const ListQuery = z
  .object({
    status: z.enum(INBOX_STATUSES).default('needs_reply'),
    queue: Id.optional(),
    owner: z.union([Id, z.literal('me')]).optional(),
    network: z.enum(NETWORKS).optional(),
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/, 'must be an ISO 639 language code such as en or es')
      .optional(),
    intent: z.enum(['complaint', 'question', 'praise', 'purchase_intent', 'other']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(400).optional(),
    ids: z
      .string()
      .max(200 * 19)
      .optional(),
  })
  .strict();

const TakeNextBody = z.object({ queueIds: z.array(Id).max(50).optional() }).strict();

const LinkBody = z.object({ postId: Id, recordId: Id }).strict();
const CreateBody = z.object({ postId: Id, recordType: z.enum(['Lead', 'Contact']) }).strict();

const ThreadQuery = z.object({ id: z.string().min(1).max(255) }).strict();

const AssignBody = z
  .object({
    postIds: z.array(Id).min(1).max(200),
    ownerId: z.union([Id, z.literal('me')]),
    force: z.boolean().optional(),
  })
  .strict();

const DoneBody = z
  .object({
    postIds: z.array(Id).min(1).max(200),
    reason: DoneReason,
    force: z.boolean().optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
  throw new AppError('validation_failed', `${what} is not valid: ${issues.join('; ')}`, {
    details: parsed.error.issues,
  });
}

export function createInboxRouter(deps: InboxRouterDeps): Router {
  const router = Router();
  const { store, feed, guard } = deps;
  const noStore: RequestHandler = (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };

  /** The acting user, cached per Id for a minute (the header is sent with every request). */
  const known = new Map<string, { user: Actor | null; until: number }>();
  async function actorOf(req: Request, res: Response): Promise<Actor> {
    const signedIn = res.locals['user'] as { id?: string; name?: string } | undefined;
    if (signedIn?.id) return { id: signedIn.id, name: signedIn.name ?? null };
    const header = req.get(ACTOR_HEADER);
    if (!deps.headerActor || !header) return { id: null, name: null };
    const id = requireId(header, `the ${ACTOR_HEADER} header`);
    const cached = known.get(id);
    if (cached && cached.until > Date.now()) {
      if (!cached.user) throw unknownActor(id);
      return cached.user;
    }
    const user = await store.activeUser(id);
    known.set(id, { user, until: Date.now() + 60_000 });
    if (!user) throw unknownActor(id);
    return user;
  }
  async function me(req: Request, res: Response): Promise<string> {
    const actor = await actorOf(req, res);
    if (!actor.id) {
      throw new AppError('bad_request', '"me" needs to know who you are, and this request does not say.', {
        hint: `Choose who you work as on the inbox page (it sends the ${ACTOR_HEADER} header), or sign in with the org.`,
      });
    }
    return actor.id;
  }

  router.get('/api/inbox', guard, noStore, async (req, res) => {
    const query = parse(ListQuery, req.query, 'the query');
    if (query.ids !== undefined) {
      const ids = query.ids.split(',').filter(Boolean);
      for (const id of ids) Id.parse(id);
      res.json({ items: await store.items(ids), nextCursor: null });
      return;
    }
    const ownerId = query.owner === 'me' ? await me(req, res) : query.owner;
    res.json(
      await store.list({
        status: query.status,
        queueId: query.queue,
        ownerId,
        network: query.network,
        language: query.language,
        intent: query.intent,
        limit: query.limit,
        cursor: query.cursor ?? null,
      }),
    );
  });

  router.get('/api/inbox/thread', guard, noStore, async (req, res) => {
    const { id } = parse(ThreadQuery, req.query, 'the query');
    res.json({ posts: await deps.reader.thread(id) });
  });

  router.get('/api/inbox/options', guard, noStore, async (req, res) => {
    const actor = await actorOf(req, res);
    res.json(await store.options(actor.id));
  });

  router.post('/api/inbox/assign', guard, noStore, async (req, res) => {
    const body = parse(AssignBody, req.body, 'the request body');
    const actor = await actorOf(req, res);
    const ownerId = body.ownerId === 'me' ? await me(req, res) : body.ownerId;
    const result = await store.assign(body.postIds, ownerId, actor, { force: body.force ?? false });
    deps.onChanged?.(result.updated);
    feed.publish(result.updated);
    res.json(result);
  });

  router.post('/api/inbox/done', guard, noStore, async (req, res) => {
    const body = parse(DoneBody, req.body, 'the request body');
    const actor = await actorOf(req, res);
    const result = await store.done(body.postIds, body.reason, actor, { force: body.force ?? false });
    deps.onChanged?.(result.updated);
    feed.publish(result.updated);
    res.json(result);
  });

  router.post('/api/inbox/take-next', guard, noStore, async (req, res) => {
    const body = parse(TakeNextBody, req.body, 'the request body');
    const actor = await actorOf(req, res);
    if (!actor.id) await me(req, res); // says who is missing, with the hint
    const item = await store.takeNext(actor, body.queueIds);
    if (!item) {
      throw new AppError('not_found', 'Nothing is waiting in your queues right now.', {
        hint: 'New posts appear in the list as they arrive.',
      });
    }
    deps.onChanged?.([item.postId]);
    feed.publish([item.postId]);
    res.json({ item });
  });

  router.post('/api/inbox/link', guard, noStore, async (req, res) => {
    const body = parse(LinkBody, req.body, 'the request body');
    const result = await deps.links.link(body.postId, body.recordId);
    deps.onChanged?.([body.postId]);
    feed.publish([body.postId]);
    res.json(result);
  });

  router.post('/api/inbox/create-record', guard, noStore, async (req, res) => {
    const body = parse(CreateBody, req.body, 'the request body');
    const result = await deps.links.create(body.postId, body.recordType);
    deps.onChanged?.([body.postId]);
    feed.publish([body.postId]);
    res.status(201).json(result);
  });

  router.get('/api/inbox/events', guard, (_req, res) => {
    if (feed.closed) throw new AppError('unavailable', 'The server is shutting down.');
    feed.watch(res);
  });

  return router;
}

function unknownActor(id: string): AppError {
  return new AppError('forbidden', `No active user of the org has the Id ${id}.`, {
    hint: 'Choose who you work as again on the inbox page: the user may have been deactivated.',
  });
}
