/**
 * Who may see the record page. It shows customer data, and today it has no sign-in of its own, so it
 * is served only where nobody but the local user can reach it: a sync server bound to loopback (the
 * embedded default, HOST=127.0.0.1) and asked for by a loopback host name (a DNS-rebinding page on
 * another origin cannot borrow the browser's access). Anywhere else it answers 403 and says what to
 * do, unless an `authenticate` middleware is configured (the org's OAuth web-server flow is the
 * planned one).
 */
import type { RequestHandler } from 'express';
import { AppError } from '../domain/errors.ts';

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/** The host name of a Host header, without its port. */
function hostnameOf(header: string | undefined): string {
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
      `The record page shows customer data and has no sign-in yet, so it is served only on the loopback binding (HOST=127.0.0.1); this server listens on HOST=${options.host}.`,
      {
        hint: "Put the record page behind your org's OAuth (an authenticating reverse proxy in front of a sync server bound to 127.0.0.1), or open it on the machine running the server with HOST=127.0.0.1. Webhooks and the other APIs are not affected.",
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
