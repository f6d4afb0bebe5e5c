import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer } from '../../src/http/server.ts';
import type { RunningServer } from '../../src/http/server.ts';

/** Starts an app on an ephemeral port through the real `startServer`. */
export function listen(app: RequestListener, drainTimeoutMs?: number): Promise<RunningServer> {
  return startServer(app, {
    port: 0,
    host: '127.0.0.1',
    ...(drainTimeoutMs === undefined ? {} : { drainTimeoutMs }),
  });
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface StubServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A tiny plain HTTP server standing in for a remote API; records what it was asked. */
export async function stubServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<StubServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
