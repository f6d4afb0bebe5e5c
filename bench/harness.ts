/**
 * The benchmark harness: each benchmark returns named results, each optionally paired with a baseline
 * measured in the same run; the harness prints a table and writes `bench/results.json` in the shape
 * `{"<name>": {"value", "unit", "baseline", "ratio"}}` (see shared/CONTRACT.md).
 */
import { writeFileSync } from 'node:fs';

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

export function result(value: number, unit: string, baseline: number | null = null): BenchResult {
  const round = (n: number): number => Number(n.toPrecision(4));
  return {
    value: round(value),
    unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: baseline === null || baseline === 0 ? null : round(value / baseline),
  };
}

export async function runBenchmarks(
  benchmarks: Benchmark[],
  outFile: string,
): Promise<Record<string, BenchResult>> {
  const all: Record<string, BenchResult> = {};
  for (const benchmark of benchmarks) {
    process.stderr.write(`bench: ${benchmark.name} ...\n`);
    Object.assign(all, await benchmark.run());
  }
  const rows = Object.entries(all).map(([name, r]) => ({
    name,
    value: r.value,
    unit: r.unit,
    baseline: r.baseline ?? '',
    ratio: r.ratio === null ? '' : `${r.ratio}×`,
  }));
  console.table(rows);
  writeFileSync(outFile, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`wrote ${outFile}`);
  return all;
}
