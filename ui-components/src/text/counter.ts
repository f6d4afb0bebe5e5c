import parseTweet from 'twitter-text/dist/esm/parseTweet';
import extractUrlsWithIndices from 'twitter-text/dist/esm/extractUrlsWithIndices';
import type { Network } from '../types.ts';

/** How long a reply may be on each network, in that network's own unit. */
export const LIMITS: Record<Network, number> = {
  x: 280,
  bluesky: 300,
  mastodon: 500,
  facebook: 8000,
  instagram: 2200,
};

export interface Count {
  length: number;
  limit: number;
  /** Units left; negative when over. */
  remaining: number;
  unit: 'characters';
}

let graphemes: Intl.Segmenter | undefined;

function countGraphemes(text: string): number {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

const codePoints = (text: string): number => [...text].length;

/**
 * Mastodon counts every URL as 23 characters and a remote mention `@user@domain` as `@user`
 * (app/javascript/mastodon/features/compose/util/counter.js).
 */
function countMastodon(text: string): number {
  let countable = text;
  for (const u of extractUrlsWithIndices(text).reverse()) {
    countable = countable.slice(0, u.indices[0]) + 'x'.repeat(23) + countable.slice(u.indices[1]);
  }
  countable = countable.replace(/(^|[^/\w])@(\w+)@[\w.-]+[a-z0-9]/gi, '$1@$2');
  return codePoints(countable);
}

/**
 * The length of `text` as `network` counts it: X the weighted length of twitter-text (URLs 23,
 * emoji and CJK 2), Bluesky graphemes, Mastodon code points with URLs as 23, Facebook and Instagram
 * code points.
 */
export function countFor(network: Network, text: string): Count {
  const limit = LIMITS[network];
  let length: number;
  switch (network) {
    case 'x':
      length = parseTweet(text).weightedLength;
      break;
    case 'bluesky':
      length = countGraphemes(text);
      break;
    case 'mastodon':
      length = countMastodon(text);
      break;
    default:
      length = codePoints(text);
  }
  return { length, limit, remaining: limit - length, unit: 'characters' };
}
