/**
 * Who may call the operator routes: `/api/status`, `/api/dead-letters` and its redrive, `/api/backfill`,
 * `/api/analyze`, `/metrics` and the details of `/readyz`. They show the sync's internals and start work
 * that spends the org's API allowance, and the webhooks make the server public, so:
 *
 * - with `Authorization: Bearer <OPS_TOKEN>` (compared in constant time) anyone may; a wrong token is a
 *   401 wherever the server listens;
 * - on a loopback binding (HOST=127.0.0.1, the embedded default, `sf social serve`) requests addressed
 *   to a loopback host name may, as before (a DNS-rebinding page that names another host may not);
 * - off loopback, a user signed in with the org (the record page's sign-in, when it is configured) may;
 * - anyone else off loopback is refused: 401 when a token or sign-in could let them in (naming both),
 *   403 saying how to set OPS_TOKEN when neither exists (the server then also warns at start-up, once).
 *   The routes are never open off loopback.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../domain/errors.ts';
import { hostnameOf, isLoopbackHost } from '../record-page/access.ts';

export interface OperatorAccessOptions {
  /** The address the server listens on (config HOST). */
  host: string;
  /** OPS_TOKEN: the bearer token operators and Prometheus send. */
  token?: string | undefined;
  /** Whether a request carries a signed-in org session (sign-in with the org, off loopback). */
  signedIn?: (req: Request) => boolean;
}

export interface OperatorAccess {
  /** Null when the request may use the operator routes, else the refusal to answer with. */
  refusal(req: Request, res: Response): AppError | null;
  /** Middleware form of `refusal`. */
  guard: RequestHandler;
}

const SET_TOKEN =
  'set OPS_TOKEN (32 or more characters, e.g. from `openssl rand -hex 32`) where the sync server runs and restart it, then send it as `Authorization: Bearer <OPS_TOKEN>` (`sf social` commands send the OPS_TOKEN of their environment; Prometheus: `authorization: {credentials: <OPS_TOKEN>}`)';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Equal digests of equal length: a compare whose time says nothing about the token or its length. */
function sameToken(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

function bearerOf(req: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match ? match[1]! : null;
}

/** Open everywhere: for apps built without a composition root (tests of single routers). */
export const OPEN_OPERATOR_ACCESS: OperatorAccess = {
  refusal: () => null,
  guard: (_req, _res, next) => next(),
};

export function operatorAccess(options: OperatorAccessOptions): OperatorAccess {
  const expected = options.token ? digest(options.token) : null;
  const loopback = isLoopbackHost(options.host);

  const refusal = (req: Request, res: Response): AppError | null => {
    const bearer = bearerOf(req);
    if (expected && bearer !== null) {
      if (sameToken(bearer, expected)) return null;
      res.setHeader('WWW-Authenticate', 'Bearer realm="socialcrm-operator", error="invalid_token"');
      return new AppError('unauthorized', 'The operator token (OPS_TOKEN) sent with this request is wrong.', {
        hint: 'Send the OPS_TOKEN set where the sync server runs as `Authorization: Bearer <OPS_TOKEN>` (for `sf social`, export OPS_TOKEN in its shell).',
      });
    }
    if (loopback) {
      if (isLoopbackHost(hostnameOf(req.headers.host))) return null;
      return new AppError(
        'forbidden',
        'Operator routes answer only to localhost, 127.0.0.1 or [::1] on this binding.',
        {
          hint: `Call them as http://localhost:<PORT>/… on the machine running the sync server, or ${SET_TOKEN}.`,
        },
      );
    }
    if (options.signedIn?.(req)) return null;
    const orSignIn = options.signedIn
      ? ' or a session of a user signed in with the org (open the record page in a browser to sign in)'
      : '';
    if (expected || options.signedIn) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="socialcrm-operator"');
      return new AppError('unauthorized', `Operator routes need the operator token (OPS_TOKEN)${orSignIn}.`, {
        hint: expected
          ? 'Send `Authorization: Bearer <OPS_TOKEN>` (for `sf social`, export OPS_TOKEN in its shell).'
          : `This server has no OPS_TOKEN: sign in with the org, or ${SET_TOKEN}.`,
      });
    }
    return new AppError(
      'forbidden',
      `Operator routes are refused on this server: it listens on HOST=${options.host}, reachable from the network, and no OPS_TOKEN is set.`,
      {
        hint: `To use them, ${SET_TOKEN}; or run the sync server with HOST=127.0.0.1. Webhooks and /healthz are not affected.`,
      },
    );
  };

  return {
    refusal,
    guard: (req, res, next) => {
      const refused = refusal(req, res);
      if (refused) next(refused);
      else next();
    },
  };
}

/** The start-up warning for a public binding whose operator routes nobody can use, or null. */
export function operatorAccessWarning(options: {
  host: string;
  token?: string | undefined;
  signIn: boolean;
}): string | null {
  if (isLoopbackHost(options.host) || options.token) return null;
  return options.signIn
    ? `bound to ${options.host} with no OPS_TOKEN: operator routes (/api/status, /api/dead-letters, /api/backfill, /api/analyze, /metrics, /readyz details) answer only to users signed in with the org; ${SET_TOKEN}`
    : `bound to ${options.host} with no OPS_TOKEN: operator routes (/api/status, /api/dead-letters, /api/backfill, /api/analyze, /metrics, /readyz details) refuse every request; ${SET_TOKEN}`;
}
