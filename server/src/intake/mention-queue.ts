/**
 * The durable intake: a webhook answers 200 only once its mentions are here. Processing is at-least-once
 * (a claim is a lease; an unfinished claim returns to the queue when the lease runs out, e.g. after a
 * crash), and the CRM writes are idempotent upserts, so every accepted mention lands exactly once.
 * The interface is async so that a Redis-backed implementation (several instances) can follow.
 */
import type { Mention } from '../domain/mention.ts';

export interface QueuedMention {
  /** Queue-assigned, increasing in arrival order. */
  seq: number;
  /** `<network>:<post id>`: the dedupe key. */
  key: string;
  /** `<network>:<author id>`: mentions with the same ordering key are handed out in arrival order, one at a time. */
  orderingKey: string;
  mention: Mention;
  /** How many times this item was claimed before (0 on first delivery). */
  attempts: number;
  enqueuedAt: Date;
}

export interface EnqueueResult {
  accepted: number;
  /** Mentions already queued, in flight, done or dead-lettered under the same key: dropped. */
  duplicates: number;
}

export interface DeadLetter {
  seq: number;
  key: string;
  mention: Mention;
  reason: string;
  attempts: number;
  failedAt: Date;
}

export interface QueueStats {
  /** Waiting or in flight. */
  depth: number;
  inFlight: number;
  deadLetters: number;
  /** Age of the oldest unfinished mention, in seconds; 0 when empty. */
  oldestAgeSeconds: number;
}

export interface MentionQueue {
  /** Durable when the promise resolves. Duplicates (same key seen before) are dropped, not re-queued. */
  enqueue(mentions: readonly Mention[]): Promise<EnqueueResult>;
  /**
   * Up to `limit` mentions ready now, leased for `leaseMs`. Never two of one ordering key at once, and never
   * a later one before an earlier one of the same key is finished.
   */
  claim(limit: number, leaseMs: number): Promise<QueuedMention[]>;
  /** Finished: removed from the queue (the key stays remembered for dedupe). */
  complete(seqs: readonly number[]): Promise<void>;
  /** Failed for a passing reason: back to the queue after `delayMs` (exponential backoff with jitter by default). */
  retry(seq: number, error: string, delayMs?: number): Promise<void>;
  /**
   * Not this item's fault (the org is down, the API allowance is spent, the session expired): back to the
   * queue after `delayMs` without counting the delivery, so an outage of any length dead-letters nothing.
   */
  release(seqs: readonly number[], delayMs: number): Promise<void>;
  /** Failed for good (e.g. the org rejects the record): kept aside with the reason, visible and re-drivable. */
  deadLetter(seq: number, reason: string): Promise<void>;
  listDeadLetters(limit?: number): Promise<DeadLetter[]>;
  /** Puts dead letters (all, or the given seqs) back in the queue; returns how many. */
  redrive(seqs?: readonly number[]): Promise<number>;
  stats(): Promise<QueueStats>;
  close(): Promise<void>;
}

/** Persisted connector state (poll cursors, stream positions), in the same durable store as the queue. */
export interface CursorStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}
