/**
 * Access tokens the dev org accepts, and the OAuth 2.0 token endpoint's grants
 * (client credentials, username-password, refresh token, and the web server flow's authorization code). Expiring sessions is a fault tests switch on:
 * every token issued so far stops working until a client authenticates again.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface TokenResponse {
  access_token: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
  signature: string;
  scope: string;
  refresh_token?: string;
}

export class OAuthError extends Error {
  readonly error: string;
  constructor(error: string, description: string) {
    super(description);
    this.error = error;
  }
  toBody(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}

/** The org's id: the `Organization` record's, the first the dev org gives (`recordId('00D', 1)`). */
export const ORG_ID = '00DDv0000000001MAA';

/** How long an authorization code of the web server flow may be exchanged (Salesforce: 15 minutes). */
export const CODE_TTL_MS = 5 * 60_000;

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  expiresAt: number;
}

export class Sessions {
  readonly #defaultToken: string;
  readonly #client: OAuthClient;
  readonly #password: string;
  readonly #valid = new Set<string>();
  readonly #refreshTokens = new Map<string, string>();
  readonly #tokenUsers = new Map<string, string>();
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #frontdoor = new Map<string, { userId: string; expiresAt: number }>();
  readonly #now: () => Date;

  constructor(options: { defaultToken: string; client: OAuthClient; password: string; now?: () => Date }) {
    this.#defaultToken = options.defaultToken;
    this.#client = options.client;
    this.#password = options.password;
    this.#now = options.now ?? (() => new Date());
    this.#valid.add(options.defaultToken);
  }

  get clientId(): string {
    return this.#client.clientId;
  }

  /** Whether `password` is the dev org's (every user shares it). */
  checkPassword(password: string): boolean {
    return password === this.#password;
  }

  /** The user a valid token was issued to; undefined for the default token and unknown tokens. */
  userOf(token: string): string | undefined {
    return this.isValid(token) ? this.#tokenUsers.get(token) : undefined;
  }

  /** A single-use authorization code for the web server flow, bound to the client and redirect URI. */
  issueCode(clientId: string, redirectUri: string, userId: string): string {
    const now = this.#now().getTime();
    for (const [code, entry] of this.#codes) if (entry.expiresAt <= now) this.#codes.delete(code);
    const code = `aPrx${randomBytes(32).toString('base64url')}`;
    this.#codes.set(code, { clientId, redirectUri, userId, expiresAt: now + CODE_TTL_MS });
    return code;
  }

  /** A single-use frontdoor key (`sf org open`): signs the browser in as the session's user, once. */
  issueFrontdoorKey(userId: string): string {
    const now = this.#now().getTime();
    for (const [key, entry] of this.#frontdoor) if (entry.expiresAt <= now) this.#frontdoor.delete(key);
    const key = randomBytes(32).toString('base64url');
    this.#frontdoor.set(key, { userId, expiresAt: now + CODE_TTL_MS });
    return key;
  }

  /** The user a frontdoor key was issued for, once; undefined when it is unknown, used or expired. */
  redeemFrontdoorKey(key: string): string | undefined {
    const entry = this.#frontdoor.get(key);
    this.#frontdoor.delete(key);
    return entry && entry.expiresAt > this.#now().getTime() ? entry.userId : undefined;
  }

  isValid(token: string | undefined): boolean {
    return token !== undefined && this.#valid.has(token);
  }

  /** Every token issued so far stops working (refresh tokens keep working, as in Salesforce). */
  expireAll(): void {
    this.#valid.clear();
  }

  /** Back to the start: only the default token is valid. */
  reset(): void {
    this.#valid.clear();
    this.#valid.add(this.#defaultToken);
  }

  grant(
    params: URLSearchParams,
    instanceUrl: string,
    findUser: (username: string) => string | undefined,
    adminUserId: string,
  ): TokenResponse {
    const grantType = params.get('grant_type');
    const clientOk =
      params.get('client_id') === this.#client.clientId &&
      params.get('client_secret') === this.#client.clientSecret;
    switch (grantType) {
      case 'client_credentials':
        if (!clientOk) throw new OAuthError('invalid_client', 'invalid client credentials');
        return this.#issue(instanceUrl, adminUserId, false);
      case 'password': {
        if (!clientOk) throw new OAuthError('invalid_client_id', 'client identifier invalid');
        const userId = findUser(params.get('username') ?? '');
        if (!userId || params.get('password') !== this.#password) {
          throw new OAuthError('invalid_grant', 'authentication failure');
        }
        return this.#issue(instanceUrl, userId, true);
      }
      case 'authorization_code': {
        if (!clientOk) throw new OAuthError('invalid_client', 'invalid client credentials');
        const code = params.get('code') ?? '';
        const entry = this.#codes.get(code);
        this.#codes.delete(code); // single use, even when the exchange fails
        if (!entry || entry.expiresAt <= this.#now().getTime() || entry.clientId !== this.#client.clientId) {
          throw new OAuthError('invalid_grant', 'invalid authorization code');
        }
        if (params.get('redirect_uri') !== entry.redirectUri) {
          throw new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
        }
        return this.#issue(instanceUrl, entry.userId, true);
      }
      case 'refresh_token': {
        const userId = this.#refreshTokens.get(params.get('refresh_token') ?? '');
        if (!userId) throw new OAuthError('invalid_grant', 'expired access/refresh token');
        return this.#issue(instanceUrl, userId, false);
      }
      default:
        throw new OAuthError('unsupported_grant_type', 'grant type not supported');
    }
  }

  #issue(instanceUrl: string, userId: string, withRefresh: boolean): TokenResponse {
    const token = `${ORG_ID.slice(0, 15)}!${randomBytes(24).toString('base64url')}`;
    this.#valid.add(token);
    this.#tokenUsers.set(token, userId);
    const issuedAt = String(Date.now());
    const id = `${instanceUrl}/id/${ORG_ID}/${userId}`;
    const response: TokenResponse = {
      access_token: token,
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      signature: createHmac('sha256', this.#client.clientSecret)
        .update(id + issuedAt)
        .digest('base64'),
      scope: 'api refresh_token',
    };
    if (withRefresh) {
      const refresh = `5Aep${randomBytes(32).toString('base64url')}`;
      this.#refreshTokens.set(refresh, userId);
      response.refresh_token = refresh;
    }
    return response;
  }
}
