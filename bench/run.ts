/**
 * `npm run bench`: every benchmark, a table on stdout, `bench/results.json`.
 * `npm run bench -- sync ui` runs only those (the others' results in results.json are kept).
 */
import { fileURLToPath } from 'node:url';
import { runBenchmarks } from './harness.ts';
import { BENCHMARKS } from './registry.ts';

const asked = process.argv.slice(2);
const unknown = asked.filter((id) => !(id in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const failed = await runBenchmarks(asked.length > 0 ? asked : Object.keys(BENCHMARKS), {
  outFile: fileURLToPath(new URL('./results.json', import.meta.url)),
});
process.exitCode = failed.length > 0 ? 1 : 0;
