/**
 * The Mastodon stand-in's streaming server, as Mastodon's (streaming/index.js, 4.x) behaves:
 *
 * - Streams: `user` (our home timeline: our own statuses, and notifications), `user:notification`,
 *   `public`, `public:local`, `public:remote`, `hashtag` and `hashtag:local` (with `tag`).
 * - Server-sent events: `GET /api/v1/streaming/<stream with / for :>` (`/hashtag?tag=…`); `:)` on
 *   connect, `:thump` heartbeats, frames `event: <event>` / `data: <payload>`.
 * - WebSocket: `/api/v1/streaming`, the first stream from `?stream=…&tag=…`, more with
 *   `{"type":"subscribe","stream":"…","tag":"…"}` (and `unsubscribe`) on the same socket; messages
 *   `{"stream":["hashtag","Foo"],"event":"update","payload":"<JSON text>"}` (a `delete`'s payload is the
 *   status id itself); `{"error":"Unknown stream type","status":400}` for a stream it does not know;
 *   ping frames as heartbeats; binary messages close the socket (1003).
 * - Events: `update`, `notification`, `delete`, `status.update`.
 *
 * Authentication is the instance's (`authorize`): on a WebSocket the token comes as `access_token`,
 * as `Sec-WebSocket-Protocol` (what browsers send; echoed back as the chosen protocol) or as a bearer
 * header; a refused upgrade is answered with a bare HTTP status line, as Mastodon does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createRequire } from 'node:module';
import type WebSocket from 'ws';

// ws 8's ESM entry names its server `WebSocketServer`, which the installed @types/ws (written for ws 7)
// does not declare; the CommonJS entry still carries it as `WebSocket.Server`, which it does.
const { Server: WebSocketServer } = createRequire(import.meta.url)('ws') as typeof WebSocket;

export type StreamEventName = 'update' | 'notification' | 'delete' | 'status.update';

const STREAMS = [
  'user',
  'user:notification',
  'public',
  'public:local',
  'public:remote',
  'hashtag',
  'hashtag:local',
] as const;
export type StreamName = (typeof STREAMS)[number];

/** Where an event goes: a stream, and for hashtag streams the (lower-cased) tag. */
export interface StreamTarget {
  stream: StreamName;
  tag?: string;
}

/** A subscription: the stream, and the tag as the client wrote it (echoed back in `stream`). */
interface Subscription {
  stream: StreamName;
  tag: string | null;
}

interface Subscriber {
  transport: 'sse' | 'websocket';
  subscriptions: Map<string, Subscription>;
  send(subscription: Subscription, event: StreamEventName, payload: string): void;
  close(): void;
}

export type Authorize = (token: string | null) => { status: number; error: string } | null;

export const STREAMING_PATH = '/api/v1/streaming';

class StreamRequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function isStream(name: string): name is StreamName {
  return (STREAMS as readonly string[]).includes(name);
}

/** The subscription a stream name and its parameters ask for, or Mastodon's error for them. */
function subscriptionFor(stream: unknown, tag: unknown): Subscription {
  const name = typeof stream === 'string' ? stream : '';
  if (!isStream(name)) throw new StreamRequestError(400, 'Unknown stream type');
  if (name === 'hashtag' || name === 'hashtag:local') {
    if (typeof tag !== 'string' || tag === '')
      throw new StreamRequestError(400, 'No tag for stream provided');
    return { stream: name, tag };
  }
  return { stream: name, tag: null };
}

const keyOf = (stream: StreamName, tag: string | null): string =>
  tag === null ? stream : `${stream}:${tag.toLowerCase()}`;

function bearerOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  return header && /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '').trim() : null;
}

function protocolToken(req: IncomingMessage): string | null {
  const header = req.headers['sec-websocket-protocol'];
  const first = typeof header === 'string' ? header.split(',')[0]?.trim() : undefined;
  return first ? first : null;
}

export interface StreamingServerOptions {
  authorize: Authorize;
  heartbeatMs: number;
}

export class StreamingServer {
  readonly #subscribers = new Set<Subscriber>();
  readonly #wss = new WebSocketServer({ noServer: true, clientTracking: false });
  readonly #options: StreamingServerOptions;

  constructor(options: StreamingServerOptions) {
    this.#options = options;
  }

  /** Sends an event to every subscription of `target`; `payload` is the entity (or, for delete, the id). */
  publish(targets: readonly StreamTarget[], event: StreamEventName, payload: unknown): void {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const keys = new Set(targets.map((t) => keyOf(t.stream, t.tag ?? null)));
    for (const subscriber of this.#subscribers) {
      for (const [key, subscription] of subscriber.subscriptions) {
        if (keys.has(key)) subscriber.send(subscription, event, text);
      }
    }
  }

