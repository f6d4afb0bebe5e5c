/**
 * A small client for the sync server's admin API: `/api/status`, `/readyz`, `/metrics` and
 * `/api/backfill`. A server that does not answer is an error that says how to start one; a refused
 * request carries the server's own hint as the next step.
 *
 * These are the server's operator routes: off loopback it takes them only with its OPS_TOKEN as a bearer
 * token. The client sends the OPS_TOKEN of its environment, the same variable the server reads (so one
 * `export OPS_TOKEN=…` serves `sf social serve` and the other commands); the settings file written by
 * `sf social setup` never holds a token.
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
  /** The server's operator token; `OPS_TOKEN` from the environment when not given. */
  token?: string;
}

export class SyncServerClient {
  readonly baseUrl: string;
  readonly #timeoutMs: number;
  readonly #backfillTimeoutMs: number;
  readonly #targetOrg: string;
  readonly #token: string | undefined;

  constructor(baseUrl: string, options: SyncServerClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#backfillTimeoutMs = options.backfillTimeoutMs ?? 30 * 60_000;
    this.#targetOrg = options.targetOrg ?? '<org alias>';
    this.#token = options.token ?? (process.env['OPS_TOKEN'] || undefined);
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
      const headers = new Headers(init.headers);
      if (this.#token) headers.set('authorization', `Bearer ${this.#token}`);
      return await fetch(`${this.baseUrl}${path}`, {
        ...init,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
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
    if (response.status === 401 || (response.status === 403 && /OPS_TOKEN/.test(message))) {
      const key = this.#token ? 'error.SyncServerTokenRefused' : 'error.SyncServerNeedsToken';
      const error = errors.createError(key, [this.baseUrl, path, message]);
      // `refused`: the server is up; `sf social status` says to set the token, not to start a server.
      error.setData({ url: this.baseUrl, reason: message, refused: true });
      return error;
    }
    const error = errors.createError('error.SyncServerRefused', [this.baseUrl, path, message]);
    if (body.success && body.data.error.hint) error.actions = [body.data.error.hint];
    return error;
  }
}
