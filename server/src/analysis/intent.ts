/**
 * What the author wants from the brand. Rules over the post's words (per-language cue regexes), its
 * punctuation and its sentiment, in order of what a support team must act on first:
 * complaint > purchase intent > question > praise > other.
 */
import type { Lexicon } from './lexicons/index.ts';
import type { Intent } from './schema.ts';
import type { SentimentDetail } from './sentiment.ts';
import type { Tokens } from './tokenize.ts';

export function classifyIntent(tokens: Tokens, lexicon: Lexicon, sentiment: SentimentDetail): Intent {
  const text = tokens.languageText;
  const cues = lexicon.cues;
  const addressed = tokens.mentions > 0;
  const complaintCue = cues.complaint.test(text);
  const isQuestion = sentiment.questions > 0 || cues.question.test(text);

  if (sentiment.label === 'negative') {
    // Bad weather is not a complaint; a bad delivery, or anything said to the brand, is.
    if (addressed || complaintCue || cues.service.test(text)) return 'complaint';
    return 'other';
  }
  if (complaintCue && sentiment.label === 'neutral' && !isQuestion) return 'complaint';
  // "I was skeptical about the price but it's perfect" is praise; wanting to buy is stated or asked.
  if ((isQuestion || sentiment.label !== 'positive') && cues.purchase.test(text)) return 'purchase_intent';
  if (isQuestion) return 'question';
  if (sentiment.label === 'positive') {
    if (addressed || cues.praise.test(text) || cues.service.test(text)) return 'praise';
    return 'other';
  }
  return 'other';
}
