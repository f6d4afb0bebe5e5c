/**
 * `npm start`'s social networks: the X, Meta and Mastodon stand-ins and a real local Bluesky network,
 * their addresses and demo credentials written to `$DATA_DIR/networks.json` for the sync server; once
 * the sync server answers, its webhooks are registered (X's CRC check, Meta's hub.challenge) and, with
 * DEMO_TRAFFIC=1, demo mentions start flowing.
 *
 * Environment: DATA_DIR, SYNC_SERVER_URL, DEV_ORG_URL, DEV_ORG_ACCESS_TOKEN, X_CONSUMER_SECRET,
 * META_APP_SECRET, META_VERIFY_TOKEN, DEMO_TRAFFIC, DEMO_TRAFFIC_EVERY_MS.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalBluesky } from './bluesky.ts';
import { DemoTraffic, type KnownCustomer } from './demo-traffic.ts';
import { startMastodonStandIn } from './mastodon.ts';
import { startMetaStandIn } from './meta.ts';
import { startXStandIn } from './x.ts';

// Started by `npm start` with an IPC channel: end with the supervisor however it ends (the channel closes
// even on kill -9). It may close while this process is still starting: then there is nothing to drain.
let whenSupervisorGone = (): void => process.exit(1);
process.on('disconnect', () => whenSupervisorGone());

const env = process.env;
const dataDir = resolve(env['DATA_DIR'] ?? './.data');
const serverUrl = env['SYNC_SERVER_URL'] ?? 'http://localhost:8787';
const devOrgUrl = env['DEV_ORG_URL'] ?? 'http://localhost:8788';
const orgToken = env['DEV_ORG_ACCESS_TOKEN'] ?? '00Ddev0000000000!local';

const x = await startXStandIn({
  consumerSecret: env['X_CONSUMER_SECRET'] ?? 'dev-x-secret',
  bearerToken: 'dev-x-bearer-token',
  userAccessToken: 'dev-x-user-token',
  ownUser: { username: 'acmeoutdoor', name: 'Acme Outdoor' },
});
const meta = await startMetaStandIn({
  appSecret: env['META_APP_SECRET'] ?? 'dev-meta-secret',
  verifyToken: env['META_VERIFY_TOKEN'] ?? 'dev-meta-verify',
  pageId: '100000000000001',
  pageToken: 'dev-meta-page-token',
  pageName: 'Acme Outdoor',
  instagramAccountId: '17841400000000001',
  instagramUsername: 'acmeoutdoor',
});
const mastodon = await startMastodonStandIn({
  accessToken: 'dev-mastodon-token',
  instanceHost: 'mastodon.social',
  ownAccount: { id: '109000000000000001', username: 'acmeoutdoor', display_name: 'Acme Outdoor' },
  // Ids grow across runs, as a real instance's do: the sync server's stored cursor stays meaningful.
  firstNotificationId: Date.now(),
});
const bluesky = await startLocalBluesky();
const brand = await bluesky.createAccount('acmeoutdoor.test');
const brandAppPassword = (await brand.agent.com.atproto.server.createAppPassword({ name: 'social-crm' })).data
  .password;
const blueskyAuthors = await Promise.all(
  ['mia.test', 'joe.test', 'lena.test'].map((h) => bluesky.createAccount(h)),
);

/**
 * The org's seeded demo posts exist on the local X and Mastodon too, so an agent can answer them from
 * the record page. (Seeded Bluesky, Facebook and Instagram posts have no counterpart there: replies to
 * them fail with the network's own "not found", as they would for a deleted post.)
 */
