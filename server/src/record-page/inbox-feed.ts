/**
 * Live updates for open inboxes: whenever posts are written (new mentions synced, a colleague's claim,
 * a close, a reply sent, or any change the org reports through Change Data Capture — from another
 * server instance or the Lightning inbox), every open inbox is told their Ids as a server-sent event
 * `changed` `{postIds}`, and reads those posts again itself (`GET /api/inbox?ids=`). Ids only: what a
 * user may see is decided by the read, never by the broadcast. Bursts are gathered for a moment, so a
 * bulk close of 200 posts is one event.
 */
import type { ServerResponse } from 'node:http';

export interface InboxFeedOptions {
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** Changes within this window go out as one event. */
  gatherMs?: number;
}

export class InboxFeed {
  readonly #watchers = new Set<ServerResponse>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #gatherMs: number;
  #pending = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(options: InboxFeedOptions = {}) {
    this.#gatherMs = options.gatherMs ?? 100;
    this.#heartbeat = setInterval(() => {
      for (const res of this.#watchers) res.write(': keep-alive\n\n');
    }, options.heartbeatMs ?? 25_000);
    this.#heartbeat.unref();
  }

  get closed(): boolean {
    return this.#closed;
  }

  get watchers(): number {
    return this.#watchers.size;
  }

  watch(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.#watchers.add(res);
    res.on('close', () => this.#watchers.delete(res));
  }

  /** Posts changed. Never throws; does nothing while no inbox is open. */
  publish(postIds: readonly string[]): void {
    if (this.#closed || this.#watchers.size === 0 || postIds.length === 0) return;
    for (const id of postIds) this.#pending.add(id);
    this.#timer ??= setTimeout(() => this.#flush(), this.#gatherMs);
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    if (this.#timer) clearTimeout(this.#timer);
    for (const res of this.#watchers) res.end();
    this.#watchers.clear();
  }

  #flush(): void {
    this.#timer = null;
    const ids = [...this.#pending];
    this.#pending = new Set();
    // 200 Ids an event: what one `GET /api/inbox?ids=` reads.
    for (let i = 0; i < ids.length; i += 200) {
      const frame = `event: changed\ndata: ${JSON.stringify({ postIds: ids.slice(i, i + 200) })}\n\n`;
      for (const res of this.#watchers) res.write(frame);
    }
  }
}
