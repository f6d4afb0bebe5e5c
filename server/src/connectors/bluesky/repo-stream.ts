/**
 * `com.atproto.sync.subscribeRepos` as an async iterable of decoded frames. The socket (reconnects with
 * exponential backoff and ±0.5 s jitter, heartbeats, read backpressure) is `@atproto/ws-client`; frames
 * are decoded by `@atproto/xrpc-server`. We do not use `@atproto/sync`'s `Firehose` class because it
 * swallows handler errors and moves on (we must stop and replay from the cursor instead) and hides
 * reconnect failures from health.
 */
import { websocket } from '@atproto/ws-client';
import { Frame } from '@atproto/xrpc-server';
import type { parseCommitUnauthenticated } from '@atproto/sync';
import { z } from 'zod';

/** A `#commit` message body, as `@atproto/sync`'s parsers take it. */
export type CommitMessage = Parameters<typeof parseCommitUnauthenticated>[0];

export type RepoStreamEvent =
  | { type: 'commit'; seq: number; time: string; commit: CommitMessage }
  | { type: 'identity'; seq: number; did: string }
  /** `#account`, `#sync` and types we do not know: they only move the cursor. */
  | { type: 'other'; seq: number }
  /** `#info` (e.g. `OutdatedCursor`): advisory, no seq. */
  | { type: 'info'; name: string; message: string | null };

/** An error frame from the service (`FutureCursor`, `ConsumerTooSlow`, ...): the stream ends. */
export class StreamErrorFrame extends Error {
  readonly code: string;
  constructor(code: string, message: string | undefined) {
    super(`${code}${message ? `: ${message}` : ''}`);
    this.name = 'StreamErrorFrame';
    this.code = code;
  }
}

export interface RepoStreamOptions {
  /** `ws(s)://host` of a relay or PDS. */
  serviceUrl: string;
  /** Read on every (re)connect: the last fully processed seq, or null for the live tail. */
  getCursor: () => number | null;
  signal: AbortSignal;
  maxReconnectSeconds?: number;
  onConnect?: () => void;
  onReconnect?: (error: unknown, attempt: number) => void;
}

const CommitShape = z.looseObject({
  seq: z.number().int(),
  repo: z.string(),
  time: z.string(),
  rev: z.string(),
  ops: z.array(z.looseObject({ action: z.string(), path: z.string() })),
  blocks: z.instanceof(Uint8Array),
});
const SeqShape = z.looseObject({ seq: z.number().int(), did: z.string().optional() });
const InfoShape = z.looseObject({ name: z.string(), message: z.string().optional() });

const METHOD = 'com.atproto.sync.subscribeRepos';

export async function* repoStream(opts: RepoStreamOptions): AsyncGenerator<RepoStreamEvent> {
  const socket = websocket(
    () => {
      const url = new URL(`/xrpc/${METHOD}`, opts.serviceUrl);
      const cursor = opts.getCursor();
      if (cursor !== null) url.searchParams.set('cursor', String(cursor));
      return url;
    },
    {
      dataMode: 'binary',
      signal: opts.signal,
      ...(opts.maxReconnectSeconds === undefined ? {} : { maxReconnectSeconds: opts.maxReconnectSeconds }),
      onConnect: () => opts.onConnect?.(),
      onReconnect: (error, { attempt }) => opts.onReconnect?.(error, attempt),
    },
  );
  for await (const chunk of socket) {
    const frame = Frame.fromBytes(chunk);
    if (frame.isError()) throw new StreamErrorFrame(frame.code, frame.message);
    if (!frame.isMessage()) continue;
    const event = toEvent(frame.header.t, frame.body);
    if (event) yield event;
  }
}

function toEvent(type: string | undefined, body: unknown): RepoStreamEvent | null {
  switch (type) {
    case '#commit': {
      const commit = CommitShape.safeParse(body);
      if (!commit.success) return seqOnly(body);
      return { type: 'commit', seq: commit.data.seq, time: commit.data.time, commit: body as CommitMessage };
    }
    case '#identity': {
      const parsed = SeqShape.safeParse(body);
      if (!parsed.success) return null;
      return parsed.data.did
        ? { type: 'identity', seq: parsed.data.seq, did: parsed.data.did }
        : { type: 'other', seq: parsed.data.seq };
    }
    case '#info': {
      const info = InfoShape.safeParse(body);
      return info.success ? { type: 'info', name: info.data.name, message: info.data.message ?? null } : null;
    }
    default:
      return seqOnly(body);
  }
}

/** A message we do not read still has a seq that the cursor must move past. */
function seqOnly(body: unknown): RepoStreamEvent | null {
  const parsed = SeqShape.safeParse(body);
  return parsed.success ? { type: 'other', seq: parsed.data.seq } : null;
}
