/**
 * A small client for the sync server's admin API: `/api/status`, `/readyz`, `/metrics` and
 * `/api/backfill`. A server that does not answer is an error that says how to start one; a refused
 * request carries the server's own hint as the next step.
 */
import type { z } from 'zod';
import { errors } from '../shared/messages.ts';
import { parsePrometheus, type MetricSample } from './prometheus.ts';
import { BackfillAnswer, ErrorAnswer, Readiness, SyncStatus } from './schemas.ts';

export const DEFAULT_SERVER_URL = 'http://localhost:8787';

export interface SyncServerClientOptions {
  /** Per request; backfills get `backfillTimeoutMs`. */
  timeoutMs?: number;
  backfillTimeoutMs?: number;
  /** For the "start it" hint: the org the server should run for. */
  targetOrg?: string;
}

export class SyncServerClient {
  readonly baseUrl: string;
  readonly #timeoutMs: number;
  readonly #backfillTimeoutMs: number;
  readonly #targetOrg: string;

  constructor(baseUrl: string, options: SyncServerClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#backfillTimeoutMs = options.backfillTimeoutMs ?? 30 * 60_000;
    this.#targetOrg = options.targetOrg ?? '<org alias>';
  }

  async status(): Promise<SyncStatus> {
    return this.#json('/api/status', SyncStatus);
  }

  /** Readiness answers 503 when not ready: that is an answer, not a failure. */
  async readiness(): Promise<Readiness> {
    return this.#json('/readyz', Readiness, { accept: [200, 503] });
  }

  async metrics(): Promise<MetricSample[]> {
    const response = await this.#fetch('/metrics', { method: 'GET' }, this.#timeoutMs);
    if (!response.ok) throw await this.#refused('/metrics', response);
    return parsePrometheus(await response.text());
  }

  async backfill(network: string, since: string): Promise<BackfillAnswer> {
    return this.#json('/api/backfill', BackfillAnswer, {
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ network, since }),
      },
      timeoutMs: this.#backfillTimeoutMs,
    });
  }

  async #json<T extends z.ZodType>(
    path: string,
    schema: T,
    options: { accept?: number[]; init?: RequestInit; timeoutMs?: number } = {},
  ): Promise<z.infer<T>> {
    const response = await this.#fetch(
      path,
      options.init ?? { method: 'GET' },
      options.timeoutMs ?? this.#timeoutMs,
    );
    if (!(options.accept ?? [200]).includes(response.status)) throw await this.#refused(path, response);
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw errors.createError('error.UnexpectedServerAnswer', [this.baseUrl, path]);
    }
    return parsed.data;
  }

  async #fetch(path: string, init: RequestInit, timeoutMs: number): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      const reason =
        cause instanceof Error
          ? ((cause.cause as Error | undefined)?.message ?? cause.message)
          : String(cause);
      const error = errors.createError(
        'error.SyncServerUnreachable',
        [this.baseUrl, reason],
        [this.#targetOrg, this.baseUrl],
      );
      error.setData({ url: this.baseUrl, reason });
      throw error;
    }
  }

  async #refused(path: string, response: Response): Promise<Error> {
    const body = ErrorAnswer.safeParse(await response.json().catch(() => undefined));
    const message = body.success ? body.data.error.message : `HTTP ${response.status}`;
    const error = errors.createError('error.SyncServerRefused', [this.baseUrl, path, message]);
    if (body.success && body.data.error.hint) error.actions = [body.data.error.hint];
    return error;
  }
}
