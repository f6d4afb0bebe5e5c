/**
 * Who may see the record page. It shows customer data. Without sign-in it is served only where nobody
 * but the local user can reach it: a sync server bound to loopback (the embedded default,
 * HOST=127.0.0.1) and asked for by a loopback host name (a DNS-rebinding page on another origin cannot
 * borrow the browser's access). Anywhere else it requires the `authenticate` middleware (sign-in with
 * the org through the OAuth web server flow, org-sign-in.ts, when SF_CLIENT_ID, SF_CLIENT_SECRET and
 * RECORD_PAGE_URL are set); without one it answers 403 and says what to do.
 */
import type { RequestHandler } from 'express';
import { AppError } from '../domain/errors.ts';

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/** The host name of a Host header, without its port. */
export function hostnameOf(header: string | undefined): string {
  if (!header) return '';
  const bracketed = /^\[([^\]]*)\]/.exec(header);
  if (bracketed) return bracketed[1]!;
  return header.replace(/:\d*$/, '');
}

export interface AccessOptions {
  /** The address the server listens on (config HOST). */
  host: string;
  /** Authenticates a request off loopback; it answers 401 itself or calls `next()`. */
  authenticate?: RequestHandler;
}

export function recordPageAccess(options: AccessOptions): RequestHandler {
  if (!isLoopbackHost(options.host)) {
    if (options.authenticate) return options.authenticate;
    const refusal = new AppError(
      'forbidden',
      `The record page shows customer data, so off the loopback binding (HOST=127.0.0.1) it requires sign-in with the org, which is not configured; this server listens on HOST=${options.host}.`,
      {
        hint: "Set SF_CLIENT_ID, SF_CLIENT_SECRET (a connected app with the callback URL <RECORD_PAGE_URL>/oauth/callback) and RECORD_PAGE_URL (this server's public URL) to sign in with the org, or open it on the machine running the server with HOST=127.0.0.1. Webhooks and the other APIs are not affected.",
      },
    );
    return (_req, _res, next) => next(refusal);
  }
  return (req, _res, next) => {
    if (isLoopbackHost(hostnameOf(req.headers.host))) {
      next();
      return;
    }
    next(
      new AppError(
        'forbidden',
        'The record page answers only to localhost, 127.0.0.1 or [::1] on this binding.',
        {
          hint: 'Open it as http://localhost:<PORT>/ on the machine running the sync server.',
        },
      ),
    );
  };
}
