/**
 * The agent-facing reply use cases: submit a reply (idempotent by its key), approve or reject one, and
 * say who else is on a post. Sending is the dispatcher's job; this only writes the record it acts on.
 */
import { AppError } from '../domain/errors.ts';
import { checkReply, networkName, targetVerdict, type OwnHandles } from './network-rules.ts';
import type { ReplyStore } from './ports.ts';
import type { ReplyNotice } from './reply-dispatcher.ts';
import type { OutboundReply, ReplyRequest, ReplyStatus, ReplyTarget } from './reply.ts';

/** When a reply waits for an approver instead of going out. */
export interface ApprovalRules {
  /** Replies to authors with at least this influence (0–100) need approval; null: none do. */
  influenceAtLeast: number | null;
  /** Replies written by users assigned this permission set (API name) need approval; null: none do. */
  permissionSet: string | null;
}

export interface Submitter {
  /** The Salesforce user id, when known (signed-in record page). */
  id: string | null;
  name: string | null;
}

export interface ReplyServiceDeps {
  store: ReplyStore;
  own: OwnHandles;
  approval: ApprovalRules;
  /** Reply (and post) Ids whose state changed, for open record pages. */
  onChange?: (ids: readonly string[]) => void;
  /** Tells the dispatcher these replies are due, so they need not wait for the next poll. */
  nudge?: (notices: readonly ReplyNotice[]) => void;
}

export interface PostActivity {
  /** The first answer, when the post is answered. */
  answered: { by: string | null; at: string } | null;
  /** Replies to the post not yet sent (or failed/rejected). */
  open: { replyId: string; status: ReplyStatus; by: string | null; since: string }[];
  /** What the network allows for this post. */
  rules: { canReply: boolean; reason?: string };
}

/**
 * Whether a reply must wait for an approver: its author is influential enough, or its writer is in the
 * permission set that needs approval. Checked when the record page saves a reply and again by the
 * dispatcher, which also sees replies written in Salesforce.
 */
export async function needsApproval(
  target: ReplyTarget,
  writerId: string | null,
  rules: ApprovalRules,
  store: Pick<ReplyStore, 'inPermissionSet'>,
): Promise<boolean> {
  if (rules.influenceAtLeast !== null && (target.influence ?? 0) >= rules.influenceAtLeast) return true;
  if (rules.permissionSet && writerId) return store.inPermissionSet(writerId, rules.permissionSet);
  return false;
}

export class ReplyService {
  readonly #deps: ReplyServiceDeps;

  constructor(deps: ReplyServiceDeps) {
    this.#deps = deps;
  }

  async #target(postId: string): Promise<ReplyTarget> {
    const target = await this.#deps.store.target(postId);
    if (!target) {
      throw new AppError('not_found', `There is no social post ${postId} in the org.`, {
        hint: 'Reload the record page: the post may have been deleted.',
      });
    }
    return target;
  }

  /** Saves a reply for sending. The same idempotency key again returns the first reply (`created: false`). */
  async submit(
    request: ReplyRequest,
    submitter: Submitter,
  ): Promise<{ reply: OutboundReply; created: boolean }> {
    const target = await this.#target(request.postId);
    const verdict = checkReply(target, request.text, this.#deps.own);
    if (!verdict.ok) {
      throw new AppError('validation_failed', verdict.reason, {
        details: { network: target.network },
        hint: `Change the reply to fit ${networkName(target.network)}'s rules, then send again.`,
      });
    }
    const status: ReplyStatus = (await needsApproval(
      target,
      submitter.id,
      this.#deps.approval,
      this.#deps.store,
    ))
      ? 'Pending Approval'
      : 'Pending';
    const result = await this.#deps.store.create({
      idempotencyKey: request.idempotencyKey,
      text: request.text.trim(),
      status,
      target,
      userId: submitter.id,
      authorHandle: (this.#deps.own as Record<string, string | null | undefined>)[target.network] ?? null,
    });
    if (result.created) {
      this.#deps.onChange?.([result.reply.id]);
      if (status === 'Pending') this.#deps.nudge?.([{ id: result.reply.id, status }]);
    }
    return result;
  }

  async reply(replyId: string): Promise<OutboundReply> {
    const reply = await this.#deps.store.reply(replyId);
    if (!reply) throw new AppError('not_found', `There is no outbound reply ${replyId} in the org.`);
    return reply;
  }

  /** An approver's decision on a reply pending approval. */
  async decide(replyId: string, approve: boolean, note: string | null): Promise<OutboundReply> {
    const reply = await this.reply(replyId);
    if (reply.status !== 'Pending Approval') {
      throw new AppError(
        'conflict',
        `This reply is ${reply.status}: only replies pending approval can be approved or rejected.`,
        {
          hint: 'Reload the record page to see its current state.',
        },
      );
    }
    const status: ReplyStatus = approve ? 'Approved' : 'Rejected';
    await this.#deps.store.update(replyId, { status, approvalNote: note });
    this.#deps.onChange?.([replyId]);
    if (approve) this.#deps.nudge?.([{ id: replyId, status }]);
    return { ...reply, status, approvalNote: note };
  }

  /** Who answered the post, who is answering it, and whether it can be answered. */
  async activity(postId: string): Promise<PostActivity> {
    const target = await this.#target(postId);
    const open = await this.#deps.store.openRepliesTo(postId);
    const verdict = targetVerdict(target, this.#deps.own);
    return {
      answered: target.repliedAt ? { by: target.repliedByName, at: target.repliedAt } : null,
      open: open.map((r) => ({ replyId: r.id, status: r.status, by: r.createdByName, since: r.createdAt })),
      rules: verdict.ok ? { canReply: true } : { canReply: false, reason: verdict.reason },
    };
  }
}
