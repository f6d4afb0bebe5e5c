import { waitingFor } from './format.ts';
import type { DoneReason, InboxFilters, InboxItem, InboxOwner, InboxScope, InboxSort } from './types.ts';

export const NO_INBOX_FILTERS: InboxFilters = {
  network: '',
  language: '',
  intent: '',
  queue: '',
  scope: 'all',
  search: '',
  sort: 'due',
};

export const DONE_REASONS: readonly DoneReason[] = ['No reply needed', 'Spam', 'Answered elsewhere'];

export const SCOPE_LABEL: Record<InboxScope, string> = {
  all: 'All',
  mine: 'Assigned to me',
  my_queues: 'My queues',
  unassigned: 'Unassigned',
};

export const SORT_LABEL: Record<InboxSort, string> = {
  due: 'Due first',
  newest: 'Newest first',
  priority: 'Priority',
};

const RANK = { Urgent: 0, High: 1, Normal: 2, Low: 3 } as const;

/** Posts with less time left than this are due soon (amber). */
export const DUE_SOON_MS = 30 * 60_000;

/** "Due in 25 min" / "Overdue 10 min" (minutes rounded towards the deadline's side), or null without a target. */
export function dueLabel(due: number, now: number): { text: string; over: boolean; soon: boolean } | null {
  if (!Number.isFinite(due)) return null;
  const left = due - now;
  return left > 0
    ? { text: `Due in ${waitingFor(left + 59_999)}`, over: false, soon: left <= DUE_SOON_MS }
    : { text: `Overdue ${waitingFor(-left)}`, over: true, soon: false };
}

const haystacks = new WeakMap<InboxItem, string>();
const haystack = (it: InboxItem): string => {
  let h = haystacks.get(it);
  if (h === undefined) {
    const a = it.author;
    h = `${a.name ?? ''}\n${a.handle}\n${it.text}`.toLowerCase();
    haystacks.set(it, h);
  }
  return h;
};

/**
 * The items the filters let through, in the chosen order. Times are parsed once per call; the server's
 * order (due time) makes the default sort a single pass. `me` is the current user's Id; "my queues" are
 * the queues not marked `member: false`.
 */
export function inboxRows(
  items: readonly InboxItem[],
  f: InboxFilters,
  me: string | null,
  queues: readonly InboxOwner[],
): InboxItem[] {
  const mine =
    f.scope === 'my_queues' ? new Set(queues.filter((q) => q.member !== false).map((q) => q.id)) : null;
  const words = f.search.toLowerCase().split(/\s+/).filter(Boolean);
  const keep: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (f.network && it.network !== f.network) continue;
    if (f.intent && it.intent !== f.intent) continue;
    if (f.language && (it.language ?? '').toLowerCase() !== f.language) continue;
    if (f.queue && it.ownerId !== f.queue) continue;
    if (f.scope === 'mine' && (it.ownerIsQueue || it.ownerId !== me)) continue;
    if (f.scope === 'unassigned' && !it.ownerIsQueue) continue;
    if (mine && !(it.ownerIsQueue && mine.has(it.ownerId))) continue;
    if (words.length) {
      const h = haystack(it);
      if (!words.every((w) => h.includes(w))) continue;
    }
    keep.push(i);
  }
  const n = items.length;
  const due = new Float64Array(n);
  const got = new Float64Array(n);
  for (const i of keep) {
    const it = items[i]!;
    due[i] = (it.dueAt && Date.parse(it.dueAt)) || Infinity;
    got[i] = Date.parse(it.receivedAt) || 0;
  }
  // Infinity − Infinity is NaN, which is falsy: two posts without a target fall through to the next key.
  const byDue = (a: number, b: number): number => due[a]! - due[b]! || got[a]! - got[b]! || a - b;
  keep.sort(
    f.sort === 'newest'
      ? (a, b) => got[b]! - got[a]! || a - b
      : f.sort === 'priority'
        ? (a, b) => RANK[items[a]!.priority] - RANK[items[b]!.priority] || byDue(a, b)
        : byDue,
  );
  return keep.map((i) => items[i]!);
}

/** The languages present, sorted by code (for the language filter). */
export function languagesOf(items: readonly InboxItem[]): string[] {
  const set = new Set<string>();
  for (const it of items) if (it.language) set.add(it.language.toLowerCase());
  return [...set].sort();
}

let names: Intl.DisplayNames | null | undefined;
/** "Spanish" for `es` (the browser's English names), or the code itself. */
export function languageName(code: string): string {
  try {
    names ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}
