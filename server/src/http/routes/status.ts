/**
 * The sync's state for admins (and `sf social status`): connectors, queue, sync loop, dead letters;
 * re-driving dead letters and backfilling history. Every problem comes with what to do about it.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { ConnectorHealth, MentionSink } from '../../connectors/connector.ts';
import type { RejectionSummary } from '../../connectors/rejections.ts';
import { AppError } from '../../domain/errors.ts';
import { NETWORKS } from '../../domain/mention.ts';
import type { MentionQueue } from '../../intake/mention-queue.ts';
import type { BreachSweepState } from '../../replies/breach-sweep.ts';
import type { CustomerValueJobState } from '../../sync/customer-value-job.ts';
import type { EngagementRefreshState } from '../../sync/engagement-refresh.ts';
import type { SyncHealth } from '../../sync/sync-worker.ts';

export interface StatusRouterDeps {
  queue: MentionQueue;
  worker: { health(): SyncHealth };
  connectors: () => ConnectorHealth[];
  sink: MentionSink;
  backfill?: (network: string, since: Date) => Promise<number>;
  /** Backfills under way: mentions pulled so far. */
  backfills?: () => { network: string; since: string; pulled: number }[];
  /** The reply path: networks we can post to, whether change events arrive, the last round's error. */
  replies?: () => Promise<ReplyHealth>;
  /** Items the networks sent that were refused at intake (rejections.ts). */
  rejections?: () => RejectionSummary;
  /** The social inbox: configuration problems (routing rules, targets, queues, business hours) and the sweep. */
  inbox?: () => InboxHealth | Promise<InboxHealth>;
  /** Customer value: the last run (what it read and wrote, its API calls) and what failed. */
  customerValue?: () => CustomerValueJobState;
  /** Fresh links: identity change events, malformed `Social_Handles__c` lines, the relinker's work. */
  people?: () => PeopleHealth;
  /** The engagement refresher: last run, calls, budget left, rate limits, pauses and errors per network. */
  engagement?: () => EngagementRefreshState;
  /** The operator access guard (operator-access.ts): every route here is an operator route. */
  guard: RequestHandler;
}

export interface ReplyHealth {
  networks: string[];
  changeEvents: 'connecting' | 'on' | 'off';
  lastError: string | null;
}

export interface InboxHealth {
  problems: { what: string; hint: string }[];
  sweep: BreachSweepState;
}

export interface PeopleHealth {
  changeEvents: 'connecting' | 'on' | 'off';
  handleWarnings: { total: number; records: number; warnings: { message: string }[] };
  relink: {
    pending: number;
    failures: { type: string; record: string; error: string }[];
    lastError: string | null;
  };
}

const Redrive = z.object({ seqs: z.array(z.number().int().positive()).max(10_000).optional() }).strict();

const Backfill = z
  .object({
    network: z.enum(NETWORKS),
    /** ISO date-time, or a duration like `7d`, `12h`, `30m`. */
    since: z.string().min(2),
  })
  .strict();

export function parseSince(value: string, now: Date = new Date()): Date | null {
  const duration = /^(\d+)\s*([mhdw])$/i.exec(value.trim());
  if (duration) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
      duration[2]!.toLowerCase() as 'm'
    ];
    return new Date(now.getTime() - Number(duration[1]) * unit);
  }
  const at = Date.parse(value);
  return Number.isFinite(at) ? new Date(at) : null;
}

