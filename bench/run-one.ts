/**
 * One benchmark in a process of its own (the harness starts it with an IPC channel): its outcome goes back
 * as one message. Whatever a benchmark leaves running (servers, timers) ends with this process.
 */
import { pathToFileURL } from 'node:url';
import type { Benchmark, RunOutcome } from './harness.ts';

// argv: the registry module's path, the benchmark's id.
const [registry = '', id = ''] = process.argv.slice(2);
const { BENCHMARKS } = (await import(pathToFileURL(registry).href)) as {
  BENCHMARKS: Record<string, Benchmark>;
};
let outcome: RunOutcome;
const benchmark = BENCHMARKS[id];
if (!benchmark) {
  outcome = { ok: false, error: `no benchmark "${id}" (known: ${Object.keys(BENCHMARKS).join(', ')})` };
} else {
  try {
    outcome = { ok: true, results: await benchmark.run() };
  } catch (error) {
    outcome = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}
const exitCode = outcome.ok ? 0 : 1;
// Run by hand (no IPC channel), it prints the outcome instead.
if (process.send) process.send(outcome, () => process.exit(exitCode));
else {
  console.log(JSON.stringify(outcome, null, 2));
  process.exit(exitCode);
}
