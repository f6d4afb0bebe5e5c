/**
 * Where a post stands in the inbox, as the API names it and as the org stores it, why it was closed,
 * the key of the claim an agent holds on it, and what a breached reply-time target sets off.
 *
 *   API status    Inbox_Status__c   meaning
 *   needs_reply   Open              needs a reply, owned by a queue
 *   assigned      Assigned          an agent (a user) works it
 *   done          Done              answered or closed, with a Done_Reason__c
 *   (none)        null              not in the inbox: the post needs no reply
 */
import { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { raisePriority, type Priority } from './priority.ts';

export const INBOX_STATUSES = ['needs_reply', 'assigned', 'done'] as const;
export const InboxStatus = z.enum(INBOX_STATUSES);
export type InboxStatus = z.infer<typeof InboxStatus>;

/** The `Inbox_Status__c` picklist values. */
export const INBOX_STATUS_VALUES = ['Open', 'Assigned', 'Done'] as const;
export type InboxStatusValue = (typeof INBOX_STATUS_VALUES)[number];

const TO_VALUE: Readonly<Record<InboxStatus, InboxStatusValue>> = {
  needs_reply: 'Open',
  assigned: 'Assigned',
  done: 'Done',
};

/** API status → `Inbox_Status__c`. */
export function toInboxStatusValue(status: InboxStatus): InboxStatusValue {
  const value = TO_VALUE[status];
  if (!value) throw new RangeError(`unknown inbox status: ${String(status)}`);
  return value;
}

/** `Inbox_Status__c` → API status; null (or blank) → null: the post is not in the inbox. */
export function fromInboxStatusValue(value: string | null | undefined): InboxStatus | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const status = INBOX_STATUSES.find((candidate) => TO_VALUE[candidate] === value.trim());
  if (!status) {
    throw new RangeError(
      `unknown Inbox_Status__c value "${value}" (one of ${INBOX_STATUS_VALUES.join(', ')})`,
    );
  }
  return status;
}

/** The `Done_Reason__c` picklist values. `Replied` is set by a sent reply, never chosen by an agent. */
export const DONE_REASONS = ['Replied', 'No reply needed', 'Spam', 'Answered elsewhere'] as const;
export type DoneReasonValue = (typeof DONE_REASONS)[number];

/** The reasons an agent may choose when closing a post without replying. */
export const MANUAL_DONE_REASONS = ['No reply needed', 'Spam', 'Answered elsewhere'] as const;
export type ManualDoneReason = (typeof MANUAL_DONE_REASONS)[number];

/** snake_case ids of the reasons, as clients may send them. */
export const DONE_REASON_IDS: Readonly<Record<DoneReasonValue, string>> = {
  Replied: 'replied',
  'No reply needed': 'no_reply_needed',
  Spam: 'spam',
  'Answered elsewhere': 'answered_elsewhere',
};

const reasonKey = (value: string): string =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** A reason label or id (any case; spaces, hyphens or underscores) → its picklist value, or null. */
export function doneReasonValue(value: string): DoneReasonValue | null {
  const key = reasonKey(value);
  return DONE_REASONS.find((reason) => DONE_REASON_IDS[reason] === key) ?? null;
}

const CHOICES = MANUAL_DONE_REASONS.map((reason) => `"${DONE_REASON_IDS[reason]}"`).join(', ');

/**
 * The API's `reason` of `POST /api/inbox/done`: a label (`No reply needed`) or an id (`no_reply_needed`),
 * any case → the `Done_Reason__c` value. `replied` is refused: a post is Replied when a reply is sent.
 */
