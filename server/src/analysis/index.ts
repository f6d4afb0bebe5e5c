/** Analysis of social posts: language, sentiment, intent and needs-reply. Pure domain: no I/O. */
export { analyze, analyzeMany } from './analyze.ts';
export {
  Analysis,
  Intent,
  INTENTS,
  LanguageCode,
  Sentiment,
  SentimentLabel,
  SENTIMENT_LABELS,
  SUPPORTED_LANGUAGES,
  isSupportedLanguage,
} from './schema.ts';
export type { AnalyzeOptions, SupportedLanguage } from './schema.ts';
export { detectLanguage, normalizeHint, UNDETERMINED } from './language.ts';
export { classificationMetrics, evaluate, EvalExample, parseEvalSet } from './evaluate.ts';
export type { ClassMetrics, EvaluationReport, Analyzer } from './evaluate.ts';
