/**
 * The components bundle: importing it registers the four tags (once; a second copy on the page is a no-op).
 */
import { SocialTimeline } from './social-timeline.ts';
import { SocialRespondBox } from './social-respond-box.ts';
import { SocialPersonaCard } from './social-persona-card.ts';
import { SocialInbox } from './social-inbox.ts';

export { SocialTimeline, SocialRespondBox, SocialPersonaCard, SocialInbox };
export { SHADOW_MODE } from './shadow-mode.ts';
export { countFor, LIMITS } from './text/counter.ts';
export { segmentText } from './text/entities.ts';
export { safeHttpUrl } from './text/safe-url.ts';
export type * from './types.ts';
export type * from './events.ts';

const TAGS = {
  'social-timeline': SocialTimeline,
  'social-respond-box': SocialRespondBox,
  'social-persona-card': SocialPersonaCard,
  'social-inbox': SocialInbox,
} as const;

for (const [tag, ctor] of Object.entries(TAGS)) {
  if (!customElements.get(tag)) customElements.define(tag, ctor);
}

declare global {
  interface HTMLElementTagNameMap {
    'social-timeline': SocialTimeline;
    'social-respond-box': SocialRespondBox;
    'social-persona-card': SocialPersonaCard;
    'social-inbox': SocialInbox;
  }
}
