/**
 * Readiness: can this process do its job right now (reach the org, its queue…)? Checks are
 * plain objects handed in by the composition root, so tests pass fakes and later modules add
 * their own (the queue) without touching the HTTP layer.
 */

export interface CheckResult {
  ok: boolean;
  /** Why not (and what to do), or a short fact when ok. Shown to operators; never a secret. */
  detail?: string;
}

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<CheckResult>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 3000;

/** Runs one check; a throw or an answer slower than `timeoutMs` counts as not ok. */
async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    // Through a `then` so a check that throws synchronously is caught like one that rejects.
    const answered = Promise.resolve()
      .then(() => check.check())
      .then(
        (result): CheckResult => (result.detail === undefined ? { ok: result.ok } : result),
        (error: unknown): CheckResult => ({
          ok: false,
          detail: error instanceof Error ? error.message : String(error),
        }),
      );
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs all checks concurrently, so the slowest one bounds the answer time, not their sum. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((c) => runOne(c, timeoutMs)));
  const report: ReadinessReport = { ready: true, checks: {} };
  checks.forEach((c, i) => {
    const result = results[i] ?? { ok: false, detail: 'no result' };
    report.checks[c.name] = {
      ok: result.ok,
      ...(result.detail === undefined ? {} : { detail: result.detail }),
    };
    if (!result.ok) report.ready = false;
  });
  return report;
}
