/**
 * The sync loop: claim queued mentions, analyze, resolve and score them, decide cases and leads, and
 * write everything to the CRM in a few batched calls; then finish each mention by its post's outcome.
 *
 * Failure handling, so that every accepted mention ends up in the CRM exactly once:
 * - the whole call failed because of the org (down, session expired, API allowance spent): the batch is
 *   released without counting a delivery and the loop pauses with growing backoff — an outage of any
 *   length loses nothing and dead-letters nothing;
 * - one record was rejected for its data: that mention goes to the dead letters with the org's reason;
 * - one record failed for the moment (row lock): that mention is retried with backoff.
 * Approaching the daily API limit (SYNC_API_BUDGET, 90 % by default) pauses the loop until the org's
 * usage falls, rather than spending the allowance other integrations share.
 *
 * A backlog (a backfill, the org back after an outage) is worked off in larger batches, `bulkBatchSize`
 * mentions at a time, which the CRM adapter writes with Bulk API 2.0 jobs: a few calls per object
 * whatever the size, instead of one call per 1,000 records.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isAppError } from '../domain/errors.ts';
import { mentionExternalId, personaExternalId, type Mention } from '../domain/mention.ts';
import type { MentionQueue, QueuedMention } from '../intake/mention-queue.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { decideCase, wantsAlert, type CaseRules, type ExistingCase } from './case-rules.ts';
import type { CrmPort, FieldLimit, PersonRecord, RecordWrite, WriteResult } from './crm-port.ts';
import type { Analyze, IdentityService, InboxIntake, PersonRollup, ScoringService } from './ports.ts';
import { buildWritePlan, type ProcessedMention } from './write-plan.ts';

/** Needs-reply mentions posted longer ago than this are checked against the org before they enter the inbox. */
const REINGEST_CHECK_AFTER_MS = 10 * 60_000;

export interface SyncWorkerOptions {
  /** Most mentions written per cycle (5 collections of 200 fit one composite call). */
  batchSize: number;
  /** How long a claim is held before another worker may take it over. */
  leaseMs: number;
  /** How long to wait for more mentions to fill a batch once one is waiting. */
  flushWindowMs: number;
  /** A batch this large is worth a call at once; smaller ones wait for more while mentions keep coming. */
  targetBatch: number;
  /** The longest a mention waits for its batch to fill. */
  maxFlushMs: number;
  /** Pause when this share of the org's daily API allowance is used. */
  apiBudget: number;
  /** Backoff bounds while the org is unreachable or refuses us. */
  pauseMinMs: number;
  pauseMaxMs: number;
  /** With this many mentions waiting, claim `bulkBatchSize` at a time (0: never). */
  bulkBacklog: number;
  /** Most mentions written per cycle while working off a backlog. */
  bulkBatchSize: number;
  /**
   * Their lease: Bulk jobs take minutes in a busy org. Longer delays a restart after a crash; shorter lets
   * another instance take the batch over while it is still being written (harmless: upserts, but calls).
   */
  bulkLeaseMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncWorkerOptions = {
  batchSize: 1000,
  // Short: after a crash, what the dead process held comes back this soon (writes are idempotent, so a
  // batch outliving its lease costs calls, never duplicates).
  leaseMs: 30_000,
  flushWindowMs: 250,
  targetBatch: 200,
  maxFlushMs: 2_000,
  apiBudget: 0.9,
  pauseMinMs: 1_000,
  pauseMaxMs: 60_000,
  bulkBacklog: 5_000,
  bulkBatchSize: 20_000,
  bulkLeaseMs: 5 * 60_000,
};

export interface SyncWorkerDeps {
  queue: MentionQueue;
  crm: CrmPort;
  analyze: Analyze;
  identity: IdentityService;
  scoring: ScoringService;
  rules: CaseRules;
  metrics: Metrics;
  logger: Logger;
  now?: () => Date;
  options?: Partial<SyncWorkerOptions>;
  /** Places posts that need an answer in the social inbox (routing rules, reply-time targets). */
  inbox?: InboxIntake;
  /** Told the Ids of the posts each cycle wrote (open record pages show them live). Must not throw. */
  onSynced?: (postIds: readonly string[]) => void;
}

export interface SyncHealth {
  status: 'running' | 'paused' | 'stopped';
  reason: string | null;
  hint: string | null;
  lastSyncAt: string | null;
  consecutiveFailures: number;
}

const WRITTEN_TYPES = ['Social_Post__c', 'Social_Persona__c', 'Case', 'Lead'] as const;
/** Post keys this process wrote recently, so replies can link to their parent without a query. */
const KNOWN_POSTS_MAX = 50_000;

function threadKeyOf(mention: Mention): string {
  return `${mention.network}:${mention.threadRootId ?? mention.inReplyToId ?? mention.id}`;
}

export class SyncWorker {
  readonly #deps: SyncWorkerDeps;
  readonly #options: SyncWorkerOptions;
  readonly #now: () => Date;
  readonly #knownPosts = new Set<string>();
  readonly #threadCases = new Map<string, ExistingCase>();
  #limits: Map<string, Map<string, FieldLimit>> | null = null;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #nudgeable = false;
  #health: SyncHealth = {
    status: 'stopped',
    reason: null,
    hint: null,
    lastSyncAt: null,
    consecutiveFailures: 0,
  };

