/**
 * Sends replies exactly once. It learns of due replies by polling the org (and sooner when nudged:
 * a reply submitted here, or a change event from the org), takes one attempt of a reply by creating its
 * claim (a unique key: of several server instances only one wins), sends through the network's sender,
 * and writes the outcome back.
 *
 * Exactly once, case by case:
 * - a double submit, a retried request: one record (the idempotency key is unique in the org);
 * - two instances: one claim per attempt, and an attempt is taken only after the last one expired;
 * - a crash between sending and recording: the claim expires, the next attempt first looks on the
 *   network for the reply already published (`findSent`) and records that instead of sending again;
 * - a send still in flight when its claim expires: a send starts only with at least half the lease
 *   left and is aborted by the network client well within it.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Network } from '../domain/mention.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { checkReply, networkName, outgoingText, type OwnHandles } from './network-rules.ts';
import { SendError, type ReplySender, type ReplyStore, type SendClaim, type SendRequest } from './ports.ts';
import { FINAL_STATUSES, responseMinutes, type OutboundReply, type PublishedReply } from './reply.ts';
import { needsApproval, type ApprovalRules } from './reply-service.ts';

/** "This reply is due": its Id and the status that made it so. */
export interface ReplyNotice {
  id: string;
  status: string;
}

export interface ReplyDispatcherOptions {
  /** How often the org is asked for due replies when nothing nudges (change events make it rarer). */
  pollMs: number;
  /** How long one attempt holds a reply. */
  leaseMs: number;
  /** Replies looked at per round. */
  batch: number;
  /** Attempts against an unreachable network before the reply is marked Failed. */
  maxAttempts: number;
  /** First backoff after a network was unreachable (doubles per attempt, at most 15 minutes). */
  backoffMs: number;
}

/** How long a "this reply is due" notice is remembered: two notices of one write come seconds apart. */
const NOTICE_TTL_MS = 60_000;

export const DEFAULT_DISPATCH_OPTIONS: ReplyDispatcherOptions = {
  pollMs: 15_000,
  leaseMs: 60_000,
  batch: 25,
  maxAttempts: 8,
  backoffMs: 30_000,
};

export interface ReplyDispatcherDeps {
  store: ReplyStore;
  senders: ReadonlyMap<Network, ReplySender>;
  own: OwnHandles;
  /** Approval rules, applied to replies written anywhere (the Lightning panel saves them as Pending). */
  approval?: ApprovalRules;
  logger: Logger;
  metrics?: Metrics;
  /** Ids of records whose state changed (the reply, the answered post), for open record pages. */
  onChange?: (ids: readonly string[]) => void;
  /** What to tell the agent when a network has no sender configured. */
  missingSenderHint?: (network: Network) => string;
  options?: Partial<ReplyDispatcherOptions>;
  /** This instance's name in claims. */
  owner?: string;
  now?: () => number;
  /** Test seam: runs after a reply was published and before it is recorded (a crash there is the hard case). */
  afterPublish?: (reply: OutboundReply, published: PublishedReply) => Promise<void>;
}

export class ReplyDispatcher {
  readonly #deps: ReplyDispatcherDeps;
  readonly #options: ReplyDispatcherOptions;
  readonly #owner: string;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = true;
  #stopping = false;
  #lastError: string | null = null;
  /** `<15-character Id>:<status>` notices had lately, with when. */
  readonly #noticed = new Map<string, number>();

