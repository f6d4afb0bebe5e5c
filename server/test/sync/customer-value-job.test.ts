/**
 * Customer value against the dev org (jsforce over HTTP): the store reads Contacts with social activity, their
 * profiles, replies to their posts, won Opportunities (aggregated per Account) and writes the values in
 * collections; the job writes only what changed, keeps the values for routing, and reports failures with a
 * hint. The org's clock is ours, so a deal is created after the reply that referred it.
 */
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { SalesforceGateway } from '../../src/salesforce/gateway.ts';
import {
  SalesforceCustomerValueStore,
  parseLifetimeField,
} from '../../src/salesforce/customer-value-store.ts';
import { CustomerValueJob } from '../../src/sync/customer-value-job.ts';

const DAY = 86_400_000;

describe('customer value job (dev org)', function () {
  this.timeout(60_000);
  let org: DevOrg;
  let conn: Connection;
  let gateway: SalesforceGateway;
  let metrics: Metrics;
  let clock = Date.parse('2026-03-01T12:00:00Z');
  const ids: Record<string, string> = {};

  async function create(type: string, values: Record<string, unknown>): Promise<string> {
    const result = await conn.sobject(type).create(values);
    if (!result.success) throw new Error(JSON.stringify(result));
    return result.id;
  }

  async function values(type: string, id: string): Promise<Record<string, unknown>> {
    const rows = await conn.query<Record<string, unknown>>(
      `SELECT Social_Customer_Value__c, Social_Lifetime_Value__c, Social_Referral_Value__c FROM ${type} WHERE Id = '${id}'`,
    );
    const { attributes: _a, ...rest } = rows.records[0]!;
    return rest;
  }

  const apiCalls = async (): Promise<number> =>
    (await metrics.crmApiCalls.get()).values.reduce((sum, v) => sum + v.value, 0);

  before(async () => {
    org = await startDevOrg({ seed: false, now: () => new Date(clock) });
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
    metrics = createMetrics();
    gateway = new SalesforceGateway({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      apiVersion: org.apiVersion,
      metrics,
      logger: silentLogger(),
    });
    ids.acme = await create('Account', { Name: 'Acme', AnnualRevenue: 5_000_000 });
    ids.globex = await create('Account', { Name: 'Globex' });
    ids.initech = await create('Account', { Name: 'Initech' });
    // Ann (Acme) is an influential fan; Dan (Acme) a quiet detractor; Bob (Globex) replies to Ann, then Globex buys.
    ids.ann = await create('Contact', {
      LastName: 'Lee',
      FirstName: 'Ann',
      AccountId: ids.acme,
      Social_Influence__c: 20,
      Social_Sentiment__c: 0.5,
      Last_Social_Activity__c: '2026-02-01T10:00:00Z',
    });
    ids.dan = await create('Contact', {
      LastName: 'Doe',
      AccountId: ids.acme,
      Social_Influence__c: 90,
      Social_Sentiment__c: -0.6,
      Last_Social_Activity__c: '2026-02-01T10:00:00Z',
    });
    ids.bob = await create('Contact', { LastName: 'Bell', AccountId: ids.globex });
    ids.lead = await create('Lead', { LastName: 'Quiet', Company: 'Initech' });
    ids.annX = await create('Social_Persona__c', {
      Network__c: 'x',
      External_Id__c: 'x:1',
      Handle__c: 'ann',
      Contact__c: ids.ann,
      Influence_Score__c: 40,
    });
    await create('Social_Persona__c', {
      Network__c: 'bluesky',
      External_Id__c: 'bluesky:1',
      Handle__c: 'ann.bsky.social',
      Contact__c: ids.ann,
      Influence_Score__c: 12,
    });
    ids.annPost = await create('Social_Post__c', {
      Network__c: 'x',
      External_Id__c: 'x:p1',
      Persona__c: ids.annX,
      Contact__c: ids.ann,
      Account__c: ids.acme,
      Posted_At__c: '2026-02-01T10:00:00Z',
    });
    await create('Social_Post__c', {
      Network__c: 'x',
      External_Id__c: 'x:p2',
      Contact__c: ids.bob,
      In_Reply_To__c: ids.annPost,
      Posted_At__c: '2026-02-02T10:00:00Z',
    });
    // A lead of Initech replied too, but never bought.
    await create('Social_Post__c', {
      Network__c: 'x',
      External_Id__c: 'x:p3',
      Lead__c: ids.lead,
      In_Reply_To__c: ids.annPost,
      Posted_At__c: '2026-02-03T10:00:00Z',
    });
    // Acme's own deals (its lifetime value), and one it lost.
    for (const [name, stage, amount] of [
      ['Acme 1', 'Closed Won', 12_000],
      ['Acme 2', 'Closed Won', 3_000.5],
      ['Acme lost', 'Closed Lost', 90_000],
    ] as const) {
      await create('Opportunity', {
        Name: name,
        AccountId: ids.acme,
        StageName: stage,
        CloseDate: '2026-03-01',
        Amount: amount,
      });
    }
    // Globex buys after Bob's reply (created "now", a month later): Ann referred it.
    await create('Opportunity', {
      Name: 'Globex 1',
      AccountId: ids.globex,
      StageName: 'Closed Won',
      CloseDate: '2026-03-01',
      Amount: 40_000,
    });
  });

  after(async () => org?.close());

  it('writes lifetime, referral and total on Contacts and Accounts, in a handful of calls', async () => {
    const store = new SalesforceCustomerValueStore(gateway);
    const job = new CustomerValueJob({ store, logger: silentLogger(), now: () => new Date(clock) });
    metrics.crmApiCalls.reset();
    const run = await job.refreshNow();
    // Ann: Acme's won deals 15,000.50; referred 10 % of 40,000; influence 1,000 × 40/100 × 0.5 (highest profile).
    expect(await values('Contact', ids.ann!)).to.deep.equal({
      Social_Customer_Value__c: 19_200.5,
      Social_Lifetime_Value__c: 15_000.5,
      Social_Referral_Value__c: 4_200,
    });
    // Dan: a detractor's influence is worth nothing.
    expect(await values('Contact', ids.dan!)).to.deep.equal({
      Social_Customer_Value__c: 15_000.5,
      Social_Lifetime_Value__c: 15_000.5,
      Social_Referral_Value__c: 0,
    });
    // Acme: its deals once, plus its contacts' referral value.
    expect(await values('Account', ids.acme!)).to.deep.equal({
      Social_Customer_Value__c: 19_200.5,
      Social_Lifetime_Value__c: 15_000.5,
      Social_Referral_Value__c: 4_200,
    });
    // Bob has no social activity of his own recorded: Globex is not valued.
    expect((await values('Account', ids.globex!))['Social_Customer_Value__c']).to.equal(null);
    expect(run).to.include({ contacts: 2, accounts: 1, written: 3, failed: 0, currency: 'USD' });
    // Organization, Contacts, replies, Accounts, won sums, referred deals, one composite write.
    expect(run.apiCalls).to.equal(7);
    expect(await apiCalls()).to.equal(7);
    expect(job.valueOf(ids.ann)?.total).to.equal(19_200.5);
    expect(job.state).to.include({ lastError: null, running: false });
  });

  it('writes nothing when nothing changed, and only the changed records when something did', async () => {
    const store = new SalesforceCustomerValueStore(gateway);
    const job = new CustomerValueJob({ store, logger: silentLogger(), now: () => new Date(clock) });
    const again = await job.refreshNow();
    expect(again).to.include({ written: 0, unchanged: 3 });
    await conn.sobject('Contact').update({ Id: ids.ann!, Social_Sentiment__c: 0.25 });
    const next = await job.refreshNow();
    expect(next).to.include({ written: 2, unchanged: 1 });
    expect((await values('Contact', ids.ann!))['Social_Referral_Value__c']).to.equal(4_100);
  });

  it('stops crediting a referral once the reply is older than the window', async () => {
    clock += 200 * DAY;
    try {
      const job = new CustomerValueJob({
        store: new SalesforceCustomerValueStore(gateway),
        logger: silentLogger(),
        now: () => new Date(clock),
      });
      await job.refreshNow();
      expect((await values('Contact', ids.ann!))['Social_Referral_Value__c']).to.equal(100);
    } finally {
      clock -= 200 * DAY;
    }
  });

  it('reads lifetime value from a configured field instead of won deals', async () => {
    const job = new CustomerValueJob({
      store: new SalesforceCustomerValueStore(gateway, parseLifetimeField('Account.AnnualRevenue')),
      logger: silentLogger(),
      now: () => new Date(clock),
    });
    await job.refreshNow();
    expect((await values('Account', ids.acme!))['Social_Lifetime_Value__c']).to.equal(5_000_000);
    expect((await values('Contact', ids.dan!))['Social_Customer_Value__c']).to.equal(5_000_000);
    expect(() => parseLifetimeField('Opportunity.Amount')).to.throw(/Account.<field> or Contact.<field>/);
    expect(() => parseLifetimeField("Account.Name'--")).to.throw(/CUSTOMER_VALUE_FIELD/);
  });

  it('reports a field the org lacks with what to do, and keeps the previous values', async () => {
    const job = new CustomerValueJob({
      store: new SalesforceCustomerValueStore(gateway, parseLifetimeField('Contact.No_Such_Field__c')),
      logger: silentLogger(),
      now: () => new Date(clock),
    });
    let failed: unknown = null;
    await job.refreshNow().catch((error: unknown) => (failed = error));
    expect(failed).to.be.instanceOf(Error);
    expect(job.state.lastError).to.match(/No_Such_Field__c/);
    expect(job.state.hint).to.match(/CUSTOMER_VALUE_FIELD/);
    expect((await values('Account', ids.acme!))['Social_Lifetime_Value__c']).to.equal(5_000_000);
  });
});
