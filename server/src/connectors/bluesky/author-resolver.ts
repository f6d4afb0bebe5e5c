/**
 * Who wrote a post, from the author's DID alone: the DID document (PLC / did:web, via
 * `@atproto/identity`) gives the claimed handle and the author's PDS; the handle counts only if it
 * resolves back to the same DID (otherwise anyone could claim `nike.com`), else the DID stands in for
 * it; the profile record (`app.bsky.actor.profile/self`) comes from the author's own PDS.
 * Follower counts need an AppView, so they stay null here.
 */
import { parseToAtprotoDocument } from '@atproto/identity';
import type { IdResolver } from '@atproto/identity';
import { z } from 'zod';
import type { Author } from '../../domain/mention.ts';

export interface AuthorResolverOptions {
  idResolver: IdResolver;
  /** Handle → DID, or null when it does not resolve. Used for the bidirectional handle check. */
  resolveHandle: (handle: string) => Promise<string | null>;
  /** For the author's PDS (a URL taken from a DID document: pass an SSRF-safe fetch in production). */
  fetch: typeof globalThis.fetch;
  /** e.g. `https://bsky.app`, for profile links. */
  webUrl: string;
  /** How long a resolved author is reused (default 1 h; partial results 1 min). */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

const ProfileRecord = z.object({
  value: z.object({
    displayName: z.string().optional(),
    description: z.string().optional(),
    avatar: z.object({ ref: z.object({ $link: z.string() }) }).optional(),
  }),
});

interface CacheEntry {
  author: Author;
  expiresAt: number;
}

const PARTIAL_TTL_MS = 60_000;

export class AuthorResolver {
  readonly #opts: AuthorResolverOptions;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #inFlight = new Map<string, Promise<Author>>();

  constructor(opts: AuthorResolverOptions) {
    this.#opts = opts;
  }

  /** Never throws: what cannot be resolved is left empty (handle falls back to the DID). */
  async resolve(did: string): Promise<Author> {
    const now = this.#now();
    const hit = this.#cache.get(did);
    if (hit && hit.expiresAt > now) return hit.author;
    const pending = this.#inFlight.get(did);
    if (pending) return pending;
    const promise = this.#load(did).finally(() => this.#inFlight.delete(did));
    this.#inFlight.set(did, promise);
    return promise;
  }

  /** Forget an author, e.g. after an `#identity` event (handle or PDS changed). */
  invalidate(did: string): void {
    this.#cache.delete(did);
    void this.#opts.idResolver.did.cache?.clearEntry(did);
  }

  async #load(did: string): Promise<Author> {
    let complete = true;
    let handle: string | null = null;
    let pds: string | null = null;
    try {
      const doc = await this.#opts.idResolver.did.resolve(did);
      if (doc) {
        const data = parseToAtprotoDocument(doc);
        pds = data.pds ?? null;
        if (data.handle && (await this.#verifyHandle(data.handle, did))) handle = data.handle;
      }
    } catch {
      complete = false;
    }
    let profile: z.infer<typeof ProfileRecord>['value'] = {};
    if (pds) {
      try {
        profile = await this.#profile(pds, did);
      } catch {
        complete = false;
      }
    }
    const shownHandle = handle ?? did;
    const author: Author = {
      id: did,
      handle: shownHandle,
      displayName: profile.displayName ?? '',
      followers: null,
      following: null,
      verified: false,
      profileUrl: `${this.#opts.webUrl}/profile/${shownHandle}`,
      bio: profile.description ?? '',
      avatarUrl:
        pds && profile.avatar
          ? `${pds}/xrpc/com.atproto.sync.getBlob?did=${encodeURIComponent(did)}&cid=${encodeURIComponent(profile.avatar.ref.$link)}`
          : null,
    };
    this.#remember(did, author, complete ? (this.#opts.ttlMs ?? 3_600_000) : PARTIAL_TTL_MS);
    return author;
  }

  async #verifyHandle(handle: string, did: string): Promise<boolean> {
    try {
      return (await this.#opts.resolveHandle(handle)) === did;
    } catch {
      return false;
    }
  }

  async #profile(pds: string, did: string): Promise<z.infer<typeof ProfileRecord>['value']> {
    const url = new URL('/xrpc/com.atproto.repo.getRecord', pds);
    url.searchParams.set('repo', did);
    url.searchParams.set('collection', 'app.bsky.actor.profile');
    url.searchParams.set('rkey', 'self');
    const res = await this.#opts.fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
    // No profile record is normal (a fresh account): an empty profile, not a failure.
    if (res.status === 400 || res.status === 404) {
      await res.body?.cancel();
      return {};
    }
    if (!res.ok) throw new Error(`getRecord profile ${res.status}`);
    const parsed = ProfileRecord.safeParse(await res.json());
    return parsed.success ? parsed.data.value : {};
  }

  #remember(did: string, author: Author, ttlMs: number): void {
    const max = this.#opts.maxEntries ?? 10_000;
    if (this.#cache.size >= max) {
      // Map keeps insertion order: drop the oldest entry.
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    this.#cache.set(did, { author, expiresAt: this.#now() + ttlMs });
  }

  #now(): number {
    return this.#opts.now?.() ?? Date.now();
  }
}
