/**
 * One guard for every state-changing request (POST, PUT, PATCH, DELETE): a page on another origin must
 * not be able to make a signed-in or local browser change anything here (redrive dead letters, start a
 * backfill, send a reply). Browsers may send a "simple" cross-origin request (a form, or `fetch` with
 * `text/plain`) without asking first, and the server acts on it even though the page cannot read the
 * answer; so:
 *
 * - `Sec-Fetch-Site: cross-site` is refused, and `same-site` too unless `Origin` is this server's own
 *   (a sibling subdomain or another port is another origin);
 * - an `Origin` that is present and not this server's own is refused (`null` included). Own origins are
 *   the one the request was addressed to (`http(s)://<Host header>`) and `RECORD_PAGE_URL`'s;
 * - a body must be `application/json` (415 `unsupported_media_type` otherwise): a cross-origin JSON
 *   request needs a CORS preflight, which this server never grants. A request without a body and without
 *   a Content-Type is fine (`curl -X POST …/redrive`).
 *
 * Clients that are not browsers (curl, `sf social`, tests) send neither `Origin` nor `Sec-Fetch-Site` and
 * are not affected. Exempt: the signed webhooks (`/webhooks/*`, server to server, verified by their
 * HMAC). `POST /oauth/sign-out` also takes the empty form a sign-out button posts, from its own origin.
 */
import type { Request, RequestHandler } from 'express';
import { AppError } from '../domain/errors.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = 'application/json';
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

export interface CrossSiteOptions {
  /** Origins that are this server besides the one in the Host header, e.g. RECORD_PAGE_URL's. */
  ownOrigins?: readonly string[];
  /** Paths the guard leaves alone; by default the signed webhooks under `/webhooks/`. */
  exempt?: (path: string) => boolean;
  /** Paths that take an empty HTML form from their own origin; by default `/oauth/sign-out`. */
  formPaths?: (path: string) => boolean;
}

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

function mediaType(req: Request): string | null {
  const header = req.headers['content-type'];
  if (header === undefined) return null;
  return header.split(';')[0]!.trim().toLowerCase();
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

export function crossSiteGuard(options: CrossSiteOptions = {}): RequestHandler {
  const own = new Set((options.ownOrigins ?? []).map(originOf).filter((o): o is string => o !== null));
  const exempt = options.exempt ?? ((path: string) => path.startsWith('/webhooks/'));
  const formPaths = options.formPaths ?? ((path: string) => path === '/oauth/sign-out');

  const isOwnOrigin = (req: Request, origin: string): boolean => {
    if (own.has(origin)) return true;
    const host = req.headers.host?.toLowerCase();
    return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  };

  const refused = (req: Request, why: string): AppError =>
    new AppError('forbidden', `Cross-site request refused: ${why}.`, {
      hint: `${req.method} ${req.path.slice(0, 200)} changes state, so it is taken only from this server's own pages (or from clients that are not browsers, with a JSON body). Open the record page from this server's address${own.size > 0 ? ` (${[...own].join(', ')})` : ''}.`,
    });

  return (req, _res, next) => {
    if (!STATE_CHANGING.has(req.method) || exempt(req.path)) {
      next();
      return;
    }
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const ownOrigin = origin !== undefined && isOwnOrigin(req, origin.toLowerCase());
    if (origin !== undefined && !ownOrigin) {
      next(refused(req, `the request comes from another origin (${origin.slice(0, 100)})`));
      return;
    }
    if (site === 'cross-site' || (site === 'same-site' && !ownOrigin)) {
      next(refused(req, `the browser says it comes from another site (Sec-Fetch-Site: ${site})`));
      return;
    }
    const type = mediaType(req);
    if (type === JSON_TYPE || (type === null && !hasBody(req))) {
      next();
      return;
    }
    if (type !== null && FORM_TYPES.has(type) && ownOrigin && formPaths(req.path)) {
      next();
      return;
    }
    next(
      new AppError(
        'unsupported_media_type',
        `${req.method} ${req.path.slice(0, 200)} takes a JSON body, not ${type ?? 'a body without a Content-Type'}.`,
        { hint: 'Send the body as JSON with Content-Type: application/json.' },
      ),
    );
  };
}
