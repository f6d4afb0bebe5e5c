import extractUrlsWithIndices from 'twitter-text/dist/esm/extractUrlsWithIndices';
import extractMentionsWithIndices from 'twitter-text/dist/esm/extractMentionsWithIndices';
import { safeHttpUrl } from './safe-url.ts';

/** A run of post text: plain text, or an entity twitter-text found. */
export type TextSegment =
  | { kind: 'text'; text: string }
  | { kind: 'url'; text: string; href: string }
  | { kind: 'mention'; text: string }
  | { kind: 'hashtag'; text: string };

/**
 * twitter-text's hashtag rule (validHashtag + endHashtagMatch) written with Unicode property escapes:
 * letters, marks, digits, `_` and twitter-text's hashtagSpecialChars, at least one letter or mark, not
 * preceded by a word character or `&`, not followed by another `#` or `://`. The same rule without
 * twitter-text's 8 KB generated letter tables, which only its hashtag extractor needs.
 */
const AN =
  '\\p{L}\\p{M}\\p{Nd}_\\u200c\\u200d\\ua67e\\u05be\\u05f3\\u05f4\\uff5e\\u301c\\u309b\\u309c\\u30a0\\u30fb\\u3003\\u0f0b\\u0f0c\\u00b7';
const HASHTAG = new RegExp(
  // ZWNJ/ZWJ are in the class on purpose (twitter-text's hashtagSpecialChars), not as a joined sequence.
  // eslint-disable-next-line no-misleading-character-class
  `(^|[^&${AN}])[#＃](?!\\ufe0f|\\u20e3)([${AN}]*[\\p{L}\\p{M}][${AN}]*)(?![${AN}#＃]|:\\/\\/)`,
  'gu',
);

interface Found {
  start: number;
  end: number;
  segment: TextSegment;
}

/**
 * Splits post text into segments: URLs and mentions by twitter-text, hashtags by its rule above. Nothing here produces markup:
 * the template renders each segment as text or as an `<a>` whose `href` passed `safeHttpUrl`; a URL
 * entity that does not pass stays plain text.
 */
export function segmentText(text: string): TextSegment[] {
  const found: Found[] = [];
  for (const u of extractUrlsWithIndices(text)) {
    // twitter-text also finds bare domains ("acme.org/help"): those are web links.
    const href = safeHttpUrl(/^[a-z][a-z0-9+.-]*:/i.test(u.url) ? u.url : `https://${u.url}`);
    const [start, end] = u.indices;
    if (href) found.push({ start, end, segment: { kind: 'url', text: u.url, href } });
  }
  for (const m of extractMentionsWithIndices(text)) {
    const [start, end] = m.indices;
    found.push({ start, end, segment: { kind: 'mention', text: text.slice(start, end) } });
  }
  for (const h of text.matchAll(HASHTAG)) {
    const start = h.index + h[1]!.length;
    const end = h.index + h[0].length;
    found.push({ start, end, segment: { kind: 'hashtag', text: text.slice(start, end) } });
  }
  found.sort((a, b) => a.start - b.start);

  const out: TextSegment[] = [];
  let at = 0;
  for (const f of found) {
    if (f.start < at) continue; // overlapping entity (e.g. a mention inside a URL): the first wins
    if (f.start > at) out.push({ kind: 'text', text: text.slice(at, f.start) });
    out.push(f.segment);
    at = f.end;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

/** Shortens a URL for display the way networks do: no scheme, no "www.", at most 32 characters. */
export function displayUrl(url: string): string {
  const bare = url.replace(/^https?:\/\/(www\.)?/i, '');
  return bare.length > 32 ? `${bare.slice(0, 31)}…` : bare;
}
