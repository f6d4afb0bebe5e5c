/**
 * Bluesky → CRM, end to end: a real local AT Protocol network (PLC + PDS from `@atproto/dev-env`), the
 * sync server configured for it only through its environment (as an admin would), and the dev org.
 * Alice's posts travel the PDS's event stream, the Bluesky connector, the durable queue and the sync
 * worker into Social_Post__c, read back with jsforce.
 */
import { expect } from 'chai';
import { RichText } from '@atproto/api';
import type { AtpAgent } from '@atproto/api';
import { startLocalBluesky } from '../server/test/connectors/bluesky/local-network.ts';
import type { LocalAccount, LocalBluesky } from '../server/test/connectors/bluesky/local-network.ts';
import { eventually, startEmbedded, type Embedded } from './support/embedded.ts';

interface PostRow {
  External_Id__c: string;
  Network__c: string;
  Body__c: string;
  Author_Handle__c: string;
  Thread_Root__c: string | null;
  Contact__c: string | null;
  Persona__r: { External_Id__c: string } | null;
}

const POST_FIELDS =
  'External_Id__c, Network__c, Body__c, Author_Handle__c, Thread_Root__c, Contact__c, Persona__r.External_Id__c';

async function post(agent: AtpAgent, text: string, extra: Record<string, unknown> = {}) {
  const rt = new RichText({ text });
  await rt.detectFacets(agent);
  return agent.post({ text: rt.text, facets: rt.facets, langs: ['en'], ...extra });
}

function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

