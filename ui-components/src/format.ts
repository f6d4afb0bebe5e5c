import type { Intent, Network, OutboundStatus, Sentiment } from './types.ts';

export const NETWORK_LABEL: Record<Network, string> = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  facebook: 'Facebook',
  instagram: 'Instagram',
};

export const SENTIMENT_LABEL: Record<Sentiment, string> = {
  positive: 'Positive',
  neutral: 'Neutral',
  negative: 'Negative',
};

export const INTENT_LABEL: Record<Intent, string> = {
  complaint: 'Complaint',
  question: 'Question',
  praise: 'Praise',
  purchase_intent: 'Purchase intent',
  other: 'Other',
};

/** What each outbound status means to an agent. */
export const STATUS_LABEL: Record<OutboundStatus, string> = {
  Pending: 'Pending',
  'Pending Approval': 'Pending approval',
  Approved: 'Approved',
  Rejected: 'Rejected by approver',
  Queued: 'Queued',
  Sending: 'Sending…',
  Sent: 'Sent',
  Failed: 'Failed',
};

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000_000],
  ['month', 2_592_000_000],
  ['week', 604_800_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 hours ago", "yesterday", "just now" (Intl's "this minute" reads oddly for a post). */
export function relativeTime(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return rtf.format(Math.round(diff / ms), unit);
  }
  return 'just now';
}

/** "3 h 12 min", "45 min", "2 d 4 h", "under 1 min" — how long a post has waited. */
export function waitingFor(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return h ? `${d} d ${h} h` : `${d} d`;
  if (h) return m ? `${h} h ${m} min` : `${h} h`;
  return m ? `${m} min` : 'under 1 min';
}

/** "1 post", "2 posts": `n` with its noun in the number English needs (the UI's words are English). */
export function plural(n: number, one: string, other: string): string {
  return `${n} ${n === 1 ? one : other}`;
}

/**
 * The sentiment labels of the analysis (server/src/analysis/sentiment.ts): a score of 0.25 or more is
 * positive, −0.25 or less negative. Posts carry the label the analysis gave them; averages use the same cut.
 */
export function sentimentWord(score: number): string {
  return score >= 0.25 ? 'Positive' : score <= -0.25 ? 'Negative' : 'Neutral';
}

/** A sentiment score as shown everywhere: two decimals, a sign, a real minus ("−0.40", "+0.12", "0.00"). */
export function signedScore(score: number): string {
  const fixed = score.toFixed(2);
  if (Number(fixed) === 0) return '0.00';
  return score > 0 ? `+${fixed}` : `\u2212${fixed.slice(1)}`;
}

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
export const compactNumber = (n: number): string => compact.format(n);

/** Initials for the avatar placeholder: "Ann Lee" → "AL", "@ann_lee" → "AN". */
export function initials(name: string): string {
  const words = name
    .replace(/^@/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters = words.length > 1 ? words[0]![0]! + words[1]![0]! : (words[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

/** `@handle` as the network writes it. */
export const atHandle = (handle: string): string => (handle.startsWith('@') ? handle : `@${handle}`);

/** A small stable hash of a string (the avatar colour of a handle). */
export function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}
