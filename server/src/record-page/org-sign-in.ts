/**
 * Sign-in with the org for the record page off loopback: the OAuth 2.0 web server flow of the
 * connected app (SF_CLIENT_ID / SF_CLIENT_SECRET). A browser without a session is sent to the org's
 * authorize page with a random `state` (kept in a short-lived signed cookie); the org sends it back to
 * `GET /oauth/callback` with a code, which is exchanged for a token at the org's token endpoint; the
 * user's id and name from `/services/oauth2/userinfo` go into a signed session cookie (8 hours). The
 * org's tokens are used once, for userinfo, and neither kept nor logged.
 *
 * Cookies are `<base64url JSON>.<base64url HMAC-SHA256>` with `cookieSecret`: HttpOnly, SameSite=Lax
 * (the org's redirect back is a top-level GET, which Lax lets the state cookie ride), and Secure when
 * the callback URL is https.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../observability/logger.ts';
import { errorPage } from './templates.ts';

export const SESSION_COOKIE = 'scrm_session';
export const STATE_COOKIE = 'scrm_oauth_state';
/** Where the org sends the browser back; the callback URL is `${RECORD_PAGE_URL}/oauth/callback`. */
export const CALLBACK_PATH = '/oauth/callback';
export const SESSION_TTL_MS = 8 * 60 * 60_000;
const STATE_TTL_MS = 10 * 60_000;

export interface OrgSignInOptions {
  /** The org's login host (SF_LOGIN_URL, else the instance URL): authorize, token and userinfo live there. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  /** The public URL of `GET /oauth/callback`, as registered on the connected app's callback URLs. */
  callbackUrl: string;
  /** Signs the cookies (SESSION_SECRET). */
  cookieSecret: string;
  /**
   * The id (00D…) of the org the server syncs to; users of any other org are refused even when the
   * connected app lets them sign in (login.salesforce.com serves every org).
   */
  organizationId: () => Promise<string>;
  logger?: Logger;
  now?: () => number;
  fetch?: typeof fetch;
}

export interface SignedInUser {
  /** The org user's id (005…). */
  id: string;
  name: string;
  organizationId: string;
}

export interface OrgSignIn {
  router: Router;
  authenticate: RequestHandler;
  /** The signed-in user of a request (a valid session cookie), without answering or redirecting. */
  userOf: (req: Request) => SignedInUser | undefined;
}

interface SessionPayload {
  uid: string;
  name: string;
  org: string;
  exp: number;
}

interface StatePayload {
  state: string;
  returnTo: string;
  exp: number;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    if (name && !cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
  }
  return cookies;
}

/** Only a path on this server: no scheme, no `//host`, no backslash tricks. */
function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || /[\\\s]/.test(value)) {
    return '/';
  }
  return value.length > 2000 ? '/' : value;
}

