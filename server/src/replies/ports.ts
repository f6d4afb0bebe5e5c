/**
 * What the reply use cases need from the outside: the org (reply records, the posts they answer, send
 * claims) and each network's way of publishing a reply. Adapters live in salesforce/ and connectors/.
 */
import type { Network } from '../domain/mention.ts';
import type { OutboundReply, PublishedReply, RecordLinks, ReplyStatus, ReplyTarget } from './reply.ts';

export interface NewReply {
  idempotencyKey: string;
  text: string;
  status: ReplyStatus;
  target: ReplyTarget;
  /** The Salesforce user who wrote it, when known (signed-in record page). */
  userId: string | null;
  /** Our account's handle on the network, when configured (the reply's author). */
  authorHandle: string | null;
}

/** One attempt to send a reply, held by one server instance until it expires. */
export interface SendClaim {
  id: string;
  replyId: string;
  attempt: number;
  owner: string;
  expiresAt: Date;
}

export interface ReplyChanges {
  status?: ReplyStatus;
  failureReason?: string | null;
  approvalNote?: string | null;
}

export interface SentRecord {
  reply: OutboundReply;
  published: PublishedReply;
  sentAt: Date;
  /** First-response minutes for the answered post (and its case), when this is its first answer. */
  firstResponseMinutes: number | null;
}

export interface ReplyStore {
  /** The post to answer, or null when there is no such post. */
  target(postId: string): Promise<ReplyTarget | null>;
  /** Creates the reply record; with a key already used, returns that reply instead (`created: false`). */
  create(reply: NewReply): Promise<{ reply: OutboundReply; created: boolean }>;
  reply(id: string): Promise<OutboundReply | null>;
  /** Replies still to be acted on, oldest first. */
  due(limit: number): Promise<OutboundReply[]>;
  /** Other outbound replies to the same post that are not final (for collision warnings). */
  openRepliesTo(postId: string): Promise<OutboundReply[]>;
  update(id: string, changes: ReplyChanges): Promise<void>;
  /** Records a published reply: Sent with its network id and URL, and the answered post (and case) as answered. */
  markSent(record: SentRecord): Promise<void>;
  /** The latest claim of each reply. */
  latestClaims(replyIds: readonly string[]): Promise<Map<string, SendClaim>>;
  /** Takes attempt `attempt` of a reply; false when another instance already took it. */
  createClaim(claim: Omit<SendClaim, 'id'>): Promise<SendClaim | null>;
  extendClaim(claimId: string, expiresAt: Date): Promise<void>;
  /** Whether a user is assigned the permission set with this API name. */
  inPermissionSet(userId: string, permissionSet: string): Promise<boolean>;
}

/** Why a network did not publish a reply, and what the dispatcher does about it. */
export type SendFailureKind =
  /** The network refused this reply for good (too long, not allowed, post deleted): Failed. */
  | 'rejected'
  /** Our credentials were refused: Failed, and admins must act. */
  | 'auth'
  /** Too many requests: Queued until `retryAt`. */
  | 'rate_limited'
  /** The network could not be reached or answered 5xx: Queued, retried with backoff. */
  | 'unavailable';

export class SendError extends Error {
  readonly kind: SendFailureKind;
  readonly retryAt: Date | null;
  constructor(kind: SendFailureKind, message: string, retryAt: Date | null = null) {
    super(message);
    this.name = 'SendError';
    this.kind = kind;
    this.retryAt = retryAt;
  }
}

export interface SendRequest {
  replyId: string;
  idempotencyKey: string;
  /** The text as it goes out (see network-rules.outgoingText). */
  text: string;
  target: ReplyTarget;
  /** When the reply record was created (Bluesky derives the record key from it). */
  createdAt: string;
}

export interface ReplySender {
  readonly network: Network;
  /** Publishes the reply; throws SendError. */
  send(request: SendRequest): Promise<PublishedReply>;
  /**
   * Looks on the network for this reply published by an earlier attempt whose outcome was never
   * recorded (a crash between sending and recording); null when it is not there.
   */
  findSent(request: SendRequest): Promise<PublishedReply | null>;
}

export type { RecordLinks };
