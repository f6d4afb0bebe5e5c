/**
 * The only door to Salesforce. Every API call goes through here, so it is counted, its
 * `Sforce-Limit-Info` usage is recorded and its errors become AppErrors in one place. Batching
 * and retries of record writes belong here too (later).
 */
import { Connection } from 'jsforce';
import type { HttpRequestOptions } from 'jsforce';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { toAppError } from './errors.ts';

export interface SalesforceGatewayOptions {
  instanceUrl: string;
  accessToken: string;
  /** e.g. "62.0" */
  apiVersion: string;
  metrics: Metrics;
  logger: Logger;
}

export interface PingResult {
  ok: boolean;
  detail?: string;
}

// A readiness probe must answer quickly and honestly: no jsforce retry loop behind it.
const PROBE_OPTIONS: HttpRequestOptions = { retry: { maxRetries: 0 }, timeout: 5000 };

export class SalesforceGateway {
  readonly instanceUrl: string;
  readonly apiVersion: string;
  readonly #conn: Connection;
  readonly #metrics: Metrics;
  readonly #logger: Logger;

  constructor(options: SalesforceGatewayOptions) {
    this.instanceUrl = options.instanceUrl;
    this.apiVersion = options.apiVersion;
    this.#conn = new Connection({
      instanceUrl: options.instanceUrl,
      accessToken: options.accessToken,
      version: options.apiVersion,
    });
    this.#metrics = options.metrics;
    this.#logger = options.logger;
  }

  /** Reaches the org with an authenticated call (the limits resource, cheap and always there). */
  async ping(): Promise<PingResult> {
    try {
      await this.#call('limits', () =>
        this.#conn.request(`/services/data/v${this.apiVersion}/limits`, PROBE_OPTIONS),
      );
      const usage = this.#conn.limitInfo.apiUsage;
      const detail = usage
        ? `API v${this.apiVersion} reachable; API usage ${usage.used}/${usage.limit}`
        : `API v${this.apiVersion} reachable`;
      return { ok: true, detail };
    } catch (error) {
      const appError = toAppError(error, { instanceUrl: this.instanceUrl });
      return {
        ok: false,
        detail: appError.hint ? `${appError.message}. ${appError.hint}` : appError.message,
      };
    }
  }

  /** Counts the call, records API usage and maps failures to AppError. */
  async #call<T>(operation: string, send: () => PromiseLike<T>): Promise<T> {
    try {
      const result = await send();
      this.#metrics.crmApiCalls.inc({ operation, outcome: 'success' });
      return result;
    } catch (error) {
      this.#metrics.crmApiCalls.inc({ operation, outcome: 'error' });
      const appError = toAppError(error, { instanceUrl: this.instanceUrl });
      this.#logger.warn(
        { operation, code: appError.code, details: appError.details },
        `Salesforce ${operation} failed: ${appError.message}`,
      );
      throw appError;
    } finally {
      // jsforce reads Sforce-Limit-Info from every response, error responses included.
      this.#recordUsage();
    }
  }

  #recordUsage(): void {
    const usage = this.#conn.limitInfo.apiUsage;
    if (usage && usage.limit > 0) this.#metrics.crmApiUsageRatio.set(usage.used / usage.limit);
  }
}