function wantsHtml(req: Request): boolean {
  return req.method === 'GET' && req.accepts(['json', 'html']) === 'html';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function createOrgSignIn(options: OrgSignInOptions): OrgSignIn {
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? fetch;
  const loginUrl = options.loginUrl.replace(/\/+$/, '');
  const secure = options.callbackUrl.startsWith('https:');
  // The state cookie goes only to the callback (its path as the browser sees it).
  const callbackPath = new URL(options.callbackUrl).pathname;

  // The MAC covers the cookie's name too, so a state cookie never passes for a session, nor back.
  const macOf = (name: string, body: string): Buffer =>
    createHmac('sha256', options.cookieSecret).update(`${name}.${body}`).digest();
  const sign = (name: string, payload: object): string => {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${macOf(name, body).toString('base64url')}`;
  };
  const verify = (name: string, value: string | undefined): Record<string, unknown> | undefined => {
    if (!value) return undefined;
    const [body, mac, extra] = value.split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = macOf(name, body);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
      if (!isObject(payload) || typeof payload['exp'] !== 'number' || payload['exp'] <= now())
        return undefined;
      return payload;
    } catch {
      return undefined;
    }
  };
  const cookie = (name: string, value: string, maxAgeMs: number, path = '/'): string =>
    [
      `${name}=${value}`,
      `Path=${path}`,
      `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
      'HttpOnly',
      'SameSite=Lax',
      ...(secure ? ['Secure'] : []),
    ].join('; ');

  const sessionOf = (req: Request): SignedInUser | undefined => {
    const payload = verify(SESSION_COOKIE, parseCookies(req.headers.cookie).get(SESSION_COOKIE));
    if (!payload || typeof payload['uid'] !== 'string') return undefined;
    const session = payload as unknown as SessionPayload;
    return { id: session.uid, name: String(session.name), organizationId: String(session.org) };
  };

  const authenticate: RequestHandler = (req, res, next) => {
    const user = sessionOf(req);
    if (user) {
      res.locals['user'] = user;
      next();
      return;
    }
    if (!wantsHtml(req)) {
      next(
        new AppError('unauthorized', 'Sign in with the org to use the record page.', {
          hint: 'Open the record page in a browser: it sends you to the org to sign in, then back here.',
        }),
      );
      return;
    }
    const state = randomBytes(24).toString('base64url');
    const statePayload: StatePayload = {
      state,
      returnTo: safeReturnTo(req.originalUrl),
      exp: now() + STATE_TTL_MS,
    };
    const authorize = new URL(`${loginUrl}/services/oauth2/authorize`);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('client_id', options.clientId);
    authorize.searchParams.set('redirect_uri', options.callbackUrl);
    authorize.searchParams.set('state', state);
    res.setHeader(
      'Set-Cookie',
      cookie(STATE_COOKIE, sign(STATE_COOKIE, statePayload), STATE_TTL_MS, callbackPath),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, authorize.href);
  };

  const failPage = (res: Response, status: number, message: string, hint?: string): void => {
    res
      .status(status)
      .type('html')
      .setHeader('Cache-Control', 'no-store')
      .append('Set-Cookie', cookie(STATE_COOKIE, '', 0, callbackPath))
      .send(errorPage(status, message, hint));
  };

  const router = Router();

  router.get(CALLBACK_PATH, async (req, res) => {
    const startAgain = 'Open the record page again to sign in once more.';
    const saved = verify(STATE_COOKIE, parseCookies(req.headers.cookie).get(STATE_COOKIE)) as
      StatePayload | undefined;
    const state = typeof req.query['state'] === 'string' ? req.query['state'] : '';
    const stateOk =
      saved !== undefined &&
      typeof saved.state === 'string' &&
      state.length === saved.state.length &&
      timingSafeEqual(Buffer.from(state), Buffer.from(saved.state));
    if (!stateOk) {
      failPage(res, 400, 'This sign-in did not start here, or took too long.', startAgain);
      return;
    }
    if (typeof req.query['error'] === 'string') {
      const description =
        typeof req.query['error_description'] === 'string'
          ? req.query['error_description']
          : req.query['error'];
      failPage(res, 403, `The org did not sign you in: ${description.slice(0, 200)}`, startAgain);
      return;
    }
    const code = typeof req.query['code'] === 'string' ? req.query['code'] : '';
    if (!code) {
      failPage(res, 400, 'The org sent no authorization code.', startAgain);
      return;
    }

    let user: SignedInUser;
    try {
      const tokenResponse = await fetchImpl(`${loginUrl}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          client_id: options.clientId,
          client_secret: options.clientSecret,
          redirect_uri: options.callbackUrl,
        }),
        signal: AbortSignal.timeout(15_000),
      });
      const tokens = (await tokenResponse.json().catch(() => undefined)) as unknown;
      if (!tokenResponse.ok || !isObject(tokens) || typeof tokens['access_token'] !== 'string') {
        const error = isObject(tokens) && typeof tokens['error'] === 'string' ? tokens['error'] : 'no token';
        options.logger?.warn({ status: tokenResponse.status, error }, 'org sign-in: code exchange refused');
        failPage(res, 400, `The org refused the sign-in (${error.slice(0, 100)}).`, startAgain);
        return;
      }
      const infoResponse = await fetchImpl(`${loginUrl}/services/oauth2/userinfo`, {
        headers: { Authorization: `Bearer ${tokens['access_token']}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(15_000),
      });
      const info = (await infoResponse.json().catch(() => undefined)) as unknown;
      if (!infoResponse.ok || !isObject(info) || typeof info['user_id'] !== 'string') {
        options.logger?.warn({ status: infoResponse.status }, 'org sign-in: userinfo refused');
        failPage(res, 502, 'The org did not say who signed in.', startAgain);
        return;
      }
      user = {
        id: info['user_id'],
        name: typeof info['name'] === 'string' ? info['name'] : String(info['preferred_username'] ?? ''),
        organizationId: typeof info['organization_id'] === 'string' ? info['organization_id'] : '',
      };
      const ours = await options.organizationId();
      if (user.organizationId.slice(0, 15) !== ours.slice(0, 15)) {
        options.logger?.warn({ organizationId: user.organizationId }, 'org sign-in: a user of another org');
        failPage(
          res,
          403,
          'This page belongs to another Salesforce org: sign in with a user of the org it syncs.',
          startAgain,
        );
        return;
      }
    } catch (err) {
      options.logger?.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'org sign-in: the org could not be reached',
      );
      failPage(res, 502, 'The org could not be reached to finish signing in.', startAgain);
      return;
    }

    const session: SessionPayload = {
      uid: user.id,
      name: user.name,
      org: user.organizationId,
      exp: now() + SESSION_TTL_MS,
    };
    options.logger?.info({ userId: user.id }, 'org sign-in: signed in');
    res.setHeader('Cache-Control', 'no-store');
    res.append('Set-Cookie', cookie(STATE_COOKIE, '', 0, callbackPath));
    res.append('Set-Cookie', cookie(SESSION_COOKIE, sign(SESSION_COOKIE, session), SESSION_TTL_MS));
    res.redirect(302, safeReturnTo(saved.returnTo));
  });

  router.post('/oauth/sign-out', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.append('Set-Cookie', cookie(SESSION_COOKIE, '', 0));
    if (wantsHtmlForm(req)) res.redirect(303, '/');
    else res.status(204).end();
  });

  return { router, authenticate, userOf: sessionOf };
}

/** A browser's form post (it accepts HTML) gets a redirect; API clients a 204. */
function wantsHtmlForm(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}
