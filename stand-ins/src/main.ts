/**
 * `npm start`'s social networks (demo-networks.ts): their addresses and demo credentials written to
 * `$DATA_DIR/networks.json` for the sync server; once the sync server answers, its webhooks are
 * registered (X's CRC check, Meta's hub.challenge) and, with DEMO_TRAFFIC=1, the demo week starts.
 *
 * Environment: DATA_DIR, SYNC_SERVER_URL, DEV_ORG_URL, DEV_ORG_ACCESS_TOKEN, X_CONSUMER_SECRET,
 * META_APP_SECRET, META_VERIFY_TOKEN, DEMO_TRAFFIC, DEMO_TRAFFIC_EVERY_MS.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDemoNetworks } from './demo-networks.ts';
import type { DemoTraffic } from './demo-traffic.ts';

// Started by `npm start` with an IPC channel: end with the supervisor however it ends (the channel closes
// even on kill -9). It may close while this process is still starting: then there is nothing to drain.
let whenSupervisorGone = (): void => process.exit(1);
process.on('disconnect', () => whenSupervisorGone());

const env = process.env;
const dataDir = resolve(env['DATA_DIR'] ?? './.data');
const serverUrl = env['SYNC_SERVER_URL'] ?? 'http://localhost:8787';

const networks = await startDemoNetworks({
  org: {
    url: env['DEV_ORG_URL'] ?? 'http://localhost:8788',
    accessToken: env['DEV_ORG_ACCESS_TOKEN'] ?? '00Ddev0000000000!local',
  },
  xConsumerSecret: env['X_CONSUMER_SECRET'] ?? 'dev-x-secret',
  metaAppSecret: env['META_APP_SECRET'] ?? 'dev-meta-secret',
  metaVerifyToken: env['META_VERIFY_TOKEN'] ?? 'dev-meta-verify',
  log: (line) => console.log(line),
});

mkdirSync(dataDir, { recursive: true });
writeFileSync(
  join(dataDir, 'networks.json'),
  `${JSON.stringify({ pid: process.pid, env: networks.env }, null, 2)}\n`,
);
const known = networks.cast.filter((p) => p.kind !== 'stranger').length;
console.log(`X API stand-in         ${networks.x.url}`);
console.log(`Meta Graph stand-in    ${networks.meta.url}`);
console.log(`Mastodon stand-in      ${networks.mastodon.url}`);
console.log(`Bluesky (local PDS)    ${networks.bluesky.pdsUrl}  brand @${networks.brand.handle}`);
console.log(
  `${networks.seededPosts} seeded X and Mastodon posts exist on the local networks too (they can be answered)`,
);
console.log(
  `demo cast: ${known} people the CRM knows and ${networks.cast.length - known} strangers, each with their own accounts`,
);

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

await waitForServer();
await networks.x.registerWebhook(`${serverUrl}/webhooks/x`);
await networks.meta.registerWebhook(`${serverUrl}/webhooks/meta`);
console.log('webhooks registered with the sync server (X CRC check and Meta hub.challenge passed)');

let traffic: DemoTraffic | null = null;
if ((env['DEMO_TRAFFIC'] ?? '1') === '1') {
  traffic = networks.traffic((line) => console.log(line));
  traffic.start(Number(env['DEMO_TRAFFIC_EVERY_MS'] ?? 5000));
  console.log(
    'demo traffic on: a week of Acme Outdoor on social networks, a post every few seconds (DEMO_TRAFFIC=0 turns it off)',
  );
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  traffic?.stop();
  await networks.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
whenSupervisorGone = () => void stop();
