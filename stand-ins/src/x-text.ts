/**
 * What X does to a post's text on the way in: links become `https://t.co/…` (the original kept as
 * `expanded_url`), and @mentions, #hashtags and links are reported as entities with code-point offsets.
 */
import { createHash } from 'node:crypto';

export interface TextEntities {
  mentions: { start: number; end: number; username: string }[];
  hashtags: { start: number; end: number; tag: string }[];
  urls: { start: number; end: number; url: string; expanded_url: string; display_url: string }[];
}

function codePointIndex(text: string, utf16Index: number): number {
  return [...text.slice(0, utf16Index)].length;
}

/** A stable t.co link for a URL (X's are random; stable ones keep tests and demos reproducible). */
export function tcoLink(expanded: string): string {
  const hash = createHash('sha256').update(expanded).digest('base64url').replace(/[-_]/g, 'x');
  return `https://t.co/${hash.slice(0, 10)}`;
}

function displayUrl(expanded: string): string {
  const bare = expanded.replace(/^https?:\/\/(www\.)?/, '');
  return bare.length > 26 ? `${bare.slice(0, 25)}…` : bare;
}

/** Shortens links to t.co and finds the entities, as X does when a post is created. */
export function processText(input: string): { text: string; entities: TextEntities } {
  const text = input.replace(/https?:\/\/[^\s]+/gu, (url) => tcoLink(url));
  const expandedByTco = new Map<string, string>();
  for (const url of input.match(/https?:\/\/[^\s]+/gu) ?? []) expandedByTco.set(tcoLink(url), url);

  const entities: TextEntities = { mentions: [], hashtags: [], urls: [] };
  for (const m of text.matchAll(/(?<![\w@])@(\w{1,15})\b/gu)) {
    const start = codePointIndex(text, m.index);
    entities.mentions.push({ start, end: start + [...m[0]].length, username: m[1] ?? '' });
  }
  for (const m of text.matchAll(/(?<![\p{L}\p{N}_&/])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu)) {
    const start = codePointIndex(text, m.index);
    entities.hashtags.push({ start, end: start + [...m[0]].length, tag: m[1] ?? '' });
  }
  for (const m of text.matchAll(/https:\/\/t\.co\/\w{10}/gu)) {
    const start = codePointIndex(text, m.index);
    const expanded = expandedByTco.get(m[0]) ?? m[0];
    entities.urls.push({
      start,
      end: start + m[0].length,
      url: m[0],
      expanded_url: expanded,
      display_url: displayUrl(expanded),
    });
  }
  return { text, entities };
}

/** X counts characters in code points (a simplification of its weighted count: CJK and emoji count 2 there). */
export function charCount(text: string): number {
  return [...text].length;
}
