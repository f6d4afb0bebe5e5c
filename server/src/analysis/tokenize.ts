/**
 * One pass over a post that splits it into what analysis cares about: words, hashtags, emoji and
 * emoticons, sentence punctuation, and the social noise (@mentions, URLs, numbers) that must not count
 * as language. The regex is compiled once and the token arrays are reused between calls: analysis is
 * synchronous, so a caller reads them fully before the next `tokenize()`.
 */

export const TokenKind = {
  Word: 1,
  Hashtag: 2,
  Emoji: 3,
  Question: 4,
  Exclamation: 5,
  Stop: 6,
  Comma: 7,
  Number: 8,
  Mention: 9,
  Url: 10,
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

export interface Tokens {
  kinds: TokenKind[];
  /** Lower-cased token text (for emoji: the pictograph or emoticon). */
  texts: string[];
  count: number;
  mentions: number;
  urls: number;
  /** Letters-only words joined by spaces: what language identification looks at. */
  languageText: string;
  /** Number of word tokens in languageText. */
  words: number;
}

// Order matters: URLs and mentions before words, emoticons before punctuation, and an emoticon
// is never glued to a following letter (so "note:done" stays words).
const TOKEN_RE = new RegExp(
  [
    String.raw`(https?:\/\/\S+|www\.\S+)`, // 1 url
    String.raw`(@[\p{L}\p{N}_.]+)`, // 2 mention
    String.raw`#([\p{L}\p{N}_]+)`, // 3 hashtag
    String.raw`(\d+(?:[.,:/]\d+)*(?:\p{L}{1,2}\b)?)`, // 4 number (3rd, 40min, 10x)
    String.raw`((?:<\/?3|[:;=][-'^o]?[)(\]\[dp\/\\|*3@]+|[)(][-']?[:;=])(?![\p{L}\p{N}]))`, // 5 emoticon
    String.raw`([\p{L}\p{M}]+(?:'[\p{L}\p{M}]+)*'?)`, // 6 word (keeps don't, n'est, l')
    String.raw`([?¿]+)`, // 7
    String.raw`([!¡]+)`, // 8
    String.raw`([.;:…]+)`, // 9
    String.raw`(,)`, // 10
    String.raw`(\p{Extended_Pictographic}|\p{Regional_Indicator})`, // 11 emoji
  ].join('|'),
  'gu',
);

const tokens: Tokens = {
  kinds: [],
  texts: [],
  count: 0,
  mentions: 0,
  urls: 0,
  languageText: '',
  words: 0,
};

const wordParts: string[] = [];

export function tokenize(text: string): Tokens {
  const lower = text.toLowerCase().replaceAll('’', "'");
  const kinds = tokens.kinds;
  const texts = tokens.texts;
  let n = 0;
  let mentions = 0;
  let urls = 0;
  wordParts.length = 0;
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(lower)) !== null) {
    let kind: TokenKind;
    let value: string;
    if (m[6] !== undefined) {
      kind = TokenKind.Word;
      value = m[6];
      wordParts.push(value);
    } else if (m[2] !== undefined) {
      mentions++;
      continue;
    } else if (m[1] !== undefined) {
      urls++;
      continue;
    } else if (m[3] !== undefined) {
      kind = TokenKind.Hashtag;
      value = m[3];
    } else if (m[11] !== undefined) {
      kind = TokenKind.Emoji;
      value = m[11];
    } else if (m[5] !== undefined) {
      kind = TokenKind.Emoji;
      value = m[5];
    } else if (m[7] !== undefined) {
      kind = TokenKind.Question;
      value = '?';
    } else if (m[8] !== undefined) {
      kind = TokenKind.Exclamation;
      value = m[8];
    } else if (m[9] !== undefined) {
      kind = TokenKind.Stop;
      value = '.';
    } else if (m[10] !== undefined) {
      kind = TokenKind.Comma;
      value = ',';
    } else {
      kind = TokenKind.Number;
      value = m[4] ?? '';
    }
    kinds[n] = kind;
    texts[n] = value;
    n++;
  }
  tokens.count = n;
  tokens.mentions = mentions;
  tokens.urls = urls;
  tokens.words = wordParts.length;
  tokens.languageText = wordParts.join(' ');
  return tokens;
}
