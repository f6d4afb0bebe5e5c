/**
 * The relinker against a running dev org (jsforce over HTTP, no stubs): a persona with 500 earlier posts
 * is re-linked in a handful of calls; a post deleted by someone else between the read and the write is
 * refused by the org, reported with its record, and the retry finishes the job; a burst of 1,000 change
 * notices is one round with one directory refresh; a rep's own link is stamped and followed.
 */
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { SalesforceCrmAdapter } from '../../src/salesforce/crm-adapter.ts';
import { SalesforceGateway } from '../../src/salesforce/gateway.ts';
import { Relinker } from '../../src/salesforce/relink.ts';
import { OrgPeople } from '../../src/sync/people.ts';

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('relinker against the dev org', function () {
  this.timeout(60_000);
  let org: DevOrg;
  let conn: Connection;
  let metrics: Metrics;
  let gateway: SalesforceGateway;
  let people: OrgPeople;
  let relinker: Relinker;
  let contactId: string;
  let accountId: string;
  let loads = 0;
  const changed: string[] = [];

  const calls = async (): Promise<number> =>
    (await metrics.crmApiCalls.get()).values.reduce((sum, v) => sum + v.value, 0);
  const postsOf = async (personaId: string): Promise<{ Id: string; Contact__c: string | null }[]> =>
    (
      await conn.query<{ Id: string; Contact__c: string | null }>(
        `SELECT Id, Contact__c FROM Social_Post__c WHERE Persona__c = '${personaId}'`,
      )
    ).records;

  async function personaWithPosts(handle: string, userId: string, count: number): Promise<string> {
    const persona = await conn.sobject('Social_Persona__c').create({
      Name: handle,
      External_Id__c: `x:${userId}`,
      Network__c: 'x',
      Handle__c: handle,
      Influence_Score__c: 25,
    });
    const records = Array.from({ length: count }, (_, i) => ({
      External_Id__c: `x:${userId}-${i}`,
      Network__c: 'x',
      Network_Post_Id__c: `${userId}-${i}`,
      Body__c: 'the zipper broke again',
      Posted_At__c: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      Author_Handle__c: handle,
      Sentiment__c: 'negative',
      Sentiment_Score__c: -0.5,
      Is_Outbound__c: false,
      Persona__c: persona.id,
    }));
    for (let i = 0; i < records.length; i += 200) {
      const saved = await conn.sobject('Social_Post__c').create(records.slice(i, i + 200));
      expect(saved.every((s) => s.success)).to.equal(true);
    }
    return persona.id!;
  }

  before(async () => {
    org = await startDevOrg({ seed: false });
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
    metrics = createMetrics({ defaultMetrics: false });
    gateway = new SalesforceGateway({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      apiVersion: org.apiVersion,
      metrics,
      logger: silentLogger(),
    });
    const crm = new SalesforceCrmAdapter(gateway);
    const counted = {
      ...crm,
      loadPeople: (since: Date | null) => {
        loads += 1;
        return crm.loadPeople(since);
      },
      loadPersonaLinks: (since: Date | null) => crm.loadPersonaLinks(since),
    };
    people = new OrgPeople(counted as unknown as SalesforceCrmAdapter, {
      refreshMs: 3_600_000,
      onChanges: (c) => relinker.personChanges(c),
    });
    relinker = new Relinker({
      gateway,
      crm,
      people,
      logger: silentLogger(),
      onPostsChanged: (ids) => changed.push(...ids),
      coalesceMs: 50,
      retryMinMs: 100,
    });
    accountId = (await conn.sobject('Account').create({ Name: 'Quillfeather Outfitters' })).id!;
    contactId = (
      await conn
        .sobject('Contact')
        .create({ FirstName: 'Dorotea', LastName: 'Vanterpool', AccountId: accountId })
    ).id!;
    await people.refreshNow();
  });
  after(async () => {
    relinker?.stop();
    await org?.close();
  });

  it('re-links a persona with 500 posts in a handful of calls', async () => {
    const personaId = await personaWithPosts('bulk_author', '9001', 500);
    await conn.sobject('Contact').update({ Id: contactId, Social_Handles__c: 'x:@bulk_author' });
    const before = await calls();
    relinker.peopleChanged();
    await relinker.idle();
    const spent = (await calls()) - before;
    const posts = await postsOf(personaId);
    expect(posts.filter((p) => p.Contact__c === contactId)).to.have.length(500);
    expect(changed).to.have.length(500);
    // Refresh (Contacts, Leads, links: 3), personas (by person 1, by handle 1), posts (1), writes (1 composite:
    // 3 collections of posts + the persona), roll-ups (posts 1, personas 1, write 1): 10, whatever the posts.
    expect(spent).to.be.at.most(10);
    const contact = (
      await conn.query<Record<string, unknown>>(
        `SELECT Social_Influence__c, Last_Social_Activity__c FROM Contact WHERE Id = '${contactId}'`,
      )
    ).records[0]!;
    expect(contact['Social_Influence__c']).to.equal(25);
    expect(Date.parse(String(contact['Last_Social_Activity__c']))).to.equal(
      Date.UTC(2026, 10, 1) + 499 * 60_000,
    );
    expect(relinker.state()).to.include({ pending: 0, personas: 1, posts: 500 });
  });

  it('reports a record the org refuses and finishes on the retry', async () => {
    const personaId = await personaWithPosts('racy_author', '9002', 3);
    const [victim] = await postsOf(personaId);
    // Someone deletes a post between our read and our write: the org refuses that one update.
    const query = gateway.query.bind(gateway);
    let deleted = false;
    gateway.query = (async (soql: string, options?: { maxRecords?: number }) => {
      const rows = await query(soql, options);
      if (!deleted && soql.includes('FROM Social_Post__c WHERE Persona__c')) {
        deleted = true;
        await conn.sobject('Social_Post__c').destroy(victim!.Id);
      }
      return rows;
    }) as typeof gateway.query;
    try {
      await conn
        .sobject('Contact')
        .update({ Id: contactId, Social_Handles__c: 'x:@bulk_author\nx:@racy_author' });
      relinker.peopleChanged();
      await relinker.idle();
      const state = relinker.state();
      expect(state.pending).to.be.greaterThan(0);
      expect(state.failures.map((f) => f.record)).to.deep.equal([victim!.Id]);
      expect(state.failures[0]!.persona).to.equal('x:9002');
      // The retry reads the org again: the two posts left are linked and the failure is gone.
      await until(
        async () => relinker.state(),
        (s) => s.pending === 0 && s.failures.length === 0,
        'the retry',
      );
      expect((await postsOf(personaId)).map((p) => p.Contact__c)).to.deep.equal([contactId, contactId]);
    } finally {
      gateway.query = query;
    }
  });

  it('a burst of 1,000 change notices is one round with one directory refresh', async () => {
    const rounds = relinker.state().rounds;
    const loaded = loads;
    for (let i = 0; i < 1000; i++) relinker.peopleChanged();
    await relinker.idle();
    expect(relinker.state().rounds - rounds).to.equal(1);
    expect(loads - loaded).to.equal(1);
  });

  it("follows a rep's link by hand and stamps it; a rep's unlink is remembered", async () => {
    const personaId = await personaWithPosts('hand_linked', '9003', 2);
    await conn.sobject('Social_Persona__c').update({ Id: personaId, Contact__c: contactId });
    relinker.personasChanged([personaId]);
    await relinker.idle();
    expect((await postsOf(personaId)).map((p) => p.Contact__c)).to.deep.equal([contactId, contactId]);
    const stamped = (
      await conn.query<Record<string, unknown>>(
        `SELECT Match_Reason__c FROM Social_Persona__c WHERE Id = '${personaId}'`,
      )
    ).records[0]!;
    expect(stamped['Match_Reason__c']).to.equal('Linked by hand in Salesforce');

    await conn.sobject('Social_Persona__c').update({ Id: personaId, Contact__c: null });
    relinker.personasChanged([personaId]);
    await relinker.idle();
    expect((await postsOf(personaId)).map((p) => p.Contact__c)).to.deep.equal([null, null]);
    const unstamped = (
      await conn.query<Record<string, unknown>>(
        `SELECT Match_Reason__c FROM Social_Persona__c WHERE Id = '${personaId}'`,
      )
    ).records[0]!;
    expect(String(unstamped['Match_Reason__c'])).to.equal(
      `Unlinked by hand in Salesforce from Contact ${contactId}`,
    );
  });
});
