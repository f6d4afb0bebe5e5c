import type { DoneReason, InboxFilters, SocialPost, TimelineFilters } from './types.ts';

/** `social-post-select`: the user chose a post (click or Enter). */
export interface PostSelectDetail {
  postId: string;
  post: SocialPost;
}

/** `social-load-older`: the user asked for posts older than `before` (ISO date-time of the oldest shown). */
export interface LoadOlderDetail {
  before: string | null;
}

/** `social-filter-change`: the timeline filters changed. */
export type FilterChangeDetail = TimelineFilters;

/** `social-reply`: send `text` as a reply to `postId`; the host posts it to `POST /api/replies`. */
export interface ReplyDetail {
  postId: string;
  text: string;
  idempotencyKey: string;
}

/** `social-suggestion-accept` / `social-suggestion-reject`. */
export interface SuggestionDetail {
  personaId: string;
}

/** `social-retry`: the user asks the host to load again after an error. */
export type RetryDetail = Record<string, never>;

/** `social-inbox-select`: the user opened an inbox item; the host loads its thread into `threads[postId]`. */
export interface InboxSelectDetail {
  postId: string;
}

/** `social-inbox-assign`: give these posts to `ownerId` (a queue or a user); `POST /api/inbox/assign`. */
export interface InboxAssignDetail {
  postIds: string[];
  ownerId: string;
}

/** `social-inbox-done`: close these posts without a reply; `POST /api/inbox/done`. */
export interface InboxDoneDetail {
  postIds: string[];
  reason: DoneReason;
}

/** `social-inbox-filter-change`: the inbox filters changed (the inbox already applied them to `items`). */
export type InboxFilterChangeDetail = InboxFilters;

/** `social-inbox-create-record`: make a Lead or Contact from the author of an unlinked post. */
export interface InboxCreateRecordDetail {
  postId: string;
  recordType: 'Lead' | 'Contact';
}

/** `social-inbox-link`: link the author of a post to one of its suggested records. */
export interface InboxLinkDetail {
  postId: string;
  recordId: string;
}

/** `social-load-more`: the user asked for the next page (the host keeps the cursor). */
export type LoadMoreDetail = Record<string, never>;

export interface SocialEventMap {
  'social-post-select': CustomEvent<PostSelectDetail>;
  'social-load-older': CustomEvent<LoadOlderDetail>;
  'social-filter-change': CustomEvent<FilterChangeDetail>;
  'social-retry': CustomEvent<RetryDetail>;
  'social-reply': CustomEvent<ReplyDetail>;
  'social-suggestion-accept': CustomEvent<SuggestionDetail>;
  'social-suggestion-reject': CustomEvent<SuggestionDetail>;
  /** `{ personaId }`: a joined profile is not this person (split the join). */
  'social-persona-split': CustomEvent<SuggestionDetail>;
  'social-inbox-select': CustomEvent<InboxSelectDetail>;
  'social-inbox-assign': CustomEvent<InboxAssignDetail>;
  'social-inbox-done': CustomEvent<InboxDoneDetail>;
  'social-inbox-filter-change': CustomEvent<InboxFilterChangeDetail>;
  'social-inbox-create-record': CustomEvent<InboxCreateRecordDetail>;
  'social-inbox-link': CustomEvent<InboxLinkDetail>;
  'social-load-more': CustomEvent<LoadMoreDetail>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends SocialEventMap {}
}

/** Dispatches a component event: bubbles and crosses shadow roots (open or closed). */
export function emit<K extends keyof SocialEventMap>(
  target: EventTarget,
  type: K,
  detail: SocialEventMap[K]['detail'],
): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
