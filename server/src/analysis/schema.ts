/**
 * The analysis result and its options. The zod schemas are the single source of the types, shared by
 * the HTTP route (which validates its body with them) and the sync pipeline.
 */
import { z } from 'zod';

export const SENTIMENT_LABELS = ['positive', 'neutral', 'negative'] as const;
export const SentimentLabel = z.enum(SENTIMENT_LABELS);
export type SentimentLabel = z.infer<typeof SentimentLabel>;

export const INTENTS = ['complaint', 'question', 'praise', 'purchase_intent', 'other'] as const;
export const Intent = z.enum(INTENTS);
export type Intent = z.infer<typeof Intent>;

/** ISO 639-1 code (`en`), or `und` when the text carries no identifiable language. */
export const LanguageCode = z.string().regex(/^(?:[a-z]{2,3}|und)$/);

export const Sentiment = z.object({
  label: SentimentLabel,
  /** -1 (most negative) … 1 (most positive). */
  score: z.number().min(-1).max(1),
});
export type Sentiment = z.infer<typeof Sentiment>;

export const Analysis = z.object({
  language: LanguageCode,
  sentiment: Sentiment,
  intent: Intent,
  needsReply: z.boolean(),
});
export type Analysis = z.infer<typeof Analysis>;

export interface AnalyzeOptions {
  /** The network's own guess (X `lang`, Bluesky `langs[0]`, Mastodon `language`), e.g. `en` or `pt-BR`. */
  languageHint?: string | null;
  /** Languages to consider first, ISO 639-1; defaults to SUPPORTED_LANGUAGES. */
  languages?: readonly string[];
}

/** Languages with a sentiment lexicon and intent rules. Others are identified but scored on emojis only. */
export const SUPPORTED_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it'] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

export function isSupportedLanguage(code: string): code is SupportedLanguage {
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(code);
}
