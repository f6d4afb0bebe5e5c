/**
 * Bluesky mentions from the repo event stream (`com.atproto.sync.subscribeRepos`): a relay in
 * production (`wss://bsky.network`), or a PDS directly. It needs no AppView, so it works against any
 * PDS; `listNotifications` would need one. Every new `app.bsky.feed.post` is checked: it concerns us if
 * it mentions our DID in a facet, replies to one of our posts (parent or root), or quotes one.
 *
 * Delivery is at-least-once and in stream order: events are handled one at a time; a commit's
 * mentions go to the sink, and only once `sink.accept` has resolved is its seq stored as the cursor.
 * If the sink (or anything transient) fails, the stream is torn down and resumed from the last handled
 * seq after a backoff with jitter, so the same mentions arrive again (the queue drops duplicates).
 * Seqs of events that concern nobody are stored at most every `cursorFlushMs`: after a crash a few
 * seconds of the stream are re-read, never skipped.
 */
import { safeFetchWrap } from '@atproto-labs/fetch-node';
import { IdResolver, parseToAtprotoDocument } from '@atproto/identity';
import { lexToJson } from '@atproto/lex';
import { parseCommitAuthenticated, parseCommitUnauthenticated } from '@atproto/sync';
import type { ConnectorHealth, MentionSink, OwnAccounts, PullConnector } from '../connector.ts';
import type { CursorStore } from '../../intake/mention-queue.ts';
import type { Mention } from '../../domain/mention.ts';
import { payloadProblem } from '../../domain/payload-bounds.ts';
import { rejectionOf, type Rejection, type RejectionLog } from '../rejections.ts';
import type { Logger } from '../../observability/logger.ts';
import { silentLogger } from '../../observability/logger.ts';
import { AuthorResolver } from './author-resolver.ts';
import { listServiceRepos, postsSince } from './backfill.ts';
import { classifyPost, PostRecord, POST_COLLECTION, toMention } from './post-mention.ts';
import type { BlueskyMentionKind, PostToMap } from './post-mention.ts';
import { repoStream, StreamErrorFrame } from './repo-stream.ts';
import type { CommitMessage } from './repo-stream.ts';
import { BlueskySession, describe } from './session.ts';

export interface BlueskyConnectorOptions {
  /** Relay or PDS serving `subscribeRepos` (`wss://bsky.network`; `https://` is accepted too). */
  serviceUrl: string;
  /** Our account's PDS or entryway (`https://bsky.social`): login and handle resolution. */
  pdsUrl: string;
  /** Our handle, without `@`. */
  handle: string;
  /** App password for our account; null runs read-only (no session: replies cannot be posted). */
  appPassword: string | null;
  /** Where the stream position is kept. */
  cursorStore: CursorStore;
  /** PLC directory for `did:plc` documents. Default `https://plc.directory`. */
  plcUrl?: string;
  /** Base of post and profile links. Default `https://bsky.app`. */
  webUrl?: string;
  /** Seq to start from when no cursor is stored; default: the live tail. `0` replays the service's window. */
  startCursor?: number | null;
  /** Further accounts of ours (other networks' connectors share one): their posts are never mentions. */
  ownAccounts?: OwnAccounts;
  logger?: Logger;
  /** Where posts and commits refused one by one (undecodable, too deep, a bad handle) are reported. */
  rejections?: RejectionLog;
  /**
   * Dev and tests only: reach identity services and PDSes on private addresses and plain http. Off in
   * production, where the URLs we fetch come from other people's DID documents (SSRF).
   */
  allowPrivateHosts?: boolean;
  /** Backoff after a failure: from `minMs`, doubling, capped at `maxMs`, ±50 % jitter. Default 1 s .. 60 s. */
  backoff?: { minMs?: number; maxMs?: number };
  /** Longest gap between stores of the cursor while nothing concerns us. Default 5 s. */
  cursorFlushMs?: number;
  /** How often the app-password session is checked and refreshed ahead of expiry. Default 10 min. */
  sessionCheckMs?: number;
  /** Longest `start()` waits for the first connection before resolving anyway. Default 10 s. */
  startTimeoutMs?: number;
  backfill?: {
    /** DIDs whose posts backfill always reads. */
    authors?: readonly string[];
    /** Also read every repo the service lists (`com.atproto.sync.listRepos`): for a single PDS. */
    serviceRepos?: boolean;
    /** Cap on listed repos. Default 1000. */
    maxRepos?: number;
  };
}

