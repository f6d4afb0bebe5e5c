/**
 * The embedded default's social networks, ready for the sync server: the X, Meta and Mastodon
 * stand-ins and a real local Bluesky network, all on 127.0.0.1; the demo cast's accounts on each (with
 * the ids and names the org already knows them by); the org's seeded X and Mastodon posts; and the
 * settings the sync server needs (`env`): an app-only token for X polling, our account's user-context
 * token for X replies.
 *
 * The local Bluesky network is new at every start, so its accounts get new DIDs: the org's Bluesky
 * personas of those handles are moved to the new DIDs, so a person stays one persona.
 */
import type { AtpAgent } from '@atproto/api';
import { startLocalBluesky, type LocalAccount, type LocalBluesky } from './bluesky.ts';
import { demoCast, knownCast, normalizeHandle, type DemoPerson, type OrgPersona } from './demo-cast.ts';
import { DemoTraffic } from './demo-traffic.ts';
import { DEMO_WEEK } from './demo-week.ts';
import { startMastodonStandIn, type MastodonStandIn } from './mastodon.ts';
import { startMetaStandIn, type MetaStandIn } from './meta.ts';
import { readPeople, readPersonas, readSeededPosts, rekeyPersona, type OrgConnection } from './org-people.ts';
import { startXStandIn, type XStandIn } from './x.ts';

export interface DemoNetworksOptions {
  org: OrgConnection;
  xConsumerSecret: string;
  metaAppSecret: string;
  metaVerifyToken: string;
  log?: (line: string) => void;
}

export interface DemoNetworks {
  x: XStandIn;
  meta: MetaStandIn;
  mastodon: MastodonStandIn;
  bluesky: LocalBluesky;
  /** Our brand's Bluesky account. */
  brand: LocalAccount;
  cast: readonly DemoPerson[];
  /** Logged-in agents of the cast's Bluesky accounts, by handle. */
  blueskyAgents: ReadonlyMap<string, AtpAgent>;
  /** The sync server's settings for these networks (`X_API_URL`, `X_BEARER_TOKEN`, …). */
  env: Record<string, string>;
  /** How many of the org's X and Mastodon posts the local networks carry too. */
  seededPosts: number;
  /** Demo traffic through these networks, the demo week by the cast. */
  traffic(log: (line: string) => void): DemoTraffic;
  close(): Promise<void>;
}

export const BRAND = {
  name: 'Acme Outdoor',
  username: 'acmeoutdoor',
  blueskyHandle: 'acmeoutdoor.bsky.social',
  mastodonInstance: 'mastodon.social',
  pageId: '100000000000001',
  instagramAccountId: '17841400000000001',
} as const;

const X_APP_TOKEN = 'dev-x-bearer-token';
const X_USER_TOKEN = 'dev-x-user-token';
const MASTODON_TOKEN = 'dev-mastodon-token';
const META_PAGE_TOKEN = 'dev-meta-page-token';

