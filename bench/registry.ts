/** Every benchmark `npm run bench` runs, by the id a run names it with, in the order they run. */
import { analysisBenchmark } from './analysis.bench.ts';
import { backlogBenchmark } from './backlog.bench.ts';
import { devOrgBenchmark } from './dev-org.bench.ts';
import type { Benchmark } from './harness.ts';
import { identityBenchmark } from './identity.bench.ts';
import { inboxBenchmark } from './inbox.bench.ts';
import { repliesBenchmark } from './replies.bench.ts';
import { syncBenchmark } from './sync.bench.ts';
import { uiBenchmark } from './ui.bench.ts';

export const BENCHMARKS: Record<string, Benchmark> = {
  'dev-org': devOrgBenchmark,
  analysis: analysisBenchmark,
  sync: syncBenchmark,
  backlog: backlogBenchmark,
  replies: repliesBenchmark,
  inbox: inboxBenchmark,
  identity: identityBenchmark,
  ui: uiBenchmark,
};
