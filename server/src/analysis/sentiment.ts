/**
 * Lexicon-based sentiment for short posts, in the spirit of VADER: word valences from a per-language
 * lexicon, scoped negation (several words, negative concord, German post-negation), intensifiers and
 * downtoners, "but" clauses weighing the part after more, damped positives inside questions, emoji
 * and emoticons, irony markers, and courtesy ("please help, thanks") that only counts when nothing in
 * the post is negative. The raw sum is squashed into -1 … 1.
 */
import { EMOJI_VALENCE, SARCASM_EMOJI } from './lexicons/index.ts';
import type { Lexicon } from './lexicons/index.ts';
import type { SentimentLabel } from './schema.ts';
import { TokenKind } from './tokenize.ts';
import type { Tokens } from './tokenize.ts';

/** How many following words a negator reaches ("not at all happy", "no me gusta nada"). */
const NEGATION_SCOPE = 4;
/** A negated positive turns negative; a negated negative only mildly positive ("not bad"). */
const NEGATED_POSITIVE = -0.9;
const NEGATED_NEGATIVE = -0.6;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
/** Positive words in a question are mostly hypothetical ("is it good for rain?"). */
const QUESTION_POSITIVE = 0.2;
/** Complaint words in a question count, a little less ("how long does a refund take?"). */
const QUESTION_NEGATIVE = 0.7;
const EXCLAMATION = 1.2;
/** Squashing constant: score = raw / sqrt(raw² + ALPHA). */
const ALPHA = 12;
/** Label thresholds on the squashed score, chosen on the dev split (see evaluate). */
export const POSITIVE_THRESHOLD = 0.25;
export const NEGATIVE_THRESHOLD = -0.25;

export interface SentimentDetail {
  score: number;
  label: SentimentLabel;
  /** Sum of negative evidence (≤ 0), before squashing. */
  negative: number;
  /** Sum of positive evidence (≥ 0), before squashing, courtesy excluded. */
  positive: number;
  courtesy: number;
  sarcasm: boolean;
  questions: number;
}

// Per-call scratch space, reused: analysis is synchronous and single-threaded.
const words: string[] = [];
const kinds: TokenKind[] = [];

/** Applies the language's apostrophe rule: English drops clitics (don't → dont, I'll → I), others split elisions. */
function normalize(tokens: Tokens, lexicon: Lexicon): number {
  let n = 0;
  for (let i = 0; i < tokens.count; i++) {
    const kind = tokens.kinds[i] as TokenKind;
    const text = tokens.texts[i] as string;
    if (kind === TokenKind.Word && text.includes("'")) {
      if (lexicon.apostrophes === 'strip') {
        // don't → dont (a negator); I'll → I, it's → it (never "ill", AFINN -2).
        words[n] = text.endsWith("n't") ? text.replaceAll("'", '') : text.slice(0, text.indexOf("'"));
        kinds[n++] = kind;
      } else {
        for (const part of text.split("'")) {
          if (part.length === 0) continue;
          words[n] = part;
          kinds[n++] = kind;
        }
      }
    } else {
      words[n] = text;
      kinds[n++] = kind;
    }
  }
  return n;
}

function isClauseEnd(kind: TokenKind): boolean {
  return kind !== TokenKind.Word && kind !== TokenKind.Hashtag && kind !== TokenKind.Number;
}

