/**
 * The shape of a per-language lexicon as written by hand (LexiconSource) and as used in the hot path
 * (Lexicon: maps and precompiled regexes built once at module load).
 */

export interface LexiconSource {
  /**
   * Valence of single words, -5 … 5 (AFINN scale). A key ending in `*` is a stem: it is expanded at
   * load time with each of `suffixes` (e.g. `decepcionad*` → decepcionado, decepcionada, …).
   */
  words: Record<string, number>;
  suffixes?: readonly string[];
  /** Multi-word expressions scored as one unit, taking precedence over their words ("still waiting"). */
  phrases: Record<string, number>;
  /** Start (or extend) a negation scope over the next few words. */
  negators: readonly string[];
  /**
   * Neutral alone, but negative when negated ("it doesn't work", "no funciona"). Value is the
   * score when negated.
   */
  negatedOnly: Record<string, number>;
  /** Multipliers for the next sentiment word: intensifiers > 1, downtoners < 1. */
  boosters: Record<string, number>;
  /** "but": what follows weighs more than what precedes. */
  contrast: readonly string[];
  /**
   * Politeness ("thanks", "please help"): counted (with this value) only when the post has no
   * negative evidence, so a complaint full of "please help, thanks" stays negative.
   */
  courtesy: Record<string, number>;
  /** Phrases that mark irony ("thanks for nothing", "great job" said of a failure). */
  sarcasm: readonly string[];
  /** German-style negation after the word it negates ("gefällt mir nicht"). */
  postNegation?: boolean;
  intent: IntentCuesSource;
  /** Frequent, distinctive short words: evidence for language identification on short posts. */
  functionWords: readonly string[];
}

/** Regex fragments matched on the post's words joined by single spaces (lower-case, no punctuation). */
export interface IntentCuesSource {
  /** Problems with an order, product, bill or service, beyond plain negative words. */
  complaint: readonly string[];
  /** Wanting to buy: price, availability, shipping destinations, ordering. */
  purchase: readonly string[];
  /** Question openers, for questions written without a question mark. */
  question: readonly string[];
  /** Direct requests to the brand ("DM me", "please check"). */
  request: readonly string[];
  /** Thanks and praise addressed to the brand. */
  praise: readonly string[];
  /** Words about the brand's business (order, delivery, store…), which make a negative post a complaint. */
  service: readonly string[];
}

export interface PhraseEntry {
  rest: readonly string[];
  score: number;
  sarcasm: boolean;
}

export interface Lexicon {
  code: string;
  words: ReadonlyMap<string, number>;
  phrases: ReadonlyMap<string, readonly PhraseEntry[]>;
  negators: ReadonlySet<string>;
  negatedOnly: ReadonlyMap<string, number>;
  boosters: ReadonlyMap<string, number>;
  contrast: ReadonlySet<string>;
  courtesy: ReadonlyMap<string, number>;
  postNegation: boolean;
  /** English contracts apostrophes away (don't → dont); Romance languages split elisions (n'est → n est). */
  apostrophes: 'strip' | 'split';
  cues: {
    complaint: RegExp;
    purchase: RegExp;
    question: RegExp;
    request: RegExp;
    praise: RegExp;
    service: RegExp;
  };
}
