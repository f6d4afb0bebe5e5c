/**
 * Reads the Prometheus text exposition format (`/metrics`): one sample per line, `name{label="v",…} value`.
 * Comments (`# HELP`, `# TYPE`) and timestamps are skipped; label values are unescaped.
 */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheus(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key!] = value!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    }
    const value = match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : Number(match[3]);
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

/** The sum of a metric over all its label sets (e.g. API calls over every operation); null if absent. */
export function metricTotal(samples: readonly MetricSample[], name: string): number | null {
  const matching = samples.filter((s) => s.name === name);
  return matching.length === 0 ? null : matching.reduce((sum, s) => sum + s.value, 0);
}
