/**
 * Language identification for short, noisy posts. Off-the-shelf n-gram detectors are built for
 * paragraphs; on "@acme_es ¿hacéis envíos a México?" they hesitate between Spanish, Catalan and
 * Galician. So a post is first stripped of mentions, hashtags, URLs, numbers and emoji (tokenize), then:
 *
 * 1. Function words and diacritics of the configured languages vote ("¿", "hacéis", "a"): on customer
 *    posts this alone is right almost always, and it is an order of magnitude faster than n-grams.
 * 2. When the vote is not clear, ELD (the fastest and, on our evaluation set, the most accurate of
 *    franc-min, tinyld and eld; see bench/compare-detectors.ts) adds its n-gram verdict over all of
 *    its 60 languages, so Dutch or Swedish come out as `nl`/`sv` rather than a forced guess.
 * 3. The network's own hint (X `lang`, Bluesky `langs`) wins when it is plausible: on posts too short
 *    to judge, or when the text supports it about as well as the best candidate.
 */
import { eld as eldLarge } from 'eld/large';
import { SUPPORTED_LANGUAGES } from './schema.ts';
import { deSource } from './lexicons/de.ts';
import { enSource } from './lexicons/en.ts';
import { esSource } from './lexicons/es.ts';
import { frSource } from './lexicons/fr.ts';
import { itSource } from './lexicons/it.ts';
import { ptSource } from './lexicons/pt.ts';
import type { LexiconSource } from './lexicons/types.ts';
import type { Tokens } from './tokenize.ts';

export const UNDETERMINED = 'und';

/** Weight of ELD's verdict against function-word votes (each distinctive word is worth 1). */
const ELD_WEIGHT = 1.5;
/** The vote is clear (skip n-grams) with this much evidence and this lead over the runner-up. */
const CLEAR_SCORE = 2;
const CLEAR_MARGIN = 1;
/** A hint is accepted outright on posts with at most this many words. */
const SHORT_POST_WORDS = 3;

const SOURCES: Record<string, LexiconSource> = {
  en: enSource,
  es: esSource,
  fr: frSource,
  de: deSource,
  pt: ptSource,
  it: itSource,
};

/** Characters that (nearly) only one of our languages uses. */
const CHARACTER_CUES: ReadonlyArray<readonly [RegExp, string, number]> = [
  [/[ñ¿¡]/, 'es', 1.5],
  [/[ãõ]/, 'pt', 1.5],
  [/ß/, 'de', 1.5], // not ä or ö: Swedish, Finnish and Estonian have them too
  [/[œîûëï]/, 'fr', 1],
  [/[ìò]/, 'it', 1],
];

/** word → [language, weight]; a word shared by k languages gives each 1/k. */
const FUNCTION_WORDS = new Map<string, Array<readonly [string, number]>>();
{
  const owners = new Map<string, string[]>();
  for (const [code, source] of Object.entries(SOURCES)) {
    for (const word of source.functionWords) {
      const list = owners.get(word) ?? [];
      if (!list.includes(code)) list.push(code);
      owners.set(word, list);
    }
  }
  for (const [word, codes] of owners)
    FUNCTION_WORDS.set(
      word,
      codes.map((c) => [c, 1 / codes.length] as const),
    );
}

const detector = eldLarge.newInstance();

export interface LanguageOptions {
  languageHint?: string | null | undefined;
  languages?: readonly string[] | undefined;
}

/** `pt-BR` → `pt`; X's `und`, `zxx` (no text), `qme` (media) and the like → null. */
export function normalizeHint(hint: string | null | undefined): string | null {
  if (typeof hint !== 'string') return null;
  const code = hint.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  if (!/^[a-z]{2}$/.test(code)) return null;
  return code;
}

// Scratch scores, reused between calls.
const scores = new Map<string, number>();

function vote(tokens: Tokens, configured: readonly string[]): void {
  scores.clear();
  for (const code of configured) scores.set(code, 0);
  const text = tokens.languageText;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(' ', start);
    if (end === -1) end = text.length;
    const word = text.slice(start, end);
    start = end + 1;
    credit(word);
    const apostrophe = word.indexOf("'");
    if (apostrophe > 0) credit(word.slice(0, apostrophe + 1));
  }
  for (const [re, code, weight] of CHARACTER_CUES) {
    const current = scores.get(code);
    if (current !== undefined && re.test(text)) scores.set(code, current + weight);
  }
}

function credit(word: string): void {
  const owners = FUNCTION_WORDS.get(word);
  if (owners === undefined) return;
  for (const [code, weight] of owners) {
    const current = scores.get(code);
    if (current !== undefined) scores.set(code, current + weight);
  }
}

function ranked(): { best: string; bestScore: number; secondScore: number } {
  let best = UNDETERMINED;
  let bestScore = 0;
  let secondScore = 0;
  for (const [code, score] of scores) {
    if (score > bestScore) {
      secondScore = bestScore;
      bestScore = score;
      best = code;
    } else if (score > secondScore) {
      secondScore = score;
    }
  }
  return { best, bestScore, secondScore };
}

/** ELD's verdict on the cleaned words ('' when it has none). */
export function eldLanguage(text: string): string {
  return detector.detect(text).language;
}

export function detectLanguage(tokens: Tokens, options: LanguageOptions = {}): string {
  const configured = options.languages ?? SUPPORTED_LANGUAGES;
  const hint = normalizeHint(options.languageHint);
  if (tokens.words === 0) return hint ?? UNDETERMINED;

  vote(tokens, configured);
  const first = ranked();
  let { best, bestScore } = first;
  const clear = bestScore >= CLEAR_SCORE && bestScore - first.secondScore >= CLEAR_MARGIN;

  if (!clear) {
    const ngram = eldLanguage(tokens.languageText);
    const current = scores.get(ngram);
    if (current !== undefined) {
      scores.set(ngram, current + ELD_WEIGHT);
      ({ best, bestScore } = ranked());
    } else if (ngram !== '' && bestScore < CLEAR_SCORE) {
      // A language we have no lexicon for, and nothing of ours in the text: say which it is.
      best = ngram;
      bestScore = ELD_WEIGHT;
    }
  }

  if (hint !== null && hint !== best) {
    const hintScore = scores.get(hint) ?? 0;
    const short = tokens.words <= SHORT_POST_WORDS;
    if ((short && bestScore - hintScore < CLEAR_SCORE) || hintScore >= bestScore) return hint;
  }
  return bestScore > 0 ? best : (hint ?? UNDETERMINED);
}
