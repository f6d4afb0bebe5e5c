/**
 * Listens with an app and stops it gracefully: stop accepting, let in-flight requests finish
 * (up to a deadline), and close keep-alive sockets so the process can exit.
 */
import { createServer } from 'node:http';
import type { RequestListener, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListenOptions {
  port: number;
  host: string;
  /** How long `close()` waits for in-flight requests before cutting their sockets (default 10 s). */
  drainTimeoutMs?: number;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8787 */
  readonly url: string;
  /** The bound port (the real one when asked for port 0). */
  readonly port: number;
  /** Resolves once every connection is closed. Safe to call more than once. */
  close(): Promise<void>;
}

function urlFor(host: string, port: number): string {
  // A wildcard address is not something to paste into a browser.
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

export function startServer(app: RequestListener, options: ListenOptions): Promise<RunningServer> {
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;

  const server = createServer((req, res) => {
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
    // A request that arrives on a kept-alive socket while draining is served, then that socket closes.
    if (closing) res.setHeader('Connection', 'close');
    app(req, res);
  });

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      // Ask in-flight responses to close their sockets when done instead of idling on keep-alive.
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const deadline = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
      server.close((err) => {
        clearTimeout(deadline);
        if (err) reject(err);
        else resolve();
      });
      // close() has just closed the idle sockets; a response already streaming keeps its socket
      // alive, so close that socket as soon as it goes idle.
      for (const res of inFlight) res.on('finish', () => server.closeIdleConnections());
    });
    return closing;
  };

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({ url: urlFor(options.host, port), port, close });
    });
  });
}
