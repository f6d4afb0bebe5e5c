/** Builds the hot-path Lexicon from a hand-written LexiconSource, once, at module load. */
import type { IntentCuesSource, Lexicon, LexiconSource, PhraseEntry } from './types.ts';

const NEVER = /(?!)/;

function cueRegex(fragments: readonly string[], anchored = false): RegExp {
  if (fragments.length === 0) return NEVER;
  // Word-bounded on the space-joined word string: (^| )cue( |$), or ^cue( |$) for openers.
  return new RegExp(`${anchored ? '^' : '(?:^| )'}(?:${fragments.join('|')})(?= |$)`);
}

function expandWords(source: LexiconSource): Map<string, number> {
  const words = new Map<string, number>();
  const suffixes = source.suffixes ?? [''];
  for (const [key, value] of Object.entries(source.words)) {
    if (key.endsWith('*')) {
      const stem = key.slice(0, -1);
      for (const suffix of suffixes) if (!words.has(stem + suffix)) words.set(stem + suffix, value);
    } else {
      words.set(key, value);
    }
  }
  return words;
}

export function compileLexicon(
  code: string,
  source: LexiconSource,
  base: ReadonlyMap<string, number> = new Map(),
): Lexicon {
  const words = new Map(base);
  for (const [word, value] of expandWords(source)) words.set(word, value);

  const phrases = new Map<string, PhraseEntry[]>();
  const addPhrase = (phrase: string, score: number, sarcasm: boolean): void => {
    const [first, ...rest] = phrase.split(' ');
    if (first === undefined || rest.length === 0) {
      throw new Error(`lexicon ${code}: phrase "${phrase}" needs at least two words`);
    }
    const list = phrases.get(first) ?? [];
    list.push({ rest, score, sarcasm });
    list.sort((a, b) => b.rest.length - a.rest.length);
    phrases.set(first, list);
  };
  for (const [phrase, score] of Object.entries(source.phrases)) addPhrase(phrase, score, false);
  for (const phrase of source.sarcasm) addPhrase(phrase, -2, true);

  const cues: IntentCuesSource = source.intent;
  return {
    code,
    words,
    phrases,
    negators: new Set(source.negators),
    negatedOnly: new Map(Object.entries(source.negatedOnly)),
    boosters: new Map(Object.entries(source.boosters)),
    contrast: new Set(source.contrast),
    courtesy: new Map(Object.entries(source.courtesy)),
    postNegation: source.postNegation ?? false,
    apostrophes: code === 'en' ? 'strip' : 'split',
    cues: {
      complaint: cueRegex(cues.complaint),
      purchase: cueRegex(cues.purchase),
      question: cueRegex(cues.question, true),
      request: cueRegex(cues.request),
      praise: cueRegex(cues.praise),
      service: cueRegex(cues.service),
    },
  };
}
