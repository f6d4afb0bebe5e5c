/**
 * Live updates for open pages: the sync worker (and the reply dispatcher) report the Ids of the posts
 * they have just written; when a page is watching, the feed reads those posts once (one query per
 * batch, none when nobody watches) and sends, as server-sent events, each post to the pages of the
 * records it is tied to, and the Ids of those records to the lists of records with social activity.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.ts';
import type { LinkedPost } from '../salesforce/record-reader.ts';

export interface LinkedPostSource {
  linkedPosts(ids: readonly string[]): Promise<LinkedPost[]>;
}

export interface RecordFeedOptions {
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
}

export class RecordFeed {
  readonly #source: LinkedPostSource;
  readonly #logger: Logger;
  readonly #watchers = new Map<string, Set<ServerResponse>>();
  /** Streams of the list page (`GET /`), told which records have new activity. */
  readonly #listWatchers = new Set<ServerResponse>();
  readonly #heartbeat: NodeJS.Timeout;
  #closed = false;

  constructor(source: LinkedPostSource, logger: Logger, options: RecordFeedOptions = {}) {
    this.#source = source;
    this.#logger = logger;
    this.#heartbeat = setInterval(() => this.#broadcast(': keep-alive\n\n'), options.heartbeatMs ?? 25_000);
    this.#heartbeat.unref();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** How many streams are open (all records and lists, or one record's). */
  watchers(recordId?: string): number {
    if (recordId !== undefined) return this.#watchers.get(recordId)?.size ?? 0;
    let n = this.#listWatchers.size;
    for (const set of this.#watchers.values()) n += set.size;
    return n;
  }

  /** Starts an event stream on `res` for one record; it ends when the client leaves or the feed closes. */
  watch(recordId: string, res: ServerResponse): void {
    startStream(res);
    let set = this.#watchers.get(recordId);
    if (!set) this.#watchers.set(recordId, (set = new Set()));
    set.add(res);
    res.on('close', () => {
      set.delete(res);
      if (set.size === 0 && this.#watchers.get(recordId) === set) this.#watchers.delete(recordId);
    });
  }

  /**
   * Starts an event stream on `res` for the list of records with social activity: `event: activity`
   * with `{ recordIds }` whenever posts tied to records are written.
   */
  watchList(res: ServerResponse): void {
    startStream(res);
    this.#listWatchers.add(res);
    res.on('close', () => this.#listWatchers.delete(res));
  }

  /** Called by the sync worker with the Ids of posts it wrote. Never throws. */
  async publish(postIds: readonly string[]): Promise<void> {
    if (this.#closed || postIds.length === 0) return;
    if (this.#watchers.size === 0 && this.#listWatchers.size === 0) return;
    let posts: LinkedPost[];
    try {
      posts = await this.#source.linkedPosts(postIds);
    } catch (error) {
      this.#logger.warn({ err: error }, 'could not read synced posts for open record pages');
      return;
    }
    const active = new Set<string>();
    for (const { post, recordIds } of posts) {
      const frame = `event: post\ndata: ${JSON.stringify(post)}\n\n`;
      for (const recordId of recordIds) {
        active.add(recordId);
        for (const res of this.#watchers.get(recordId) ?? []) res.write(frame);
      }
    }
    if (active.size === 0) return;
    const frame = `event: activity\ndata: ${JSON.stringify({ recordIds: [...active] })}\n\n`;
    for (const res of this.#listWatchers) res.write(frame);
  }

  /** Ends every stream (before the HTTP server drains, which would otherwise wait on them). */
  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const set of this.#watchers.values()) for (const res of set) res.end();
    for (const res of this.#listWatchers) res.end();
    this.#watchers.clear();
    this.#listWatchers.clear();
  }

  #broadcast(chunk: string): void {
    for (const set of this.#watchers.values()) for (const res of set) res.write(chunk);
    for (const res of this.#listWatchers) res.write(chunk);
  }
}

function startStream(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
  });
  // A reconnecting EventSource waits this long; the first line also flushes the headers.
  res.write('retry: 2000\n\n');
}
