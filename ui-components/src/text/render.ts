import { html, type TemplateResult } from 'lit';
import { segmentText, displayUrl, type TextSegment } from './entities.ts';

const segmentsCache = new WeakMap<object, TextSegment[]>();

/**
 * A post's text as text nodes and vetted links (http/https only, see `safeHttpUrl`): no markup from the
 * post ever reaches the DOM. Entities are found once per post object.
 */
export function renderText(post: { body: string }): (string | TemplateResult)[] {
  let segs = segmentsCache.get(post);
  if (!segs) segmentsCache.set(post, (segs = segmentText(post.body ?? '')));
  return segs.map((s) =>
    s.kind === 'url'
      ? html`<a href=${s.href} target="_blank" rel="noopener noreferrer nofollow ugc" title=${s.href}
          >${displayUrl(s.text)}</a
        >`
      : s.kind === 'text'
        ? s.text
        : html`<span class=${s.kind}>${s.text}</span>`,
  );
}
