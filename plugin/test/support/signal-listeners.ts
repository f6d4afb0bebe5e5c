/**
 * Every SfCommand run adds exit-at-once handlers for SIGINT, SIGTERM, SIGBREAK and SIGHUP and never removes
 * them: harmless in `sf` (one command per process), a leak in a test process that runs dozens. Tests take
 * a snapshot before and drop what a command added after.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP'] as const;

export function snapshotSignalListeners(): () => void {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  return () => {
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)!.has(listener)) process.off(signal, listener);
      }
    }
  };
}
