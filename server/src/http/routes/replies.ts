/**
 * Replies from the standalone record page (the root README, "Operating it"):
 * - `POST /api/replies` `{postId, text, idempotencyKey}` → 202 `{replyId, status}`; the same key again
 *   answers the same reply (`duplicate: true`), so a double click or a retried request sends once;
 * - `GET /api/replies/:replyId` → the reply's state (`status`, `failureReason`, `url`);
 * - `POST /api/replies/:replyId/approval` `{approve, note}` → the approver's decision;
 * - `GET /api/posts/:postId/activity?viewer=` → who answered the post, replies in flight, who else has
 *   it open, and whether the network lets us answer it;
 * - `PUT|DELETE /api/posts/:postId/presence` `{viewerId}` → "I have this post open" heartbeats.
 * Guarded like the record page: loopback, or a signed-in user of the org.
 */
import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Presence } from '../../replies/presence.ts';
import { ReplyRequest } from '../../replies/reply.ts';
import type { ReplyService, Submitter } from '../../replies/reply-service.ts';

export interface RepliesRouterDeps {
  service: ReplyService;
  presence: Presence;
  /** The record page's access guard (loopback or signed-in). */
  guard: RequestHandler;
}

const SalesforceId = z
  .string()
  .regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'must be a Salesforce record Id');
const Approval = z.object({ approve: z.boolean(), note: z.string().trim().max(1000).optional() });
const ViewerBody = z.object({ viewerId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) });

function submitter(res: Response): Submitter {
  const user = res.locals['user'] as { id?: string; name?: string } | undefined;
  return { id: user?.id ?? null, name: user?.name ?? null };
}

export function createRepliesRouter(deps: RepliesRouterDeps): Router {
  const router = Router();
  const { service, presence, guard } = deps;
  const noStore: RequestHandler = (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };

  router.post('/api/replies', guard, noStore, async (req, res) => {
    const request = ReplyRequest.parse(req.body ?? {});
    const { reply, created } = await service.submit(request, submitter(res));
    res
      .status(202)
      .json({ replyId: reply.id, status: reply.status, ...(created ? {} : { duplicate: true }) });
  });

  router.get('/api/replies/:replyId', guard, noStore, async (req, res) => {
    const reply = await service.reply(SalesforceId.parse(req.params['replyId']));
    res.json({
      replyId: reply.id,
      status: reply.status,
      postId: reply.target?.id ?? null,
      network: reply.target?.network ?? null,
      failureReason: reply.failureReason,
      networkPostId: reply.networkPostId,
      url: reply.url,
      approvalNote: reply.approvalNote,
      createdAt: reply.createdAt,
    });
  });

  router.post('/api/replies/:replyId/approval', guard, noStore, async (req, res) => {
    const { approve, note } = Approval.parse(req.body ?? {});
    const reply = await service.decide(SalesforceId.parse(req.params['replyId']), approve, note || null);
    res.json({ replyId: reply.id, status: reply.status, approvalNote: reply.approvalNote });
  });

  router.get('/api/posts/:postId/activity', guard, noStore, async (req, res) => {
    const postId = SalesforceId.parse(req.params['postId']);
    const viewer = typeof req.query['viewer'] === 'string' ? req.query['viewer'] : null;
    const activity = await service.activity(postId);
    res.json({ ...activity, viewers: presence.others(postId, viewer) });
  });

  router.put('/api/posts/:postId/presence', guard, noStore, (req, res) => {
    const postId = SalesforceId.parse(req.params['postId']);
    const { viewerId } = ViewerBody.parse(req.body ?? {});
    presence.touch(postId, viewerId, submitter(res).name ?? 'A colleague in another browser window');
    res.status(204).end();
  });

  router.delete('/api/posts/:postId/presence', guard, noStore, (req, res) => {
    const postId = SalesforceId.parse(req.params['postId']);
    const { viewerId } = ViewerBody.parse(req.body ?? {});
    presence.leave(postId, viewerId);
    res.status(204).end();
  });

  return router;
}
