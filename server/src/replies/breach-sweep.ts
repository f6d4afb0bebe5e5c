/**
 * Reply-time targets, kept: every minute the sweep reads the posts past their due time that were not
 * escalated yet (one composite call), and escalates each exactly once — priority one level up, a Task for
 * the routing rule's supervisor with the post and how late it is, and, while a queue still owns the post,
 * a move to the rule's escalation queue. Two server instances sweeping at once escalate each post once
 * (the store claims `escalate:<post Id>` first).
 *
 * The same read gives the inbox's gauges (open and assigned posts), today's share of first responses
 * within target (for /api/status), and claims left on closed posts, which it releases.
 */
import { escalation, type Priority } from '../inbox/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { InboxConfiguration, OrgInboxRouting } from '../salesforce/inbox-routing.ts';
import type {
  Escalation as StoreEscalation,
  OverduePost,
  SalesforceInboxStore,
  SweepState,
} from '../salesforce/inbox-store.ts';

export interface BreachSweepDeps {
  store: Pick<SalesforceInboxStore, 'sweep' | 'escalate' | 'usersByUsername' | 'releaseClaims'>;
  routing: Pick<OrgInboxRouting, 'configuration' | 'contactsFor'>;
  logger: Logger;
  metrics?: Metrics;
  /** Told the posts each sweep escalated (open inboxes and record pages show them live). */
  onChanged?: (postIds: readonly string[]) => void;
  /** Between sweeps; default a minute. */
  intervalMs?: number;
  now?: () => Date;
  /** Start of "today" for the share within target; default midnight UTC. */
  startOfDay?: (now: Date) => Date;
}

export interface TargetsToday {
  /** First responses today, and how many were on time. */
  answered: number;
  withinTarget: number;
  /** withinTarget / (answered with a target); null before any. */
  share: number | null;
}

export interface BreachSweepState {
  lastSweepAt: string | null;
  lastError: string | null;
  open: { open: number; assigned: number } | null;
  today: TargetsToday | null;
  escalatedTotal: number;
}

const NETWORK_NAMES: Readonly<Record<string, string>> = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  facebook: 'Facebook',
  instagram: 'Instagram',
};

/** Task priority of an escalated post (Task has no Urgent). */
const taskPriority = (priority: Priority): 'High' | 'Normal' => (priority === 'Low' ? 'Normal' : 'High');

function taskOf(
  post: OverduePost,
  supervisorId: string,
  to: Priority,
  overdueMinutes: number,
  now: Date,
): Record<string, unknown> {
  const network = NETWORK_NAMES[post.network] ?? post.network;
  const late =
    overdueMinutes < 60
      ? `${overdueMinutes} min`
      : `${Math.floor(overdueMinutes / 60)} h ${overdueMinutes % 60} min`;
  const lines = [
    `A post from @${post.handle} on ${network} was not answered in time: due ${post.dueAt}, now ${late} late.`,
    `Priority raised ${post.priority} → ${to}. Owner: ${post.ownerName ?? post.ownerId}.`,
    `Routed by: ${post.rule ?? 'the default queue'}.`,
    ...(post.url ? [`Post: ${post.url}`] : []),
    `Social post record: ${post.postId}`,
  ];
  return {
    OwnerId: supervisorId,
    Subject: `Overdue social reply: @${post.handle} on ${network}`.slice(0, 255),
    Priority: taskPriority(to),
    Status: 'Not Started',
    ActivityDate: now.toISOString().slice(0, 10),
    Description: lines.join('\n'),
    ...(post.caseId ? { WhatId: post.caseId } : {}),
    ...(post.personId ? { WhoId: post.personId } : {}),
  };
}

