/**
 * The sink every connector delivers to: mentions from our own accounts are dropped (our replies coming
 * back), the rest are durably queued before the promise resolves, counted, and the worker is woken.
 */
import type { MentionSink, OwnAccounts } from '../connectors/connector.ts';
import type { Mention } from '../domain/mention.ts';
import type { MentionQueue } from '../intake/mention-queue.ts';
import type { Metrics } from '../observability/metrics.ts';

export class QueueSink implements MentionSink {
  readonly #queue: MentionQueue;
  readonly #metrics: Metrics;
  readonly #own: OwnAccounts;
  readonly #onQueued: () => void;

  constructor(
    queue: MentionQueue,
    metrics: Metrics,
    own: OwnAccounts,
    onQueued: () => void = () => undefined,
  ) {
    this.#queue = queue;
    this.#metrics = metrics;
    this.#own = own;
    this.#onQueued = onQueued;
  }

  async accept(mentions: readonly Mention[]): Promise<void> {
    const inbound = mentions.filter((m) => !this.#own.isOwn(m.network, m.author.id));
    if (inbound.length === 0) return;
    const result = await this.#queue.enqueue(inbound);
    for (const mention of inbound) this.#metrics.mentionsReceived.inc({ network: mention.network });
    if (result.accepted > 0) this.#onQueued();
  }
}

/** Our accounts, from configuration: `{ x: ['123'], bluesky: ['did:plc:…'] }`. */
export function ownAccounts(ids: Partial<Record<Mention['network'], readonly string[]>>): OwnAccounts {
  const sets = new Map(Object.entries(ids).map(([network, list]) => [network, new Set(list)]));
  return { isOwn: (network, authorId) => sets.get(network)?.has(authorId) ?? false };
}

/**
 * A backfill's sink: pages are gathered and queued `size` mentions at a time, so that a large backfill
 * lands in the queue as a backlog the sync writes with Bulk API jobs, rather than trickling in page by
 * page to be written 40 or 100 at a time. Nothing is acknowledged to anyone before it is queued (a
 * backfill that fails halfway is simply run again), so gathering risks nothing. `size` 0 passes through.
 */
export class GatheringSink implements MentionSink {
  readonly #inner: MentionSink;
  readonly #size: number;
  #gathered: Mention[] = [];
  #received = 0;

  constructor(inner: MentionSink, size: number) {
    this.#inner = inner;
    this.#size = size;
  }

  /** Mentions handed over so far, gathered or queued: a backfill's progress. */
  get received(): number {
    return this.#received;
  }

  async accept(mentions: readonly Mention[]): Promise<void> {
    this.#received += mentions.length;
    if (this.#size <= 0) return this.#inner.accept(mentions);
    this.#gathered.push(...mentions);
    if (this.#gathered.length >= this.#size) await this.flush();
  }

  /** Queues whatever is gathered; call it when the backfill ends, however it ends. */
  async flush(): Promise<void> {
    const mentions = this.#gathered;
    this.#gathered = [];
    if (mentions.length > 0) await this.#inner.accept(mentions);
  }
}
