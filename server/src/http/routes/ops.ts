/**
 * Operational routes: liveness, readiness and Prometheus metrics. `/healthz` is open to all (load
 * balancers, orchestrators); `/readyz` tells anyone whether the server is ready (200 or 503 with
 * `{"status"}`) and shows each check's detail only to those the operator access lets in; `/metrics` is
 * an operator route (Prometheus sends OPS_TOKEN as a bearer token off loopback).
 */
import { Router } from 'express';
import type { Metrics } from '../../observability/metrics.ts';
import type { OperatorAccess } from '../operator-access.ts';
import { runReadinessChecks } from '../../readiness/readiness.ts';
import type { ReadinessCheck } from '../../readiness/readiness.ts';

export interface OpsRoutesDeps {
  metrics: Metrics;
  readinessChecks: readonly ReadinessCheck[];
  readinessTimeoutMs: number;
  access: OperatorAccess;
}

export function opsRouter(deps: OpsRoutesDeps): Router {
  const router = Router();

  // Liveness: the process is up and its event loop answers. Deliberately checks nothing else,
  // so an org outage does not get the process restarted.
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  router.get('/readyz', async (req, res) => {
    const report = await runReadinessChecks(deps.readinessChecks, deps.readinessTimeoutMs);
    // The details name the org, connectors and their errors: for operators. Others learn only the state.
    const detailed = deps.access.refusal(req, res) === null;
    res.removeHeader('WWW-Authenticate');
    res
      .status(report.ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: report.ready ? 'ready' : 'not_ready', ...(detailed ? { checks: report.checks } : {}) });
  });

  router.get('/metrics', deps.access.guard, async (_req, res) => {
    for (const sample of deps.metrics.beforeScrape) await sample();
    const text = await deps.metrics.registry.metrics();
    res.set('Content-Type', deps.metrics.registry.contentType).set('Cache-Control', 'no-store').send(text);
  });

  return router;
}
