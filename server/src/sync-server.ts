/**
 * The composition root: config in, a running sync server out. `main.ts` calls it for
 * `node server/src/main.ts`; the root start script and end-to-end tests can call it in-process.
 * New capabilities are wired here (their adapters built, their routers and checks handed to the app).
 */
import type { Express, Router } from 'express';
import type { Config } from './config.ts';
import { createApp } from './http/app.ts';
import { startServer } from './http/server.ts';
import type { RunningServer } from './http/server.ts';
import { silentLogger } from './observability/logger.ts';
import type { Logger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import type { Metrics } from './observability/metrics.ts';
import { createOrgReadinessCheck } from './readiness/org-check.ts';
import type { ReadinessCheck } from './readiness/readiness.ts';
import { SalesforceGateway } from './salesforce/gateway.ts';

export interface SyncServerOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** Extra routers mounted after the built-in ones (tests, experiments). */
  routers?: readonly Router[];
  /** Extra readiness checks besides the org. */
  readinessChecks?: readonly ReadinessCheck[];
  drainTimeoutMs?: number;
}

export interface SyncServer extends RunningServer {
  readonly app: Express;
  readonly metrics: Metrics;
  readonly gateway: SalesforceGateway;
}

export async function startSyncServer(config: Config, options: SyncServerOptions = {}): Promise<SyncServer> {
  const logger = options.logger ?? silentLogger();
  const metrics = options.metrics ?? createMetrics();
  const gateway = new SalesforceGateway({
    instanceUrl: config.SF_INSTANCE_URL,
    accessToken: config.SF_ACCESS_TOKEN,
    apiVersion: config.SF_API_VERSION,
    metrics,
    logger,
  });
  const app = createApp({
    logger,
    metrics,
    readinessChecks: [createOrgReadinessCheck(gateway), ...(options.readinessChecks ?? [])],
    routers: options.routers ?? [],
  });
  const running = await startServer(app, {
    port: config.PORT,
    host: config.HOST,
    ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
  });
  return { url: running.url, port: running.port, close: running.close, app, metrics, gateway };
}
