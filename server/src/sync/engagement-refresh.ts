/**
 * The engagement refresher: a post's likes, reposts, replies and quotes are read once when the post
 * arrives (usually all zero), so every so often the recent posts of each persona are read again from
 * their network, the authors re-scored (influence.ts, advocacy.ts) and the new scores written to their
 * Social_Persona__c (and the influence roll-up to their Contact or Lead) in the sync's batched writes.
 *
 * What is read: each persona's latest `postsPerPersona` posts younger than `maxAgeDays`, least recently
 * read first (StreamingScores.refreshTargets), in each network's batches (`EngagementReader.batchSize`:
 * X 100 ids per `GET /2/tweets`, Bluesky 25 URIs per `app.bsky.feed.getPosts`, Mastodon one status per
 * `GET /api/v1/statuses/:id`).
 *
 * Limits, per network:
 * - the network's own rate limit: the remaining calls and reset time its last answer gave
 *   (`x-rate-limit-*`, `X-RateLimit-*`); at 0 remaining nothing is sent until the reset; a 429 waits for the
 *   reset it names (or the interval);
 * - our budget: at most `callsPerHour` calls in any sliding hour, so the refresher never eats the rate
 *   limit the connectors' polls and replies need;
 * - a network that fails (down, refused, 5xx, token rejected) is left alone for a growing pause (one
 *   interval, doubling up to an hour) and reported in `state` with its error; its posts keep their last
 *   reading and stay due, so the next run that reaches the network reads them: nothing is lost.
 * Personas whose advocacy changed by someone else's post (a confirmed answer) are written in the same run.
 *
 * `refreshNow()` runs one pass (tests call it; the interval calls it too); `start()`/`stop()` run it every
 * `everyMinutes`. Writes that fail are retried on the next run (the personas stay marked). Metrics:
 * `socialcrm_engagement_refresh_calls_total{network,outcome}` (ok, rate_limited, failed),
 * `socialcrm_engagement_posts_read_total{network}`, `socialcrm_engagement_budget_remaining{network}`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import type { Engagement, Network } from '../domain/mention.ts';
import type { Logger } from '../observability/logger.ts';
import type { CrmPort, RecordWrite } from './crm-port.ts';
import type { RefreshTarget, Rescored } from './scores.ts';

export const EngagementRefreshConfig = z
  .object({
    /** Minutes between passes; 0 turns the refresher off. */
    everyMinutes: z.number().min(0).max(1440).default(15),
    /** Calls each network may get from the refresher in any hour. */
    callsPerHour: z.number().int().min(1).max(100_000).default(120),
    /** A persona's latest posts read again. */
    postsPerPersona: z.number().int().min(1).max(100).default(10),
    /** Posts older than this are no longer read. */
    maxAgeDays: z.number().min(0.01).max(90).default(7),
    /**
     * The Bluesky AppView that serves `app.bsky.feed.getPosts` (public, no sign-in), or `off` where there
     * is none (a private network without an AppView: Bluesky posts are then listed as unsupported).
     */
    blueskyAppView: z
      .union([z.literal('off'), z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''))])
      .default('https://public.api.bsky.app'),
  })
  .strict();
export type EngagementRefreshConfig = z.infer<typeof EngagementRefreshConfig>;

/** What a network said about one batch of posts. */
export interface EngagementRead {
  /** Post id → its engagement now. */
  metrics: Map<string, Engagement>;
  /** The network's rate limit after this call, if it said. */
  rateLimit: { remaining: number; resetAt: number } | null;
}

/** Why a read failed: `rate_limited` carries when to try again; the others pause the network. */
export class EngagementReadError extends Error {
  readonly kind: 'rate_limited' | 'unauthorized' | 'unavailable';
  readonly retryAt: number | null;
  constructor(kind: EngagementReadError['kind'], message: string, retryAt: number | null = null) {
    super(message);
    this.name = 'EngagementReadError';
    this.kind = kind;
    this.retryAt = retryAt;
  }
}

