/** Public API of the sync server package (`@socialcrm/server`). */
export { ConfigError, ConfigSchema, loadConfig } from './config.ts';
export type { Config, ConfigIssue } from './config.ts';

export { AppError, ERROR_CODES, isAppError } from './domain/errors.ts';
export type { AppErrorOptions, ErrorCode } from './domain/errors.ts';

export { REDACTED, createLogger, silentLogger } from './observability/logger.ts';
export type { LogLevel, Logger, LoggerOptions } from './observability/logger.ts';
export { KNOWN_NETWORKS, createMetrics } from './observability/metrics.ts';
export type { Metrics, MetricsOptions } from './observability/metrics.ts';

export { createApp } from './http/app.ts';
export type { AppDeps } from './http/app.ts';
export { errorBody, statusForCode, toClientError } from './http/error-handler.ts';
export type { ErrorBody } from './http/error-handler.ts';
export { rawBodyOf } from './http/raw-body.ts';
export { startServer } from './http/server.ts';
export type { ListenOptions, RunningServer } from './http/server.ts';

export { DEFAULT_CHECK_TIMEOUT_MS, runReadinessChecks } from './readiness/readiness.ts';
export type { CheckResult, ReadinessCheck, ReadinessReport } from './readiness/readiness.ts';
export { createOrgReadinessCheck } from './readiness/org-check.ts';
export type { OrgPinger } from './readiness/org-check.ts';

export { SalesforceGateway } from './salesforce/gateway.ts';
export type { PingResult, SalesforceGatewayOptions } from './salesforce/gateway.ts';
export { toAppError as salesforceErrorToAppError } from './salesforce/errors.ts';

export { startSyncServer } from './sync-server.ts';
export type { SyncServer, SyncServerOptions } from './sync-server.ts';
export { DEFAULT_SYNC_OPTIONS } from './sync/sync-worker.ts';
export type { SyncWorkerOptions } from './sync/sync-worker.ts';

export {
  advocacyCounts,
  advocacyScore,
  applyPersonaInfluence,
  applyPost,
  emptyRollupState,
  rollupFields,
} from './scoring/index.ts';
export type {
  AdvocacyCounts,
  AdvocacyInput,
  RollupFields,
  RollupState,
  ThreadPost,
} from './scoring/index.ts';
