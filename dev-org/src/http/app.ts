/**
 * The dev org's HTTP surface: Salesforce's REST paths with its auth, limit header, JSON error bodies
 * and faults; plus `/__dev/*` for tests and the demo (faults, stats). Nothing here answers with a stack
 * trace: an unexpected error is Salesforce's UNKNOWN_EXCEPTION 500 body.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { SalesforceError } from '../errors.ts';
import { API_VERSION, VERSION_ROOT, type RestApi } from '../api/rest-api.ts';
import type { ApiUsage } from '../api/api-usage.ts';
import { FaultSettings, type Faults } from './faults.ts';
import { ORG_ID, OAuthError, type Sessions } from './sessions.ts';
import { identityBody, identityUrl, type IdentityUser } from './identity.ts';

export interface DevOrgAppDeps {
  api: RestApi;
  usage: ApiUsage;
  sessions: Sessions;
  faults: Faults;
  instanceUrl: () => string;
  findUser: (username: string) => string | undefined;
  /** A user's profile for userinfo and the identity URL; undefined when there is no such user. */
  user: (userId: string) => IdentityUser | undefined;
  now: () => Date;
  adminUserId: string;
  stats: () => Record<string, unknown>;
  log?: (line: string) => void;
  /** Routers under the versioned REST root that read their own bodies (the Metadata API's multipart deploys); after auth and limits. */
  versionedRouters?: express.Router[];
  /** Routers outside `/services/data` that authenticate on their own (the Metadata SOAP endpoint). */
  routers?: express.Router[];
}

function sendError(res: Response, error: SalesforceError): void {
  res.status(error.statusCode).json([error.toBody()]);
}

function bearer(req: Request): string | undefined {
  const header = req.get('authorization') ?? '';
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string;
}

/** Reads and checks the web server flow's parameters; an error names what Salesforce would answer. */
function authorizeRequest(
  source: Record<string, unknown>,
  sessions: Sessions,
): AuthorizeRequest | OAuthError {
  const text = (name: string): string => (typeof source[name] === 'string' ? source[name] : '');
  if (text('response_type') !== 'code') {
    return new OAuthError('unsupported_response_type', 'response type not supported');
  }
  if (text('client_id') !== sessions.clientId) {
    return new OAuthError('invalid_client_id', 'client identifier invalid');
  }
  const redirectUri = text('redirect_uri');
  let parsed: URL | undefined;
  try {
    parsed = new URL(redirectUri);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) {
    return new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
  }
  return { clientId: text('client_id'), redirectUri, state: text('state') };
}

