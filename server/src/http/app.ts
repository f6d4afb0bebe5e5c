/**
 * Builds the express app, apart from `listen()`: tests start it on port 0, `main.ts` on PORT.
 * Feature modules (webhooks, replies, analysis, the record page) hand in their routers; the
 * app owns what is common to all of them: body parsing, logging, metrics, 404 and errors.
 */
import express from 'express';
import type { Express, Router } from 'express';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { DEFAULT_CHECK_TIMEOUT_MS } from '../readiness/readiness.ts';
import type { ReadinessCheck } from '../readiness/readiness.ts';
import { createErrorHandler, notFoundHandler } from './error-handler.ts';
import { keepRawBody } from './raw-body.ts';
import { requestLog } from './request-log.ts';
import { opsRouter } from './routes/ops.ts';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  /** Run by `GET /readyz`; ready only when all pass. */
  readinessChecks?: readonly ReadinessCheck[];
  /** Per-check deadline for `GET /readyz`, in ms (default 3000). */
  readinessTimeoutMs?: number;
  /**
   * Feature routers, mounted at the root in order, after the operational routes and before
   * the 404 handler. Each router declares its full paths (`/webhooks/x`, `/api/replies`…).
   */
  routers?: readonly Router[];
  /** Largest JSON body accepted (body-parser syntax, default "1mb"). */
  jsonLimit?: string | number;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  app.use(requestLog(deps.logger, deps.metrics));
  app.use(express.json({ limit: deps.jsonLimit ?? '1mb', verify: keepRawBody }));

  app.use(
    opsRouter({
      metrics: deps.metrics,
      readinessChecks: deps.readinessChecks ?? [],
      readinessTimeoutMs: deps.readinessTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    }),
  );
  for (const router of deps.routers ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.logger));
  return app;
}
