/**
 * Advocacy counts from stored threads: the one rule for what counts as a favourable mention, an
 * unfavourable one and a helpful answer, for every place that recomputes advocacy from posts the org holds
 * (`sf social scores recompute`, the dev org's seed). The sync server counts the same as posts stream in
 * (sync/scores.ts), with the same two predicates (advocacy.ts `mayBeAnswer`, `confirmsAnswer`).
 *
 * For each customer post (not the brand's), by its author:
 *   - a reply to a question another customer asked (the parent's intent is `question`, its author is not
 *     the brand and not the replier) that `mayBeAnswer` is a candidate answer. It counts for nothing —
 *     neither as praise nor as help — until the asker replies to it with words that `confirmsAnswer`;
 *     then it is one helpful answer (however many times the asker thanks it);
 *   - any other post counts by its sentiment: positive → favourable, negative → unfavourable, neutral → nothing.
 * So a "lol" to ten customers is no advocacy, and a negative reply to a question still counts as negative.
 * A post whose parent is not among `posts` counts by its sentiment. Posts without labels count as neutral.
 */
import { confirmsAnswer, mayBeAnswer, type PostLabels } from './advocacy.ts';

/** A stored post, as the rule needs it. */
export interface ThreadPost {
  id: string;
  /** Who wrote it (a persona id or key); null when unknown. */
  author: string | null;
  /** Id of the post it replies to, in the same id space as `id`. */
  inReplyTo: string | null;
  /** Written by the brand (an outbound reply). */
  ours: boolean;
  sentiment: PostLabels['sentiment'] | null;
  intent: PostLabels['intent'] | null;
}

/** What advocacy (advocacy.ts) counts of one author's posts. */
export interface AdvocacyCounts {
  positiveBrandMentions: number;
  negativeBrandMentions: number;
  helpfulAnswers: number;
}

function labelsOf(post: ThreadPost): PostLabels {
  return { sentiment: post.sentiment ?? 'neutral', intent: post.intent ?? 'other' };
}

/** The advocacy counts of each author of a customer post among `posts` (see the module comment). */
export function advocacyCounts(posts: readonly ThreadPost[]): Map<string, AdvocacyCounts> {
  const byId = new Map(posts.map((p) => [p.id, p]));
  const replies = new Map<string, ThreadPost[]>();
  for (const post of posts) {
    if (post.inReplyTo === null) continue;
    const list = replies.get(post.inReplyTo) ?? [];
    list.push(post);
    replies.set(post.inReplyTo, list);
  }
  const counts = new Map<string, AdvocacyCounts>();
  for (const post of posts) {
    if (post.ours || post.author === null) continue;
    const author = post.author;
    const count = counts.get(author) ?? {
      positiveBrandMentions: 0,
      negativeBrandMentions: 0,
      helpfulAnswers: 0,
    };
    counts.set(author, count);
    const labels = labelsOf(post);
    const parent = post.inReplyTo === null ? undefined : byId.get(post.inReplyTo);
    const asker =
      parent &&
      !parent.ours &&
      parent.author !== null &&
      parent.author !== author &&
      parent.intent === 'question'
        ? parent.author
        : null;
    if (asker !== null && mayBeAnswer(labels)) {
      const confirmed = (replies.get(post.id) ?? []).some(
        (r) => !r.ours && r.author === asker && confirmsAnswer(labelsOf(r)),
      );
      if (confirmed) count.helpfulAnswers += 1;
    } else if (labels.sentiment === 'positive') {
      count.positiveBrandMentions += 1;
    } else if (labels.sentiment === 'negative') {
      count.negativeBrandMentions += 1;
    }
  }
  return counts;
}
