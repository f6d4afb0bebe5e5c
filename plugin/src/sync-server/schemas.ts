/**
 * What the plugin reads from the sync server, as zod schemas (the single source of each type): the
 * `/api/status` body, `/readyz`, `/api/backfill` and the `{error}` body of a refused request. Unknown
 * fields pass through untouched, so a newer server does not break an older plugin.
 */
import { z } from 'zod';

export const ConnectorHealth = z.object({
  network: z.string(),
  name: z.string(),
  status: z.enum(['ok', 'degraded', 'down', 'idle']),
  lastEventAt: z.string().nullable(),
  cursor: z.string().nullable(),
  tokenValid: z.boolean().nullable(),
  tokenExpiresAt: z.string().nullable(),
  sessionExpiresAt: z.string().nullable().optional(),
  errorStreak: z.number(),
  lastError: z.string().nullable(),
  hint: z.string().nullable(),
});
export type ConnectorHealth = z.infer<typeof ConnectorHealth>;

export const SyncStatus = z.object({
  sync: z.object({
    status: z.enum(['running', 'paused', 'stopped']),
    reason: z.string().nullable(),
    hint: z.string().nullable(),
    lastSyncAt: z.string().nullable(),
    consecutiveFailures: z.number(),
  }),
  queue: z.object({
    depth: z.number(),
    inFlight: z.number(),
    deadLetters: z.number(),
    oldestAgeSeconds: z.number(),
  }),
  connectors: z.array(ConnectorHealth),
  /** Backfills under way and what each has pulled so far (servers before Bulk API backfills omit it). */
  backfills: z.array(z.object({ network: z.string(), since: z.string(), pulled: z.number() })).optional(),
  problems: z.array(z.object({ what: z.string(), hint: z.string() })),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const Readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  /**
   * By check name: `org`, `queue`, `connector:<name>`, … Only for operators (loopback, or OPS_TOKEN):
   * others get the status alone.
   */
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })).default({}),
});
export type Readiness = z.infer<typeof Readiness>;

export const BackfillAnswer = z.object({ network: z.string(), since: z.string(), pulled: z.number() });
export type BackfillAnswer = z.infer<typeof BackfillAnswer>;

export const ErrorAnswer = z.object({
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }),
});
