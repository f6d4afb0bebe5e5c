/**
 * Access tokens the dev org accepts, and the OAuth 2.0 token endpoint's grants
 * (client credentials, username-password, refresh token). Expiring sessions is a fault tests switch on:
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

export const ORG_ID = '00DDv0000000001AAA';

export class Sessions {
  readonly #defaultToken: string;
  readonly #client: OAuthClient;
  readonly #password: string;
  readonly #valid = new Set<string>();
  readonly #refreshTokens = new Map<string, string>();

  constructor(options: { defaultToken: string; client: OAuthClient; password: string }) {
    this.#defaultToken = options.defaultToken;
    this.#client = options.client;
    this.#password = options.password;
    this.#valid.add(options.defaultToken);
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
