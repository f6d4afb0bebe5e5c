/**
 * Outbound replies: what an agent asks to send, the post it answers, and the reply record's life
 * (`Status__c`). The zod schema of a request is the single source of its type; the rest are plain
 * shapes the reply store (the org) fills in.
 */
import { z } from 'zod';
import type { Network } from '../domain/mention.ts';

export const ReplyRequest = z.object({
  postId: z
    .string()
    .regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'must be the Salesforce Id of the post to answer'),
  text: z
    .string()
    .trim()
    .min(1, 'the reply is empty')
    .max(10_000, 'the reply is longer than any network allows'),
  idempotencyKey: z
    .string()
    .regex(
      /^[A-Za-z0-9._:-]{8,100}$/,
      'must be 8–100 letters, digits, dots, colons, dashes or underscores, new for each reply',
    ),
});
export type ReplyRequest = z.infer<typeof ReplyRequest>;

/** `Status__c` of an outbound post. */
export const REPLY_STATUSES = [
  'Pending',
  'Pending Approval',
  'Approved',
  'Rejected',
  'Queued',
  'Sending',
  'Sent',
  'Failed',
] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

/** Statuses the dispatcher still has to act on (Sending: an attempt may have died with its server). */
export const DUE_STATUSES: readonly ReplyStatus[] = ['Pending', 'Approved', 'Queued', 'Sending'];
/** Statuses that end a reply's life. */
export const FINAL_STATUSES: readonly ReplyStatus[] = ['Sent', 'Failed', 'Rejected'];

/** The record links an answer inherits from the post it answers, so it shows on the same pages. */
export interface RecordLinks {
  personaId: string | null;
  contactId: string | null;
  leadId: string | null;
  accountId: string | null;
  caseId: string | null;
}

/** The inbound post being answered, as the org holds it. */
export interface ReplyTarget {
  id: string;
  network: Network;
  /** The post's id on its network (tweet id, at:// URI, status id, comment id). */
  networkPostId: string;
  /** The author's handle without `@`. */
  authorHandle: string;
  authorName: string | null;
  /** The author's id on the network (from the persona), when known. */
  authorId: string | null;
  body: string;
  postedAt: string | null;
  isOutbound: boolean;
  /** The author's influence 0–100, when scored. */
  influence: number | null;
  repliedAt: string | null;
  repliedByName: string | null;
  links: RecordLinks;
  /** The post's place in the social inbox: `Open`, `Assigned`, `Done`, or null when it is not in it. */
  inboxStatus?: string | null;
  /** When its first reply is due (reply-time target), if it has one. */
  replyDueAt?: string | null;
}

export interface OutboundReply {
  id: string;
  idempotencyKey: string;
  text: string;
  status: ReplyStatus;
  createdAt: string;
  createdById: string | null;
  createdByName: string | null;
  failureReason: string | null;
  networkPostId: string | null;
  url: string | null;
  approvalNote: string | null;
  /** Null when the answered post is gone (deleted in the org). */
  target: ReplyTarget | null;
}

/** What a network answered for a reply it published. */
export interface PublishedReply {
  networkPostId: string;
  url: string | null;
}

/** Minutes from the post to the first answer, never negative. */
export function responseMinutes(postedAt: string | null, answeredAt: Date): number | null {
  if (!postedAt) return null;
  const posted = Date.parse(postedAt);
  if (Number.isNaN(posted)) return null;
  return Math.max(0, Math.round((answeredAt.getTime() - posted) / 60_000));
}
