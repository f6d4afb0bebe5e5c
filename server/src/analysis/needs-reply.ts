/**
 * Whether an agent should answer: complaints, questions and purchase intent always; anything else only
 * when it asks the brand for something directly ("please DM me", "por favor revisadlo"). Praise without
 * a question and plain chatter do not need an answer.
 */
import type { Lexicon } from './lexicons/index.ts';
import type { Intent } from './schema.ts';
import type { Tokens } from './tokenize.ts';

export function needsReply(intent: Intent, tokens: Tokens, lexicon: Lexicon): boolean {
  if (intent === 'complaint' || intent === 'question' || intent === 'purchase_intent') return true;
  return tokens.mentions > 0 && lexicon.cues.request.test(tokens.languageText);
}
