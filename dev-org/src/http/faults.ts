/**
 * Faults a real org produces, switched on and off at runtime by tests (programmatically or through
 * `POST /__dev/faults`): added latency, bursts of 503s, dropped connections, expired sessions and a
 * spent API allowance.
 */
import { z } from 'zod';

export const FaultSettings = z
  .object({
    /** Milliseconds added before every REST response. */
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    /** The next N REST requests answer 503 SERVER_UNAVAILABLE. */
    unavailable: z.number().int().min(0).optional(),
    /** The next N REST requests have their connection destroyed without a response. */
    drop: z.number().int().min(0).optional(),
    /** Every issued session stops working (401 INVALID_SESSION_ID) until a client authenticates again. */
    expireSessions: z.boolean().optional(),
    /** Spend the rest of today's API allowance (403 REQUEST_LIMIT_EXCEEDED). */
    exhaustApiLimit: z.boolean().optional(),
    /** Set the daily API request allowance. */
    apiLimit: z.number().int().min(1).optional(),
  })
  .strict();
export type FaultSettings = z.infer<typeof FaultSettings>;

export interface FaultTargets {
  expireSessions(): void;
  exhaustApiLimit(): void;
  setApiLimit(limit: number): void;
  resetSessions(): void;
  resetApiUsage(): void;
}

export type FaultAction = { kind: 'none' } | { kind: 'unavailable' } | { kind: 'drop' };

export class Faults {
  latencyMs = 0;
  #unavailable = 0;
  #drop = 0;
  readonly #targets: FaultTargets;

  constructor(targets: FaultTargets) {
    this.#targets = targets;
  }

  set(settings: FaultSettings): void {
    if (settings.latencyMs !== undefined) this.latencyMs = settings.latencyMs;
    if (settings.unavailable !== undefined) this.#unavailable = settings.unavailable;
    if (settings.drop !== undefined) this.#drop = settings.drop;
    if (settings.apiLimit !== undefined) this.#targets.setApiLimit(settings.apiLimit);
    if (settings.expireSessions) this.#targets.expireSessions();
    if (settings.exhaustApiLimit) this.#targets.exhaustApiLimit();
  }

  /** No latency, no pending 503s or drops, the default session valid again, today's usage back to 0. */
  clear(): void {
    this.latencyMs = 0;
    this.#unavailable = 0;
    this.#drop = 0;
    this.#targets.resetSessions();
    this.#targets.resetApiUsage();
  }

  state(): { latencyMs: number; unavailable: number; drop: number } {
    return { latencyMs: this.latencyMs, unavailable: this.#unavailable, drop: this.#drop };
  }

  /** What to do with the next REST request. */
  take(): FaultAction {
    if (this.#drop > 0) {
      this.#drop -= 1;
      return { kind: 'drop' };
    }
    if (this.#unavailable > 0) {
      this.#unavailable -= 1;
      return { kind: 'unavailable' };
    }
    return { kind: 'none' };
  }
}