export const DoneReason = z.string({ error: `expected one of ${CHOICES}` }).transform((value, ctx) => {
  const reason = doneReasonValue(value);
  if (reason === 'Replied') {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is recorded when a reply is sent; close a post without replying as one of ${CHOICES}`,
    });
    return z.NEVER;
  }
  if (!reason) {
    ctx.addIssue({ code: 'custom', message: `unknown reason "${value}" (one of ${CHOICES})` });
    return z.NEVER;
  }
  return reason as ManualDoneReason;
});
export type DoneReason = z.output<typeof DoneReason>;

const CLAIM_PREFIX = 'inbox:';

/** `Social_Reply_Claim__c.Key__c` of an agent's claim on a post: `inbox:<postId>`. */
export function claimKey(postId: string): string {
  const id = typeof postId === 'string' ? postId.trim() : '';
  if (!id) throw new AppError('bad_request', 'a claim needs the post Id');
  return CLAIM_PREFIX + id;
}

/** The post Id of an inbox claim key, or null for any other key (reply claims share the object). */
export function postIdOfClaimKey(key: string | null | undefined): string | null {
  if (!key?.startsWith(CLAIM_PREFIX)) return null;
  return key.slice(CLAIM_PREFIX.length) || null;
}

export interface EscalationInput {
  priority: Priority;
  /** `Reply_Due__c`; null: no target. */
  dueAt: Date | null;
  /** API status or `Inbox_Status__c` value; null: not in the inbox. */
  status: InboxStatus | InboxStatusValue | null;
  /** `Escalated_At__c`: set once, at the first escalation. */
  escalatedAt: Date | null;
  /** `Replied_At__c`. */
  repliedAt?: Date | null;
  /** `OwnerId` (a queue `00G…` or a user `005…`). */
  ownerId: string;
  /** Username told of the breach (the routing rule's Supervisor__c). */
  supervisor?: string | null;
  /** Queue a breached post moves to (the routing rule's Escalation_Queue__c, resolved to an Id). */
  escalationQueueId?: string | null;
}

export type Escalation =
  | {
      action: 'none';
      /** Why nothing happens: no due time, not waiting for a reply, already escalated once, or not due yet. */
      reason: 'no_target' | 'not_open' | 'replied' | 'already_escalated' | 'not_due';
    }
  | {
      action: 'escalate';
      /** `Escalated_At__c`. */
      escalatedAt: Date;
      /** Wall-clock minutes past the due time (whole minutes, rounded down). */
      overdueMinutes: number;
      previousPriority: Priority;
      /** `Priority__c` after: one level up (Urgent stays). */
      priority: Priority;
      /** Username to give a Task about the breach, or null. */
      notifySupervisor: string | null;
      /** Queue Id to move the post to, or null to leave the owner alone. */
      reRouteToQueueId: string | null;
    };

/**
 * Whether a post breached its reply-time target at `now` (strictly after `dueAt`) and what to do, once:
 * raise the priority one level, give the supervisor a Task, and — only while a queue owns the post
 * (`needs_reply`) — move it to the escalation queue; a post an agent works stays with the agent.
 * Nothing for a post with no due time, not open or assigned, already replied to, or escalated before.
 */
export function escalation(post: EscalationInput, now: Date): Escalation {
  if (!post.dueAt) return { action: 'none', reason: 'no_target' };
  const apiStatus = (INBOX_STATUSES as readonly string[]).includes(post.status ?? '')
    ? (post.status as InboxStatus)
    : fromInboxStatusValue(post.status);
  if (apiStatus !== 'needs_reply' && apiStatus !== 'assigned') return { action: 'none', reason: 'not_open' };
  if (post.repliedAt) return { action: 'none', reason: 'replied' };
  if (post.escalatedAt) return { action: 'none', reason: 'already_escalated' };
  const overdueMs = now.getTime() - post.dueAt.getTime();
  if (!(overdueMs > 0)) return { action: 'none', reason: 'not_due' };
  const queueOwned = apiStatus === 'needs_reply';
  const target = post.escalationQueueId ?? null;
  return {
    action: 'escalate',
    escalatedAt: now,
    overdueMinutes: Math.floor(overdueMs / 60_000),
    previousPriority: post.priority,
    priority: raisePriority(post.priority),
    notifySupervisor: post.supervisor ?? null,
    reRouteToQueueId: queueOwned && target && target !== post.ownerId ? target : null,
  };
}
