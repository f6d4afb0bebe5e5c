/**
 * Items a network sent that cannot become mentions: malformed, nested too deep, too large for the audit
 * copy, or with an author handle that breaks its network's rules. Each one is refused on its own, so the
 * rest of its delivery (or stream page) is still queued and the cursor moves on; a retry of the same
 * delivery is refused the same way, never a 5xx and never a wedged stream.
 *
 * Refused items are not queued (there is no valid mention to store): each is logged at `warn` with its
 * network, id and reason (never its text), counted in `socialcrm_mentions_rejected_total{network,reason}`,
 * and the latest few are listed by `GET /api/status` under `rejected`.
 */
import { ZodError } from 'zod';
import { AppError } from '../domain/errors.ts';
import type { Mention, Network } from '../domain/mention.ts';
import type { PayloadProblemKind } from '../domain/payload-bounds.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

/** Why an item was refused, as a metric label (bounded). */
export type RejectionKind = PayloadProblemKind | 'invalid_handle' | 'malformed';

export interface Rejection {
  network: Network;
  /** The item's id on its network, when the item had a readable one. */
  id: string | null;
  kind: RejectionKind;
  /** What is wrong, naming the field: `tweet_create_events.1.user.screen_name: …`. */
  reason: string;
  /** Each problem with its path from the top of the delivery, when a schema found them. */
  issues?: { path: string; message: string }[];
}

/** What one delivery (or page) held: the mentions to queue, the items refused, and how many items it had. */
export interface Delivery {
  mentions: Mention[];
  rejected: Rejection[];
  items: number;
}

export interface RecordedRejection extends Rejection {
  /** Which way it came in: `x-webhook`, `meta-webhook`, `x-poll`, `mastodon-stream`, … */
  source: string;
  at: string;
}

export interface RejectionSummary {
  /** Refused since the server started. */
  total: number;
  /** The latest ones, newest first. */
  recent: RecordedRejection[];
}

/** Where connectors report refused items. */
export interface RejectionLog {
  record(source: string, rejections: readonly Rejection[]): void;
}

const KINDS = new Set<RejectionKind>(['too_deep', 'too_large', 'not_json', 'invalid_handle', 'malformed']);

/** Each issue with its path from the top of the delivery (the item's own position in front). */
export function issuesAt(
  error: ZodError,
  prefix: readonly (string | number)[] = [],
): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.'),
    message: issue.message,
  }));
}

function joined(issues: readonly { path: string; message: string }[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

/** An item its schema refused. */
export function malformed(
  network: Network,
  id: string | null,
  error: ZodError,
  prefix: readonly (string | number)[] = [],
): Rejection {
  const issues = issuesAt(error, prefix);
  return { network, id, kind: 'malformed', reason: joined(issues), issues };
}

/**
 * The rejection an item's mapping threw, or null when the error is not about the item (then it is the
 * caller's to handle: a network or queue failure is retried, not refused).
 */
export function rejectionOf(
  error: unknown,
  network: Network,
  id: string | null,
  prefix: readonly (string | number)[] = [],
): Rejection | null {
  if (!(error instanceof ZodError)) return null;
  const kind = error.issues
    .map((issue) =>
      issue.code === 'custom' ? (issue.params as { kind?: unknown } | undefined)?.kind : undefined,
    )
    .find((k): k is RejectionKind => typeof k === 'string' && KINDS.has(k as RejectionKind));
  const issues = issuesAt(error, prefix);
  return { network, id, kind: kind ?? 'malformed', reason: joined(issues), issues };
}

/**
 * A delivery none of whose items could be taken is refused as a whole (400 `validation_failed` naming
 * every problem): nothing in it is usable, and its sender is the one to tell. A delivery with at least
 * one usable item is answered 200, its refused items reported through the RejectionLog.
 */
export function refuseUnusable(what: string, items: number, rejected: readonly Rejection[]): void {
  if (items === 0 || rejected.length < items) return;
  const details = rejected.flatMap((r) => r.issues ?? [{ path: '', message: r.reason }]);
  throw new AppError('validation_failed', `${what} is invalid: ${joined(details)}`, {
    details,
    hint: 'Every item of this delivery was refused; the details name each problem.',
  });
}

/** An id-like string field of an unvalidated item, for reports. */
export function idOf(item: unknown, field: string): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const value = (item as Record<string, unknown>)[field];
  return typeof value === 'string' && value.length <= 200 ? value : null;
}

export interface IntakeRejectionsOptions {
  logger: Logger;
  metrics?: Metrics;
  /** How many recent rejections `summary()` keeps (default 20). */
  keep?: number;
  now?: () => Date;
}

export class IntakeRejections implements RejectionLog {
  readonly #options: IntakeRejectionsOptions;
  readonly #recent: RecordedRejection[] = [];
  #total = 0;

  constructor(options: IntakeRejectionsOptions) {
    this.#options = options;
  }

  record(source: string, rejections: readonly Rejection[]): void {
    const keep = this.#options.keep ?? 20;
    for (const rejection of rejections) {
      this.#total += 1;
      this.#options.metrics?.mentionsRejected.inc({ network: rejection.network, reason: rejection.kind });
      this.#options.logger.warn(
        {
          source,
          network: rejection.network,
          itemId: rejection.id,
          kind: rejection.kind,
          reason: rejection.reason,
        },
        'item refused at intake',
      );
      const at = (this.#options.now?.() ?? new Date()).toISOString();
      this.#recent.unshift({ ...rejection, source, at });
      if (this.#recent.length > keep) this.#recent.length = keep;
    }
  }

  summary(): RejectionSummary {
    return { total: this.#total, recent: [...this.#recent] };
  }
}
