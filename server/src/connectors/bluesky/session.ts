/**
 * Our own Bluesky account: an app-password session (`AtpAgent.login`) that later code uses to post
 * replies, and that tells health whether the credentials still work. The SDK refreshes an expired
 * access token by itself on the next call; `keepFresh()` refreshes ahead of expiry so a broken refresh
 * token shows up in health before a reply needs it.
 */
import { AtpAgent } from '@atproto/api';
import type { AtpSessionData, AtpSessionEvent } from '@atproto/api';

export interface BlueskySessionOptions {
  /** Our PDS or entryway (`https://bsky.social`): where we log in and resolve handles. */
  pdsUrl: string;
  handle: string;
  /** An app password (Settings → App passwords), never the account password. Null: read-only. */
  appPassword: string | null;
  fetch?: typeof globalThis.fetch;
}

export interface SessionState {
  tokenValid: boolean | null;
  sessionExpiresAt: string | null;
  lastError: string | null;
}

/** Refresh when the access token has less than this left. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export class BlueskySession {
  readonly agent: AtpAgent;
  readonly #opts: BlueskySessionOptions;
  #state: SessionState;

  constructor(opts: BlueskySessionOptions) {
    this.#opts = opts;
    this.#state = { tokenValid: opts.appPassword ? false : null, sessionExpiresAt: null, lastError: null };
    this.agent = new AtpAgent({
      service: opts.pdsUrl,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      persistSession: (evt, session) => this.#onSession(evt, session),
    });
  }

  /** Our DID once logged in. */
  get did(): string | null {
    return this.agent.session?.did ?? null;
  }

  state(): SessionState {
    return { ...this.#state };
  }

  /** Logs in with the app password; returns our DID, or null (read-only or failed: see `state()`). */
  async login(): Promise<string | null> {
    if (!this.#opts.appPassword) return null;
    try {
      await this.agent.login({ identifier: this.#opts.handle, password: this.#opts.appPassword });
      return this.did;
    } catch (err) {
      this.#state = { tokenValid: false, sessionExpiresAt: null, lastError: describe(err) };
      return null;
    }
  }

  /** Handle → DID through our PDS (`com.atproto.identity.resolveHandle`), which resolves any handle. */
  async resolveHandle(handle: string): Promise<string | null> {
    try {
      const res = await this.agent.com.atproto.identity.resolveHandle({ handle });
      return res.data.did;
    } catch {
      return null;
    }
  }

  /** Refreshes the session if it is close to expiry, or logs in again if it was lost. */
  async keepFresh(now = Date.now()): Promise<void> {
    if (!this.#opts.appPassword) return;
    if (!this.agent.session) {
      await this.login();
      return;
    }
    const expiresAt = this.#state.sessionExpiresAt ? Date.parse(this.#state.sessionExpiresAt) : 0;
    if (expiresAt - now > REFRESH_MARGIN_MS) return;
    try {
      await this.agent.sessionManager.refreshSession();
    } catch (err) {
      this.#state = { ...this.#state, lastError: describe(err) };
    }
    if (!this.agent.session) await this.login();
  }

  async logout(): Promise<void> {
    if (!this.agent.session) return;
    await this.agent.logout().catch(() => undefined);
  }

  #onSession(evt: AtpSessionEvent, session: AtpSessionData | undefined): void {
    switch (evt) {
      case 'create':
      case 'update':
        this.#state = { tokenValid: true, sessionExpiresAt: jwtExpiry(session?.accessJwt), lastError: null };
        break;
      case 'create-failed':
      case 'expired':
        this.#state = { tokenValid: false, sessionExpiresAt: null, lastError: `session ${evt}` };
        break;
      case 'network-error':
        // The tokens may still be good; the next call retries.
        this.#state = { ...this.#state, lastError: 'session refresh: network error' };
        break;
    }
  }
}

/** The `exp` claim of a JWT as an ISO date (not verified: the PDS verifies; we only schedule). */
function jwtExpiry(jwt: string | undefined): string | null {
  const payload = jwt?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : null;
  } catch {
    return null;
  }
}

export function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
