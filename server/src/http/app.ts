/**
 * Builds the express app, apart from `listen()`: tests start it on port 0, `main.ts` on PORT.
 * Feature modules (webhooks, replies, analysis, the record page) hand in their routers; the
 * app owns what is common to all of them: body parsing, logging, metrics, the cross-site guard of
 * every state-changing route, 404 and errors.
 */
import express from 'express';
import type { Express, Router } from 'express';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { DEFAULT_CHECK_TIMEOUT_MS } from '../readiness/readiness.ts';
import type { ReadinessCheck } from '../readiness/readiness.ts';
import { crossSiteGuard } from './cross-site.ts';
import { createErrorHandler, notFoundHandler } from './error-handler.ts';
import { OPEN_OPERATOR_ACCESS, type OperatorAccess } from './operator-access.ts';
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
  /**
   * Who may use `/metrics` and the details of `/readyz` (operator-access.ts); the composition root
   * hands the same to the other operator routes. Open when not given (tests of single routers).
   */
  operatorAccess?: OperatorAccess;
  /** Origins that are this server besides its Host header's (RECORD_PAGE_URL), for the cross-site guard. */
  ownOrigins?: readonly string[];
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  app.use(requestLog(deps.logger, deps.metrics));
  // Before the body is read: a cross-site or non-JSON state change is refused unread.
  app.use(crossSiteGuard({ ownOrigins: deps.ownOrigins ?? [] }));
  app.use(express.json({ limit: deps.jsonLimit ?? '1mb', verify: keepRawBody }));

  app.use(
    opsRouter({
      metrics: deps.metrics,
      readinessChecks: deps.readinessChecks ?? [],
      readinessTimeoutMs: deps.readinessTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
      access: deps.operatorAccess ?? OPEN_OPERATOR_ACCESS,
    }),
  );
  for (const router of deps.routers ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.logger));
  return app;
}