type FailureKind = 'identity' | 'connection' | 'processing';

const MAX_SEEN_AUTHORS = 5000;

export class BlueskyConnector implements PullConnector {
  readonly network = 'bluesky' as const;
  readonly name = 'bluesky-firehose';

  readonly #opts: BlueskyConnectorOptions;
  readonly #log: Logger;
  readonly #session: BlueskySession;
  readonly #idResolver: IdResolver;
  readonly #authors: AuthorResolver;
  readonly #fetch: typeof globalThis.fetch;
  readonly #cursorKey: string;
  readonly #wsUrl: string;
  readonly #httpUrl: string;
  readonly #webUrl: string;
  /** Authors seen mentioning us, newest last: candidates for backfill. */
  readonly #seenAuthors = new Set<string>();

  #ourDid: string | null = null;
  #abort: AbortController | null = null;
  #loop: Promise<void> | null = null;
  #sessionTimer: NodeJS.Timeout | null = null;
  #connected = false;
  /** Last seq whose event is fully handled (its mentions accepted by the sink). */
  #handledSeq: number | null = null;
  #storedSeq: number | null = null;
  #lastStoreAt = 0;
  #lastEventAt: string | null = null;
  #errorStreak = 0;
  #failureKind: FailureKind | null = null;
  #lastError: string | null = null;
  #hint: string | null = null;

