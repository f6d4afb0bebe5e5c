/**
 * The standalone record page: `GET /` (records with social activity), `GET /records/:recordId` (an
 * SLDS-looking record page with the social components live), its static files under `/app/`, and the
 * JSON and server-sent-event APIs its host script uses under `/api/records/`.
 *
 * Pages and APIs alike are served only on the loopback binding without sign-in (see
 * record-page/access.ts), with a strict Content-Security-Policy: scripts from this origin only, no
 * inline script or style, nothing framed.
 */
import express, { Router } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/logger.ts';
import { recordPageAccess, type AccessOptions } from '../../record-page/access.ts';
import type { RecordFeed } from '../../record-page/live-feed.ts';
import { errorPage, inboxPage, listPage, recordPage } from '../../record-page/templates.ts';
import { requireRecordType, type SalesforceRecordReader } from '../../salesforce/record-reader.ts';
import { statusForCode, toClientError } from '../error-handler.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** ui-components/dist, where `npm run build -w ui-components` writes the bundle. */
export const DEFAULT_COMPONENTS_DIR = fileURLToPath(
  new URL('../../../../ui-components/dist/', import.meta.url),
);
const ASSETS_DIR = fileURLToPath(new URL('../../record-page/assets/', import.meta.url));

export interface RecordPageRouterDeps {
  reader: Pick<SalesforceRecordReader, 'listActive' | 'details' | 'posts' | 'personas' | 'savedReplies'>;
  feed: RecordFeed;
  access: AccessOptions;
  /** Logs pages that failed with a server error (APIs are logged by the app's error handler). */
  logger?: Logger;
  /** Where social-components.js is served from (default ui-components/dist). */
  componentsDir?: string;
}

const PostsQuery = z.object({
  before: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  next();
};

/** An HTML page handler whose errors become an HTML error page (APIs answer JSON through the app's handler). */
function page(render: (req: Request, res: Response) => Promise<string>, logger?: Logger): RequestHandler {
  return async (req: Request, res: Response) => {
    try {
      const body = await render(req, res);
      res.status(200).type('html').setHeader('Cache-Control', 'no-store').send(body);
    } catch (err) {
      const error = toClientError(err);
      const status = statusForCode(error.code);
      if (status >= 500) logger?.error({ err, path: req.path }, 'record page failed');
      const message =
        status >= 500 ? 'The org could not be read just now. Try again in a moment.' : error.message;
      res
        .status(status)
        .type('html')
        .send(errorPage(status, message, error.hint));
    }
  };
}

/** Renders the access refusal as a page for page routes. */
function pageGuard(guard: RequestHandler): RequestHandler {
  return (req, res, next) => {
    guard(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();
      const error = toClientError(err);
      res
        .status(statusForCode(error.code))
        .type('html')
        .send(errorPage(statusForCode(error.code), error.message, error.hint));
    });
  };
}

export function createRecordPageRouter(deps: RecordPageRouterDeps): Router {
  const router = Router();
  const guard = recordPageAccess(deps.access);
  const componentsDir = deps.componentsDir ?? DEFAULT_COMPONENTS_DIR;
  const pageGuarded = [securityHeaders, pageGuard(guard)];
  const apiGuarded = [securityHeaders, guard];

  router.get(
    '/',
    ...pageGuarded,
    page(async () => listPage(await deps.reader.listActive()), deps.logger),
  );

  router.get(
    '/records/:recordId',
    ...pageGuarded,
    page(async (req) => recordPage(await deps.reader.details(String(req.params['recordId']))), deps.logger),
  );

  router.get(
    '/inbox',
    ...pageGuarded,
    page(async (_req, res) => {
      const user = res.locals['user'] as { id?: string; name?: string } | undefined;
      return inboxPage({ signedInAs: user?.id ? { id: user.id, name: user.name ?? user.id } : null });
    }, deps.logger),
  );

  for (const file of ['record-page.js', 'record-page.css', 'inbox.js']) {
    router.get(`/app/${file}`, ...apiGuarded, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(ASSETS_DIR, file));
    });
  }

  router.use(
    '/app/components',
    ...apiGuarded,
    express.static(componentsDir, { index: false, maxAge: 0 }),
    (req: Request, _res: Response, next: NextFunction) => {
      next(
        new AppError('not_found', `${req.path.slice(0, 100)} is not in the components bundle`, {
          ...(existsSync(componentsDir)
            ? {}
            : {
                hint: 'The bundle is not built: run `npm run build -w ui-components` (npm start does it first).',
              }),
        }),
      );
    },
  );

  // The list page's data and its live updates (before /api/records/:recordId, which these are not).
  router.get('/api/activity', ...apiGuarded, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ records: await deps.reader.listActive() });
  });

  router.get('/api/activity/events', ...apiGuarded, (_req, res) => {
    if (deps.feed.closed) throw new AppError('unavailable', 'The server is shutting down.');
    deps.feed.watchList(res);
  });

  router.get('/api/records/:recordId', ...apiGuarded, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.reader.details(String(req.params['recordId'])));
  });

  router.get('/api/records/:recordId/posts', ...apiGuarded, async (req, res) => {
    const id = String(req.params['recordId']);
    requireRecordType(id);
    const query = PostsQuery.parse(req.query);
    const before = query.before ? new Date(query.before) : null;
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.reader.posts(id, { before, limit: query.limit }));
  });

  router.get('/api/records/:recordId/personas', ...apiGuarded, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.reader.personas(String(req.params['recordId'])));
  });

  router.get('/api/records/:recordId/events', ...apiGuarded, (req, res) => {
    const id = String(req.params['recordId']);
    requireRecordType(id);
    if (deps.feed.closed) throw new AppError('unavailable', 'The server is shutting down.');
    deps.feed.watch(id, res);
  });

  router.get('/api/saved-replies', ...apiGuarded, async (_req, res) => {
    res.json({ savedReplies: await deps.reader.savedReplies() });
  });

  return router;
}
