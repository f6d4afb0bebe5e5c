/**
 * An HTTP listener that can be taken down and brought back on the same port, so a stand-in can play
 * "the network is down" as a real connection refusal (ECONNREFUSED), not only as an error status.
 */
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listener {
  readonly url: string;
  readonly port: number;
  /** Stops listening and cuts open connections: clients now get ECONNREFUSED. */
  pause(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startListener(app: RequestListener, port: number, host: string): Promise<Listener> {
  const server = createServer(app);
  const bound = await listen(server, port, host);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let paused = false;
  let closed = false;
  return {
    url: `http://${shownHost}:${bound}`,
    port: bound,
    async pause() {
      if (paused || closed) return;
      paused = true;
      await stop(server);
    },
    async resume() {
      if (!paused || closed) return;
      await listen(server, bound, host);
      paused = false;
    },
    async close() {
      if (closed) return;
      closed = true;
      await stop(server);
    },
  };
}