  /** Open connections and what each listens to (`hashtag:<tag>` for tags), for tests to wait on. */
  connections(): { transport: 'sse' | 'websocket'; streams: string[] }[] {
    return [...this.#subscribers].map((s) => ({
      transport: s.transport,
      streams: [...s.subscriptions.keys()],
    }));
  }

  /** Ends every stream (token revoked, instance shut down). */
  closeAll(): void {
    for (const subscriber of [...this.#subscribers]) subscriber.close();
    this.#subscribers.clear();
  }

  /**
   * `GET /api/v1/streaming/…` over server-sent events; `path` is what follows `/api/v1/streaming/`.
   * Answers errors as JSON `{error}` with the status, like Mastodon's HTTP streaming.
   */
  serveEventStream(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
    const fail = (status: number, error: string): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error }));
    };
    let subscription: Subscription;
    try {
      subscription = subscriptionFor(path.replaceAll('/', ':'), query.get('tag'));
    } catch (error) {
      if (error instanceof StreamRequestError) return fail(404, error.message);
      throw error;
    }
    const refused = this.#options.authorize(bearerOf(req) ?? query.get('access_token'));
    if (refused) return fail(refused.status, refused.error);

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'private, no-store' });
    res.write(':)\n');
    const beat = setInterval(() => res.write(':thump\n'), this.#options.heartbeatMs);
    const subscriber: Subscriber = {
      transport: 'sse',
      subscriptions: new Map([[keyOf(subscription.stream, subscription.tag), subscription]]),
      send: (_subscription, event, payload) => res.write(`event: ${event}\ndata: ${payload}\n\n`),
      close: () => res.end(),
    };
    this.#subscribers.add(subscriber);
    res.on('close', () => {
      clearInterval(beat);
      this.#subscribers.delete(subscriber);
    });
  }

  /** An HTTP upgrade to `/api/v1/streaming`: authenticated, then a WebSocket with its first subscription. */
  handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, query: URLSearchParams): void {
    const reject = (status: number, reason: string): void => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const token = query.get('access_token') ?? protocolToken(req) ?? bearerOf(req);
    if (token === null) return reject(401, 'Unauthorized');
    if (this.#options.authorize(token)) return reject(401, 'Unauthorized');
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#serveSocket(ws, query));
  }

  #serveSocket(ws: WebSocket, query: URLSearchParams): void {
    const subscriptions = new Map<string, Subscription>();
    const subscriber: Subscriber = {
      transport: 'websocket',
      subscriptions,
      send: (subscription, event, payload) => {
        const stream =
          subscription.tag === null ? [subscription.stream] : [subscription.stream, subscription.tag];
        ws.send(JSON.stringify({ stream, event, payload }));
      },
      close: () => ws.close(1000),
    };
    const subscribe = (stream: unknown, tag: unknown): void => {
      try {
        const subscription = subscriptionFor(stream, tag);
        subscriptions.set(keyOf(subscription.stream, subscription.tag), subscription);
      } catch (error) {
        if (!(error instanceof StreamRequestError)) throw error;
        ws.send(JSON.stringify({ error: error.message, status: error.status }));
      }
    };
    this.#subscribers.add(subscriber);
    let alive = true;
    const beat = setInterval(() => {
      // No pong since the last ping: the peer is gone (Mastodon terminates such sockets too).
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, this.#options.heartbeatMs);
    ws.on('pong', () => (alive = true));
    ws.on('close', () => {
      clearInterval(beat);
      this.#subscribers.delete(subscriber);
    });
    ws.on('error', () => ws.terminate());
    // ws 8 passes (data, isBinary); the installed @types/ws describes ws 7, hence the loose types.
    ws.on('message', (data: unknown, isBinary: unknown) => {
      if (isBinary === true)
        return ws.close(1003, 'The mastodon streaming server does not support binary messages');
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null) return;
      const { type, stream, tag } = message as { type?: unknown; stream?: unknown; tag?: unknown };
      if (type === 'subscribe') subscribe(stream, tag);
      if (type === 'unsubscribe' && typeof stream === 'string' && isStream(stream)) {
        subscriptions.delete(keyOf(stream, typeof tag === 'string' ? tag : null));
      }
    });
    if (query.has('stream')) subscribe(query.get('stream'), query.get('tag'));
  }
}
