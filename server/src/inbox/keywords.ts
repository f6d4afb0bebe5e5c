/**
 * Keyword matching for routing rules: a keyword or phrase matches a post when it occurs as whole words,
 * whatever the case and the accents, in any script.
 *
 * - Folding: both sides are decomposed (NFKD: `ﬁ` = `fi`, full-width letters = ASCII), upper- then
 *   lower-cased (full case mapping: `STRASSE` = `straße`, final sigma = sigma) and stripped of combining
 *   marks, so `reembolso` matches `Réembolso`
 *   and `café` matches `CAFE`; runs of white space count as one space.
 * - Whole words: a keyword that begins (ends) with a letter, digit or `_` must not have one of those just
 *   before (after) it, so `refund` does not match `refunded` nor `prerefund`. Emoji and punctuation at
 *   a keyword's edge need no boundary (`🔥` matches in `🔥🔥`, `#promo` in `x#promo`), and code points
 *   are never split (surrogate pairs stay whole).
 * - Scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar)
 *   have no word boundaries to check: `返金` matches in `返金してください`, and a Latin word next to them
 *   (`iPhone欲しい`) is at a boundary.
 */

/** Folded text: case-insensitive, accent-insensitive, white space collapsed. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD = /[\p{L}\p{N}_]/u;

/** A character of a script that separates words with spaces, and part of a word. */
function isSpacedWordChar(char: string | undefined): boolean {
  return char !== undefined && WORD.test(char) && !UNSPACED.test(char);
}

function codePointBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(index - 2, index);
  }
  return text[index - 1];
}

function codePointAt(text: string, index: number): string | undefined {
  const point = text.codePointAt(index);
  return point === undefined ? undefined : String.fromCodePoint(point);
}

/** Whether folded `text` contains folded `term` as whole words (see the module comment). */
export function containsTerm(foldedText: string, foldedTerm: string): boolean {
  if (!foldedTerm) return false;
  const first = codePointAt(foldedTerm, 0);
  const last = codePointBefore(foldedTerm, foldedTerm.length);
  const checkStart = isSpacedWordChar(first);
  const checkEnd = isSpacedWordChar(last);
  for (let at = foldedText.indexOf(foldedTerm); at !== -1; at = foldedText.indexOf(foldedTerm, at + 1)) {
    if (checkStart && isSpacedWordChar(codePointBefore(foldedText, at))) continue;
    if (checkEnd && isSpacedWordChar(codePointAt(foldedText, at + foldedTerm.length))) continue;
    return true;
  }
  return false;
}

/** The keywords (as written) that occur in `text`. */
export function matchingKeywords(text: string, keywords: readonly string[]): string[] {
  const folded = foldText(text);
  return keywords.filter((keyword) => containsTerm(folded, foldText(keyword)));
}

/**
 * A `Keywords__c` value → its keywords: separated by commas or line breaks, trimmed, surrounding double
 * quotes dropped (`"late delivery"`), blanks and repeats (after folding) left out.
 */
export function parseKeywords(value: string | null | undefined): string[] {
  if (!value) return [];
  const seen = new Set<string>();
  const keywords: string[] = [];
  for (const part of value.split(/[,\r\n]+/)) {
    const keyword = part
      .trim()
      .replace(/^["“”](.*)["“”]$/su, '$1')
      .trim();
    const folded = foldText(keyword);
    if (!folded || seen.has(folded)) continue;
    seen.add(folded);
    keywords.push(keyword);
  }
  return keywords;
}
