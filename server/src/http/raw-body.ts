/**
 * The exact bytes of a request body. Webhook signatures (X, Meta) are HMACs over these bytes;
 * re-serializing the parsed JSON would not reproduce them.
 */
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** Raw bytes of a JSON body, set by the body parser; undefined when there was no body. */
    rawBody?: Buffer;
  }
}

/** body-parser `verify` hook: keeps the bytes it has just read. */
export function keepRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as Request).rawBody = buf;
}

/** The raw body, or an empty buffer when the request had none. */
export function rawBodyOf(req: Request): Buffer {
  return req.rawBody ?? Buffer.alloc(0);
}