export async function startDemoNetworks(options: DemoNetworksOptions): Promise<DemoNetworks> {
  const log = options.log ?? (() => {});
  const x = await startXStandIn({
    consumerSecret: options.xConsumerSecret,
    bearerToken: X_APP_TOKEN,
    userAccessToken: X_USER_TOKEN,
    ownUser: { username: BRAND.username, name: BRAND.name },
  });
  const meta = await startMetaStandIn({
    appSecret: options.metaAppSecret,
    verifyToken: options.metaVerifyToken,
    pageId: BRAND.pageId,
    pageToken: META_PAGE_TOKEN,
    pageName: BRAND.name,
    instagramAccountId: BRAND.instagramAccountId,
    instagramUsername: BRAND.username,
  });
  const mastodon = await startMastodonStandIn({
    accessToken: MASTODON_TOKEN,
    instanceHost: BRAND.mastodonInstance,
    ownAccount: { id: '109000000000000001', username: BRAND.username, display_name: BRAND.name },
    // Ids grow across runs, as a real instance's do: the sync server's stored cursor stays meaningful.
    firstNotificationId: Date.now(),
  });
  const bluesky = await startLocalBluesky();
  const brand = await bluesky.createAccount(BRAND.blueskyHandle, { displayName: BRAND.name });
  const brandAppPassword = (await brand.agent.com.atproto.server.createAppPassword({ name: 'social-crm' }))
    .data.password;

  const [people, personas] = await Promise.all([readPeople(options.org), readPersonas(options.org)]).catch(
    (error: unknown) => {
      log(`demo cast: the org could not be read (${(error as Error).message}); only strangers will post`);
      return [[], []] as const;
    },
  );
  const cast = demoCast(knownCast(people, personas));

  for (const person of cast) {
    for (const account of person.accounts) {
      if (account.network === 'x') {
        x.addUser({
          username: account.handle,
          name: account.displayName,
          ...(account.userId ? { id: account.userId } : {}),
          followers_count: account.followers,
          verified: account.verified,
          description: account.bio,
        });
      } else if (account.network === 'mastodon') {
        const [username = account.handle, domain] = account.handle.split('@');
        mastodon.addAccount({
          username,
          ...(domain ? { domain } : {}),
          ...(account.userId ? { id: account.userId } : {}),
          display_name: account.displayName,
          followers_count: account.followers,
          note: account.bio,
        });
      }
    }
  }

  const blueskyAgents = new Map<string, AtpAgent>();
  const blueskyAccounts = cast.flatMap((p) => p.accounts.filter((a) => a.network === 'bluesky'));
  // Four at a time: each account is a PLC operation and a repo commit on the local PDS; one by one, the
  // demo cast's accounts were most of the first start's wait (30 accounts: 14 s serially, 5 s four at a time).
  await forEachConcurrently(blueskyAccounts, 4, async (account) => {
    try {
      const local = await bluesky.createAccount(account.handle, {
        displayName: account.displayName,
        description: account.bio,
      });
      blueskyAgents.set(account.handle, local.agent);
      const persona =
        personas.find(
          (p) =>
            p.network === 'bluesky' &&
            p.handle &&
            normalizeHandle('bluesky', p.handle) === account.handle &&
            p.personId,
        ) ??
        personas.find(
          (p) =>
            p.network === 'bluesky' && p.handle && normalizeHandle('bluesky', p.handle) === account.handle,
        );
      const externalId = `bluesky:${local.did}`;
      if (persona && persona.externalId !== externalId)
        await rekeyPersona(options.org, persona.id, externalId);
    } catch (error) {
      // A handle on a domain of its own cannot live on the local PDS: that account does not post.
      log(`demo cast: no local Bluesky account for ${account.handle} (${(error as Error).message})`);
    }
  });

  const seededPosts = await importSeededPosts(options.org, personas, x, mastodon).catch((error: unknown) => {
    log(`the org's seeded posts could not be read (${(error as Error).message})`);
    return 0;
  });

  const env = {
    X_API_URL: x.url,
    X_BEARER_TOKEN: X_APP_TOKEN,
    X_USER_ID: x.ownUser.id,
    X_USERNAME: x.ownUser.username,
    // Replies need our account's user-context token; X refuses posts made with the app-only one.
    X_USER_ACCESS_TOKEN: x.userAccessToken,
    META_GRAPH_URL: meta.url,
    META_PAGE_ACCESS_TOKEN: META_PAGE_TOKEN,
    META_PAGE_ID: meta.pageId,
    INSTAGRAM_ACCOUNT_ID: meta.instagramAccountId,
    MASTODON_URL: mastodon.url,
    MASTODON_ACCESS_TOKEN: MASTODON_TOKEN,
    BLUESKY_HANDLE: brand.handle,
    BLUESKY_APP_PASSWORD: brandAppPassword,
    BLUESKY_PDS_URL: bluesky.pdsUrl,
    BLUESKY_FIREHOSE_URL: bluesky.pdsUrl,
    BLUESKY_PLC_URL: bluesky.plcUrl,
    // The local network has a PDS and no AppView: nothing counts Bluesky likes, so they are not re-read.
    ENGAGEMENT_REFRESH: process.env['ENGAGEMENT_REFRESH'] ?? '{"blueskyAppView":"off"}',
  };

  let closed = false;
  return {
    x,
    meta,
    mastodon,
    bluesky,
    brand,
    cast,
    blueskyAgents,
    env,
    seededPosts,
    traffic: (trafficLog) =>
      new DemoTraffic(
        { x, meta, mastodon, bluesky: { brandHandle: brand.handle, agents: blueskyAgents } },
        cast,
        DEMO_WEEK,
        trafficLog,
      ),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([x.close(), meta.close(), mastodon.close(), bluesky.close()]);
    },
  };
}

/**
 * The org's seeded X and Mastodon posts exist on the local networks too, by the accounts the cast
 * registered, so an agent can answer them from the record page. (Seeded Bluesky, Facebook and
 * Instagram posts have no counterpart there: replies to them fail with the network's own "not found",
 * as they would for a deleted post.)
 */
async function importSeededPosts(
  org: OrgConnection,
  personas: readonly OrgPersona[],
  x: XStandIn,
  mastodon: MastodonStandIn,
): Promise<number> {
  /** The id and name the org knows an author by (accounts of the cast are registered already). */
  const known = (network: 'x' | 'mastodon', handle: string): { id?: string; name?: string } => {
    const persona = personas.find(
      (p) => p.network === network && p.handle !== null && normalizeHandle(network, p.handle) === handle,
    );
    const id = persona?.externalId.slice(network.length + 1);
    return {
      ...(id && /^\d+$/.test(id) ? { id } : {}),
      ...(persona?.displayName ? { name: persona.displayName } : {}),
    };
  };
  let imported = 0;
  for (const post of await readSeededPosts(org)) {
    if (!/^\d+$/.test(post.postId)) continue;
    const createdAt = post.postedAt ? new Date(post.postedAt) : new Date();
    if (post.network === 'x' && !x.tweet(post.postId)) {
      const username = normalizeHandle('x', post.authorHandle);
      const { id, name } = known('x', username);
      await x.addMention({
        author: { username, ...(id ? { id } : {}), ...(name ? { name } : {}) },
        text: post.body,
        id: post.postId,
        createdAt,
        deliver: false,
      });
      imported += 1;
    } else if (post.network === 'mastodon') {
      const handle = normalizeHandle('mastodon', post.authorHandle);
      const [username = '', domain] = handle.split('@');
      if (username === BRAND.username && domain === BRAND.mastodonInstance) continue;
      const { id, name } = known('mastodon', handle);
      mastodon.addMention({
        author: {
          username,
          ...(domain ? { domain } : {}),
          ...(id ? { id } : {}),
          ...(name ? { display_name: name } : {}),
        },
        text: post.body,
        id: post.postId,
        createdAt,
      });
      imported += 1;
    }
  }
  return imported;
}

/** Runs `work` on every item, at most `limit` at a time; resolves when all have finished. */
async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
