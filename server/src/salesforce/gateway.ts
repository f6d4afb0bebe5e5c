/**
 * The only door to Salesforce. Every API call goes through here, so it is counted (one HTTP request,
 * one count: query pages are fetched one by one, never by jsforce's autoFetch behind our back), its
 * `Sforce-Limit-Info` usage is recorded and its errors become AppErrors in one place. An expired
 * session is renewed once through the OAuth client credentials flow when credentials are configured.
 */
import { Connection } from 'jsforce';
import type { HttpRequestOptions } from 'jsforce';
import { AuthFailure, Replay } from 'jsforce/lib/api/streaming/extension.js';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { toAppError } from './errors.ts';

/** OAuth client credentials for renewing an expired session (a connected app's consumer key and secret). */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Where the token endpoint is; the instance URL by default (My Domain). */
  loginUrl?: string;
}

export interface SalesforceGatewayOptions {
  instanceUrl: string;
  accessToken: string;
  credentials?: ClientCredentials;
  /**
   * Renews an expired session some other way (e.g. the Salesforce CLI's stored auth, `sf social serve`);
   * takes precedence over `credentials`. Resolves to the new access token.
   */
  renewSession?: () => Promise<string>;
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
// Work calls are retried by the sync worker through the durable queue, with backoff: not here.
const CALL_OPTIONS: HttpRequestOptions = { retry: { maxRetries: 0 }, timeout: 60_000 };

interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** A `/composite` subrequest; `url` is relative to the version root, e.g. `/composite/sobjects`. */
export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  referenceId: string;
  body?: unknown;
}

export interface CompositeSubresponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

export interface FieldDescribe {
  name: string;
  type: string;
  length: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  picklistValues: { value: string; active: boolean }[];
}

export interface ObjectDescribe {
  name: string;
  fields: FieldDescribe[];
}

