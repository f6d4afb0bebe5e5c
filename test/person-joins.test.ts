/**
 * One person across networks, end to end: the dev org, the X stand-in and a real local AT Protocol
 * network (PLC + PDS from `@atproto/dev-env`). Ilse's X profile is linked to her Contact by the handle a
 * rep listed and cites her Bluesky profile; her Bluesky profile cites the X one back. Her Bluesky
 * mention is linked to the same Contact through the join (saved on the persona with its reason), a
 * stranger citing her X profile is not, and a rep's split holds at her next post.
 */
import { expect } from 'chai';
import { RichText } from '@atproto/api';
import type { AtpAgent } from '@atproto/api';
import { startLocalBluesky } from '../server/test/connectors/bluesky/local-network.ts';
import type { LocalAccount, LocalBluesky } from '../server/test/connectors/bluesky/local-network.ts';
import { eventually, startEmbedded, type Embedded } from './support/embedded.ts';

interface PersonaRow {
  Id: string;
  External_Id__c: string;
  Contact__c: string | null;
  Suggested_Contact__c: string | null;
  Person_Key__c: string | null;
  Join_Reason__c: string | null;
  Join_Confidence__c: number | null;
  Split_From__c: string | null;
}

interface CardPersona {
  id: string;
  network: string;
  handle: string;
  personKey?: string;
  joinReason?: string;
  joinConfidence?: number;
}

async function post(agent: AtpAgent, text: string) {
  const rt = new RichText({ text });
  await rt.detectFacets(agent);
  return agent.post({ text: rt.text, facets: rt.facets, langs: ['en'] });
}

function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

