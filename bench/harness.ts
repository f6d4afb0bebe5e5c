/**
 * The benchmark harness: each benchmark returns named results, each optionally paired with a baseline
 * measured in the same run; the harness prints a table and writes `bench/results.json` in the shape
 * `{"<name>": {"value", "unit", "baseline", "ratio"}}`.
 *
 * Each benchmark runs in a process of its own (`bench/run-one.ts`): a benchmark that throws, crashes the
 * process or hangs past its deadline is reported and the others still run; `results.json` is rewritten
 * after every benchmark, so what finished is kept however the run ends.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BenchResult {
  value: number;
  unit: string;
  /** The same quantity for the baseline measured in this run, or null when none applies. */
  baseline: number | null;
  /** value / baseline, or null. */
  ratio: number | null;
}

export interface Benchmark {
  name: string;
  run(): Promise<Record<string, BenchResult>>;
}

/** What `run-one.ts` prints as its last line. */
export type RunOutcome = { ok: true; results: Record<string, BenchResult> } | { ok: false; error: string };

export function result(value: number, unit: string, baseline: number | null = null): BenchResult {
  const round = (n: number): number => Number(n.toPrecision(4));
  return {
    value: round(value),
    unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: baseline === null || baseline === 0 ? null : round(value / baseline),
  };
}

export interface RunOptions {
  /** Where results are written (merged into what is there for benchmarks not run this time). */
  outFile: string;
  /** A benchmark still running after this long is killed and reported (default 20 minutes). */
  timeoutMs?: number;
  /** The module whose `BENCHMARKS` names the benchmarks (default `bench/registry.ts`; tests hand in others). */
  registry?: string;
}

const RUN_ONE = fileURLToPath(new URL('./run-one.ts', import.meta.url));
const REGISTRY = fileURLToPath(new URL('./registry.ts', import.meta.url));

/** One benchmark in a child process: its outcome, whatever happens to that process. */
function runInChild(id: string, registry: string, timeoutMs: number): Promise<RunOutcome> {
  return new Promise((resolve) => {
    // Its output goes straight to the terminal; the outcome comes back over the IPC channel.
    const child = spawn(process.execPath, [RUN_ONE, registry, id], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let outcome: RunOutcome | null = null;
    child.on('message', (message) => (outcome = message as RunOutcome));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (outcome) return resolve(outcome);
      const why = timedOut
        ? `still running after ${timeoutMs / 60_000} min: killed`
        : `the process ended (${signal ?? `exit code ${code}`}) without a result`;
      resolve({ ok: false, error: why });
    });
  });
}

function readPrevious(outFile: string): Record<string, BenchResult> {
  if (!existsSync(outFile)) return {};
  try {
    return JSON.parse(readFileSync(outFile, 'utf8')) as Record<string, BenchResult>;
  } catch {
    return {};
  }
}

/**
 * Runs the benchmarks named by `ids` (keys of the registry's `BENCHMARKS`), one process each, in order.
 * Returns the names of those that failed.
 */
export async function runBenchmarks(ids: readonly string[], options: RunOptions): Promise<string[]> {
  const timeoutMs = options.timeoutMs ?? 20 * 60_000;
  const all = readPrevious(options.outFile);
  const fresh: Record<string, BenchResult> = {};
  const failed: string[] = [];
  for (const id of ids) {
    process.stderr.write(`bench: ${id} ...\n`);
    const started = performance.now();
    const outcome = await runInChild(id, options.registry ?? REGISTRY, timeoutMs);
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    if (outcome.ok) {
      Object.assign(fresh, outcome.results);
      Object.assign(all, outcome.results);
      writeFileSync(options.outFile, `${JSON.stringify(all, null, 2)}\n`);
      process.stderr.write(`bench: ${id} done in ${seconds} s\n`);
    } else {
      failed.push(id);
      process.stderr.write(`bench: ${id} FAILED after ${seconds} s: ${outcome.error}\n`);
    }
  }
  if (Object.keys(fresh).length > 0) {
    console.table(
      Object.entries(fresh).map(([name, r]) => ({
        name,
        value: r.value,
        unit: r.unit,
        baseline: r.baseline ?? '',
        ratio: r.ratio === null ? '' : `${r.ratio}×`,
      })),
    );
    console.log(`wrote ${options.outFile}`);
  }
  if (failed.length > 0)
    console.error(`failed: ${failed.join(', ')} (their previous results, if any, are kept)`);
  return failed;
}
