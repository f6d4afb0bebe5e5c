/**
 * The embedded default's networks as `npm start` runs them (demo-networks.ts), with the seeded dev org
 * and the sync server configured from what they hand it: every listener on loopback, X tokens of the
 * right kind, and a whole demo week played through the real paths into the CRM, each mention on the
 * right person's record, no persona twice, no Lead named like a Contact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import { ApiResponseError, TwitterApi, TwitterApiv2 } from 'twitter-api-v2';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { loadConfig, startSyncServer, type SyncServer } from '@socialcrm/server';
import { normalizeHandle, type DemoNetwork } from '../src/demo-cast.ts';
import { startDemoNetworks, type DemoNetworks } from '../src/demo-networks.ts';
import type { PlayedBeat } from '../src/demo-traffic.ts';
import { DEMO_WEEK } from '../src/demo-week.ts';

const SECRETS = { xConsumerSecret: 'x-secret', metaAppSecret: 'meta-secret', metaVerifyToken: 'meta-verify' };

/** Polls `probe` until `done` holds, with a generous deadline for a busy machine. */
async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** twitter-api-v2's v2 client pointed at the stand-in. */
class StandInClient extends TwitterApiv2 {
  constructor(token: string, baseUrl: string) {
    super(new TwitterApi(token, { httpAgent: new HttpAgent() }));
    this.setPrefix(`${baseUrl}/2/`);
  }
}

const fold = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

