/**
 * What every network connector offers the sync server. Webhook connectors add routes (the HTTP layer
 * mounts them); pulling connectors (polling, streams) run on their own. Either way a connector hands
 * mentions to the sink, which resolves only once they are durably queued.
 */
import type { Mention, Network } from '../domain/mention.ts';

export interface MentionSink {
  accept(mentions: readonly Mention[]): Promise<void>;
}

export interface ConnectorHealth {
  network: Network;
  /** e.g. `x-webhook`, `x-poll`, `bluesky-firehose`, `mastodon-stream`. */
  name: string;
  status: 'ok' | 'degraded' | 'down' | 'idle';
  lastEventAt: string | null;
  cursor: string | null;
  /** null when the connector holds no token. */
  tokenValid: boolean | null;
  /**
   * When the token an admin configured stops working, so that they renew it in time; null when it does
   * not expire or the server renews it by itself.
   */
  tokenExpiresAt: string | null;
  /** A session the server opens from that token and renews by itself (Bluesky): diagnosis only. */
  sessionExpiresAt?: string | null;
  errorStreak: number;
  lastError: string | null;
  /** What to do about the problem, for admins (shown by /readyz and `sf social status`). */
  hint: string | null;
}

export interface PullConnector {
  readonly network: Network;
  readonly name: string;
  /** Starts pulling (poll loop or stream) and delivering to the sink until stop(). Resolves once running. */
  start(sink: MentionSink): Promise<void>;
  stop(): Promise<void>;
  /** Pulls history since `since` into the sink; idempotent (the queue drops what it has seen). Returns the count pulled. */
  backfill(since: Date, sink: MentionSink): Promise<number>;
  health(): ConnectorHealth;
}

/** Our own accounts per network: posts by them (our replies coming back) are never ingested as mentions. */
export interface OwnAccounts {
  isOwn(network: Network, authorId: string): boolean;
}