/** The dev org's login page: username and password, the flow's parameters carried in hidden fields. */
function loginForm(request: AuthorizeRequest, username: string, error?: string): string {
  const hidden = (name: string, value: string): string =>
    `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in | Social CRM dev org</title></head>
<body>
<h1>Log in to the Social CRM dev org</h1>
${error ? `<p role="alert" class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/services/oauth2/authorize">
${hidden('response_type', 'code')}
${hidden('client_id', request.clientId)}
${hidden('redirect_uri', request.redirectUri)}
${hidden('state', request.state)}
<label>Username <input name="username" autocomplete="username" value="${escapeHtml(username)}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Log In</button>
</form>
</body></html>`;
}

function frontdoorPage(user: IdentityUser | undefined): string {
  const body = user
    ? `<p>Signed in as ${escapeHtml(user.username)}.</p>
<p>The dev org serves the Salesforce REST API (<a href="/services/data/v${API_VERSION}/">/services/data/v${API_VERSION}/</a>),
not Salesforce's pages: the records with their social conversation are on the sync server's record page
(<code>npm start</code> prints its address).</p>`
    : `<p role="alert">This sign-in link was already used or has expired. Ask for a new one: <code>sf org open --target-org &lt;alias&gt;</code>.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Social CRM dev org</title></head>
<body>
<h1>Social CRM dev org</h1>
${body}
</body></html>`;
}

export function createDevOrgApp(deps: DevOrgAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // `http://host:port//services/data/…`: clients that keep the instance URL with a trailing slash (as
  // `sf org login access-token` stores it) double the slash; Salesforce serves those paths as usual.
  app.use((req, _res, next) => {
    const at = req.url.indexOf('?');
    const path = at < 0 ? req.url : req.url.slice(0, at);
    if (path.includes('//')) {
      req.url = path.replace(/\/{2,}/g, '/') + (at < 0 ? '' : req.url.slice(at));
      req.originalUrl = req.url; // the REST dispatcher reads the full path from here
    }
    next();
  });

  app.get('/', (_req, res) => {
    res.json({
      name: 'Social CRM dev org',
      restApi: `/services/data/v${API_VERSION}`,
      devTools: '/__dev/stats',
    });
  });

  app.post('/services/oauth2/token', express.urlencoded({ extended: false }), (req, res) => {
    try {
      const params = new URLSearchParams(req.body as Record<string, string>);
      res.json(deps.sessions.grant(params, deps.instanceUrl(), deps.findUser, deps.adminUserId));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      res.status(400).json(error.toBody());
    }
  });

  // The OAuth 2.0 web server flow: the login page, then a redirect back with a single-use code.
  app.get('/services/oauth2/authorize', (req, res) => {
    const request = authorizeRequest(req.query, deps.sessions);
    if (request instanceof OAuthError) {
      res.status(400).json(request.toBody());
      return;
    }
    res.status(200).type('html').set('Cache-Control', 'no-store').send(loginForm(request, ''));
  });

  app.post('/services/oauth2/authorize', express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const request = authorizeRequest(body, deps.sessions);
    if (request instanceof OAuthError) {
      res.status(400).json(request.toBody());
      return;
    }
    const username = typeof body['username'] === 'string' ? body['username'] : '';
    const password = typeof body['password'] === 'string' ? body['password'] : '';
    const userId = username ? deps.findUser(username) : undefined;
    if (!userId || !deps.sessions.checkPassword(password)) {
      res
        .status(200)
        .type('html')
        .set('Cache-Control', 'no-store')
        .send(loginForm(request, username, 'Please check your username and password.'));
      return;
    }
    const target = new URL(request.redirectUri);
    target.searchParams.set('code', deps.sessions.issueCode(request.clientId, request.redirectUri, userId));
    if (request.state) target.searchParams.set('state', request.state);
    res.redirect(302, target.href);
  });

  app.get('/services/oauth2/userinfo', (req, res) => {
    const token = bearer(req);
    if (!token || !deps.sessions.isValid(token)) {
      res.status(403).type('text').send('Bad_OAuth_Token');
      return;
    }
    const user = deps.user(deps.sessions.userOf(token) ?? deps.adminUserId);
    if (!user) {
      res.status(403).type('text').send('Bad_OAuth_Token');
      return;
    }
    res.json({
      sub: `${deps.instanceUrl()}/id/${ORG_ID}/${user.id}`,
      user_id: user.id,
      organization_id: ORG_ID,
      preferred_username: user.username,
      name: user.name,
      email: user.email,
    });
  });

  // `sf org open`: a single-use frontdoor URL for the session's user (Salesforce's UI Bridge API).
  app.get('/services/oauth2/singleaccess', (req, res) => {
    const token = bearer(req);
    if (!token || !deps.sessions.isValid(token)) {
      res.status(403).json({ error: 'invalid_token', error_description: 'Session expired or invalid' });
      return;
    }
    const key = deps.sessions.issueFrontdoorKey(deps.sessions.userOf(token) ?? deps.adminUserId);
    const target = new URL('/secur/frontdoor.jsp', deps.instanceUrl());
    target.searchParams.set('otp', key);
    const redirect = typeof req.query['redirect_uri'] === 'string' ? req.query['redirect_uri'] : '';
    if (redirect) target.searchParams.set('startURL', redirect);
    res.json({ frontdoor_uri: target.href });
  });

  // Where a frontdoor URL lands: the dev org has no Lightning pages, so it says who signed in and where
  // the REST API and the product's record pages are.
  app.get('/secur/frontdoor.jsp', (req, res) => {
    const key = typeof req.query['otp'] === 'string' ? req.query['otp'] : '';
    const user = key ? deps.user(deps.sessions.redeemFrontdoorKey(key) ?? '') : undefined;
    if (!user) {
      res.status(401).type('html').set('Cache-Control', 'no-store').send(frontdoorPage(undefined));
      return;
    }
    res.status(200).type('html').set('Cache-Control', 'no-store').send(frontdoorPage(user));
  });

  // The identity URL the token endpoint's `id` and the version root's `identity` point at (jsforce sends
  // the session as `oauth_token` there).
  app.get('/id/:orgId/:userId', (req, res) => {
    const token =
      bearer(req) ?? (typeof req.query['oauth_token'] === 'string' ? req.query['oauth_token'] : '');
    if (!token || !deps.sessions.isValid(token)) {
      res.status(403).type('text').send('Bad_OAuth_Token');
      return;
    }
    const own = deps.sessions.userOf(token) ?? deps.adminUserId;
    const asked = String(req.params['userId']);
    const user = deps.user(own);
    if (req.params['orgId'] !== ORG_ID || !user || (asked !== own && asked !== own.slice(0, 15))) {
      res.status(403).type('text').send('Bad_Id');
      return;
    }
    res.json(identityBody(deps.instanceUrl(), ORG_ID, user, deps.now()));
  });

  for (const router of deps.routers ?? []) app.use(router);

  app.get('/services/data', (_req, res) => {
    res.json(
      [58, 59, 60, 61, 62].map((v) => ({
        label: `v${v}.0`,
        url: `/services/data/v${v}.0`,
        version: `${v}.0`,
      })),
    );
  });

  // Faults, auth and the API allowance apply to every versioned REST call, in Salesforce's order.
  app.use(VERSION_ROOT, async (req: Request, res: Response, next: NextFunction) => {
    const action = deps.faults.take();
    if (deps.faults.latencyMs > 0) await sleep(deps.faults.latencyMs);
    if (action.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (action.kind === 'unavailable') {
      res
        .status(503)
        .json([
          { errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable. Try again later.' },
        ]);
      return;
    }
    if (!deps.sessions.isValid(bearer(req))) {
      res.status(401).json([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      return;
    }
    try {
      deps.usage.consume();
    } catch (error) {
      if (error instanceof SalesforceError) {
        res.set('Sforce-Limit-Info', deps.usage.header());
        sendError(res, error);
        return;
      }
      throw error;
    }
    res.set('Sforce-Limit-Info', deps.usage.header());
    next();
  });

  for (const router of deps.versionedRouters ?? []) app.use(VERSION_ROOT, router);
  app.use(VERSION_ROOT, express.json({ limit: '50mb', type: () => true }));

  app.use(VERSION_ROOT, (req: Request, res: Response) => {
    const version = VERSION_ROOT.exec(req.originalUrl);
    const url = new URL(req.originalUrl, 'http://dev-org.invalid');
    const apiPath = version?.[0] ?? `/services/data/v${API_VERSION}`;
    const response = deps.api.dispatch({
      method: req.method,
      apiPath,
      identityUrl: identityUrl(
        deps.instanceUrl(),
        ORG_ID,
        deps.sessions.userOf(bearer(req) ?? '') ?? deps.adminUserId,
      ),
      path: url.pathname.slice(apiPath.length),
      query: url.searchParams,
      body: req.body as unknown,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
      ),
    });
    if (response.body === undefined) res.status(response.status).end();
    else res.status(response.status).json(response.body);
  });

  app.get('/__dev/faults', (_req, res) => {
    res.json(deps.faults.state());
  });
  app.post('/__dev/faults', express.json(), (req, res) => {
    const parsed = FaultSettings.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json([
        {
          errorCode: 'INVALID_INPUT',
          message: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        },
      ]);
      return;
    }
    deps.faults.set(parsed.data);
    res.json(deps.faults.state());
  });
  app.delete('/__dev/faults', (_req, res) => {
    deps.faults.clear();
    res.json(deps.faults.state());
  });
  app.get('/__dev/stats', (_req, res) => {
    res.json(deps.stats());
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  // Body-parser failures become Salesforce's JSON_PARSER_ERROR; anything else UNKNOWN_EXCEPTION, no trace.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof SalesforceError) {
      sendError(res, error);
      return;
    }
    const parseError = error as { type?: string; message?: string; status?: number };
    if (parseError.type === 'entity.parse.failed') {
      res.status(400).json([
        {
          message: `Unexpected character in JSON: ${parseError.message ?? ''}`,
          errorCode: 'JSON_PARSER_ERROR',
        },
      ]);
      return;
    }
    if (parseError.type === 'entity.too.large') {
      res.status(413).json([{ message: 'Request body too large', errorCode: 'REQUEST_ENTITY_TOO_LARGE' }]);
      return;
    }
    deps.log?.(
      `dev org: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    res.status(500).json([
      {
        errorCode: 'UNKNOWN_EXCEPTION',
        message:
          'An unexpected error occurred. Please include this ErrorId if you contact support: 0-dev-org',
      },
    ]);
  });

  return app;
}