export function createStatusRouter(deps: StatusRouterDeps): Router {
  const router = Router();
  const { guard } = deps;

  router.get('/api/status', guard, async (_req, res) => {
    const stats = await deps.queue.stats();
    const connectors = deps.connectors();
    const sync = deps.worker.health();
    const problems: { what: string; hint: string }[] = [];
    if (sync.status === 'paused') {
      problems.push({ what: `sync paused: ${sync.reason ?? 'unknown reason'}`, hint: sync.hint ?? '' });
    }
    for (const c of connectors) {
      if (c.status === 'down' || c.status === 'degraded') {
        problems.push({
          what: `${c.name} is ${c.status}${c.lastError ? `: ${c.lastError}` : ''}`,
          hint: c.hint ?? 'see the server log',
        });
      }
    }
    const replies = (await deps.replies?.()) ?? null;
    if (replies?.lastError) {
      problems.push({
        what: `replies cannot be sent: ${replies.lastError}`,
        hint: 'check that the package is deployed and the sync user has the Social CRM Admin permission set (sf social setup)',
      });
    }
    if (replies?.changeEvents === 'off') {
      problems.push({
        what: 'change events for Social_Post__c are not arriving: replies written in Salesforce wait for the poll (REPLY_POLL_SECONDS)',
        hint: 'enable Change Data Capture for Social Post (the package selects it) and give the sync user API access to streaming',
      });
    }
    const rejected = deps.rejections?.() ?? null;
    if (rejected && rejected.total > 0) {
      const latest = rejected.recent[0];
      problems.push({
        what: `${rejected.total} item(s) the networks sent were refused at intake since the server started${latest ? ` (latest: ${latest.network} ${latest.id ?? 'item'}: ${latest.reason})` : ''}`,
        hint: 'they are not queued (the rest of their delivery was); `rejected.recent` lists the latest with their reasons. A few are the networks sending something odd; many of one kind point at a connector to check',
      });
    }
    const inbox = (await deps.inbox?.()) ?? null;
    if (inbox) {
      problems.push(...inbox.problems);
      if (inbox.sweep.lastError) {
        problems.push({
          what: `overdue inbox posts cannot be escalated: ${inbox.sweep.lastError}`,
          hint: 'check that the package is deployed and the sync user has the Social CRM Admin permission set (sf social setup); the sweep runs again every minute',
        });
      }
    }
    const people = deps.people?.() ?? null;
    if (people) {
      for (const w of people.handleWarnings.warnings) {
        problems.push({
          what: w.message,
          hint: 'the record’s other lines are used; this one matches no one until it is fixed',
        });
      }
      if (people.changeEvents === 'off') {
        problems.push({
          what: 'change events for Contact, Lead or Social_Persona__c are not arriving: handles and links changed in Salesforce take effect at the next refresh (a minute)',
          hint: 'enable Change Data Capture for Contact, Lead and Social Persona (the package selects them) and give the sync user API access to streaming',
        });
      }
      const failure = people.relink.failures.at(-1);
      if (people.relink.lastError || failure) {
        problems.push({
          what: `re-linking earlier posts is waiting for a retry: ${people.relink.lastError ?? `${failure!.type} ${failure!.record} refused: ${failure!.error}`}`,
          hint: '`people.relink.failures` lists each refused record with the org’s reason; it is retried with backoff until it succeeds (check validation rules and the sync user’s access)',
        });
      }
    }
    const customerValue = deps.customerValue?.() ?? null;
    if (customerValue?.lastError) {
      problems.push({
        what: `customer values (Social_Customer_Value__c) are not up to date: ${customerValue.lastError}`,
        hint: customerValue.hint ?? 'POST /api/customer-value/refresh to try again',
      });
    }
    const engagement = deps.engagement?.() ?? null;
    for (const n of engagement?.networks ?? []) {
      if (n.lastError) {
        problems.push({
          what: `engagement of ${n.network} posts is not being refreshed: ${n.lastError}`,
          hint: `retried by itself${n.pausedUntil ? ` after ${n.pausedUntil}` : ''}; its posts wait (engagement.networks[].pending); check the network's token and reachability`,
        });
      }
    }
    if (stats.deadLetters > 0) {
      problems.push({
        what: `${stats.deadLetters} mention(s) the org rejected are in the dead letters`,
        hint: 'GET /api/dead-letters shows why; fix the cause, then POST /api/dead-letters/redrive',
      });
    }
    res.json({
      sync,
      queue: stats,
      connectors,
      ...(replies ? { replies } : {}),
      ...(deps.backfills ? { backfills: deps.backfills() } : {}),
      ...(rejected ? { rejected } : {}),
      ...(people ? { people } : {}),
      ...(inbox
        ? {
            inbox: {
              open: inbox.sweep.open,
              answeredToday: inbox.sweep.today,
              lastSweepAt: inbox.sweep.lastSweepAt,
              escalated: inbox.sweep.escalatedTotal,
            },
          }
        : {}),
      ...(customerValue ? { customerValue } : {}),
      ...(engagement ? { engagement } : {}),
      problems,
    });
  });

  router.get('/api/dead-letters', guard, async (req, res) => {
    const limit = Math.min(1000, Math.max(1, Number(req.query['limit'] ?? 100) || 100));
    const letters = await deps.queue.listDeadLetters(limit);
    // The mention's text stays out: this is an operations view, and bodies are customer content.
    res.json({
      deadLetters: letters.map((d) => ({
        seq: d.seq,
        key: d.key,
        reason: d.reason,
        attempts: d.attempts,
        failedAt: d.failedAt.toISOString(),
      })),
    });
  });

  router.post('/api/dead-letters/redrive', guard, async (req, res) => {
    const parsed = Redrive.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw new AppError('validation_failed', 'body must be {} or {"seqs":[…]}', {
        hint: 'send {} to re-drive every dead letter, or {"seqs":[12,13]} for some',
      });
    }
    res.json({ redriven: await deps.queue.redrive(parsed.data.seqs) });
  });

  router.post('/api/backfill', guard, async (req, res) => {
    const parsed = Backfill.safeParse(req.body);
    if (!parsed.success) {
      throw new AppError(
        'validation_failed',
        'body must be {"network": one of x, bluesky, mastodon, facebook, instagram, "since": "7d" or an ISO date}',
        {
          details: parsed.error.issues,
        },
      );
    }
    const since = parseSince(parsed.data.since);
    if (!since) {
      throw new AppError(
        'validation_failed',
        `since must be a duration like 7d, 12h, 30m or an ISO date (got "${parsed.data.since}")`,
      );
    }
    if (!deps.backfill) throw new AppError('unavailable', 'backfill is not available on this server');
    res.json({
      network: parsed.data.network,
      since: since.toISOString(),
      pulled: await deps.backfill(parsed.data.network, since),
    });
  });

  return router;
}
