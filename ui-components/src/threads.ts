import type { SocialPost, TimelineFilters } from './types.ts';

/** One line of the timeline: a post and how deep it sits in its thread (0 = the thread's first post). */
export interface Row {
  post: SocialPost;
  depth: number;
}

export function matches(post: SocialPost, f: TimelineFilters): boolean {
  return (
    (!f.network || post.network === f.network) &&
    (!f.sentiment || post.sentiment === f.sentiment) &&
    (!f.intent || post.intent === f.intent) &&
    (!f.needsReply || (!!post.needsReply && !post.isOutbound))
  );
}

/**
 * Groups posts into threads: a post whose `inReplyToId` is among `posts` goes under its parent, in
 * conversation order (oldest reply first); every other post starts a thread. Threads come newest first,
 * by their latest activity, so a fresh reply brings its conversation to the top.
 */
export function threadRows(posts: readonly SocialPost[]): Row[] {
  const byId = new Map<string, SocialPost>();
  for (const p of posts) byId.set(p.id, p);
  const time = new Map<SocialPost, number>();
  for (const p of posts) time.set(p, Date.parse(p.postedAt) || 0);

  const children = new Map<string, SocialPost[]>();
  const roots: SocialPost[] = [];
  for (const p of posts) {
    const parent = p.inReplyToId && p.inReplyToId !== p.id ? byId.get(p.inReplyToId) : undefined;
    if (parent) {
      const list = children.get(parent.id);
      if (list) list.push(p);
      else children.set(parent.id, [p]);
    } else {
      roots.push(p);
    }
  }

  const rows: Row[] = [];
  const seen = new Set<string>();
  const walk = (p: SocialPost, depth: number, out: Row[]): number => {
    if (seen.has(p.id)) return 0;
    seen.add(p.id);
    out.push({ post: p, depth });
    let latest = time.get(p)!;
    const kids = children.get(p.id);
    if (kids) {
      kids.sort((a, b) => time.get(a)! - time.get(b)!);
      for (const k of kids) latest = Math.max(latest, walk(k, depth + 1, out));
    }
    return latest;
  };

  const threads: { rows: Row[]; latest: number }[] = [];
  for (const r of roots) {
    const out: Row[] = [];
    threads.push({ rows: out, latest: walk(r, 0, out) });
  }
  // Posts caught in an In_Reply_To cycle have no root; show them rather than lose them.
  for (const p of posts) {
    if (!seen.has(p.id)) {
      const out: Row[] = [];
      threads.push({ rows: out, latest: walk(p, 0, out) });
    }
  }
  threads.sort((a, b) => b.latest - a.latest);
  for (const t of threads) for (const r of t.rows) rows.push(r);
  return rows;
}
