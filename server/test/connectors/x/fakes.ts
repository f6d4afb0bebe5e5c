/** Small typed fakes for connector tests (also used by the Meta tests). */
import type { Router } from 'express';
import type { MentionSink, OwnAccounts } from '../../../src/connectors/connector.ts';
import type { Mention, Network } from '../../../src/domain/mention.ts';
import { createApp } from '../../../src/http/app.ts';
import type { RunningServer } from '../../../src/http/server.ts';
import type { CursorStore } from '../../../src/intake/mention-queue.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import type { Metrics } from '../../../src/observability/metrics.ts';
import { listen } from '../../helpers/listen.ts';

/** An in-memory sink: records what it accepted; can be made to fail or to hold until released. */
export class FakeSink implements MentionSink {
  readonly accepted: Mention[] = [];
  calls = 0;
  failWith: Error | null = null;
  #gate: Promise<void> | null = null;
  #release: (() => void) | null = null;
  #called: (() => void) | null = null;

  async accept(mentions: readonly Mention[]): Promise<void> {
    this.calls += 1;
    this.#called?.();
    if (this.#gate) await this.#gate;
    if (this.failWith) throw this.failWith;
    this.accepted.push(...mentions);
  }

  /** From now on accept() waits until `release()`; resolves the returned promise when accept() is entered. */
  hold(): Promise<void> {
    this.#gate = new Promise((resolve) => (this.#release = resolve));
    return new Promise((resolve) => (this.#called = resolve));
  }

  release(): void {
    this.#release?.();
    this.#gate = null;
  }
}

export function ownAccounts(ids: Partial<Record<Network, readonly string[]>>): OwnAccounts {
  return { isOwn: (network, authorId) => (ids[network] ?? []).includes(authorId) };
}

export class MemoryCursorStore implements CursorStore {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
}

/** The real app (body parsing with rawBody, error handler) with the given routers, on port 0. */
export async function startApp(
  routers: Router[],
  metrics: Metrics = createMetrics({ defaultMetrics: false }),
): Promise<RunningServer> {
  return listen(createApp({ logger: silentLogger(), metrics, routers }));
}