describe('the embedded default’s networks (npm start)', function () {
  this.timeout(240_000);
  let org: DevOrg;
  let networks: DemoNetworks;
  let server: SyncServer;
  let conn: Connection;
  let dataDir: string;

  before(async () => {
    org = await startDevOrg({ seed: true });
    const orgConnection = { url: org.url, accessToken: org.accessToken };
    networks = await startDemoNetworks({ org: orgConnection, ...SECRETS });
    dataDir = mkdtempSync(join(tmpdir(), 'socialcrm-demo-'));
    server = await startSyncServer(
      loadConfig({
        PORT: '0',
        SF_INSTANCE_URL: org.url,
        SF_ACCESS_TOKEN: org.accessToken,
        X_CONSUMER_SECRET: SECRETS.xConsumerSecret,
        META_APP_SECRET: SECRETS.metaAppSecret,
        META_VERIFY_TOKEN: SECRETS.metaVerifyToken,
        DATA_DIR: dataDir,
        ...networks.env,
      }),
      { sync: { flushWindowMs: 100, pauseMinMs: 100, pauseMaxMs: 1000 } },
    );
    await networks.x.registerWebhook(`${server.url}/webhooks/x`);
    await networks.meta.registerWebhook(`${server.url}/webhooks/meta`);
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
  });

  after(async () => {
    await server?.close();
    await networks?.close();
    await org?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on loopback only: every server in the process, the Bluesky PDS and PLC included', () => {
    // Node keeps no public list of servers; its handle list is where every listening socket shows up.
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
    const listening = handles.filter((h): h is Server => h instanceof Server && h.listening);
    const addresses = listening.map((s) => s.address()).filter((a) => a !== null && typeof a === 'object');
    const ports = addresses.map((a) => a.port);
    for (const url of [
      networks.x.url,
      networks.meta.url,
      networks.mastodon.url,
      networks.bluesky.pdsUrl,
      networks.bluesky.plcUrl,
    ]) {
      expect(ports, url).to.include(Number(new URL(url).port));
    }
    for (const address of addresses) {
      expect(['127.0.0.1', '::1'], `a server listens on ${address.address}:${address.port}`).to.include(
        address.address,
      );
    }
  });

  it('hands the sync server an app-only X token for polling and a user-context token for replies', async () => {
    const {
      X_BEARER_TOKEN: appToken = '',
      X_USER_ACCESS_TOKEN: userToken = '',
      X_USER_ID: ownId = '',
    } = networks.env;
    expect(userToken).to.not.equal(appToken);
    const app = new StandInClient(appToken, networks.x.url);
    const user = new StandInClient(userToken, networks.x.url);
    const mention = await networks.x.addMention({
      author: 'token_check',
      text: 'open on Sunday?',
      deliver: false,
    });

    expect((await app.userMentionTimeline(ownId)).tweets.map((t) => t.id)).to.include(mention.tweet.id);
    let refusal: unknown;
    await app
      .tweet('@token_check yes', { reply: { in_reply_to_tweet_id: mention.tweet.id } })
      .catch((e: unknown) => (refusal = e));
    expect(refusal).to.be.instanceOf(ApiResponseError);
    expect((refusal as ApiResponseError).data).to.deep.equal({
      title: 'Unsupported Authentication',
      detail:
        'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
      type: 'https://api.twitter.com/2/problems/unsupported-authentication',
      status: 403,
    });
    const sent = await user.tweet('@token_check yes, 10 to 6', {
      reply: { in_reply_to_tweet_id: mention.tweet.id },
    });
    expect(networks.x.sentTweets().map((t) => t.id)).to.include(sent.data.id);
  });

  it('plays a week of demo traffic into the CRM: each mention on its author’s record, no persona twice, no Lead named like a Contact', async () => {
    await eventually(
      async () => server.connectors.map((c) => ({ name: c.name, status: c.health().status })),
      (all) => all.length === 3 && all.every((c) => c.status === 'ok'),
      'the X, Mastodon and Bluesky connectors',
    );
    const traffic = networks.traffic(() => {});
    const played: PlayedBeat[] = [];
    for (let i = 0; i < DEMO_WEEK.length; i++) {
      const beat = await traffic.next();
      if (beat) played.push(beat);
    }
    expect(played.map((p) => p.beat.id)).to.deep.equal(DEMO_WEEK.map((b) => b.id));

    const externalIds = played.map((p) => `${p.network}:${p.postId}`);
    type PostRow = { External_Id__c: string; Contact__c: string | null; Lead__c: string | null };
    const posts = await eventually(
      async () =>
        (
          await conn.query<PostRow>(
            `SELECT External_Id__c, Contact__c, Lead__c FROM Social_Post__c WHERE External_Id__c IN (${externalIds
              .map((id) => `'${id}'`)
              .join(', ')})`,
          )
        ).records,
      (rows) => rows.length === played.length,
      `all ${played.length} demo mentions in the CRM`,
    ).catch(async (error: unknown) => {
      const found = new Set(
        (
          await conn.query<PostRow>(
            `SELECT External_Id__c FROM Social_Post__c WHERE External_Id__c IN (${externalIds.map((id) => `'${id}'`).join(', ')})`,
          )
        ).records.map((r) => r.External_Id__c),
      );
      const missing = played.filter((p) => !found.has(`${p.network}:${p.postId}`)).map((p) => p.beat.id);
      const deadLetters = await (await fetch(`${server.url}/api/dead-letters`)).text();
      throw new Error(`missing ${missing.join(', ')}; dead letters ${deadLetters}`, { cause: error });
    });

    const byId = new Map(posts.map((p) => [p.External_Id__c, p]));
    for (const beat of played) {
      const row = byId.get(`${beat.network}:${beat.postId}`)!;
      const linked = row.Contact__c ?? row.Lead__c;
      if (beat.person.kind === 'stranger') {
        expect(row.Contact__c, `${beat.beat.id} by ${beat.person.name}`).to.equal(null);
      } else {
        expect(linked, `${beat.beat.id} by ${beat.person.name}`).to.equal(beat.person.key);
      }
    }

    const contacts = (await conn.query<{ Name: string }>('SELECT Name FROM Contact')).records;
    const leads = (
      await conn.query<{ Name: string; LeadSource: string | null }>('SELECT Name, LeadSource FROM Lead')
    ).records;
    const contactNames = new Set(contacts.map((c) => fold(c.Name)));
    expect(leads.filter((l) => contactNames.has(fold(l.Name))).map((l) => l.Name)).to.deep.equal([]);
    const leadNames = leads.map((l) => fold(l.Name));
    expect(new Set(leadNames).size, 'two Leads with one name').to.equal(leadNames.length);

    type PersonaRow = {
      External_Id__c: string;
      Network__c: DemoNetwork;
      Handle__c: string | null;
      Display_Name__c: string | null;
      Contact__c: string | null;
      Lead__c: string | null;
    };
    const personas = (
      await conn.query<PersonaRow>(
        'SELECT External_Id__c, Network__c, Handle__c, Display_Name__c, Contact__c, Lead__c FROM Social_Persona__c',
      )
    ).records;
    const byHandle = new Map<string, string>();
    const byName = new Map<string, string>();
    for (const persona of personas) {
      const who = persona.Contact__c ?? persona.Lead__c ?? persona.External_Id__c;
      const handle = `${persona.Network__c}:${normalizeHandle(persona.Network__c, persona.Handle__c ?? '')}`;
      expect(byHandle.get(handle), `two personas for ${handle}`).to.equal(undefined);
      byHandle.set(handle, persona.External_Id__c);
      const name = fold(persona.Display_Name__c ?? '');
      if (name === '') continue;
      expect(byName.get(name) ?? who, `"${persona.Display_Name__c}" shown by two people`).to.equal(who);
      byName.set(name, who);
    }
  });
});
