/** Operational routes: liveness, readiness and Prometheus metrics. */
import { Router } from 'express';
import type { Metrics } from '../../observability/metrics.ts';
import { runReadinessChecks } from '../../readiness/readiness.ts';
import type { ReadinessCheck } from '../../readiness/readiness.ts';

export interface OpsRoutesDeps {
  metrics: Metrics;
  readinessChecks: readonly ReadinessCheck[];
  readinessTimeoutMs: number;
}

export function opsRouter(deps: OpsRoutesDeps): Router {
  const router = Router();

  // Liveness: the process is up and its event loop answers. Deliberately checks nothing else,
  // so an org outage does not get the process restarted.
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const report = await runReadinessChecks(deps.readinessChecks, deps.readinessTimeoutMs);
    res
      .status(report.ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks });
  });

  router.get('/metrics', async (_req, res) => {
    for (const sample of deps.metrics.beforeScrape) await sample();
    const text = await deps.metrics.registry.metrics();
    res.set('Content-Type', deps.metrics.registry.contentType).set('Cache-Control', 'no-store').send(text);
  });

  return router;
}
