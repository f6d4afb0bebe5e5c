/**
 * Mastodon's streaming API over server-sent events: `GET /api/v1/streaming/user/notification`, answered
 * with `event: notification` / `data: <Notification JSON>` frames and a `:thump` comment every ~15 s.
 *
 * SSE rather than the WebSocket flavour: it is a plain HTTP GET with the same bearer header as the REST
 * calls (no token in a query string, where proxies log it), we only ever listen to one stream so
 * WebSocket multiplexing buys nothing, and `fetch` + eventsource-parser need no extra dependency.
 */
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';
import { MastodonApiError } from './client.ts';

export interface OpenStreamOptions {
  url: URL;
  accessToken: string;
  fetch?: typeof fetch;
  /** Aborts the connection (stop(), or the caller giving up). */
  signal: AbortSignal;
  /** No bytes at all (not even a heartbeat) for this long means the connection is dead. */
  idleTimeoutMs: number;
  connectTimeoutMs?: number;
}

/**
 * Longest stretch of the stream without a complete event or heartbeat. A notification is a few KB; one
 * this large is refused by dropping the connection (the REST catch-up after the reconnect reads it, and
 * refuses it on its own if it really is that large), instead of buffering without end.
 */
export const MAX_EVENT_CHARS = 1024 * 1024;

export class StreamEventTooLargeError extends Error {
  constructor() {
    super(`the stream sent more than ${MAX_EVENT_CHARS} characters without completing an event`);
    this.name = 'StreamEventTooLargeError';
  }
}

export class StreamStalledError extends Error {
  constructor(ms: number) {
    super(`the stream sent nothing, not even a heartbeat, for ${ms} ms`);
    this.name = 'StreamStalledError';
  }
}

export interface OpenStream {
  /** Events in arrival order; ends when the server closes the stream, throws when the connection fails. */
  events: AsyncGenerator<EventSourceMessage, void, void>;
  close(): void;
}

/** Opens the stream; resolves once the server has answered 200, rejects on any other answer. */
export async function openNotificationStream(options: OpenStreamOptions): Promise<OpenStream> {
  const local = new AbortController();
  const signal = AbortSignal.any([options.signal, local.signal]);
  const connectTimer = setTimeout(
    () => local.abort(new Error('the streaming server did not answer in time')),
    options.connectTimeoutMs ?? 30_000,
  );
  let res: Response;
  try {
    res = await (options.fetch ?? globalThis.fetch)(options.url, {
      headers: { authorization: `Bearer ${options.accessToken}`, accept: 'text/event-stream' },
      signal,
    });
  } finally {
    clearTimeout(connectTimer);
  }
  if (!res.ok || !res.body) {
    let message: string | null = null;
    try {
      const body = (await res.json()) as { error?: unknown };
      if (typeof body.error === 'string') message = body.error;
    } catch {
      // An HTML error page from a proxy: the status is enough.
    }
    throw new MastodonApiError(res.status, message, `GET ${options.url.pathname}`);
  }
  const state = { stalled: false, closed: false };
  const events = readEvents(res.body, local, state, options.signal, options.idleTimeoutMs);
  return {
    events,
    close: () => {
      state.closed = true;
      local.abort();
    },
  };
}

async function* readEvents(
  body: ReadableStream<Uint8Array>,
  local: AbortController,
  state: { stalled: boolean; closed: boolean },
  outer: AbortSignal,
  idleTimeoutMs: number,
): AsyncGenerator<EventSourceMessage, void, void> {
  const pending: EventSourceMessage[] = [];
  const progress = { completed: false };
  const parser = createParser({
    onEvent: (event) => {
      pending.push(event);
      progress.completed = true;
    },
    onComment: () => {
      progress.completed = true;
    },
  });
  let sinceLastEvent = 0;
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let idle: NodeJS.Timeout | undefined;
  const armWatchdog = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      state.stalled = true;
      local.abort(new StreamStalledError(idleTimeoutMs));
    }, idleTimeoutMs);
  };
  try {
    armWatchdog();
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (err) {
        if (state.stalled) throw new StreamStalledError(idleTimeoutMs);
        if (state.closed || outer.aborted) return;
        throw err;
      }
      if (chunk.done) return;
      progress.completed = false;
      parser.feed(chunk.value);
      sinceLastEvent = progress.completed ? 0 : sinceLastEvent + chunk.value.length;
      if (sinceLastEvent > MAX_EVENT_CHARS) throw new StreamEventTooLargeError();
      // Hand events over one at a time; the consumer's await is our backpressure, and the time it
      // takes (a slow sink) is not the server's silence, so the watchdog pauses meanwhile.
      clearTimeout(idle);
      for (let event = pending.shift(); event; event = pending.shift()) yield event;
      armWatchdog();
    }
  } finally {
    clearTimeout(idle);
    local.abort();
    reader.releaseLock();
  }
}