describe('one person across networks: Bluesky joined to a linked X profile', function () {
  this.timeout(180_000);
  let local: LocalBluesky;
  let ilse: LocalAccount;
  let stranger: LocalAccount;
  let e: Embedded;
  let contactId: string;
  let xKey: string;

  async function persona(key: string): Promise<PersonaRow | undefined> {
    const rows = await e.conn.query<PersonaRow>(
      'SELECT Id, External_Id__c, Contact__c, Suggested_Contact__c, Person_Key__c, Join_Reason__c, ' +
        `Join_Confidence__c, Split_From__c FROM Social_Persona__c WHERE External_Id__c = ${soqlString(key)}`,
    );
    return rows.records[0];
  }

  async function postContact(uri: string): Promise<{ Contact__c: string | null } | undefined> {
    const rows = await e.conn.query<{ Contact__c: string | null }>(
      `SELECT Contact__c FROM Social_Post__c WHERE External_Id__c = ${soqlString(`bluesky:${uri}`)}`,
    );
    return rows.records[0];
  }

  before(async function () {
    local = await startLocalBluesky();
    const brand = await local.createAccount('brand.test');
    ilse = await local.createAccount('ilse-v.test', {
      displayName: 'Ilse Vanterpool',
      description: 'Product manager. Also on X: https://x.com/ilse_vt',
    });
    // Anyone can claim someone: same name, citing Ilse's X profile, but not cited by it.
    stranger = await local.createAccount('ilse-fan.test', {
      displayName: 'Ilse Vanterpool',
      description: 'The real one is https://x.com/ilse_vt',
    });
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
    contactId = (
      await e.conn.sobject('Contact').create({
        FirstName: 'Ilse',
        LastName: 'Vanterpool',
        Email: 'ilse@initech.example',
        Social_Handles__c: 'x:@ilse_vt',
      })
    ).id!;
    const added = await e.x.addMention({
      author: {
        username: 'ilse_vt',
        name: 'Ilse Vanterpool',
        description: 'PM. On Bluesky: https://bsky.app/profile/ilse-v.test',
      },
      text: 'My order is late again',
    });
    xKey = `x:${added.tweet.author_id}`;
    await eventually(
      () => persona(xKey),
      (p) => p?.Contact__c === contactId,
      { what: 'Ilse’s X profile linked to her Contact by the listed handle' },
    );
  });

  after(async function () {
    await e?.close();
    await local?.close();
  });

  it('links Ilse’s Bluesky mention to her Contact through the join, and saves the join with its reason', async function () {
    const res = await post(ilse.agent, '@brand.test the replacement never came either');
    const row = await eventually(
      () => postContact(res.uri),
      (r) => r !== undefined,
      { what: 'Ilse’s Bluesky post in the org' },
    );
    expect(row!.Contact__c).to.equal(contactId);
    const joined = await eventually(
      () => persona(`bluesky:${ilse.did}`),
      (p) => p?.Person_Key__c != null,
      { what: 'the join saved on the Bluesky persona' },
    );
    expect(joined!.Contact__c).to.equal(contactId);
    expect(joined!.Person_Key__c).to.equal(xKey);
    expect(joined!.Join_Reason__c).to.equal(`${xKey} and this profile cite each other`);
    expect(joined!.Join_Confidence__c).to.equal(97);
    expect((await persona(xKey))!.Person_Key__c).to.equal(xKey);

    // The persona card's data: both profiles, and why the Bluesky one is Ilse's.
    const card = (await (await fetch(`${e.server.url}/api/records/${contactId}/personas`)).json()) as {
      personas: CardPersona[];
    };
    const byNetwork = new Map(card.personas.map((p) => [p.network, p]));
    expect(byNetwork.get('x')).to.deep.include({ handle: 'ilse_vt', personKey: xKey });
    expect(byNetwork.get('bluesky')).to.deep.include({
      handle: 'ilse-v.test',
      personKey: xKey,
      joinReason: `${xKey} and this profile cite each other`,
      joinConfidence: 97,
    });
  });

  it('does not link a stranger who cites Ilse’s X profile: a suggestion at most', async function () {
    const res = await post(stranger.agent, '@brand.test your support is terrible');
    const row = await eventually(
      () => postContact(res.uri),
      (r) => r !== undefined,
      { what: 'the stranger’s post in the org' },
    );
    expect(row!.Contact__c).to.equal(null);
    const p = await persona(`bluesky:${stranger.did}`);
    expect(p!.Contact__c).to.equal(null);
    expect(p!.Person_Key__c).to.equal(null);
    expect(p!.Join_Reason__c).to.equal(null);
    expect([null, contactId]).to.include(p!.Suggested_Contact__c);
  });

  it('splits a wrong join: the profile and its posts leave the Contact, and it stays split at the next post', async function () {
    const before = await persona(`bluesky:${ilse.did}`);
    const refused = await fetch(`${e.server.url}/api/persons/split`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personaId: (await persona(xKey))!.Id }),
    });
    expect(refused.status, 'the first profile of a person is not joined to anyone').to.equal(409);
    const bad = await fetch(`${e.server.url}/api/persons/split`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personaId: 'not an id' }),
    });
    expect(bad.status).to.equal(400);

    const res = await fetch(`${e.server.url}/api/persons/split`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personaId: before!.Id }),
    });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { postsUnlinked: number; splitFrom: string[] };
    expect(body.postsUnlinked).to.equal(1);
    expect(body.splitFrom).to.have.members([xKey, contactId]);
    const split = await persona(`bluesky:${ilse.did}`);
    expect(split).to.deep.include({
      Contact__c: null,
      Person_Key__c: `bluesky:${ilse.did}`,
      Join_Reason__c: null,
      Join_Confidence__c: null,
    });
    const posts = await e.conn.query(
      `SELECT Id FROM Social_Post__c WHERE Persona__c = '${before!.Id}' AND Contact__c != null`,
    );
    expect(posts.totalSize).to.equal(0);

    const again = await post(ilse.agent, '@brand.test still waiting');
    const row = await eventually(
      () => postContact(again.uri),
      (r) => r !== undefined,
      { what: 'Ilse’s next Bluesky post in the org' },
    );
    expect(row!.Contact__c).to.equal(null);
    const after = await persona(`bluesky:${ilse.did}`);
    expect(after).to.deep.include({ Contact__c: null, Join_Reason__c: null });
    expect(after!.Split_From__c?.split('\n')).to.include.members([xKey, contactId]);
  });
});
