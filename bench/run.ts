/** `npm run bench`: every benchmark, a table on stdout, `bench/results.json`. */
import { fileURLToPath } from 'node:url';
import { analysisBenchmark } from './analysis.bench.ts';
import { backlogBenchmark } from './backlog.bench.ts';
import { devOrgBenchmark } from './dev-org.bench.ts';
import { runBenchmarks } from './harness.ts';
import { repliesBenchmark } from './replies.bench.ts';
import { syncBenchmark } from './sync.bench.ts';
import { uiBenchmark } from './ui.bench.ts';

await runBenchmarks(
  [devOrgBenchmark, analysisBenchmark, syncBenchmark, backlogBenchmark, repliesBenchmark, uiBenchmark],
  fileURLToPath(new URL('./results.json', import.meta.url)),
);