/** Reads the engagement of posts on one network (connectors/<network>/…-engagement.ts). */
export interface EngagementReader {
  readonly network: Network;
  /** Most post ids per call. */
  readonly batchSize: number;
  read(postIds: readonly string[]): Promise<EngagementRead>;
}

/** What the refresher needs of the scores (sync/scores.ts StreamingScores). */
export interface RefreshableScores {
  refreshTargets(options: { perPersona: number; maxAgeMs: number }): RefreshTarget[];
  applyEngagement(personaKey: string, postId: string, engagement: Engagement): boolean;
  markRead(personaKey: string, postId: string): void;
  takeChanged(): string[];
  rescore(personaKeys: Iterable<string>): Rescored[];
}

export interface NetworkRefreshState {
  network: Network;
  /** Calls in the last hour, and what the budget leaves. */
  callsLastHour: number;
  budgetLeft: number;
  /** From the network's last answer. */
  rateLimitRemaining: number | null;
  rateLimitResetAt: string | null;
  /** Nothing is sent before this (a rate limit's reset, or the pause after a failure). */
  pausedUntil: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  consecutiveFailures: number;
  postsRead: number;
  /** Posts due but not read in the last pass (budget, rate limit or failure): read in a later pass. */
  pending: number;
}

export interface EngagementRefreshState {
  enabled: boolean;
  lastRunAt: string | null;
  lastRunMs: number | null;
  /** Calls in the last pass, all networks. */
  lastRunCalls: number;
  personasRescored: number;
  personaWriteFailures: number;
  /** Networks with recent posts but no reader configured. */
  unsupported: Network[];
  networks: NetworkRefreshState[];
}

export interface RefreshReport {
  calls: number;
  postsRead: number;
  personasRescored: number;
  pending: number;
  budgetExhausted: Network[];
  rateLimited: Network[];
  failed: Network[];
}