/** OAuth 2.0 client credentials flow: a fresh access token for the integration user. */
export async function fetchClientCredentialsToken(
  credentials: ClientCredentials,
  instanceUrl: string,
): Promise<string> {
  const response = await fetch(`${credentials.loginUrl ?? instanceUrl}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !body.access_token) {
    throw new Error(
      `renewing the Salesforce session failed: ${body.error ?? response.status} ${body.error_description ?? ''}`.trim(),
    );
  }
  return body.access_token;
}

export class SalesforceGateway {
  readonly instanceUrl: string;
  readonly apiVersion: string;
  readonly #conn: Connection;
  readonly #metrics: Metrics;
  #organizationId: Promise<string> | null = null;
  readonly #logger: Logger;

  constructor(options: SalesforceGatewayOptions) {
    this.instanceUrl = options.instanceUrl;
    this.apiVersion = options.apiVersion;
    const credentials = options.credentials;
    const renew =
      options.renewSession ??
      (credentials ? () => fetchClientCredentialsToken(credentials, options.instanceUrl) : undefined);
    const how = options.renewSession ? 'renewSession' : 'client credentials';
    this.#conn = new Connection({
      instanceUrl: options.instanceUrl,
      accessToken: options.accessToken,
      version: options.apiVersion,
      ...(renew
        ? {
            refreshFn: (_conn, callback) => {
              renew().then(
                (token) => {
                  options.logger.info(`Salesforce session renewed (${how})`);
                  callback(null, token);
                },
                (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
              );
            },
          }
        : {}),
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

  /** The org's id (00D…), from the integration user's identity; asked once. */
  async organizationId(): Promise<string> {
    this.#organizationId ??= this.#call('userinfo', () =>
      this.#conn.request<{ organization_id: string }>('/services/oauth2/userinfo', CALL_OPTIONS),
    ).then(
      (info) => info.organization_id,
      (error: unknown) => {
        this.#organizationId = null;
        throw error;
      },
    );
    return this.#organizationId;
  }

  /** API usage from the last response's `Sforce-Limit-Info`, if any. */
  apiUsage(): { used: number; limit: number } | null {
    return this.#conn.limitInfo.apiUsage ?? null;
  }

  /** All records of a SOQL query, page by page (each page is one counted call). */
  async query<T extends Record<string, unknown>>(
    soql: string,
    options: { maxRecords?: number } = {},
  ): Promise<T[]> {
    const records: T[] = [];
    let page = await this.#call('query', () =>
      this.#conn.request<QueryPage<T>>(`${this.#base()}/query?q=${encodeURIComponent(soql)}`, CALL_OPTIONS),
    );
    records.push(...page.records);
    while (!page.done && page.nextRecordsUrl && records.length < (options.maxRecords ?? Infinity)) {
      const next = page.nextRecordsUrl;
      page = await this.#call('query', () => this.#conn.request<QueryPage<T>>(next, CALL_OPTIONS));
      records.push(...page.records);
    }
    return records;
  }

  /** `/composite`: up to 25 subrequests (at most 5 of them collections or queries) in one counted call. */
  async composite(
    subrequests: readonly CompositeSubrequest[],
    allOrNone = false,
  ): Promise<CompositeSubresponse[]> {
    const response = await this.#call('composite', () =>
      this.#conn.request<{ compositeResponse: CompositeSubresponse[] }>(
        {
          method: 'POST',
          url: `${this.#base()}/composite`,
          body: JSON.stringify({
            allOrNone,
            compositeRequest: subrequests.map((r) => ({ ...r, url: `${this.#base()}${r.url}` })),
          }),
          headers: { 'content-type': 'application/json' },
        },
        CALL_OPTIONS,
      ),
    );
    return response.compositeResponse;
  }

  /**
   * Listens on a Streaming API channel (e.g. `/data/Social_Post__ChangeEvent`) with the current session,
   * from new events on (replay id -1). `onAuthFailure` is called when the org refuses the session (the
   * caller subscribes again after the gateway has renewed it). Streaming does not count against the
   * daily API requests, so it is not metered here.
   */
  subscribe(
    channel: string,
    onMessage: (message: unknown) => void,
    onAuthFailure: () => void,
  ): { ready: Promise<void>; cancel(): void } {
    const client = this.#conn.streaming.createClient([
      new Replay(channel, -1),
      new AuthFailure(onAuthFailure),
    ]);
    const subscription = client.subscribe(channel, onMessage);
    return {
      ready: Promise.resolve(subscription).then(() => undefined),
      cancel: () => {
        subscription.cancel();
        (client as unknown as { disconnect(): void }).disconnect(); // in faye, not in its typings
      },
    };
  }

  /**
   * One Bulk API 2.0 ingest request (`/jobs/ingest…`, relative to the version root), counted like every call.
   * A CSV body is sent as `text/csv`; `answer: 'csv'` returns the CSV text as the org wrote it (jsforce's own
   * CSV parsing splits on `;`, `|` and tabs too, which would cut a post's text apart).
   */
  async bulkRequest<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: { json: unknown } | { csv: string },
    answer: 'json' | 'csv' = 'json',
  ): Promise<T> {
    const options = (
      answer === 'csv' ? { ...CALL_OPTIONS, responseType: 'text/plain' } : CALL_OPTIONS
    ) as HttpRequestOptions;
    return this.#call('bulk', () =>
      this.#conn.request<T>(
        {
          method,
          url: `${this.#base()}/jobs/ingest${path}`,
          ...(body === undefined
            ? {}
            : 'csv' in body
              ? { body: body.csv, headers: { 'content-type': 'text/csv' } }
              : { body: JSON.stringify(body.json), headers: { 'content-type': 'application/json' } }),
        },
        options,
      ),
    );
  }

  /** A describe of one object (field names, types, lengths), for fitting records to the org's schema. */
  async describe(type: string): Promise<ObjectDescribe> {
    return this.#call('describe', () =>
      this.#conn.request<ObjectDescribe>(`${this.#base()}/sobjects/${type}/describe`, CALL_OPTIONS),
    );
  }

  #base(): string {
    return `/services/data/v${this.apiVersion}`;
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
