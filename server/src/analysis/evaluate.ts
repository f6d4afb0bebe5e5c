/**
 * Measuring analysis against labeled examples (server/test/analysis/eval-set.jsonl): accuracy and
 * macro-F1 per task, and sentiment accuracy per language. Used by the quality-gate test and the benchmark.
 */
import { z } from 'zod';
import { analyze } from './analyze.ts';
import { Intent, SentimentLabel } from './schema.ts';
import type { Analysis } from './schema.ts';

export const EvalExample = z.object({
  text: z.string(),
  language: z.string(),
  sentiment: SentimentLabel,
  intent: Intent,
  needsReply: z.boolean(),
  split: z.enum(['dev', 'test']),
  /** Written after the rules were frozen and never looked at while tuning (a subset of test). */
  blind: z.boolean().default(false),
});
export type EvalExample = z.infer<typeof EvalExample>;

/** Parses JSON Lines (one example a line, blank lines ignored); names the line of a bad example. */
export function parseEvalSet(jsonl: string): EvalExample[] {
  const examples: EvalExample[] = [];
  jsonl.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = EvalExample.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`eval set line ${index + 1}: ${parsed.error.message}`);
    examples.push(parsed.data);
  });
  return examples;
}

export interface ClassMetrics {
  accuracy: number;
  /** Unweighted mean of per-class F1 over the classes present in gold or predictions. */
  macroF1: number;
  count: number;
}

export function classificationMetrics<T>(gold: readonly T[], predicted: readonly T[]): ClassMetrics {
  if (gold.length !== predicted.length) throw new Error('gold and predicted differ in length');
  const classes = new Set<T>([...gold, ...predicted]);
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) correct++;
  let f1Sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i] === c;
      const p = predicted[i] === c;
      if (g && p) tp++;
      else if (p) fp++;
      else if (g) fn++;
    }
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    f1Sum += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  return {
    accuracy: gold.length === 0 ? 0 : correct / gold.length,
    macroF1: classes.size === 0 ? 0 : f1Sum / classes.size,
    count: gold.length,
  };
}

export interface EvaluationReport {
  count: number;
  sentiment: ClassMetrics;
  intent: ClassMetrics;
  needsReply: ClassMetrics;
  language: ClassMetrics;
  /** Sentiment accuracy by gold language. */
  sentimentByLanguage: Record<string, ClassMetrics>;
  /** Examples the analyzer got wrong on any task, for error analysis on the dev split. */
  errors: Array<{ example: EvalExample; predicted: Analysis }>;
}

export type Analyzer = (text: string) => Analysis;

export function evaluate(
  examples: readonly EvalExample[],
  analyzer: Analyzer = (t) => analyze(t),
): EvaluationReport {
  const predictions = examples.map((e) => analyzer(e.text));
  const pick = <T>(f: (x: EvalExample | Analysis) => T) => [examples.map(f), predictions.map(f)] as const;
  const [goldSentiment, predSentiment] = [
    examples.map((e) => e.sentiment),
    predictions.map((p) => p.sentiment.label),
  ];
  const byLanguage: Record<string, ClassMetrics> = {};
  for (const language of new Set(examples.map((e) => e.language))) {
    const idx = examples.flatMap((e, i) => (e.language === language ? [i] : []));
    byLanguage[language] = classificationMetrics(
      idx.map((i) => goldSentiment[i]),
      idx.map((i) => predSentiment[i]),
    );
  }
  const errors = examples.flatMap((example, i) => {
    const predicted = predictions[i] as Analysis;
    const wrong =
      predicted.sentiment.label !== example.sentiment ||
      predicted.intent !== example.intent ||
      predicted.needsReply !== example.needsReply ||
      predicted.language !== example.language;
    return wrong ? [{ example, predicted }] : [];
  });
  return {
    count: examples.length,
    sentiment: classificationMetrics(goldSentiment, predSentiment),
    intent: classificationMetrics(...pick((x) => x.intent)),
    needsReply: classificationMetrics(...pick((x) => x.needsReply)),
    language: classificationMetrics(...pick((x) => x.language)),
    sentimentByLanguage: byLanguage,
    errors,
  };
}
