/** Every language's lexicon, by ISO 639-1 code, and the emoji-only lexicon used for all other text. */
import { compileLexicon } from './compile.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { it } from './it.ts';
import { pt } from './pt.ts';
import type { Lexicon } from './types.ts';

export { EMOJI_VALENCE, SARCASM_EMOJI } from './emoji.ts';
export type { Lexicon } from './types.ts';

export const LEXICONS: ReadonlyMap<string, Lexicon> = new Map(
  [en, es, fr, de, pt, it].map((l) => [l.code, l]),
);

/**
 * For languages without a lexicon: no words score, so only emoji and emoticons count. Never the
 * English lexicon: "die", "pain" or "gift" mean something else in German and French.
 */
export const EMOJI_ONLY: Lexicon = compileLexicon('und', {
  words: {},
  phrases: {},
  negators: [],
  negatedOnly: {},
  boosters: {},
  contrast: [],
  courtesy: {},
  sarcasm: [],
  intent: { complaint: [], purchase: [], question: [], request: [], praise: [], service: [] },
  functionWords: [],
});

export function lexiconFor(language: string): Lexicon {
  return LEXICONS.get(language) ?? EMOJI_ONLY;
}