  constructor(deps: SyncWorkerDeps) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_SYNC_OPTIONS, ...deps.options };
    this.#now = deps.now ?? (() => new Date());
  }

  health(): SyncHealth {
    return { ...this.#health };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#health = { ...this.#health, status: 'running' };
    this.#loop = this.#run();
  }

  /**
   * New mentions were queued: cut an idle wait short. Not a pause: new mentions change nothing a pause
   * waits for (the org back, its usage down), and waking for each would spend an API call per mention.
   */
  nudge(): void {
    if (this.#nudgeable) this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    this.#health = { ...this.#health, status: 'stopped' };
  }

  /** Waits `ms`; `stop()` always ends the wait, `nudge()` only when `nudgeable`. */
  async #idle(ms: number, nudgeable = true): Promise<void> {
    const controller = new AbortController();
    this.#wake = () => controller.abort();
    this.#nudgeable = nudgeable;
    await sleep(ms, undefined, { signal: controller.signal }).catch(() => undefined);
    this.#wake = null;
    this.#nudgeable = false;
  }

  async #run(): Promise<void> {
    let pauseMs = this.#options.pauseMinMs;
    while (this.#running) {
      try {
        const budget = this.#overBudget();
        if (budget) {
          this.#pause(
            budget,
            'It resumes by itself when the org reports lower usage (the allowance resets daily).',
          );
          await this.#idle(this.#options.pauseMaxMs, false);
          // One cheap call to learn the org's usage now (it only arrives with responses).
          await this.#deps.crm.refreshUsage().catch(() => undefined);
          continue;
        }
        const processed = await this.runOnce();
        await this.#updateGauges();
        pauseMs = this.#options.pauseMinMs;
        if (processed === 0) {
          // Nothing left to wait for: a pause that ended with an empty queue is over too.
          if (this.#health.status === 'paused')
            this.#health = { ...this.#health, status: 'running', reason: null, hint: null };
          await this.#idle(this.#options.flushWindowMs);
        }
      } catch (error) {
        this.#health.consecutiveFailures += 1;
        this.#deps.logger.warn({ err: error }, 'sync cycle failed; pausing');
        await this.#idle(pauseMs, false);
        pauseMs = Math.min(this.#options.pauseMaxMs, pauseMs * 2);
      }
    }
  }

  #overBudget(): string | null {
    const usage = this.#deps.crm.apiUsage();
    if (!usage || usage.limit <= 0) return null;
    const share = usage.used / usage.limit;
    return share >= this.#options.apiBudget
      ? `the org has used ${usage.used} of ${usage.limit} API requests today (${Math.round(share * 100)} %), over the sync's budget of ${Math.round(this.#options.apiBudget * 100)} %`
      : null;
  }

  #pause(reason: string, hint: string): void {
    if (this.#health.status !== 'paused' || this.#health.reason !== reason) {
      this.#deps.logger.warn({ reason }, 'sync paused');
    }
    this.#health = { ...this.#health, status: 'paused', reason, hint };
  }

  async #updateGauges(): Promise<void> {
    const stats = await this.#deps.queue.stats();
    this.#deps.metrics.queueDepth.set(stats.depth);
    this.#deps.metrics.syncLagSeconds.set(stats.oldestAgeSeconds);
    this.#deps.metrics.deadLetters.set(stats.deadLetters);
  }

  /** One cycle: claims up to a batch, syncs it, and returns how many mentions it handled. */
  async runOnce(): Promise<number> {
    const { queue } = this.#deps;
    const { bulkBacklog } = this.#options;
    // While the org keeps failing us, stay small: a failed cycle releases all it claimed.
    const stats = bulkBacklog > 0 && this.#health.consecutiveFailures === 0 ? await queue.stats() : null;
    const backlog = stats !== null && stats.depth - stats.inFlight >= bulkBacklog;
    const [limit, leaseMs] = backlog
      ? [Math.max(this.#options.batchSize, this.#options.bulkBatchSize), this.#options.bulkLeaseMs]
      : [this.#options.batchSize, this.#options.leaseMs];
    let items = await queue.claim(limit, leaseMs);
    if (items.length === 0) return 0;
    // Fewer, fuller calls: while mentions keep arriving, wait in flush windows for the batch to fill up
    // to `targetBatch`, but never longer than `maxFlushMs`; a lone mention waits one window only.
    let waited = 0;
    while (items.length < this.#options.targetBatch && waited < this.#options.maxFlushMs) {
      await sleep(this.#options.flushWindowMs);
      waited += this.#options.flushWindowMs;
      const more = await queue.claim(limit - items.length, leaseMs);
      items = [...items, ...more];
      if (more.length === 0) break;
    }
    try {
      await this.#sync(items);
      this.#health = {
        status: 'running',
        reason: null,
        hint: null,
        lastSyncAt: this.#now().toISOString(),
        consecutiveFailures: 0,
      };
    } catch (error) {
      // The org failed us as a whole: not these mentions' fault. Back to the queue, uncounted.
      await queue.release(
        items.map((i) => i.seq),
        this.#options.pauseMinMs,
      );
      if (isAppError(error)) {
        this.#pause(error.message, error.hint ?? 'The sync retries by itself; nothing is lost meanwhile.');
      }
      throw error;
    }
    return items.length;
  }

  async #fieldLimits(): Promise<Map<string, Map<string, FieldLimit>>> {
    if (!this.#limits) {
      const limits = new Map<string, Map<string, FieldLimit>>();
      for (const type of WRITTEN_TYPES) limits.set(type, await this.#deps.crm.fieldLimits(type));
      this.#limits = limits;
    }
    return this.#limits;
  }

  async #sync(items: readonly QueuedMention[]): Promise<void> {
    const { crm, identity, scoring, rules, analyze } = this.#deps;
    const limits = await this.#fieldLimits();
    await identity.refreshIfDue();
    const now = this.#now();

    const first = items.map((item) => ({
      item,
      analysis: analyze(item.mention.text, item.mention.languageHint),
      resolution: identity.resolve(item.mention),
      threadKey: threadKeyOf(item.mention),
    }));
    const scores = scoring.observe(first.map((a) => ({ mention: a.item.mention, analysis: a.analysis })));
    const analyzed = first.map((a, i) => ({ ...a, scores: scores[i]! }));

    // Cases already tied to the threads replied in (one query for the batch, cached after). A new post
    // starts its own thread, so only replies can meet an existing case.
    const unknownThreads = analyzed
      .filter((a) => a.item.mention.inReplyToId !== null)
      .map((a) => a.threadKey)
      .filter((k) => !this.#threadCases.has(k));
    if (rules.enabled && unknownThreads.length > 0) {
      for (const c of await crm.findThreadCases(unknownThreads)) {
        this.#threadCases.set(c.key, {
          id: c.id,
          key: c.key,
          isClosed: c.isClosed,
          closedAt: c.closedAt ? new Date(c.closedAt) : null,
        });
      }
    }

    // Cases this batch opens, by thread: later posts of the thread join them. Cached only once written.
    const batchCases = new Map<string, ExistingCase>();
    const rollups = new Map<string, { person: PersonRecord; rollup: PersonRollup }>();
    const processed: ProcessedMention[] = analyzed.map(
      ({ item, analysis, resolution, scores, threadKey }) => {
        const mention = item.mention;
        const person = resolution.link?.person ?? null;
        const decision = decideCase(
          {
            analysis,
            influence: scores.influence,
            knownCustomer: person?.type === 'Contact',
            threadKey,
            existing: batchCases.get(threadKey) ?? this.#threadCases.get(threadKey) ?? null,
            now,
          },
          rules,
        );
        if (decision.action === 'open' || decision.action === 'reopen') {
          batchCases.set(threadKey, { id: '', key: decision.key, isClosed: false, closedAt: null });
        }
        if (person) {
          const current = rollups.get(person.id)?.person ?? person;
          const rollup = scoring.rollup(current, {
            personaKey: personaExternalId(mention),
            sentimentScore: analysis.sentiment.score,
            at: mention.createdAt,
            influence: scores.influence,
          });
          rollups.set(person.id, {
            person: {
              ...current,
              influence: rollup.influence,
              sentiment: rollup.sentiment,
              lastActivity: rollup.lastActivity,
            },
            rollup,
          });
        }
        // Only parents already in the org are linked: records of one request cannot see each other.
        const parentKey = mention.inReplyToId ? `${mention.network}:${mention.inReplyToId}` : null;
        return {
          seq: item.seq,
          mention,
          analysis,
          identity: resolution,
          scores,
          threadKey,
          caseDecision: decision,
          newLeadKey: !person && analysis.intent === 'purchase_intent' ? personaExternalId(mention) : null,
          inReplyToKey: parentKey && this.#knownPosts.has(parentKey) ? parentKey : null,
        };
      },
    );
    const router = (await this.#deps.inbox?.router()) ?? null;
    if (router) {
      // A post the org already has keeps its place in the inbox (an agent may have answered or closed it):
      // a backfill or a replayed delivery must not open it again. Live mentions are new; only those
      // older than a few minutes are looked up (one query per 100), so live traffic spends no extra call.
      const cutoff = now.getTime() - REINGEST_CHECK_AFTER_MS;
      const older = processed
        .filter((pm) => pm.analysis.needsReply && Date.parse(pm.mention.createdAt) < cutoff)
        .map((pm) => mentionExternalId(pm.mention));
      const known = older.length > 0 ? await crm.existingPosts(older) : new Set<string>();
      for (const pm of processed) {
        if (!pm.analysis.needsReply || known.has(mentionExternalId(pm.mention))) continue;
        pm.inbox = router.place({
          network: pm.mention.network,
          text: pm.mention.text,
          language: pm.analysis.language,
          intent: pm.analysis.intent,
          sentiment: pm.analysis.sentiment.label,
          influence: pm.scores.influence,
          accountId: pm.identity.link?.person.accountId ?? null,
          contactId: pm.identity.link?.person.type === 'Contact' ? pm.identity.link.person.id : null,
          receivedAt: new Date(pm.mention.createdAt),
        });
      }
    }
    const writes = buildWritePlan(processed, { limits, rollups });
    const results = await crm.write(writes);
    await this.#finish(processed, results);
  }

  async #finish(processed: readonly ProcessedMention[], results: readonly WriteResult[]): Promise<void> {
    const { queue, metrics, identity, rules, crm, logger } = this.#deps;
    const bySeq = new Map<number, WriteResult[]>();
    for (const result of results) {
      for (const seq of result.write.seqs) bySeq.set(seq, [...(bySeq.get(seq) ?? []), result]);
    }
    const done: number[] = [];
    const syncedPostIds: string[] = [];
    const alerts: RecordWrite[] = [];
    for (const pm of processed) {
      const own = bySeq.get(pm.seq) ?? [];
      const post = own.find((r) => r.write.role === 'post');
      if (post?.ok) {
        done.push(pm.seq);
        if (post.id) syncedPostIds.push(post.id);
        metrics.mentionsSynced.inc({ network: pm.mention.network });
        this.#rememberPost(mentionExternalId(pm.mention));
        if (pm.identity.link) identity.remember(personaExternalId(pm.mention), pm.identity.link.person);
        const caseResult = own.find((r) => r.write.role === 'case');
        if (caseResult?.ok && caseResult.id && pm.caseDecision.action !== 'none') {
          this.#threadCases.set(pm.threadKey, {
            id: caseResult.id,
            key: pm.caseDecision.key,
            isClosed: false,
            closedAt: null,
          });
        }
        if (post.created && wantsAlert({ analysis: pm.analysis, influence: pm.scores.influence }, rules)) {
          alerts.push(this.#alert(pm, caseResult?.id ?? null));
        }
        continue;
      }
      // A post that failed because a record it depends on failed carries that record's reason too.
      const failures = own.filter((r) => !r.ok && r.error);
      const reason = failures.map((r) => `${r.write.role} ${r.error!.code}: ${r.error!.message}`).join('; ');
      if (post?.error?.transient) {
        await queue.retry(pm.seq, reason);
      } else {
        logger.warn(
          { seq: pm.seq, key: mentionExternalId(pm.mention), reason },
          'the org rejected a mention; dead-lettered',
        );
        await queue.deadLetter(pm.seq, reason || 'the org gave no result for this post');
      }
    }
    if (done.length > 0) await queue.complete(done);
    if (syncedPostIds.length > 0) this.#deps.onSynced?.(syncedPostIds);
    if (alerts.length > 0) {
      // Alerts follow the posts that caused them: a Task for the record owner, created once per new post.
      const outcome = await crm.write(alerts).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not create alert tasks');
        return [];
      });
      for (const r of outcome) if (!r.ok) logger.warn({ error: r.error }, 'alert task rejected');
    }
  }

  #alert(pm: ProcessedMention, caseId: string | null): RecordWrite {
    const person = pm.identity.link?.person ?? null;
    const fields: Record<string, unknown> = {
      Subject: `High-influence complaint on ${pm.mention.network}: @${pm.mention.author.handle}`.slice(
        0,
        255,
      ),
      Description: `${pm.mention.url ?? ''}\n\n${pm.mention.text}`.trim(),
      Priority: 'High',
      Status: 'Not Started',
      ActivityDate: this.#now().toISOString().slice(0, 10),
      Type: 'Other',
    };
    if (person) fields['WhoId'] = person.id;
    if (person?.ownerId && person.ownerId.startsWith('005')) fields['OwnerId'] = person.ownerId;
    if (caseId) fields['WhatId'] = caseId;
    return { role: 'alert', type: 'Task', op: 'create', seqs: [], fields };
  }

  #rememberPost(key: string): void {
    if (this.#knownPosts.size >= KNOWN_POSTS_MAX) {
      const oldest = this.#knownPosts.values().next().value;
      if (oldest !== undefined) this.#knownPosts.delete(oldest);
    }
    this.#knownPosts.add(key);
  }
}