export function scoreSentiment(tokens: Tokens, lexicon: Lexicon): SentimentDetail {
  const n = normalize(tokens, lexicon);
  let totalPos = 0;
  let totalNeg = 0;
  let sentPos = 0;
  let sentNeg = 0;
  // Emoji say how the author feels even inside a question ("when does it launch? 😍"): never damped.
  let sentEmoji = 0;
  let weight = 1;
  let negLeft = 0;
  let boost = 1;
  let boostLeft = 0;
  let courtesy = 0;
  let sarcasm = false;
  let questions = 0;
  // The last scored word, for German post-negation ("gefällt mir nicht").
  let lastIndex = -10;
  let lastValue = 0;

  const add = (value: number): void => {
    if (value > 0) sentPos += value;
    else sentNeg += value;
  };
  const flush = (question: boolean, exclamation: boolean): void => {
    if (question) {
      sentPos *= QUESTION_POSITIVE;
      sentNeg *= QUESTION_NEGATIVE;
    }
    if (exclamation) {
      sentPos *= EXCLAMATION;
      sentNeg *= EXCLAMATION;
    }
    if (sentEmoji > 0) sentPos += sentEmoji;
    else sentNeg += sentEmoji;
    totalPos += sentPos;
    totalNeg += sentNeg;
    sentPos = 0;
    sentNeg = 0;
    sentEmoji = 0;
    negLeft = 0;
    boost = 1;
    boostLeft = 0;
    lastIndex = -10;
  };

  for (let i = 0; i < n; i++) {
    const kind = kinds[i] as TokenKind;
    const word = words[i] as string;
    switch (kind) {
      case TokenKind.Question:
        questions++;
        flush(true, false);
        continue;
      case TokenKind.Exclamation:
        flush(false, true);
        continue;
      case TokenKind.Stop:
        flush(false, false);
        continue;
      case TokenKind.Comma:
        negLeft = 0;
        boostLeft = 0;
        lastIndex = -10;
        continue;
      case TokenKind.Emoji: {
        const value = EMOJI_VALENCE.get(word);
        if (value !== undefined) sentEmoji += value * weight;
        if (SARCASM_EMOJI.has(word)) sarcasm = true;
        continue;
      }
      case TokenKind.Number:
        continue;
      case TokenKind.Hashtag: {
        const value = lexicon.words.get(word);
        if (value !== undefined) add(value * weight);
        continue;
      }
    }

    // A word. Multi-word expressions first, longest match wins.
    const candidates = lexicon.phrases.get(word);
    if (candidates !== undefined) {
      let matched = false;
      for (const phrase of candidates) {
        const rest = phrase.rest;
        if (i + rest.length >= n) continue;
        let j = 0;
        while (j < rest.length && kinds[i + 1 + j] === TokenKind.Word && words[i + 1 + j] === rest[j]) j++;
        if (j !== rest.length) continue;
        if (phrase.sarcasm) sarcasm = true;
        add(phrase.score * weight);
        i += rest.length;
        negLeft = 0;
        matched = true;
        break;
      }
      if (matched) continue;
    }

    if (lexicon.negators.has(word)) {
      if (lexicon.postNegation && !sentimentAhead(i, n, lexicon)) {
        // "Die App gefällt mir nicht": negate what came before, within this clause.
        const back = negatedBehind(i, lexicon);
        if (back !== 0) {
          add(back * weight);
          continue;
        }
        if (i - lastIndex <= 3 && lastValue !== 0) {
          add(-lastValue + negate(lastValue));
          lastValue = 0;
          continue;
        }
      }
      negLeft = NEGATION_SCOPE;
      continue;
    }
    const multiplier = lexicon.boosters.get(word);
    if (multiplier !== undefined) {
      boost *= multiplier;
      boostLeft = 2;
      if (negLeft > 0) negLeft--;
      continue;
    }
    if (lexicon.contrast.has(word)) {
      if (weight === 1) {
        totalPos *= BEFORE_CONTRAST;
        totalNeg *= BEFORE_CONTRAST;
        sentPos *= BEFORE_CONTRAST;
        sentNeg *= BEFORE_CONTRAST;
        sentEmoji *= BEFORE_CONTRAST;
        weight = AFTER_CONTRAST;
      }
      negLeft = 0;
      continue;
    }
    const polite = lexicon.courtesy.get(word);
    if (polite !== undefined) {
      courtesy += polite * (boostLeft > 0 ? boost : 1);
      boost = 1;
      boostLeft = 0;
      continue;
    }

    let value = lexicon.words.get(word);
    if (value === undefined && negLeft > 0) {
      const whenNegated = lexicon.negatedOnly.get(word);
      if (whenNegated !== undefined) {
        add(whenNegated * weight);
        negLeft = 0;
        continue;
      }
    }
    if (value !== undefined && value !== 0) {
      if (boostLeft > 0) value *= boost;
      if (negLeft > 0) {
        value = negate(value);
        negLeft = 0;
      }
      value *= weight;
      add(value);
      lastIndex = i;
      lastValue = value;
      boost = 1;
      boostLeft = 0;
    } else {
      if (negLeft > 0) negLeft--;
      if (boostLeft > 0 && --boostLeft === 0) boost = 1;
    }
  }
  flush(false, false);

  let raw = totalPos + totalNeg;
  if (sarcasm && (totalNeg < 0 || totalPos > 0)) raw = totalNeg - 0.5 * totalPos - 1;
  else if (sarcasm) raw -= 1;
  // "Thanks!" is praise; "please help, thanks" and "merci de regarder" are requests, not feelings.
  if (
    totalNeg === 0 &&
    !sarcasm &&
    courtesy !== 0 &&
    questions === 0 &&
    !lexicon.cues.request.test(tokens.languageText)
  ) {
    raw += courtesy;
  }
  const score = raw === 0 ? 0 : raw / Math.sqrt(raw * raw + ALPHA);
  return {
    score: Math.round(score * 1000) / 1000,
    label: score >= POSITIVE_THRESHOLD ? 'positive' : score <= NEGATIVE_THRESHOLD ? 'negative' : 'neutral',
    negative: totalNeg,
    positive: totalPos,
    courtesy,
    sarcasm,
    questions,
  };
}

function negate(value: number): number {
  return value > 0 ? value * NEGATED_POSITIVE : value * NEGATED_NEGATIVE;
}

/** Is there a lexicon word within the negation scope ahead, before the clause ends? */
function sentimentAhead(i: number, n: number, lexicon: Lexicon): boolean {
  for (let j = i + 1; j < n && j <= i + NEGATION_SCOPE; j++) {
    const kind = kinds[j] as TokenKind;
    if (isClauseEnd(kind)) return false;
    const word = words[j] as string;
    if (lexicon.words.has(word) || lexicon.negatedOnly.has(word) || lexicon.phrases.has(word)) return true;
  }
  return false;
}

/** The when-negated value of a neutral verb just before a post-positioned negator ("funktioniert nicht"). */
function negatedBehind(i: number, lexicon: Lexicon): number {
  for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
    const kind = kinds[j] as TokenKind;
    if (isClauseEnd(kind)) return 0;
    const value = lexicon.negatedOnly.get(words[j] as string);
    if (value !== undefined) return value;
  }
  return 0;
}