export class BreachSweep {
  readonly #deps: BreachSweepDeps;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;
  readonly #state: BreachSweepState = {
    lastSweepAt: null,
    lastError: null,
    open: null,
    today: null,
    escalatedTotal: 0,
  };

  constructor(deps: BreachSweepDeps) {
    this.#deps = deps;
    this.#intervalMs = deps.intervalMs ?? 60_000;
  }

  get state(): BreachSweepState {
    return { ...this.#state };
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  /**
   * The state as it is now: after a failed sweep, the one in flight (or a new one) is awaited first, so
   * `/api/status` does not report an outage the org has recovered from until the next minute.
   */
  async currentState(): Promise<BreachSweepState> {
    if (this.#state.lastError !== null && !this.#stopped) {
      await (this.#running ?? this.sweepNow()).catch(() => undefined);
    }
    return this.state;
  }

  /** One sweep now (tests, and after an admin changes targets). Resolves with the posts escalated. */
  async sweepNow(): Promise<string[]> {
    let escalated: string[] = [];
    const run = this.#sweep().then((ids) => {
      escalated = ids;
    });
    this.#running = run;
    try {
      await run;
    } finally {
      if (this.#running === run) this.#running = null;
    }
    return escalated;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.sweepNow()
        .catch(() => undefined)
        .finally(() => this.#schedule(this.#intervalMs));
    }, ms);
    this.#timer.unref();
  }

  async #sweep(): Promise<string[]> {
    const { store, routing, logger } = this.#deps;
    const now = this.#deps.now?.() ?? new Date();
    try {
      const config = await routing.configuration();
      const since =
        this.#deps.startOfDay?.(now) ?? new Date(now.toISOString().slice(0, 10) + 'T00:00:00.000Z');
      const state = await store.sweep(now, since);
      this.#record(state);
      if (state.staleClaims.length > 0) await store.releaseClaims(state.staleClaims);
      const escalated = config ? await this.#escalate(state.breached, config, now) : [];
      this.#state.lastSweepAt = now.toISOString();
      this.#state.lastError = null;
      this.#state.escalatedTotal += escalated.length;
      if (escalated.length > 0) {
        logger.info({ escalated: escalated.length }, 'posts past their reply-time target escalated');
        this.#deps.onChanged?.(escalated);
      }
      return escalated;
    } catch (error) {
      this.#state.lastError = error instanceof Error ? error.message : String(error);
      logger.warn({ err: error }, 'the reply-time sweep failed; it runs again in a minute');
      throw error;
    }
  }

  #record(state: SweepState): void {
    const { metrics } = this.#deps;
    this.#state.open = state.open;
    const withTarget = state.answered.met + state.answered.missed;
    this.#state.today = {
      answered: withTarget + state.answered.noTarget,
      withinTarget: state.answered.met,
      share: withTarget > 0 ? state.answered.met / withTarget : null,
    };
    metrics?.inboxOpen.set({ status: 'open' }, state.open.open);
    metrics?.inboxOpen.set({ status: 'assigned' }, state.open.assigned);
  }

  async #escalate(
    breached: readonly OverduePost[],
    config: InboxConfiguration,
    now: Date,
  ): Promise<string[]> {
    const { store, routing, metrics } = this.#deps;
    if (breached.length === 0) return [];
    const plans = breached.flatMap((post) => {
      const contacts = routing.contactsFor(post.rule, config);
      const decision = escalation(
        {
          priority: post.priority,
          dueAt: new Date(post.dueAt),
          status: post.status,
          escalatedAt: null,
          ownerId: post.ownerId,
          supervisor: contacts.supervisor,
          escalationQueueId: contacts.escalationQueueId,
        },
        now,
      );
      return decision.action === 'escalate' ? [{ post, decision }] : [];
    });
    const supervisors = await store.usersByUsername(
      plans.flatMap((p) => (p.decision.notifySupervisor ? [p.decision.notifySupervisor.toLowerCase()] : [])),
    );
    const escalations: StoreEscalation[] = plans.map(({ post, decision }) => {
      const supervisor = decision.notifySupervisor
        ? supervisors.get(decision.notifySupervisor.toLowerCase())
        : undefined;
      return {
        postId: post.postId,
        priority: decision.priority,
        rerouteTo: decision.reRouteToQueueId,
        task: supervisor
          ? taskOf(post, supervisor.id, decision.priority, decision.overdueMinutes, now)
          : null,
      };
    });
    const escalated = await store.escalate(escalations, now);
    const done = new Set(escalated);
    for (const { post } of plans) {
      if (done.has(post.postId))
        metrics?.targetBreaches.inc({ network: post.network, priority: post.priority });
    }
    return escalated;
  }
}
