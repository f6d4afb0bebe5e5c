/**
 * Loopback by default for servers we do not construct ourselves. `@atproto/dev-env` starts the PLC
 * directory and the PDS with `app.listen(port)`, which binds every interface (`::`), and offers no
 * host option: anyone on the LAN could create accounts on the demo network and post mentions. While
 * `fn` runs, a `listen` call that names no host binds 127.0.0.1 instead; calls that name one (or a
 * path, or a handle) are left alone.
 */
import { Server } from 'node:net';

export const LOOPBACK = '127.0.0.1';

type Listen = (this: Server, ...args: unknown[]) => Server;

let depth = 0;
let original: Listen | null = null;

function withHost(args: unknown[]): unknown[] {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, callback]): a string second argument is the host.
    return typeof second === 'string' ? args : [first, LOOPBACK, ...args.slice(1)];
  }
  if (first === undefined || typeof first === 'function') return [0, LOOPBACK, ...args];
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: unknown; path?: unknown; fd?: unknown; handle?: unknown };
    const named = 'path' in options || 'fd' in options || 'handle' in options || options.host !== undefined;
    return named ? args : [{ ...options, host: LOOPBACK }, ...args.slice(1)];
  }
  return args;
}

/** Runs `fn` with host-less `listen` calls bound to 127.0.0.1. */
export async function withLoopbackListeners<T>(fn: () => Promise<T>): Promise<T> {
  if (depth === 0) {
    original = Server.prototype.listen as unknown as Listen;
    const unpatched = original;
    Server.prototype.listen = function listen(this: Server, ...args: unknown[]): Server {
      return unpatched.apply(this, withHost(args));
    } as typeof Server.prototype.listen;
  }
  depth += 1;
  try {
    return await fn();
  } finally {
    depth -= 1;
    if (depth === 0 && original) {
      Server.prototype.listen = original as unknown as typeof Server.prototype.listen;
      original = null;
    }
  }
}
