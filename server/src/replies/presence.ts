/**
 * Who has a post open in the respond box right now, so a second agent is warned before answering the
 * same post. Kept in memory by this server: record pages send a heartbeat while a post is selected, and
 * an entry lapses when the heartbeats stop (a closed tab, a lost network).
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

  /** Everyone else with the post open, longest first. */
  others(postId: string, viewerId: string | null): Viewer[] {
    this.#sweep();
    return [...(this.#posts.get(postId) ?? new Map<string, { user: string; since: number }>())]
      .filter(([id]) => id !== viewerId)
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
