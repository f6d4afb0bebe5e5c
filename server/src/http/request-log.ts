import type { Request, RequestHandler } from 'express';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

// Probes and scrapes arrive every few seconds; at info they would drown everything else.
const QUIET_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** The matched route pattern (`/records/:recordId`), not the raw path, to bound metric cardinality. */
function routeOf(req: Request): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/**
 * One log line and one histogram sample per request. Logs method, path (without the query
 * string, which can carry tokens such as X's crc_token), status and duration; never bodies.
 */
export function requestLog(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req);
      metrics.httpRequestDuration.observe(
        { method: req.method, route, status: String(res.statusCode) },
        seconds,
      );
      const line = {
        method: req.method,
        path: req.path,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
      };
      if (QUIET_PATHS.has(req.path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
