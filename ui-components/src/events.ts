import type { SocialPost, TimelineFilters } from './types.ts';

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

export interface SocialEventMap {
  'social-post-select': CustomEvent<PostSelectDetail>;
  'social-load-older': CustomEvent<LoadOlderDetail>;
  'social-filter-change': CustomEvent<FilterChangeDetail>;
  'social-retry': CustomEvent<RetryDetail>;
  'social-reply': CustomEvent<ReplyDetail>;
  'social-suggestion-accept': CustomEvent<SuggestionDetail>;
  'social-suggestion-reject': CustomEvent<SuggestionDetail>;
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