export interface EngagementRefresherDeps {
  scores: RefreshableScores;
  readers: readonly EngagementReader[];
  crm: Pick<CrmPort, 'write'>;
  config: EngagementRefreshConfig;
  logger: Logger;
  registry?: Registry;
  now?: () => number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

interface NetworkRuntime {
  reader: EngagementReader;
  calls: number[];
  rateLimit: { remaining: number; resetAt: number } | null;
  pausedUntil: number;
  lastError: string | null;
  lastErrorAt: number | null;
  failures: number;
  postsRead: number;
  pending: number;
}

export class EngagementRefresher {
  readonly #deps: EngagementRefresherDeps;
  readonly #now: () => number;
  readonly #networks = new Map<Network, NetworkRuntime>();
  /** Personas to write whose last write failed, or that changed without a post of theirs. */
  readonly #toWrite = new Set<string>();
  readonly #metrics: {
    calls: Counter<'network' | 'outcome'>;
    posts: Counter<'network'>;
    budget: Gauge<'network'>;
  } | null;
  #state: Omit<EngagementRefreshState, 'networks' | 'enabled'> = {
    lastRunAt: null,
    lastRunMs: null,
    lastRunCalls: 0,
    personasRescored: 0,
    personaWriteFailures: 0,
    unsupported: [],
  };
  #running: Promise<RefreshReport> | null = null;
  #loop: Promise<void> | null = null;
  #stop: AbortController | null = null;

  constructor(deps: EngagementRefresherDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    for (const reader of deps.readers) {
      this.#networks.set(reader.network, {
        reader,
        calls: [],
        rateLimit: null,
        pausedUntil: 0,
        lastError: null,
        lastErrorAt: null,
        failures: 0,
        postsRead: 0,
        pending: 0,
      });
    }
    const registry = deps.registry;
    this.#metrics = registry
      ? {
          calls: new Counter({
            name: 'socialcrm_engagement_refresh_calls_total',
            help: 'Calls the engagement refresher made to a network, by outcome (ok, rate_limited, failed)',
            labelNames: ['network', 'outcome'],
            registers: [registry],
          }),
          posts: new Counter({
            name: 'socialcrm_engagement_posts_read_total',
            help: 'Posts whose engagement the refresher read again',
            labelNames: ['network'],
            registers: [registry],
          }),
          budget: new Gauge({
            name: 'socialcrm_engagement_budget_remaining',
            help: 'Calls the refresher may still make to a network in the current hour',
            labelNames: ['network'],
            registers: [registry],
          }),
        }
      : null;
  }

  get state(): EngagementRefreshState {
    const now = this.#now();
    const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
    return {
      enabled: this.#deps.config.everyMinutes > 0,
      ...this.#state,
      networks: [...this.#networks.values()].map((n) => {
        const used = this.#callsLastHour(n, now);
        return {
          network: n.reader.network,
          callsLastHour: used,
          budgetLeft: Math.max(0, this.#deps.config.callsPerHour - used),
          rateLimitRemaining: n.rateLimit?.remaining ?? null,
          rateLimitResetAt: iso(n.rateLimit?.resetAt ?? null),
          pausedUntil: n.pausedUntil > now ? iso(n.pausedUntil) : null,
          lastError: n.lastError,
          lastErrorAt: iso(n.lastErrorAt),
          consecutiveFailures: n.failures,
          postsRead: n.postsRead,
          pending: n.pending,
        };
      }),
    };
  }

  start(): void {
    if (this.#loop || this.#deps.config.everyMinutes <= 0) return;
    const stop = new AbortController();
    this.#stop = stop;
    const everyMs = this.#deps.config.everyMinutes * 60_000;
    this.#loop = (async () => {
      while (!stop.signal.aborted) {
        await sleep(everyMs, undefined, { signal: stop.signal }).catch(() => undefined);
        if (stop.signal.aborted) break;
        await this.refreshNow().catch((error: unknown) => {
          this.#deps.logger.warn({ err: error }, 'engagement refresh failed');
        });
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stop?.abort();
    await this.#loop;
    await this.#running?.catch(() => undefined);
    this.#loop = null;
  }

  /** One pass now (a pass already under way is joined, not doubled). */
  refreshNow(): Promise<RefreshReport> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  #callsLastHour(n: NetworkRuntime, now: number): number {
    while (n.calls.length > 0 && n.calls[0]! <= now - HOUR_MS) n.calls.shift();
    return n.calls.length;
  }

  async #pass(): Promise<RefreshReport> {
    const started = this.#now();
    const { config, scores, logger } = this.#deps;
    const targets = scores.refreshTargets({
      perPersona: config.postsPerPersona,
      maxAgeMs: config.maxAgeDays * DAY_MS,
    });
    const byNetwork = new Map<Network, RefreshTarget[]>();
    for (const t of targets) byNetwork.set(t.network, [...(byNetwork.get(t.network) ?? []), t]);
    const report: RefreshReport = {
      calls: 0,
      postsRead: 0,
      personasRescored: 0,
      pending: 0,
      budgetExhausted: [],
      rateLimited: [],
      failed: [],
    };
    const touched = new Set<string>();
    const unsupported: Network[] = [];
    for (const [network, due] of byNetwork) {
      const n = this.#networks.get(network);
      if (!n) {
        unsupported.push(network);
        continue;
      }
      let done = 0;
      const size = Math.max(1, n.reader.batchSize);
      for (let i = 0; i < due.length; i += size) {
        const now = this.#now();
        if (n.pausedUntil > now) {
          report.rateLimited.push(network);
          break;
        }
        if (n.rateLimit && n.rateLimit.remaining <= 0 && n.rateLimit.resetAt > now) {
          n.pausedUntil = n.rateLimit.resetAt;
          report.rateLimited.push(network);
          break;
        }
        if (this.#callsLastHour(n, now) >= config.callsPerHour) {
          report.budgetExhausted.push(network);
          break;
        }
        const batch = due.slice(i, i + size);
        n.calls.push(now);
        report.calls += 1;
        try {
          const read = await n.reader.read(batch.map((t) => t.postId));
          n.rateLimit = read.rateLimit;
          n.failures = 0;
          n.lastError = null;
          this.#metrics?.calls.inc({ network, outcome: 'ok' });
          for (const t of batch) {
            const engagement = read.metrics.get(t.postId);
            // A post the network did not return (deleted, or unknown to the AppView) keeps its last
            // reading; marked read so the others come first next time, and it ages out by itself.
            if (engagement) {
              if (scores.applyEngagement(t.personaKey, t.postId, engagement)) touched.add(t.personaKey);
            } else {
              scores.markRead(t.personaKey, t.postId);
            }
          }
          done += batch.length;
          n.postsRead += read.metrics.size;
          report.postsRead += read.metrics.size;
          this.#metrics?.posts.inc({ network }, read.metrics.size);
        } catch (error) {
          const kind = error instanceof EngagementReadError ? error.kind : 'unavailable';
          const message = error instanceof Error ? error.message : String(error);
          n.lastError = message;
          n.lastErrorAt = now;
          this.#metrics?.calls.inc({ network, outcome: kind === 'rate_limited' ? 'rate_limited' : 'failed' });
          if (kind === 'rate_limited') {
            const retryAt = error instanceof EngagementReadError ? error.retryAt : null;
            n.pausedUntil = retryAt ?? now + Math.max(60_000, config.everyMinutes * 60_000);
            report.rateLimited.push(network);
          } else {
            n.failures += 1;
            const base = Math.max(60_000, config.everyMinutes * 60_000);
            n.pausedUntil = now + Math.min(HOUR_MS, base * 2 ** (n.failures - 1));
            report.failed.push(network);
            logger.warn(
              { network, kind, error: message },
              'engagement refresh: the network failed; retried later',
            );
          }
          break;
        }
      }
      n.pending = due.length - done;
      report.pending += n.pending;
      this.#metrics?.budget.set(
        { network },
        Math.max(0, config.callsPerHour - this.#callsLastHour(n, this.#now())),
      );
    }

    for (const key of scores.takeChanged()) this.#toWrite.add(key);
    for (const key of touched) this.#toWrite.add(key);
    const rescored = scores.rescore(this.#toWrite);
    report.personasRescored = rescored.length;
    let failures = 0;
    if (rescored.length > 0) failures = await this.#write(rescored);

    this.#state = {
      lastRunAt: new Date(started).toISOString(),
      lastRunMs: this.#now() - started,
      lastRunCalls: report.calls,
      personasRescored: rescored.length,
      personaWriteFailures: failures,
      unsupported,
    };
    return report;
  }

  /** Writes the personas' scores and their people's influence; returns how many personas failed. */
  async #write(rescored: readonly Rescored[]): Promise<number> {
    const writes: RecordWrite[] = rescored.map((r) => ({
      role: 'persona',
      type: 'Social_Persona__c',
      op: 'upsert',
      externalIdField: 'External_Id__c',
      seqs: [],
      fields: {
        External_Id__c: r.personaKey,
        Influence_Score__c: Math.round(r.scores.influence * 100) / 100,
        Advocacy_Score__c: Math.round(r.scores.advocacy * 100) / 100,
      },
    }));
    const people = new Map<string, RecordWrite>();
    for (const r of rescored) {
      if (!r.person) continue;
      people.set(r.person.id, {
        role: 'rollup',
        type: r.person.type,
        op: 'update',
        seqs: [],
        fields: { Id: r.person.id, Social_Influence__c: Math.round(r.person.influence * 100) / 100 },
      });
    }
    // Updates of the two person types must not interleave: each type is its own collection.
    const rollups = [...people.values()].sort((a, b) => a.type.localeCompare(b.type));
    let results;
    try {
      results = await this.#deps.crm.write([...writes, ...rollups]);
    } catch (error) {
      this.#deps.logger.warn({ err: error }, 'engagement refresh: could not write scores; retried next pass');
      return rescored.length; // all stay in #toWrite
    }
    let failed = 0;
    rescored.forEach((r, i) => {
      const result = results[i];
      if (!result?.ok) failed += 1;
      // Written, or refused for its data (no persona under that key): not tried again.
      if (result?.ok || result?.error?.transient === false) this.#toWrite.delete(r.personaKey);
    });
    return failed;
  }
}
