/**
 * What each network allows in a reply, checked when the agent opens the respond box and again right
 * before sending (a rule can change in between: the text is edited, the post is deleted, the rule
 * about who may be answered). Messages are for the agent: they say what to change.
 *
 * Lengths are counted as each network counts them:
 * - X: twitter-text's weighted length (URLs 23, emoji and CJK 2), at most 280.
 * - Bluesky: 300 graphemes.
 * - Mastodon: 500 characters, every URL counting 23 and a remote mention only its `@user` part.
 * - Facebook comments: 8,000 characters; Instagram comments: 2,200 characters, at most 30 hashtags and
 *   5 mentions.
 */
import twitterText from 'twitter-text';
import type { Network } from '../domain/mention.ts';
import type { ReplyTarget } from './reply.ts';

export const REPLY_LIMITS: Record<Network, number> = {
  x: 280,
  bluesky: 300,
  mastodon: 500,
  facebook: 8000,
  instagram: 2200,
};

const NETWORK_NAMES: Record<Network, string> = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  facebook: 'Facebook',
  instagram: 'Instagram',
};

export function networkName(network: Network): string {
  return NETWORK_NAMES[network];
}

let graphemeSegmenter: Intl.Segmenter | undefined;
function graphemes(text: string): number {
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let n = 0;
  for (const _ of graphemeSegmenter.segment(text)) n += 1;
  return n;
}

const URL_PATTERN = /https?:\/\/[^\s<>"]+/giu;
// `@user@domain`: Mastodon counts only `@user`.
const REMOTE_MENTION = /(^|[^\p{L}\p{N}_/])(@[\p{L}\p{N}_]+)@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;

function mastodonLength(text: string): number {
  const counted = text.replace(URL_PATTERN, 'x'.repeat(23)).replace(REMOTE_MENTION, '$1$2');
  return [...counted].length;
}

/** The length of `text` as `network` counts it. */
export function replyLength(network: Network, text: string): number {
  switch (network) {
    case 'x':
      return twitterText.parseTweet(text).weightedLength;
    case 'bluesky':
      return graphemes(text);
    case 'mastodon':
      return mastodonLength(text);
    case 'facebook':
    case 'instagram':
      return [...text].length;
  }
}

/** Our own accounts' handles, for rules that depend on being mentioned. */
export interface OwnHandles {
  x?: string | null;
  bluesky?: string | null;
  mastodon?: string | null;
}

export type RuleVerdict = { ok: true; notes: string[] } | { ok: false; reason: string };

/** True when an X post mentions `@handle` (not as part of a longer handle or an e-mail address). */
function mentionsHandle(text: string, handle: string): boolean {
  const escaped = handle.replace(/^@/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_@])@${escaped}(?![A-Za-z0-9_])`, 'i').test(text);
}

/**
 * May we answer this post on its network at all? (Independent of the reply's text.) X lets an app
 * reply only when the author mentioned or quoted the brand, or replied to it.
 */
export function targetVerdict(target: ReplyTarget, own: OwnHandles): RuleVerdict {
  if (target.isOutbound)
    return { ok: false, reason: 'This is one of our own posts: answer the customer’s post instead.' };
  if (!target.networkPostId) {
    return { ok: false, reason: 'The post has no network id, so the network cannot be told what we answer.' };
  }
  if (target.network === 'x' && own.x && !mentionsHandle(target.body, own.x)) {
    return {
      ok: false,
      reason: `X only lets us reply when the author mentioned or quoted @${own.x.replace(/^@/, '')}, and this post does not. Answer by DM or from the X app instead.`,
    };
  }
  return { ok: true, notes: [] };
}

/** Checks a reply's text for the target's network, and the target itself. */
export function checkReply(target: ReplyTarget, text: string, own: OwnHandles): RuleVerdict {
  const base = targetVerdict(target, own);
  if (!base.ok) return base;
  const name = networkName(target.network);
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, reason: 'The reply is empty.' };
  const limit = REPLY_LIMITS[target.network];
  const length = replyLength(target.network, outgoingText(target, trimmed));
  if (length > limit) {
    return {
      ok: false,
      reason: `${name} allows ${limit} characters in a reply; this one has ${length}. Shorten it by ${length - limit}.`,
    };
  }
  if (target.network === 'instagram') {
    const hashtags = trimmed.match(/(^|\s)#[\p{L}\p{N}_]+/gu)?.length ?? 0;
    if (hashtags > 30)
      return { ok: false, reason: `Instagram allows 30 hashtags in a comment; this one has ${hashtags}.` };
    const mentions = trimmed.match(/(^|\s)@[\w.]+/gu)?.length ?? 0;
    if (mentions > 5)
      return { ok: false, reason: `Instagram allows 5 mentions in a comment; this one has ${mentions}.` };
  }
  const notes: string[] = [];
  if (target.network === 'mastodon' && outgoingText(target, trimmed) !== trimmed) {
    notes.push(`@${target.authorHandle} is put in front so the author is notified.`);
  }
  return { ok: true, notes };
}

/**
 * The text as it goes out. Mastodon notifies only the accounts a status mentions, so a reply that does
 * not mention its author gets `@acct ` in front (as every Mastodon client does).
 */
export function outgoingText(target: Pick<ReplyTarget, 'network' | 'authorHandle'>, text: string): string {
  const trimmed = text.trim();
  if (target.network !== 'mastodon' || !target.authorHandle) return trimmed;
  const acct = target.authorHandle.replace(/^@/, '');
  const user = acct.split('@')[0] ?? acct;
  const escapedUser = user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mentioned = new RegExp(`(^|\\s)@${escapedUser}(@|\\b)`, 'i').test(trimmed);
  return mentioned ? trimmed : `@${acct} ${trimmed}`;
}
