/**
 * Analysis quality on the held-out test split of server/test/analysis/eval-set.jsonl, each against a
 * baseline measured in the same run, and analysis throughput on one core:
 * - sentiment: the plain `sentiment` package (English AFINN) on every text, labelled by the sign of its score;
 * - intent and needs-reply: the majority class of the dev split;
 * - language: franc-min over all its languages, on the raw text;
 * - throughput: language + sentiment + intent + needs-reply per post, against plain `sentiment` per post.
 */
import { readFileSync } from 'node:fs';
import { franc } from 'franc-min';
import Sentiment from 'sentiment';
import { analyze, classificationMetrics, evaluate, parseEvalSet } from '../server/src/analysis/index.ts';
import type { EvalExample } from '../server/src/analysis/index.ts';
import { ISO639_3_TO_1 } from './iso639.ts';
import { result, type Benchmark } from './harness.ts';

const EVAL_SET = new URL('../server/test/analysis/eval-set.jsonl', import.meta.url);
const THROUGHPUT_SECONDS = 2;
const WARM_UP_MS = 500;

function majority<T>(values: readonly T[]): T {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

/** Posts per second of `fn` over `texts`, after a warm-up (so the JIT has compiled it), for about THROUGHPUT_SECONDS. */
function throughput(texts: readonly string[], fn: (text: string) => unknown): number {
  const warmUpEnd = performance.now() + WARM_UP_MS;
  while (performance.now() < warmUpEnd) for (const text of texts) fn(text);
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < THROUGHPUT_SECONDS * 1000) {
    for (const text of texts) fn(text);
    count += texts.length;
    elapsed = performance.now() - start;
  }
  return count / (elapsed / 1000);
}

export const analysisBenchmark: Benchmark = {
  name: 'analysis',
  async run() {
    const examples = parseEvalSet(readFileSync(EVAL_SET, 'utf8'));
    const dev = examples.filter((e) => e.split === 'dev');
    const test = examples.filter((e) => e.split === 'test');
    const blind = examples.filter((e) => e.blind);
    const report = evaluate(test);
    const blindReport = evaluate(blind);

    const afinn = new Sentiment();
    const afinnLabel = (text: string): EvalExample['sentiment'] => {
      const score = afinn.analyze(text).score;
      return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
    };
    const gold = (pick: (e: EvalExample) => unknown) => test.map(pick);
    const afinnSentiment = classificationMetrics(
      gold((e) => e.sentiment),
      test.map((e) => afinnLabel(e.text)),
    );
    const afinnBlind = classificationMetrics(
      blind.map((e) => e.sentiment),
      blind.map((e) => afinnLabel(e.text)),
    );
    const majorityIntent = majority(dev.map((e) => e.intent));
    const intentBaseline = classificationMetrics(
      gold((e) => e.intent),
      test.map(() => majorityIntent),
    );
    const intentBlindBaseline = classificationMetrics(
      blind.map((e) => e.intent),
      blind.map(() => majorityIntent),
    );
    const majorityReply = majority(dev.map((e) => e.needsReply));
    const replyBaseline = classificationMetrics(
      gold((e) => e.needsReply),
      test.map(() => majorityReply),
    );
    const francLanguage = classificationMetrics(
      gold((e) => e.language),
      test.map((e) => ISO639_3_TO_1[franc(e.text)] ?? 'und'),
    );

    const texts = examples.map((e) => e.text);
    const ours = throughput(texts, (text) => analyze(text));
    const plain = throughput(texts, (text) => afinn.analyze(text));

    return {
      analysis_sentiment_accuracy: result(report.sentiment.accuracy, 'accuracy', afinnSentiment.accuracy),
      analysis_sentiment_macro_f1: result(report.sentiment.macroF1, 'macro-F1', afinnSentiment.macroF1),
      analysis_intent_accuracy: result(report.intent.accuracy, 'accuracy', intentBaseline.accuracy),
      analysis_intent_macro_f1: result(report.intent.macroF1, 'macro-F1', intentBaseline.macroF1),
      analysis_needs_reply_accuracy: result(report.needsReply.accuracy, 'accuracy', replyBaseline.accuracy),
      analysis_language_accuracy: result(report.language.accuracy, 'accuracy', francLanguage.accuracy),
      analysis_sentiment_accuracy_blind: result(
        blindReport.sentiment.accuracy,
        'accuracy',
        afinnBlind.accuracy,
      ),
      analysis_intent_accuracy_blind: result(
        blindReport.intent.accuracy,
        'accuracy',
        intentBlindBaseline.accuracy,
      ),
      analysis_throughput: result(ours, 'mentions/s', plain),
    };
  },
};
