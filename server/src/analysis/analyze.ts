/** The analysis pipeline: tokenize once, identify the language, then sentiment, intent and needs-reply. */
import { classifyIntent } from './intent.ts';
import { detectLanguage } from './language.ts';
import { lexiconFor } from './lexicons/index.ts';
import { needsReply } from './needs-reply.ts';
import type { Analysis, AnalyzeOptions } from './schema.ts';
import { scoreSentiment } from './sentiment.ts';
import { tokenize } from './tokenize.ts';

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const tokens = tokenize(text);
  const language = detectLanguage(tokens, options);
  const lexicon = lexiconFor(language);
  const sentiment = scoreSentiment(tokens, lexicon);
  const intent = classifyIntent(tokens, lexicon, sentiment);
  return {
    language,
    sentiment: { label: sentiment.label, score: sentiment.score },
    intent,
    needsReply: needsReply(intent, tokens, lexicon),
  };
}

/** One Analysis per text, in order. Options (e.g. the configured languages) apply to all. */
export function analyzeMany(texts: readonly string[], options: AnalyzeOptions = {}): Analysis[] {
  const results: Analysis[] = new Array<Analysis>(texts.length);
  for (let i = 0; i < texts.length; i++) results[i] = analyze(texts[i] as string, options);
  return results;
}