  constructor(deps: ReplyDispatcherDeps) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_DISPATCH_OPTIONS, ...deps.options };
    this.#owner = deps.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#now = deps.now ?? Date.now;
  }

  get owner(): string {
    return this.#owner;
  }

  get lastError(): string | null {
    return this.#lastError;
  }

  /**
   * Whether replies can be sent now, for `/api/status`: after a failed round the last error may be old news
   * (the org is back), so one more round is run, or the one in progress awaited, before answering.
   */
  async currentError(): Promise<string | null> {
    if (this.#lastError === null || this.#stopped) return this.#lastError;
    if (!this.#running) this.nudge();
    await this.#running;
    return this.#lastError;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#stopping = false;
    this.nudge();
  }

  /**
   * Told that replies became due (a submit here, then the org's change event for the same write): a
   * second notice of the same reply in the same status is dropped, so one write costs one round.
   */
  nudgeFor(notices: readonly ReplyNotice[]): void {
    const fresh = notices.filter((n) => this.#notice(n));
    if (notices.length > 0 && fresh.length === 0) return;
    this.nudge();
  }

  /** Remembers a notice; false when it was had already. */
  #notice({ id, status }: ReplyNotice): boolean {
    const now = this.#now();
    for (const [key, at] of this.#noticed) if (now - at > NOTICE_TTL_MS) this.#noticed.delete(key);
    const key = `${id.slice(0, 15)}:${status}`;
    if (this.#noticed.has(key)) return false;
    this.#noticed.set(key, now);
    return true;
  }

  /** Looks for due replies now (or right after the round in progress). */
  nudge(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#running = this.#round().finally(() => {
      this.#running = null;
      if (this.#stopped) return;
      if (this.#again) {
        this.#again = false;
        this.nudge();
        return;
      }
      this.#timer = setTimeout(() => this.nudge(), this.#options.pollMs);
      this.#timer.unref();
    });
  }

  /** Stops polling and waits for the round in progress (a send in flight is finished and recorded). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One round: every due reply whose turn it is gets an attempt. Returns how many were attempted. */
  async runOnce(): Promise<number> {
    let attempted = 0;
    const due = await this.#deps.store.due(this.#options.batch);
    if (due.length === 0) return 0;
    const claims = await this.#deps.store.latestClaims(due.map((r) => r.id));
    for (const reply of due) {
      if (this.#stopping) break;
      const latest = claims.get(reply.id);
      // Held by an attempt (ours or another instance's), or waiting out a rate limit.
      if (latest && latest.expiresAt.getTime() > this.#now()) continue;
      const claim = await this.#deps.store.createClaim({
        replyId: reply.id,
        attempt: (latest?.attempt ?? 0) + 1,
        owner: this.#owner,
        expiresAt: new Date(this.#now() + this.#options.leaseMs),
      });
      if (!claim) continue; // another instance took this attempt a moment ago
      attempted += 1;
      await this.#attempt(reply, claim);
    }
    return attempted;
  }

  async #round(): Promise<void> {
    try {
      await this.runOnce();
      this.#lastError = null;
    } catch (error) {
      this.#lastError = error instanceof Error ? error.message : String(error);
      this.#deps.logger.warn({ err: error }, 'reply round failed; retrying at the next poll');
    }
  }

  async #attempt(listed: OutboundReply, claim: SendClaim): Promise<void> {
    const { store, logger } = this.#deps;
    // A first attempt acts on the list just read: nobody else held the reply before. A later one reads
    // it again under its claim, as an earlier attempt may have finished since the list was read.
    const reply = claim.attempt === 1 ? listed : await store.reply(listed.id);
    if (!reply || FINAL_STATUSES.includes(reply.status) || reply.status === 'Pending Approval') return;
    const target = reply.target;
    if (!target) {
      await this.#fail(
        reply,
        'The post this reply answers was deleted in the org, so there is nothing to answer.',
      );
      return;
    }
    const verdict = checkReply(target, reply.text, this.#deps.own);
    if (!verdict.ok) {
      await this.#fail(reply, verdict.reason);
      return;
    }
    // Approved replies have had their approval; a Pending one written elsewhere may still need one.
    if (
      reply.status === 'Pending' &&
      this.#deps.approval &&
      (await needsApproval(target, reply.createdById, this.#deps.approval, store))
    ) {
      await store.update(reply.id, { status: 'Pending Approval', failureReason: null });
      this.#deps.logger.info({ replyId: reply.id }, 'reply waits for approval');
      this.#deps.onChange?.([reply.id]);
      return;
    }
    const sender = this.#deps.senders.get(target.network);
    if (!sender) {
      const hint = this.#deps.missingSenderHint?.(target.network) ?? 'ask your admin to configure it';
      await this.#fail(reply, `This sync server cannot post to ${networkName(target.network)}: ${hint}.`);
      return;
    }
    if (claim.expiresAt.getTime() - this.#now() < this.#options.leaseMs / 2) return; // too late to start safely
    await store.update(reply.id, { status: 'Sending', failureReason: null });
    this.#deps.onChange?.([reply.id]);
    const request: SendRequest = {
      replyId: reply.id,
      idempotencyKey: reply.idempotencyKey,
      text: outgoingText(target, reply.text),
      target,
      createdAt: reply.createdAt,
    };
    try {
      if (claim.attempt > 1) {
        const earlier = await sender.findSent(request);
        if (earlier) {
          logger.info(
            { replyId: reply.id, network: target.network },
            'reply was already published by an earlier attempt; recording it',
          );
          this.#deps.metrics?.replies.inc({ network: target.network, outcome: 'reconciled' });
          await this.#recordSent(reply, earlier);
          return;
        }
      }
      const published = await sender.send(request);
      await this.#deps.afterPublish?.(reply, published);
      await this.#recordSent(reply, published);
    } catch (error) {
      if (!(error instanceof SendError)) throw error;
      await this.#handleSendError(reply, claim, error);
    }
  }

  async #recordSent(reply: OutboundReply, published: PublishedReply): Promise<void> {
    const sentAt = new Date(this.#now());
    const target = reply.target!;
    const firstResponse = target.repliedAt ? null : responseMinutes(target.postedAt, sentAt);
    await this.#deps.store.markSent({ reply, published, sentAt, firstResponseMinutes: firstResponse });
    const metrics = this.#deps.metrics;
    metrics?.replies.inc({ network: target.network, outcome: 'sent' });
    metrics?.replySendSeconds.observe(
      { network: target.network },
      Math.max(0, (sentAt.getTime() - Date.parse(reply.createdAt)) / 1000),
    );
    if (firstResponse !== null) {
      metrics?.firstResponseMinutes.observe({ network: target.network }, firstResponse);
      const due = target.replyDueAt ? Date.parse(target.replyDueAt) : NaN;
      const met = Number.isFinite(due) ? (sentAt.getTime() <= due ? 'yes' : 'no') : 'none';
      metrics?.firstResponseSeconds.observe(
        { network: target.network, target_met: met },
        Math.max(0, (sentAt.getTime() - Date.parse(target.postedAt ?? reply.createdAt)) / 1000),
      );
    }
    this.#deps.logger.info(
      { replyId: reply.id, network: target.network, postId: published.networkPostId },
      'reply sent',
    );
    this.#deps.onChange?.([reply.id, target.id]);
  }

  async #fail(reply: OutboundReply, reason: string): Promise<void> {
    await this.#deps.store.update(reply.id, { status: 'Failed', failureReason: reason });
    this.#deps.metrics?.replies.inc({ network: reply.target?.network ?? 'x', outcome: 'failed' });
    this.#deps.logger.info({ replyId: reply.id }, 'reply failed');
    this.#deps.onChange?.([reply.id]);
  }

  async #handleSendError(reply: OutboundReply, claim: SendClaim, error: SendError): Promise<void> {
    const network = reply.target!.network;
    const name = networkName(network);
    if (error.kind === 'rejected') {
      await this.#fail(reply, `${name} refused the reply: ${error.message}`);
      return;
    }
    if (error.kind === 'auth') {
      await this.#fail(
        reply,
        `${name} refused our account's credentials (${error.message}). Ask your admin to renew the ${name} token of the sync server, then send the reply again.`,
      );
      return;
    }
    let retryAt: Date;
    let reason: string;
    if (error.kind === 'rate_limited') {
      retryAt = error.retryAt ?? new Date(this.#now() + 60_000);
      reason = `${name} rate limit reached: it goes out automatically at ${retryAt.toISOString().slice(11, 16)} UTC.`;
    } else {
      if (claim.attempt >= this.#options.maxAttempts) {
        await this.#fail(
          reply,
          `${name} could not be reached after ${claim.attempt} attempts (${error.message}). Send it again later.`,
        );
        return;
      }
      const backoff = Math.min(this.#options.backoffMs * 2 ** (claim.attempt - 1), 15 * 60_000);
      retryAt = new Date(this.#now() + backoff);
      reason = `${name} could not be reached (${error.message}): trying again at ${retryAt.toISOString().slice(11, 19)} UTC.`;
    }
    // The claim holds the reply until then; the next attempt looks on the network before sending.
    await this.#deps.store.extendClaim(claim.id, retryAt);
    this.#notice({ id: reply.id, status: 'Queued' }); // our own write's change event is no news
    await this.#deps.store.update(reply.id, { status: 'Queued', failureReason: reason });
    this.#deps.metrics?.replies.inc({ network, outcome: 'queued' });
    this.#deps.logger.info(
      { replyId: reply.id, network, retryAt: retryAt.toISOString(), kind: error.kind },
      'reply queued',
    );
    this.#deps.onChange?.([reply.id]);
    // Come back when it is due (the poll would too, but maybe later).
    if (!this.#stopped)
      setTimeout(() => this.nudge(), Math.max(0, retryAt.getTime() - this.#now()) + 50).unref();
  }
}