describe('Bluesky mentions reach the CRM through the sync server', function () {
  this.timeout(120_000);
  let local: LocalBluesky;
  let brand: LocalAccount;
  let alice: LocalAccount;
  let e: Embedded;
  let contactId: string;

  async function postsWhere(where: string): Promise<PostRow[]> {
    return (await e.conn.query<PostRow>(`SELECT ${POST_FIELDS} FROM Social_Post__c WHERE ${where}`)).records;
  }

  /** Posts from this network's accounts (the seeded org has Bluesky posts of its own). */
  async function localPostCount(): Promise<number> {
    const fromLocal = [alice, brand].map(
      (a) => `External_Id__c LIKE ${soqlString(`bluesky:at://${a.did}/%`)}`,
    );
    return (await e.conn.query(`SELECT COUNT() FROM Social_Post__c WHERE ${fromLocal.join(' OR ')}`))
      .totalSize;
  }

  async function receivedFromBluesky(): Promise<number> {
    const text = await (await fetch(`${e.server.url}/metrics`)).text();
    const line = /^socialcrm_mentions_received_total\{network="bluesky"\} (\d+)$/m.exec(text);
    return Number(line?.[1] ?? 0);
  }

  before(async function () {
    local = await startLocalBluesky();
    brand = await local.createAccount('brand.test');
    alice = await local.createAccount('alice.test');
    const appPassword = (await brand.agent.com.atproto.server.createAppPassword({ name: 'socialcrm' })).data
      .password;
    e = await startEmbedded({
      env: {
        BLUESKY_HANDLE: 'brand.test',
        BLUESKY_APP_PASSWORD: appPassword,
        BLUESKY_PDS_URL: local.pdsUrl,
        BLUESKY_FIREHOSE_URL: local.pdsUrl,
        BLUESKY_PLC_URL: local.plcUrl,
      },
    });
    // A rep lists Alice's Bluesky handle on her Contact. startEmbedded has started the sync server
    // already, but it reads the org's people on its first batch (then every 60 s), and no mention has
    // arrived yet: the first one sees this Contact.
    contactId = (
      await e.conn.sobject('Contact').create({
        FirstName: 'Alice',
        LastName: 'Liddell',
        Email: 'alice@wonderland.example',
        Social_Handles__c: 'bluesky:alice.test',
      })
    ).id!;
  });

  after(async function () {
    await e?.close();
    await local?.close();
  });

  it('builds the Bluesky connector from the environment and logs in with the app password', async function () {
    const bluesky = e.server.connectors.find((c) => c.network === 'bluesky');
    expect(bluesky, 'a Bluesky connector built from the environment').to.not.equal(undefined);
    const health = await eventually(
      async () => bluesky!.health(),
      (h) => h.status === 'ok',
      { what: 'a healthy Bluesky connector' },
    );
    expect(health.tokenValid).to.equal(true);
  });

  it('turns a mention of the brand into exactly one Social_Post__c, linked to the persona and the Contact', async function () {
    const text = 'Hey @brand.test, my order arrived broken. Can you help?';
    const res = await post(alice.agent, text);
    const externalId = `bluesky:${res.uri}`;
    const [row] = await eventually(
      () => postsWhere(`External_Id__c = ${soqlString(externalId)}`),
      (rows) => rows.length > 0,
      { what: 'the mention as a Social_Post__c' },
    );
    expect(row).to.deep.include({
      External_Id__c: externalId,
      Network__c: 'bluesky',
      Body__c: text,
      Author_Handle__c: 'alice.test',
      Thread_Root__c: externalId,
      Contact__c: contactId,
    });
    expect(row!.Persona__r?.External_Id__c).to.equal(`bluesky:${alice.did}`);
    // Exactly one: nothing else from this network, and no second copy of it.
    expect(await localPostCount()).to.equal(1);
  });

  it('records a reply to a brand post in the brand post’s thread, and never the brand’s own post', async function () {
    const root = await post(brand.agent, 'Our spring collection is out, by @brand.test');
    const rootRef = { uri: root.uri, cid: root.cid };
    const reply = await post(alice.agent, 'Looks lovely, is the green one in stock?', {
      reply: { root: rootRef, parent: rootRef },
    });
    const [row] = await eventually(
      () => postsWhere(`External_Id__c = ${soqlString(`bluesky:${reply.uri}`)}`),
      (rows) => rows.length > 0,
      { what: 'the reply as a Social_Post__c' },
    );
    expect(row!.Thread_Root__c).to.equal(`bluesky:${root.uri}`);
    expect(row!.Author_Handle__c).to.equal('alice.test');
    expect(row!.Contact__c).to.equal(contactId);

    // The brand's post was sequenced before the reply, so the connector has passed it by now.
    expect(await postsWhere(`External_Id__c = ${soqlString(`bluesky:${root.uri}`)}`)).to.have.length(0);
    expect(await postsWhere("Author_Handle__c = 'brand.test' AND Is_Outbound__c = false")).to.have.length(0);
    expect(await localPostCount()).to.equal(2);
    // Dropped at the connector: the queue took Alice's two posts and nothing of the brand's.
    expect(await receivedFromBluesky()).to.equal(2);
  });

  it('shows the connector’s health in /readyz, /api/status and /metrics', async function () {
    const ready = (await (await fetch(`${e.server.url}/readyz`)).json()) as {
      checks: Record<string, { ok: boolean; detail?: string }>;
    };
    expect(ready.checks['connector:bluesky-firehose']?.detail).to.match(/^ok/);
    const metrics = await (await fetch(`${e.server.url}/metrics`)).text();
    expect(metrics).to.include('socialcrm_connector_up{network="bluesky",connector="bluesky-firehose"} 1');
    expect(metrics).to.include(
      'socialcrm_connector_error_streak{network="bluesky",connector="bluesky-firehose"} 0',
    );
    expect(metrics).to.match(
      /socialcrm_connector_last_event_age_seconds\{network="bluesky",connector="bluesky-firehose"\} \d/,
    );
    expect(metrics).to.match(/^socialcrm_dead_letters 0$/m);
  });

  it('sends a reply from the CRM into the thread, with root, parent and a mention facet, exactly once', async function () {
    const root = await post(alice.agent, '@brand.test the zipper on my tent broke');
    const parent = await post(alice.agent, '@brand.test and the seams leak too 😞', {
      reply: { root: { uri: root.uri, cid: root.cid }, parent: { uri: root.uri, cid: root.cid } },
    });
    const [row] = await eventually(
      async () =>
        e.conn.query<{ Id: string }>(
          `SELECT Id FROM Social_Post__c WHERE External_Id__c = ${soqlString(`bluesky:${parent.uri}`)}`,
        ),
      (r) => r.totalSize === 1,
      { what: 'the reply to answer in the org' },
    ).then((r) => r.records);
    const text = '@alice.test sorry! A new tent is on its way 🎁 details: https://example.com/rma';
    const submit = () =>
      fetch(`${e.server.url}/api/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ postId: row!.Id, text, idempotencyKey: 'bsky-reply-key-0001' }),
      }).then(async (res) => (await res.json()) as { replyId: string });
    const [{ replyId }, again] = await Promise.all([submit(), submit()]);
    expect(again.replyId).to.equal(replyId);
    const [sent] = await eventually(
      async () =>
        e.conn.query<{
          Status__c: string;
          Network_Post_Id__c: string | null;
          Url__c: string | null;
          Failure_Reason__c: string | null;
        }>(
          `SELECT Status__c, Network_Post_Id__c, Url__c, Failure_Reason__c FROM Social_Post__c WHERE Id = '${replyId}'`,
        ),
      (r) => r.records[0]?.Status__c === 'Sent' || r.records[0]?.Status__c === 'Failed',
      { what: 'the reply Sent' },
    ).then((r) => r.records);
    expect(sent!.Failure_Reason__c).to.equal(null);
    expect(sent!.Status__c).to.equal('Sent');
    const uri = sent!.Network_Post_Id__c!;
    expect(uri).to.match(new RegExp(`^at://${brand.did}/app.bsky.feed.post/`));
    expect(sent!.Url__c).to.equal(`https://bsky.app/profile/brand.test/post/${uri.split('/').pop()}`);

    // Read it back from the brand's repo on the PDS, as any client would.
    const record = (
      await alice.agent.com.atproto.repo.getRecord({
        repo: brand.did,
        collection: 'app.bsky.feed.post',
        rkey: uri.split('/').pop()!,
      })
    ).data.value as {
      text: string;
      reply: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } };
      facets?: {
        index: { byteStart: number; byteEnd: number };
        features: { $type: string; did?: string; uri?: string }[];
      }[];
    };
    expect(record.text).to.equal(text);
    expect(record.reply.root).to.deep.equal({ uri: root.uri, cid: root.cid });
    expect(record.reply.parent).to.deep.equal({ uri: parent.uri, cid: parent.cid });
    const bytes = new TextEncoder().encode(record.text);
    const slice = (f: { index: { byteStart: number; byteEnd: number } }) =>
      new TextDecoder().decode(bytes.slice(f.index.byteStart, f.index.byteEnd));
    const mention = record.facets?.find((f) => f.features[0]?.$type === 'app.bsky.richtext.facet#mention');
    expect(mention && slice(mention)).to.equal('@alice.test');
    expect(mention?.features[0]?.did).to.equal(alice.did);
    const link = record.facets?.find((f) => f.features[0]?.$type === 'app.bsky.richtext.facet#link');
    expect(link && slice(link)).to.equal('https://example.com/rma');

    // Exactly one post by the brand answers Alice.
    const listed = await alice.agent.com.atproto.repo.listRecords({
      repo: brand.did,
      collection: 'app.bsky.feed.post',
    });
    const answers = listed.data.records.filter(
      (r) => (r.value as { reply?: { parent?: { uri?: string } } }).reply?.parent?.uri === parent.uri,
    );
    expect(answers).to.have.length(1);
    // Our own reply coming back through the event stream is not ingested as a mention.
    await new Promise((r) => setTimeout(r, 500));
    expect(await postsWhere(`External_Id__c = ${soqlString(`bluesky:${uri}`)}`)).to.have.length(1);
    expect(await postsWhere("Author_Handle__c = 'brand.test' AND Is_Outbound__c = false")).to.have.length(0);
  });
});
