/**
 * Who has a post open in the respond box right now, so a second agent is warned before answering the
 * same post. Kept in memory by this server: record pages send a heartbeat while a post is selected, and
 * an entry lapses when the heartbeats stop (a closed tab, a lost network).
 *
 * A viewer id is one browser tab. Written `<browser>_<tab>` (the record page keeps the browser part in
 * the browser's storage), the tabs of one browser are one agent: their own other windows, open or just
 * closed, are never "someone else". An id without `_` is a browser of its own.
 */
export interface Viewer {
  viewerId: string;
  user: string;
  since: string;
}

export class Presence {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #posts = new Map<string, Map<string, { user: string; since: number; seenAt: number }>>();

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 45_000;
    this.#now = options.now ?? Date.now;
  }

  /** A heartbeat: `viewerId` (one browser tab) has `postId` open. */
  touch(postId: string, viewerId: string, user: string): void {
    let viewers = this.#posts.get(postId);
    if (!viewers) this.#posts.set(postId, (viewers = new Map()));
    const now = this.#now();
    const current = viewers.get(viewerId);
    viewers.set(viewerId, { user, since: current?.since ?? now, seenAt: now });
    this.#sweep();
  }

  leave(postId: string, viewerId: string): void {
    const viewers = this.#posts.get(postId);
    viewers?.delete(viewerId);
    if (viewers?.size === 0) this.#posts.delete(postId);
  }

  /** Everyone else with the post open (not `viewerId`'s browser), longest first. */
  others(postId: string, viewerId: string | null): Viewer[] {
    this.#sweep();
    const self = viewerId === null ? null : browserOf(viewerId);
    return [...(this.#posts.get(postId) ?? new Map<string, { user: string; since: number }>())]
      .filter(([id]) => browserOf(id) !== self)
      .sort((a, b) => a[1].since - b[1].since)
      .map(([id, v]) => ({ viewerId: id, user: v.user, since: new Date(v.since).toISOString() }));
  }

  #sweep(): void {
    const cutoff = this.#now() - this.#ttlMs;
    for (const [postId, viewers] of this.#posts) {
      for (const [id, v] of viewers) if (v.seenAt < cutoff) viewers.delete(id);
      if (viewers.size === 0) this.#posts.delete(postId);
    }
  }
}

/** The browser part of a viewer id (`<browser>_<tab>`), or the whole id. */
function browserOf(viewerId: string): string {
  const cut = viewerId.indexOf('_');
  return cut > 0 ? viewerId.slice(0, cut) : viewerId;
}
