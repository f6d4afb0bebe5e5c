import type { SocialPost, TimelineFilters } from './types.ts';

/** One line of the timeline: a post and how deep it sits in its thread (0 = the thread's first post). */
export interface Row {
  post: SocialPost;
  depth: number;
}

/**
 * Ids of the posts we have answered: those with `repliedAt`, and those with one of our replies `Sent`
 * among `posts` (the reply's live update can arrive before the answered post's own).
 */
export function answeredIds(posts: readonly SocialPost[]): Set<string> {
  const ids = new Set<string>();
  for (const p of posts) {
    if (p.repliedAt && !p.isOutbound) ids.add(p.id);
    if (p.isOutbound && p.status === 'Sent' && p.inReplyToId) ids.add(p.inReplyToId);
  }
  return ids;
}

/** Whether an inbound post still waits for our answer. */
export function awaitsReply(post: SocialPost, answered: ReadonlySet<string>): boolean {
  return !!post.needsReply && !post.isOutbound && !answered.has(post.id);
}

export function matches(
  post: SocialPost,
  f: TimelineFilters,
  answered: ReadonlySet<string> = new Set(),
): boolean {
  return (
    (!f.network || post.network === f.network) &&
    (!f.sentiment || post.sentiment === f.sentiment) &&
    (!f.intent || post.intent === f.intent) &&
    (!f.needsReply || awaitsReply(post, answered))
  );
}

/**
 * Groups posts into threads: a post whose `inReplyToId` is among `posts` goes under its parent, in
 * conversation order (oldest reply first); every other post starts a thread. Threads come newest first,
 * by their latest activity, so a fresh reply brings its conversation to the top.
 *
 * `times` (optional) is `Date.parse(posts[i].postedAt) || 0` for each post, when the caller has it already.
 * This runs on every change of `posts` (10,000+ of them) before the first row can render: posts are
 * handled by index, with one map of ids, each time parsed once and no objects but the rows.
 */
export function threadRows(posts: readonly SocialPost[], times?: ArrayLike<number>): Row[] {
  const n = posts.length;
  const time = times ?? new Float64Array(n);
  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const p = posts[i]!;
    byId.set(p.id, i);
    if (!times) (time as Float64Array)[i] = Date.parse(p.postedAt) || 0;
  }
  // A post stands for its id: with duplicate ids, the last post with the id (the one replies attach to).
  const dup = byId.size < n;
  const key = (i: number): number => (dup ? byId.get(posts[i]!.id)! : i);

  // Each post's replies, by the index of its parent, in input order.
  const kids = new Array<number[] | undefined>(n);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = posts[i]!;
    const parent = p.inReplyToId && p.inReplyToId !== p.id ? byId.get(p.inReplyToId) : undefined;
    if (parent === undefined) roots.push(i);
    else (kids[parent] ??= []).push(i);
  }

  // Every thread's rows in walk order; thread t is all[start[t]] … all[start[t + 1] - 1].
  const all: Row[] = [];
  const start: number[] = [];
  const latest: number[] = [];
  const seen = new Uint8Array(n);
  const walk = (i: number, depth: number): number => {
    const k = key(i);
    if (seen[k]) return 0;
    seen[k] = 1;
    all.push({ post: posts[i]!, depth });
    let last = time[i]!;
    const replies = kids[k];
    if (replies) {
      replies.sort((a, b) => time[a]! - time[b]!);
      for (const r of replies) last = Math.max(last, walk(r, depth + 1));
    }
    return last;
  };
  const thread = (i: number): void => {
    start.push(all.length);
    latest.push(walk(i, 0));
  };
  for (const i of roots) thread(i);
  // Posts caught in an In_Reply_To cycle have no root; show them rather than lose them.
  if (all.length < n) for (let i = 0; i < n; i++) if (!seen[key(i)]) thread(i);
  start.push(all.length);

  const order = latest.map((_, t) => t).sort((a, b) => latest[b]! - latest[a]!);
  const rows: Row[] = [];
  for (const t of order) for (let r = start[t]!; r < start[t + 1]!; r++) rows.push(all[r]!);
  return rows;
}