  constructor(opts: BlueskyConnectorOptions) {
    this.#opts = opts;
    this.#log = (opts.logger ?? silentLogger()).child({ connector: 'bluesky-firehose' });
    this.#wsUrl = opts.serviceUrl.replace(/^http/, 'ws').replace(/\/+$/, '');
    this.#httpUrl = opts.serviceUrl.replace(/^ws/, 'http').replace(/\/+$/, '');
    this.#webUrl = (opts.webUrl ?? 'https://bsky.app').replace(/\/+$/, '');
    this.#cursorKey = `bluesky:subscribeRepos:${new URL(this.#httpUrl).host}`;
    const plcUrl = opts.plcUrl ?? 'https://plc.directory';
    if (opts.allowPrivateHosts) {
      this.#fetch = globalThis.fetch;
      this.#idResolver = new IdResolver({ plcUrl, fetch: globalThis.fetch });
    } else {
      this.#fetch = safeFetchWrap() as typeof globalThis.fetch;
      this.#idResolver = new IdResolver({ plcUrl });
    }
    this.#session = new BlueskySession({
      pdsUrl: opts.pdsUrl,
      handle: opts.handle,
      appPassword: opts.appPassword,
    });
    this.#authors = new AuthorResolver({
      idResolver: this.#idResolver,
      resolveHandle: (handle) => this.#session.resolveHandle(handle),
      fetch: this.#fetch,
      webUrl: this.#webUrl,
    });
  }

  /** Our logged-in agent, for posting replies (null session when read-only or the login failed). */
  get session(): BlueskySession {
    return this.#session;
  }

  /** Bluesky's web app, for links to posts. */
  get webUrl(): string {
    return this.#webUrl;
  }

  /**
   * A record and its CID, read from the PDS that hosts its repo (reply refs need the CIDs of the parent
   * and the root). Null when it is not there (deleted); throws when the PDS cannot be reached.
   */
  async getRecord(uri: string): Promise<{ cid: string; value: Record<string, unknown> } | null> {
    const match = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri);
    if (!match) return null;
    const [, did = '', collection = '', rkey = ''] = match;
    const doc = await this.#idResolver.did.resolve(did);
    const pds = doc ? parseToAtprotoDocument(doc).pds : undefined;
    if (!pds) return null;
    const url = new URL('/xrpc/com.atproto.repo.getRecord', pds);
    url.search = new URLSearchParams({ repo: did, collection, rkey }).toString();
    const res = await this.#fetch(url, { signal: AbortSignal.timeout(15_000) });
    if (res.status === 400 || res.status === 404) return null;
    if (!res.ok) throw new Error(`${new URL(pds).host} answered ${res.status} for ${uri}`);
    const body = (await res.json()) as { cid?: unknown; value?: unknown };
    if (typeof body.cid !== 'string' || !body.value || typeof body.value !== 'object') return null;
    return { cid: body.cid, value: body.value as Record<string, unknown> };
  }

  /** Our DID, once known. */
  get did(): string | null {
    return this.#ourDid;
  }

  /** The CursorStore key holding the stream position (one per service host: seqs are per service). */
  get cursorKey(): string {
    return this.#cursorKey;
  }

  async start(sink: MentionSink): Promise<void> {
    if (this.#loop) throw new Error('Bluesky connector already started');
    const abort = new AbortController();
    this.#abort = abort;
    const stored = parseSeq(await this.#opts.cursorStore.get(this.#cursorKey));
    this.#storedSeq = stored;
    this.#handledSeq = stored ?? this.#opts.startCursor ?? null;
    const running = Promise.withResolvers<void>();
    this.#loop = this.#run(sink, abort.signal, running.resolve);
    const checkEvery = this.#opts.sessionCheckMs ?? 600_000;
    this.#sessionTimer = setInterval(() => void this.#session.keepFresh(), checkEvery);
    this.#sessionTimer.unref();
    const timeout = setTimeout(running.resolve, this.#opts.startTimeoutMs ?? 10_000);
    await running.promise;
    clearTimeout(timeout);
  }

  async stop(): Promise<void> {
    if (this.#sessionTimer) clearInterval(this.#sessionTimer);
    this.#sessionTimer = null;
    this.#abort?.abort(new Error('connector stopped'));
    await this.#loop;
    this.#loop = null;
    this.#abort = null;
    this.#connected = false;
    await this.#storeCursor(true).catch((err: unknown) =>
      this.#log.warn({ err: describe(err) }, 'could not store the Bluesky cursor on stop'),
    );
  }

  health(): ConnectorHealth {
    const session = this.#session.state();
    return {
      network: 'bluesky',
      name: this.name,
      status: this.#status(session.tokenValid),
      lastEventAt: this.#lastEventAt,
      cursor: this.#handledSeq === null ? null : String(this.#handledSeq),
      tokenValid: session.tokenValid,
      // The app password does not expire; the session it opens is renewed here before it lapses, so its
      // expiry is no admin's business (shown apart, for diagnosis).
      tokenExpiresAt: null,
      sessionExpiresAt: session.sessionExpiresAt,
      errorStreak: this.#errorStreak,
      lastError: this.#lastError ?? session.lastError,
      hint:
        this.#hint ??
        (session.tokenValid === false
          ? 'The Bluesky app password was refused: create a new one (Bluesky → Settings → Privacy and security → App passwords) and set BLUESKY_APP_PASSWORD. Mentions still arrive; replies cannot be posted.'
          : null),
    };
  }

  async backfill(since: Date, sink: MentionSink): Promise<number> {
    const ourDid = this.#ourDid ?? (await this.#resolveOurDid());
    const backfill = this.#opts.backfill ?? {};
    const candidates = new Set<string>([...(backfill.authors ?? []), ...this.#seenAuthors]);
    if (backfill.serviceRepos) {
      for (const did of await listServiceRepos(this.#fetch, this.#httpUrl, backfill.maxRepos ?? 1000)) {
        candidates.add(did);
      }
    }
    const source = { fetch: this.#fetch, pdsOf: (did: string) => this.#pdsOf(did) };
    let count = 0;
    for (const did of candidates) {
      if (this.#isOwn(did, ourDid)) continue;
      const mentions: Mention[] = [];
      for await (const post of postsSince(source, did, since)) {
        const kind = classifyPost(post.record, did, ourDid);
        if (!kind) continue;
        const mention = await this.#toMention(did, kind, {
          ...post,
          fallbackCreatedAt: new Date().toISOString(),
          source: { backfill: true },
        });
        if (mention) mentions.push(mention);
      }
      if (mentions.length > 0) {
        await sink.accept(mentions);
        count += mentions.length;
      }
    }
    return count;
  }

  async #run(sink: MentionSink, signal: AbortSignal, running: () => void): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      try {
        if (!this.#ourDid) {
          this.#ourDid = await this.#resolveOurDid();
          if (this.#failureKind === 'identity') this.#recover();
        }
        await this.#consume(sink, signal, running, () => (attempt = 0));
      } catch (err) {
        if (signal.aborted) break;
        this.#connected = false;
        this.#fail(err);
        running();
        await sleep(backoffMs(attempt++, this.#opts.backoff), signal);
      }
    }
  }

  async #consume(sink: MentionSink, signal: AbortSignal, running: () => void, progressed: () => void) {
    const stream = repoStream({
      serviceUrl: this.#wsUrl,
      getCursor: () => this.#handledSeq,
      signal,
      maxReconnectSeconds: Math.ceil((this.#opts.backoff?.maxMs ?? 60_000) / 1000),
      onConnect: () => {
        this.#connected = true;
        if (this.#failureKind === 'connection') this.#recover();
        this.#log.info({ cursor: this.#handledSeq }, 'Bluesky stream connected');
        running();
      },
      onReconnect: (error, attempt) => {
        this.#connected = false;
        this.#noteFailure('connection', error);
        this.#log.warn({ err: describe(error), attempt }, 'Bluesky stream reconnecting');
        running();
      },
    });
    for await (const event of stream) {
      this.#lastEventAt = new Date().toISOString();
      if (event.type === 'info') {
        this.#log.warn({ name: event.name, message: event.message }, 'Bluesky stream info');
        if (event.name === 'OutdatedCursor') {
          this.#hint = `The stored cursor was older than ${this.#httpUrl} keeps: events in between were skipped. Run a backfill for that period.`;
        }
        continue;
      }
      if (event.type === 'identity') this.#authors.invalidate(event.did);
      const mentions = event.type === 'commit' ? await this.#mentionsOf(event.commit) : [];
      if (mentions.length > 0) {
        await sink.accept(mentions);
        this.#handledSeq = event.seq;
        await this.#storeCursor(true);
        for (const m of mentions) this.#rememberAuthor(m.author.id);
        this.#log.info({ count: mentions.length, seq: event.seq }, 'Bluesky mentions accepted');
      } else {
        this.#handledSeq = event.seq;
        await this.#storeCursor(false);
      }
      if (this.#failureKind === 'processing') this.#recover();
      progressed();
    }
  }

  /** The mentions in one commit (zero or more posts); throws only on transient trouble. */
  async #mentionsOf(commit: CommitMessage): Promise<Mention[]> {
    const ourDid = this.#ourDid;
    if (!ourDid || this.#isOwn(commit.repo, ourDid)) return [];
    const isPost = (collection: string) => collection === POST_COLLECTION;
    if (!commit.ops.some((op) => op.action === 'create' && op.path.startsWith(`${POST_COLLECTION}/`)))
      return [];
    // Cheap look first; the signature check (a DID-document lookup) only for commits that concern us.
    let unverified: Awaited<ReturnType<typeof parseCommitUnauthenticated>>;
    try {
      unverified = await parseCommitUnauthenticated(commit, isPost);
    } catch (err) {
      // Decoding reads only the commit's own bytes: what fails now fails on every replay, so the commit
      // is refused (e.g. a record nested too deep for the CBOR decoder) and the stream moves on.
      this.#refuse({
        network: 'bluesky',
        id: `at://${commit.repo}`,
        kind: err instanceof RangeError ? 'too_deep' : 'malformed',
        reason: `commit ${commit.seq} of ${commit.repo} could not be decoded: ${describe(err)}`,
      });
      return [];
    }
    const concerns = unverified.some(
      (e) => e.event === 'create' && this.#kindOf(e.record, e.did, ourDid) !== null,
    );
    if (!concerns) return [];
    let verified: Awaited<ReturnType<typeof parseCommitAuthenticated>>;
    try {
      verified = await parseCommitAuthenticated(this.#idResolver, commit, isPost);
    } catch (err) {
      if (!isPermanentVerificationError(err)) throw err;
      this.#log.warn(
        { err: describe(err), repo: commit.repo, seq: commit.seq },
        'unverifiable Bluesky commit skipped',
      );
      return [];
    }
    const mentions: Mention[] = [];
    for (const evt of verified) {
      if (evt.event !== 'create') continue;
      const record = PostRecord.safeParse(evt.record);
      if (!record.success) continue;
      const kind = classifyPost(record.data, evt.did, ourDid);
      if (!kind) continue;
      // lexToJson walks the record recursively: a record too deep to keep is refused before it.
      const problem = payloadProblem(evt.record);
      if (problem) {
        this.#refuse({
          network: 'bluesky',
          id: evt.uri.toString(),
          kind: problem.kind,
          reason: `record: ${problem.message}`,
        });
        continue;
      }
      const mention = await this.#toMention(evt.did, kind, {
        uri: evt.uri.toString(),
        cid: evt.cid.toString(),
        record: record.data,
        rawRecord: lexToJson(evt.record),
        fallbackCreatedAt: commit.time,
        source: { seq: commit.seq },
      });
      if (mention) mentions.push(mention);
    }
    return mentions;
  }

  #kindOf(record: unknown, did: string, ourDid: string): BlueskyMentionKind | null {
    const parsed = PostRecord.safeParse(record);
    return parsed.success ? classifyPost(parsed.data, did, ourDid) : null;
  }

  async #toMention(did: string, kind: BlueskyMentionKind, post: PostToMap): Promise<Mention | null> {
    const author = await this.#authors.resolve(did);
    try {
      return toMention(post, author, kind, this.#webUrl);
    } catch (err) {
      // A record we cannot map must not block the stream; it is refused with the reason.
      const rejection = rejectionOf(err, 'bluesky', post.uri);
      if (rejection) this.#refuse(rejection);
      else
        this.#log.warn(
          { err: describe(err), uri: post.uri },
          'Bluesky post could not be mapped to a mention',
        );
      return null;
    }
  }

  #refuse(rejection: Rejection): void {
    if (this.#opts.rejections) this.#opts.rejections.record(this.name, [rejection]);
    else this.#log.warn({ itemId: rejection.id, reason: rejection.reason }, 'Bluesky post refused');
  }

  async #resolveOurDid(): Promise<string> {
    const did = (await this.#session.login()) ?? (await this.#session.resolveHandle(this.#opts.handle));
    if (!did) {
      throw new ConnectorFailure(
        'identity',
        `Could not resolve our Bluesky handle ${this.#opts.handle}`,
        `Check BLUESKY_HANDLE and that ${this.#opts.pdsUrl} (BLUESKY_PDS_URL) is reachable.`,
      );
    }
    return did;
  }

  async #pdsOf(did: string): Promise<string | null> {
    const doc = await this.#idResolver.did.resolve(did).catch(() => null);
    return doc ? (parseToAtprotoDocument(doc).pds ?? null) : null;
  }

  #isOwn(did: string, ourDid: string): boolean {
    return did === ourDid || (this.#opts.ownAccounts?.isOwn('bluesky', did) ?? false);
  }

  #rememberAuthor(did: string): void {
    this.#seenAuthors.delete(did);
    this.#seenAuthors.add(did);
    if (this.#seenAuthors.size > MAX_SEEN_AUTHORS) {
      const oldest = this.#seenAuthors.values().next();
      if (!oldest.done) this.#seenAuthors.delete(oldest.value);
    }
  }

  async #storeCursor(now: boolean): Promise<void> {
    const seq = this.#handledSeq;
    if (seq === null || seq === this.#storedSeq) return;
    if (!now && Date.now() - this.#lastStoreAt < (this.#opts.cursorFlushMs ?? 5000)) return;
    await this.#opts.cursorStore.set(this.#cursorKey, String(seq));
    this.#storedSeq = seq;
    this.#lastStoreAt = Date.now();
  }

  #fail(err: unknown): void {
    const kind =
      err instanceof ConnectorFailure
        ? err.kind
        : err instanceof StreamErrorFrame
          ? 'connection'
          : 'processing';
    this.#noteFailure(kind, err);
    this.#log.warn(
      { err: describe(err), errorStreak: this.#errorStreak },
      'Bluesky connector failure; retrying',
    );
  }

  #noteFailure(kind: FailureKind, err: unknown): void {
    this.#errorStreak += 1;
    this.#failureKind = kind;
    this.#lastError = describe(err);
    this.#hint = hintFor(kind, err, this.#httpUrl, this.#cursorKey);
  }

  #recover(): void {
    this.#errorStreak = 0;
    this.#failureKind = null;
    this.#lastError = null;
    this.#hint = null;
  }

  #status(tokenValid: boolean | null): ConnectorHealth['status'] {
    if (!this.#loop) return 'idle';
    if (!this.#ourDid || (!this.#connected && this.#errorStreak >= 3)) return 'down';
    if (this.#errorStreak > 0 || !this.#connected || tokenValid === false) return 'degraded';
    return 'ok';
  }
}

class ConnectorFailure extends Error {
  readonly kind: FailureKind;
  readonly hint: string;
  constructor(kind: FailureKind, message: string, hint: string) {
    super(message);
    this.name = 'ConnectorFailure';
    this.kind = kind;
    this.hint = hint;
  }
}

function hintFor(kind: FailureKind, err: unknown, serviceUrl: string, cursorKey: string): string {
  if (err instanceof ConnectorFailure) return err.hint;
  if (err instanceof StreamErrorFrame) {
    if (err.code === 'FutureCursor') {
      return `The stored cursor is ahead of ${serviceUrl}: the service was reset or BLUESKY_FIREHOSE_URL now points elsewhere. Delete the cursor "${cursorKey}" to resume from the live stream, then run a backfill.`;
    }
    if (err.code === 'ConsumerTooSlow') {
      return 'The relay dropped us for reading too slowly: check the intake queue latency and the CPU of the sync server.';
    }
  }
  if (kind === 'connection') {
    return `Cannot stream from ${serviceUrl} (subscribeRepos over WebSocket): check BLUESKY_FIREHOSE_URL and outbound network access. Retrying with backoff.`;
  }
  return 'Handling a Bluesky event failed (see lastError), e.g. the intake queue refused mentions; the stream is replayed from the cursor after a backoff, so nothing is lost.';
}

/** A forged or broken commit (bad signature, unknown DID) is skipped; anything else is retried. */
function isPermanentVerificationError(err: unknown): boolean {
  const name = (err as { constructor?: { name?: string } } | null)?.constructor?.name;
  return (
    name === 'RepoVerificationError' ||
    name === 'DidNotFoundError' ||
    name === 'PoorlyFormattedDidError' ||
    name === 'PoorlyFormattedDidDocumentError' ||
    name === 'UnsupportedDidMethodError'
  );
}

function parseSeq(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/** Exponential backoff with ±50 % jitter, so many instances do not reconnect in step. */
export function backoffMs(attempt: number, opts: { minMs?: number; maxMs?: number } = {}): number {
  const min = opts.minMs ?? 1000;
  const max = opts.maxMs ?? 60_000;
  const base = Math.min(max, min * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.5 + Math.random()));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