async function importSeededPosts(): Promise<number> {
  const soql =
    "SELECT Network__c, Network_Post_Id__c, Author_Handle__c, Body__c, Posted_At__c FROM Social_Post__c WHERE Is_Outbound__c = false AND Network__c IN ('x', 'mastodon') ORDER BY Posted_At__c LIMIT 2000";
  const res = await fetch(`${devOrgUrl}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, {
    headers: { Authorization: `Bearer ${orgToken}` },
  });
  if (!res.ok) return 0;
  const { records } = (await res.json()) as {
    records: {
      Network__c: string;
      Network_Post_Id__c: string | null;
      Author_Handle__c: string | null;
      Body__c: string | null;
      Posted_At__c: string | null;
    }[];
  };
  let imported = 0;
  for (const r of records) {
    const id = r.Network_Post_Id__c;
    const handle = (r.Author_Handle__c ?? '').replace(/^@/, '');
    if (!id || !handle || !r.Body__c) continue;
    const createdAt = r.Posted_At__c ? new Date(r.Posted_At__c) : new Date();
    if (r.Network__c === 'x' && /^\d+$/.test(id) && !x.tweet(id)) {
      await x.addMention({ author: handle, text: r.Body__c, id, createdAt, deliver: false });
      imported += 1;
    } else if (r.Network__c === 'mastodon' && /^\d+$/.test(id)) {
      const [username = handle, domain] = handle.split('@');
      if (username === 'acmeoutdoor') continue;
      mastodon.addMention({
        author: { username, ...(domain ? { domain } : {}) },
        text: r.Body__c,
        id,
        createdAt,
      });
      imported += 1;
    }
  }
  return imported;
}
const seeded = await importSeededPosts().catch(() => 0);

mkdirSync(dataDir, { recursive: true });
const networks = {
  X_API_URL: x.url,
  X_BEARER_TOKEN: 'dev-x-bearer-token',
  X_USER_ID: x.ownUser.id,
  X_USERNAME: x.ownUser.username,
  // Replies need our account's user-context token; X refuses posts made with the app-only one.
  X_USER_ACCESS_TOKEN: x.userAccessToken,
  META_GRAPH_URL: meta.url,
  META_PAGE_ACCESS_TOKEN: 'dev-meta-page-token',
  META_PAGE_ID: meta.pageId,
  INSTAGRAM_ACCOUNT_ID: meta.instagramAccountId,
  MASTODON_URL: mastodon.url,
  MASTODON_ACCESS_TOKEN: 'dev-mastodon-token',
  BLUESKY_HANDLE: brand.handle,
  BLUESKY_APP_PASSWORD: brandAppPassword,
  BLUESKY_PDS_URL: bluesky.pdsUrl,
  BLUESKY_FIREHOSE_URL: bluesky.pdsUrl,
  BLUESKY_PLC_URL: bluesky.plcUrl,
};
writeFileSync(
  join(dataDir, 'networks.json'),
  `${JSON.stringify({ pid: process.pid, env: networks }, null, 2)}\n`,
);
console.log(`X API stand-in         ${x.url}`);
console.log(`Meta Graph stand-in    ${meta.url}`);
console.log(`Mastodon stand-in      ${mastodon.url}`);
console.log(`Bluesky (local PDS)    ${bluesky.pdsUrl}  brand @${brand.handle}`);
console.log(`${seeded} seeded X and Mastodon posts exist on the local networks too (they can be answered)`);

async function waitForServer(): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`${serverUrl}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
}

/** Contacts with handles on the networks, so that demo mentions come from customers the CRM knows. */
async function knownCustomers(): Promise<KnownCustomer[]> {
  const soql = 'SELECT Name, Social_Handles__c FROM Contact ORDER BY Name LIMIT 200';
  const res = await fetch(`${devOrgUrl}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, {
    headers: { Authorization: `Bearer ${orgToken}` },
  });
  if (!res.ok) return [];
  const body = (await res.json()) as { records: { Name: string; Social_Handles__c: string | null }[] };
  return body.records
    .filter((r) => r.Social_Handles__c)
    .map((r) => ({
      name: r.Name,
      handles: r
        .Social_Handles__c!.split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    }));
}

await waitForServer();
await x.registerWebhook(`${serverUrl}/webhooks/x`);
await meta.registerWebhook(`${serverUrl}/webhooks/meta`);
console.log('webhooks registered with the sync server (X CRC check and Meta hub.challenge passed)');

let traffic: DemoTraffic | null = null;
if ((env['DEMO_TRAFFIC'] ?? '1') === '1') {
  traffic = new DemoTraffic(
    {
      x,
      meta,
      mastodon,
      bluesky: { brandHandle: brand.handle, authors: blueskyAuthors.map((a) => a.agent) },
    },
    await knownCustomers(),
    (line) => console.log(line),
  );
  traffic.start(Number(env['DEMO_TRAFFIC_EVERY_MS'] ?? 5000));
  console.log('demo traffic on: a mention every few seconds (DEMO_TRAFFIC=0 turns it off)');
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  traffic?.stop();
  await Promise.allSettled([x.close(), meta.close(), mastodon.close(), bluesky.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
whenSupervisorGone = () => void stop();
