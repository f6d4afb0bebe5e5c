/**
 * History the stream can no longer give: `subscribeRepos` replays by seq, not by time, and only within
 * the service's retention window, and nothing indexes "posts that mention X" without an AppView. So
 * backfill reads the post collections (`com.atproto.repo.listRecords`, newest first) of a set of
 * candidate authors from their own PDSes and classifies each post as the stream would.
 *
 * Limit, stated plainly: it finds only what the candidate authors wrote. Candidates are the configured
 * `authors`, the authors this process has already seen mention us, and (opt-in, for a single PDS or a
 * small relay) the repos the service lists via `com.atproto.sync.listRepos`, capped at `maxRepos`.
 * A stranger who mentioned us during an outage longer than the relay's window is not found.
 */
import { z } from 'zod';
import { PostRecord, POST_COLLECTION } from './post-mention.ts';

export interface BackfillSource {
  fetch: typeof globalThis.fetch;
  /** DID → the author's PDS URL, or null when it cannot be resolved. */
  pdsOf(did: string): Promise<string | null>;
}

export interface ListedPost {
  uri: string;
  cid: string;
  record: PostRecord;
  rawRecord: unknown;
}

const ListRecordsPage = z.object({
  cursor: z.string().optional(),
  records: z.array(z.object({ uri: z.string(), cid: z.string(), value: z.unknown() })),
});

const ListReposPage = z.object({
  cursor: z.string().optional(),
  repos: z.array(z.looseObject({ did: z.string() })),
});

const PAGE = 100;

/** The author's posts created at or after `since`, newest first (records with a bad createdAt are kept). */
export async function* postsSince(
  source: BackfillSource,
  did: string,
  since: Date,
): AsyncGenerator<ListedPost> {
  const pds = await source.pdsOf(did);
  if (!pds) return;
  let cursor: string | undefined;
  for (;;) {
    const url = new URL('/xrpc/com.atproto.repo.listRecords', pds);
    url.searchParams.set('repo', did);
    url.searchParams.set('collection', POST_COLLECTION);
    url.searchParams.set('limit', String(PAGE));
    if (cursor) url.searchParams.set('cursor', cursor);
    const page = ListRecordsPage.parse(await getJson(source.fetch, url));
    let older = 0;
    for (const item of page.records) {
      const record = PostRecord.safeParse(item.value);
      if (!record.success) continue;
      const created = Date.parse(record.data.createdAt);
      // createdAt is written by the client, so a few are out of order: stop only on a page that is
      // entirely older than `since`, not at the first old record.
      if (created < since.getTime()) {
        older += 1;
        continue;
      }
      yield { uri: item.uri, cid: item.cid, record: record.data, rawRecord: item.value };
    }
    if (!page.cursor || page.records.length === 0 || older === page.records.length) return;
    cursor = page.cursor;
  }
}

/** DIDs of the repos a PDS (or relay) hosts, up to `max`. */
export async function listServiceRepos(
  fetchFn: typeof globalThis.fetch,
  serviceHttpUrl: string,
  max: number,
): Promise<string[]> {
  const dids: string[] = [];
  let cursor: string | undefined;
  while (dids.length < max) {
    const url = new URL('/xrpc/com.atproto.sync.listRepos', serviceHttpUrl);
    url.searchParams.set('limit', String(Math.min(1000, max - dids.length)));
    if (cursor) url.searchParams.set('cursor', cursor);
    const page = ListReposPage.parse(await getJson(fetchFn, url));
    dids.push(...page.repos.map((r) => r.did));
    if (!page.cursor || page.repos.length === 0) break;
    cursor = page.cursor;
  }
  return dids.slice(0, max);
}

async function getJson(fetchFn: typeof globalThis.fetch, url: URL): Promise<unknown> {
  const res = await fetchFn(url, { redirect: 'error', signal: AbortSignal.timeout(15_000) });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`${url.pathname} answered ${res.status}`);
  }
  return res.json();
}
