/**
 * Stand-in for `twemoji-parser` inside twitter-text's parseTweet, which only needs the UTF-16 ranges of
 * emoji to weigh each as 2. One grapheme cluster (Intl.Segmenter) with an Emoji code point is one emoji,
 * except a lone digit, #, *, ©, ® or ™ (text by default); this agrees with twemoji-parser 11 on every
 * emoji it knows, knows newer ones, and keeps its 6 KB table and a CommonJS package out of the bundle.
 */
export interface EmojiEntity {
  type: 'emoji';
  text: string;
  url: string;
  indices: [number, number];
}

const EMOJI = /\p{Emoji}|\p{Extended_Pictographic}\ufe0f/u;
const TEXT_BY_DEFAULT = /^[0-9#*\u00a9\u00ae\u2122]$/;
let segmenter: Intl.Segmenter | undefined;

export function parse(text: string): EmojiEntity[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const out: EmojiEntity[] = [];
  for (const { segment, index } of segmenter.segment(text)) {
    if (EMOJI.test(segment) && !TEXT_BY_DEFAULT.test(segment)) {
      out.push({ type: 'emoji', text: segment, url: '', indices: [index, index + segment.length] });
    }
  }
  return out;
}
