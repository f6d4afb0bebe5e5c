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
