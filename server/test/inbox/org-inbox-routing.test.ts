/**
 * OrgInboxRouting: the org's routing rules, reply-time targets, queues and business hours, read in one
 * composite call and kept for `refreshMs`. First against a scripted gateway (Salesforce-shaped composite
 * subresponses), then against the seeded dev org over HTTP.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import type { CompositeSubrequest, CompositeSubresponse } from '../../src/salesforce/gateway.ts';
import { SalesforceGateway } from '../../src/salesforce/gateway.ts';
import { OrgInboxRouting } from '../../src/salesforce/inbox-routing.ts';
import type { InboxPost } from '../../src/sync/ports.ts';
import { hoursRow } from './hours-fixtures.ts';

type Row = Record<string, unknown>;

const ALL_DAY = ['00:00', '00:00'] as const;
const NINE_TO_FIVE = ['09:00', '17:00'] as const;

function rule(developerName: string, order: number, queue: string, extra: Row = {}): Row {
  return {
    attributes: { type: 'Social_Routing_Rule__mdt' },
    DeveloperName: developerName,
    MasterLabel: developerName.replace(/_/g, ' '),
    Active__c: true,
    Order__c: order,
    Network__c: null,
    Language__c: null,
    Intent__c: null,
    Min_Influence__c: null,
    Min_Customer_Value__c: null,
    Accounts__c: null,
    Keywords__c: null,
    Queue__c: queue,
    Supervisor__c: 'lead@acme.example',
    Escalation_Queue__c: null,
    ...extra,
  };
}

function target(developerName: string, priority: string, minutes: number, extra: Row = {}): Row {
  return {
    attributes: { type: 'Social_Reply_Target__mdt' },
    DeveloperName: developerName,
    Priority__c: priority,
    Network__c: null,
    Minutes__c: minutes,
    Business_Hours__c: null,
    ...extra,
  };
}

const QUEUE_IDS: Record<string, string> = {
  Social_Support: '00G000000000001AAA',
  Social_Sales: '00G000000000002AAA',
  Social_VIP: '00G000000000003AAA',
  Social_Key: '00G000000000004AAA',
  Social_Escalations: '00G000000000005AAA',
};

function queueRow(developerName: string): Row {
  return {
    attributes: { type: 'Group' },
    Id: QUEUE_IDS[developerName],
    Name: developerName.replace(/_/g, ' '),
    DeveloperName: developerName,
  };
}

const NORTHWIND_ID = '001000000000001AAA';
const KEY_ACCOUNT_ID = '001000000000002AAA';

interface OrgRows {
  rules: Row[];
  targets: Row[];
  queues: Row[];
  hours: Row[];
}

function orgRows(): OrgRows {
  return {
    rules: [
      rule('VIP_Complaints', 10, 'Social_VIP', {
        Intent__c: 'complaint',
        Min_Influence__c: 70,
        Supervisor__c: 'vip.lead@acme.example',
        Escalation_Queue__c: 'Social_Escalations',
      }),
      rule('Sales_Leads', 20, 'Social_Sales', { Intent__c: 'purchase_intent' }),
      rule('Key_Accounts', 25, 'Social_Key', { Accounts__c: `${KEY_ACCOUNT_ID}, Northwind Outfitters` }),
      rule('Default', 9999, 'Social_Support', { Supervisor__c: 'support.lead@acme.example' }),
    ],
    targets: [
      target('Urgent', 'Urgent', 30),
      target('High', 'High', 60),
      target('Normal', 'Normal', 240),
      target('Low', 'Low', 1440),
      target('Bluesky_Normal', 'Normal', 120, {
        Network__c: 'bluesky',
        Business_Hours__c: 'Support Weekdays',
      }),
    ],
    queues: Object.keys(QUEUE_IDS).map(queueRow),
    hours: [
      hoursRow(
        'Default',
        'UTC',
        {
          Monday: ALL_DAY,
          Tuesday: ALL_DAY,
          Wednesday: ALL_DAY,
          Thursday: ALL_DAY,
          Friday: ALL_DAY,
          Saturday: ALL_DAY,
          Sunday: ALL_DAY,
        },
        { IsDefault: true },
      ),
      hoursRow(
        'Support Weekdays',
        'America/New_York',
        {
          Monday: NINE_TO_FIVE,
          Tuesday: NINE_TO_FIVE,
          Wednesday: NINE_TO_FIVE,
          Thursday: NINE_TO_FIVE,
          Friday: NINE_TO_FIVE,
        },
        { Id: '01m000000000002AAA' },
      ),
    ],
  };
}

const ok = (referenceId: string, records: Row[]): CompositeSubresponse => ({
  body: { totalSize: records.length, done: true, records },
  httpStatusCode: 200,
  referenceId,
});

const refusedWith = (referenceId: string, status: number, errorCode: string, message: string) => ({
  body: [{ errorCode, message }],
  httpStatusCode: status,
  referenceId,
});

/** A gateway whose composite answers from `rows`, unless a subresponse is scripted for a referenceId. */
function fakeGateway(rows: OrgRows) {
  const overrides = new Map<string, CompositeSubresponse>();
  let failure: Error | null = null;
  const composite = sinon.stub().callsFake(async (requests: readonly CompositeSubrequest[]) => {
    if (failure) throw failure;
    return requests.map(
      (r) => overrides.get(r.referenceId) ?? ok(r.referenceId, rows[r.referenceId as keyof OrgRows] ?? []),
    );
  });
  const query = sinon.stub().callsFake(async () => [
    { attributes: { type: 'Account' }, Id: NORTHWIND_ID, Name: 'Northwind Outfitters' },
    { attributes: { type: 'Account' }, Id: KEY_ACCOUNT_ID, Name: 'Key Account Inc' },
  ]);
  return {
    gateway: { composite, query },
    composite,
    query,
    overrides,
    fail(error: Error | null) {
      failure = error;
    },
  };
}

// A Wednesday, 10:00 UTC (05:00 in New York: before the weekday hours open).
const RECEIVED = new Date('2026-03-04T10:00:00.000Z');

function post(overrides: Partial<InboxPost> = {}): InboxPost {
  return {
    network: 'x',
    text: 'hello there',
    language: 'en',
    intent: 'other',
    sentiment: 'neutral',
    influence: 10,
    accountId: null,
    receivedAt: RECEIVED,
    ...overrides,
  };
}

const soqlOf = (request: CompositeSubrequest): string =>
  decodeURIComponent(request.url.replace(/^\/query\?q=/, ''));

describe('OrgInboxRouting (scripted gateway)', () => {
  let clock: number;
  const now = () => clock;

  beforeEach(() => {
    clock = Date.parse('2026-03-04T12:00:00.000Z');
  });

  it('reads rules, targets, queues and business hours in one composite call, the named Accounts in one query', async () => {
    const fake = fakeGateway(orgRows());
    const routing = new OrgInboxRouting(fake.gateway, { now });
    const router = await routing.router();
    expect(router).to.not.equal(null);

    expect(fake.composite.callCount).to.equal(1);
    const [requests] = fake.composite.firstCall.args as [CompositeSubrequest[]];
    expect(requests.map((r) => [r.method, r.referenceId])).to.deep.equal([
      ['GET', 'rules'],
      ['GET', 'targets'],
      ['GET', 'queues'],
      ['GET', 'hours'],
    ]);
    for (const r of requests) expect(r.url).to.match(/^\/query\?q=/);
    const [rules, targets, queues, hours] = requests.map(soqlOf);
    expect(rules)
      .to.match(/FROM Social_Routing_Rule__mdt$/)
      .and.contain('Escalation_Queue__c');
    expect(targets)
      .to.match(/FROM Social_Reply_Target__mdt$/)
      .and.contain('Business_Hours__c');
    expect(queues).to.equal("SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue'");
    expect(hours)
      .to.match(/FROM BusinessHours$/)
      .and.contain('TimeZoneSidKey')
      .and.contain('SundayEndTime');

    expect(fake.query.callCount).to.equal(1);
    const accounts = String(fake.query.firstCall.args[0]);
    expect(accounts).to.equal(
      `SELECT Id, Name FROM Account WHERE Id IN ('${KEY_ACCOUNT_ID}') OR Name IN ('Northwind Outfitters')`,
    );
    expect(routing.problems()).to.deep.equal([]);
  });

  it('asks for no Accounts when no active rule names one', async () => {
    const rows = orgRows();
    rows.rules = rows.rules.filter((r) => r['DeveloperName'] !== 'Key_Accounts');
    const fake = fakeGateway(rows);
    const routing = new OrgInboxRouting(fake.gateway, { now });
    await routing.router();
    expect(fake.composite.callCount).to.equal(1);
    expect(fake.query.callCount).to.equal(0);
  });

  it('places a post: the queue Id of the matching rule, the due time in business hours, the priority, the rule', async () => {
    const routing = new OrgInboxRouting(fakeGateway(orgRows()).gateway, { now });
    const router = (await routing.router())!;

    expect(router.place(post({ intent: 'purchase_intent', sentiment: 'positive' }))).to.deep.equal({
      ownerId: QUEUE_IDS['Social_Sales'],
      dueAt: '2026-03-04T11:00:00.000Z',
      priority: 'High',
      rule: 'Sales_Leads',
    });
    expect(router.place(post({ intent: 'complaint', sentiment: 'negative', influence: 85 }))).to.deep.equal({
      ownerId: QUEUE_IDS['Social_VIP'],
      dueAt: '2026-03-04T10:30:00.000Z',
      priority: 'Urgent',
      rule: 'VIP_Complaints',
    });
    // Below the VIP rule's influence: the catch-all, but still a High complaint.
    expect(router.place(post({ intent: 'complaint', sentiment: 'negative', influence: 40 }))).to.deep.equal({
      ownerId: QUEUE_IDS['Social_Support'],
      dueAt: '2026-03-04T11:00:00.000Z',
      priority: 'High',
      rule: 'Default',
    });
    expect(router.place(post({ intent: 'praise', sentiment: 'positive' }))).to.deep.equal({
      ownerId: QUEUE_IDS['Social_Support'],
      dueAt: '2026-03-05T10:00:00.000Z',
      priority: 'Low',
      rule: 'Default',
    });
  });

  it('routes a Contact worth at least Min_Customer_Value__c to its queue, using the customer values it is given', async () => {
    const rows = orgRows();
    rows.rules.push(rule('High_Value', 5, 'Social_Key', { Min_Customer_Value__c: 50_000 }));
    const values = new Map([
      ['003000000000001AAA', 75_000],
      ['003000000000002AAA', 49_999.99],
    ]);
    const routing = new OrgInboxRouting(fakeGateway(rows).gateway, {
      now,
      customerValue: (id) => values.get(id) ?? null,
    });
    const router = (await routing.router())!;
    const question = { intent: 'question', sentiment: 'neutral' } as const;
    expect(router.place(post({ ...question, contactId: '003000000000001AAA' }))).to.include({
      ownerId: QUEUE_IDS['Social_Key'],
      rule: 'High_Value',
    });
    // Below the minimum, no value computed, or no Contact at all: the other rules decide.
    for (const contactId of ['003000000000002AAA', '003000000000009AAA', null]) {
      expect(router.place(post({ ...question, contactId })), String(contactId)).to.include({
        ownerId: QUEUE_IDS['Social_Support'],
        rule: 'Default',
      });
    }
    expect(routing.problems()).to.deep.equal([]);
  });

  it('counts a target in its own business hours: a Bluesky question waits for the weekday hours to open', async () => {
    const routing = new OrgInboxRouting(fakeGateway(orgRows()).gateway, { now });
    const router = (await routing.router())!;
    // 10:00 UTC is 05:00 in New York; the hours open at 09:00 (14:00 UTC) and 120 minutes count from there.
    expect(router.place(post({ network: 'bluesky', intent: 'question' }))).to.deep.include({
      dueAt: '2026-03-04T16:00:00.000Z',
      priority: 'Normal',
    });
    // On X the any-network Normal target applies, in the default (24/7) hours.
    expect(router.place(post({ network: 'x', intent: 'question' }))).to.deep.include({
      dueAt: '2026-03-04T14:00:00.000Z',
      priority: 'Normal',
    });
  });

  it("routes by the author's Account, named by Id or by Name", async () => {
    const routing = new OrgInboxRouting(fakeGateway(orgRows()).gateway, { now });
    const router = (await routing.router())!;
    expect(router.place(post({ accountId: NORTHWIND_ID }))).to.deep.include({
      ownerId: QUEUE_IDS['Social_Key'],
      rule: 'Key_Accounts',
    });
    expect(router.place(post({ accountId: KEY_ACCOUNT_ID }))).to.deep.include({
      ownerId: QUEUE_IDS['Social_Key'],
      rule: 'Key_Accounts',
    });
    expect(router.place(post({ accountId: '001000000000009AAA' }))).to.deep.include({
      ownerId: QUEUE_IDS['Social_Support'],
      rule: 'Default',
    });
  });

  it('gives no due time to a priority without a target, and says so', async () => {
    const rows = orgRows();
    rows.targets = rows.targets.filter((t) => t['Priority__c'] !== 'Low');
    const routing = new OrgInboxRouting(fakeGateway(rows).gateway, { now });
    const router = (await routing.router())!;
    expect(router.place(post({ intent: 'praise' }))).to.deep.include({ priority: 'Low', dueAt: null });
    expect(routing.problems().map((p) => p.what)).to.deep.equal([
      'inbox: Social_Reply_Target__mdt: no target for Low posts on any network; they get no due time',
    ]);
  });

  it('names who handles breaches: the rule’s supervisor and escalation queue, else the catch-all’s', async () => {
    const routing = new OrgInboxRouting(fakeGateway(orgRows()).gateway, { now });
    const config = (await routing.configuration())!;
    expect(routing.contactsFor('VIP_Complaints', config)).to.deep.equal({
      supervisor: 'vip.lead@acme.example',
      escalationQueueId: QUEUE_IDS['Social_Escalations'],
    });
    expect(routing.contactsFor('Sales_Leads', config)).to.deep.equal({
      supervisor: 'lead@acme.example',
      escalationQueueId: null,
    });
    expect(routing.contactsFor(null, config)).to.deep.equal({
      supervisor: 'support.lead@acme.example',
      escalationQueueId: null,
    });
    expect(routing.contactsFor('Removed_Rule', config).supervisor).to.equal('support.lead@acme.example');
  });

  it('keeps the configuration for refreshMs, then reads it again and applies what changed', async () => {
    const rows = orgRows();
    const fake = fakeGateway(rows);
    const routing = new OrgInboxRouting(fake.gateway, { now, refreshMs: 60_000 });
    const first = (await routing.router())!;
    clock += 59_999;
    expect(await routing.router()).to.equal(first);
    await routing.configuration();
    expect(fake.composite.callCount).to.equal(1);

    // An admin points purchase intent at support.
    rows.rules = rows.rules.map((r) =>
      r['DeveloperName'] === 'Sales_Leads' ? { ...r, Queue__c: 'Social_Support' } : r,
    );
    clock += 1;
    const second = (await routing.router())!;
    expect(fake.composite.callCount).to.equal(2);
    expect(second).to.not.equal(first);
    expect(second.place(post({ intent: 'purchase_intent' })).ownerId).to.equal(QUEUE_IDS['Social_Support']);
    expect((await routing.configuration())!.loadedAt).to.equal(clock);
  });

  it('reads once for callers asking at the same time', async () => {
    const fake = fakeGateway(orgRows());
    const routing = new OrgInboxRouting(fake.gateway, { now });
    const routers = await Promise.all([routing.router(), routing.router(), routing.configuration()]);
    expect(fake.composite.callCount).to.equal(1);
    expect(routers[0]).to.equal(routers[1]);
  });

  it('refresh() reads now, whatever the age of the configuration', async () => {
    const fake = fakeGateway(orgRows());
    const routing = new OrgInboxRouting(fake.gateway, { now });
    await routing.router();
    await routing.refresh();
    expect(fake.composite.callCount).to.equal(2);
  });

  it('lists what an admin should fix: bad metadata rows, a missing queue, no default business hours', async () => {
    const rows = orgRows();
    rows.rules.push(
      rule('Broken', 40, 'Social_Support', { Order__c: 'soon', Intent__c: 'gossip' }),
      rule('Gone_Queue', 50, 'Social_Gone', { Intent__c: 'question' }),
    );
    rows.targets.push(target('Bad_Target', 'Whenever', -5));
    rows.hours = rows.hours.map((h) => ({ ...h, IsDefault: false }));
    const routing = new OrgInboxRouting(fakeGateway(rows).gateway, { now });
    const router = (await routing.router())!;
    const problems = routing.problems();
    const whats = problems.map((p) => p.what);

    expect(whats).to.include(
      'inbox: BusinessHours: no active default; reply-time targets count every hour of the day',
    );
    expect(whats.find((w) => w.includes('"Broken"')))
      .to.match(/^inbox: Social_Routing_Rule__mdt "Broken": /)
      .and.contain('Order__c: expected a number')
      .and.contain('unknown intent "gossip"');
    expect(whats.find((w) => w.includes('"Bad_Target"')))
      .to.match(/^inbox: Social_Reply_Target__mdt "Bad_Target": /)
      .and.contain('Priority__c')
      .and.contain('Minutes__c');
    expect(whats).to.include(
      'inbox: Social_Routing_Rule__mdt "Gone_Queue": no queue has the DeveloperName "Social_Gone"; the rule is skipped',
    );
    for (const p of problems) expect(p.hint).to.contain('Setup');

    // The rest still routes: the skipped rule's question goes to the catch-all, due in plain minutes.
    expect(router.place(post({ intent: 'question' }))).to.deep.equal({
      ownerId: QUEUE_IDS['Social_Support'],
      dueAt: '2026-03-04T14:00:00.000Z',
      priority: 'Normal',
      rule: 'Default',
    });
  });

  it('says when no rule and no default queue can take a post, and places it without an owner', async () => {
    const rows = orgRows();
    rows.rules = rows.rules.filter((r) => r['DeveloperName'] !== 'Default');
    rows.queues = rows.queues.filter((q) => q['DeveloperName'] !== 'Social_Support');
    const routing = new OrgInboxRouting(fakeGateway(rows).gateway, { now });
    const router = (await routing.router())!;
    expect(routing.problems().map((p) => p.what)).to.include(
      'inbox: Routing: no active rule without conditions and no default queue "Social_Support"; posts no rule matches stay unrouted',
    );
    expect(router.place(post({ intent: 'praise' }))).to.deep.include({ ownerId: null, rule: null });
  });

  it('keeps the last good configuration when a read fails, waits retryMs, and recovers', async () => {
    const fake = fakeGateway(orgRows());
    const routing = new OrgInboxRouting(fake.gateway, {
      now,
      refreshMs: 60_000,
      retryMs: 30_000,
      logger: silentLogger(),
    });
    const good = (await routing.router())!;

    fake.fail(new Error('socket hang up'));
    clock += 60_000;
    expect(await routing.router()).to.equal(good);
    expect(fake.composite.callCount).to.equal(2);
    expect(routing.problems()).to.deep.equal([
      {
        what: 'inbox routing could not be read from the org: socket hang up',
        hint: 'the last configuration read stays in force; the server tries again shortly',
      },
    ]);
    expect(good.place(post({ intent: 'purchase_intent' })).ownerId).to.equal(QUEUE_IDS['Social_Sales']);

    // Resting after the failure: no call until retryMs has passed.
    clock += 29_999;
    await routing.router();
    expect(fake.composite.callCount).to.equal(2);

    // One subrequest refused: the read fails as a whole and names what could not be read.
    fake.fail(null);
    fake.overrides.set(
      'queues',
      refusedWith('queues', 500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred'),
    );
    clock += 1;
    expect(await routing.router()).to.equal(good);
    expect(fake.composite.callCount).to.equal(3);
    expect(routing.problems()[0]!.what).to.equal(
      'inbox routing could not be read from the org: the org refused to read the queues: UNKNOWN_EXCEPTION: An unexpected error occurred',
    );

    fake.overrides.clear();
    clock += 30_000;
    const recovered = await routing.router();
    expect(fake.composite.callCount).to.equal(4);
    expect(recovered).to.not.equal(good);
    expect(routing.problems()).to.deep.equal([]);
  });

  it('places nothing before the first good read, and says posts go without placement', async () => {
    const fake = fakeGateway(orgRows());
    fake.fail(new Error('ECONNREFUSED'));
    const routing = new OrgInboxRouting(fake.gateway, { now, retryMs: 30_000 });
    expect(await routing.router()).to.equal(null);
    expect(await routing.configuration()).to.equal(null);
    expect(routing.problems()).to.deep.equal([
      {
        what: 'inbox routing could not be read from the org: ECONNREFUSED',
        hint: 'posts are written without queue, priority or due time until it can; the server tries again shortly',
      },
    ]);
    // refresh() reports the failure to its caller; router() never throws.
    await routing.refresh().then(
      () => expect.fail('refresh() should reject'),
      (error: Error) => expect(error.message).to.equal('ECONNREFUSED'),
    );
  });

  it('an org whose package predates the inbox (INVALID_TYPE): no router, one problem', async () => {
    const fake = fakeGateway(orgRows());
    const missing = (ref: string, type: string) =>
      refusedWith(
        ref,
        400,
        'INVALID_TYPE',
        `\nSELECT DeveloperName FROM ${type}\n ^\nERROR at Row:1:Column:1\nsObject type '${type}' is not supported.`,
      );
    fake.overrides.set('rules', missing('rules', 'Social_Routing_Rule__mdt'));
    fake.overrides.set('targets', missing('targets', 'Social_Reply_Target__mdt'));
    const routing = new OrgInboxRouting(fake.gateway, { now, retryMs: 30_000 });
    expect(await routing.router()).to.equal(null);
    const problems = routing.problems();
    expect(problems).to.have.length(1);
    expect(problems[0]!.what).to.contain('the package predates the inbox');
    expect(problems[0]!.hint).to.contain('deploy the current package');

    // The package is deployed: at the next try the inbox is on.
    fake.overrides.clear();
    clock += 30_000;
    expect(await routing.router()).to.not.equal(null);
    expect(routing.problems()).to.deep.equal([]);
  });

  it('an older package without the newer fields (INVALID_FIELD) counts as predating the inbox too', async () => {
    const fake = fakeGateway(orgRows());
    fake.overrides.set(
      'rules',
      refusedWith('rules', 400, 'INVALID_FIELD', "No such column 'Escalation_Queue__c' on entity"),
    );
    const routing = new OrgInboxRouting(fake.gateway, { now });
    expect(await routing.router()).to.equal(null);
    expect(routing.problems()).to.have.length(1);
    expect(routing.problems()[0]!.what).to.contain('predates the inbox');
  });
});

describe('OrgInboxRouting (seeded dev org)', function () {
  this.timeout(60_000);
  let org: DevOrg;
  let metrics: Metrics;
  let routing: OrgInboxRouting;
  let queueIds: Map<string, string>;

  const calls = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const v of (await metrics.crmApiCalls.get()).values) {
      const op = String(v.labels.operation);
      out[op] = (out[op] ?? 0) + v.value;
    }
    return out;
  };

  before(async () => {
    org = await startDevOrg({ seed: true });
    metrics = createMetrics();
    const gateway = new SalesforceGateway({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      apiVersion: org.apiVersion,
      metrics,
      logger: silentLogger(),
    });
    routing = new OrgInboxRouting(gateway, { logger: silentLogger(), retryMs: 0 });
    const queues = await gateway.query<{ Name: string; Id: string }>(
      "SELECT Id, Name FROM Group WHERE Type = 'Queue'",
    );
    queueIds = new Map(queues.map((q) => [q.Name, q.Id]));
    metrics.crmApiCalls.reset();
  });

  after(async () => org?.close());

  it('reads the seeded configuration in one call, with nothing for an admin to fix', async () => {
    const config = (await routing.configuration())!;
    expect(await calls()).to.deep.equal({ composite: 1 });
    expect(routing.problems()).to.deep.equal([]);
    expect(config.rules.map((r) => r.developerName)).to.deep.equal([
      'VIP_Complaints',
      'Sales_Leads',
      'Spanish',
      'Default',
    ]);
    expect(config.targets.map((t) => t.developerName).sort()).to.deep.equal([
      'High',
      'Low',
      'Normal',
      'Urgent',
      'X_Urgent',
    ]);
    // The org's default business hours: open around the clock in the org's time zone.
    expect(config.defaultHours).to.deep.include({
      name: 'Default',
      isDefault: true,
      timeZone: 'America/Los_Angeles',
    });
    for (const day of config.defaultHours.days) expect(day).to.deep.equal({ startMs: 0, endMs: 86_400_000 });
    expect([...config.hoursByName.keys()].sort()).to.deep.equal(['Default', 'Support Weekdays']);
    // No seeded target counts in "Support Weekdays": every due time is in the default hours.
    for (const t of config.targets) expect(t.businessHours).to.equal(null);
    expect(routing.contactsFor('Sales_Leads', config)).to.deep.equal({
      supervisor: 'admin@socialcrm.dev',
      escalationQueueId: null,
    });
  });

  it('routes as the seeded rules say, due at receipt + the target minutes (24/7 default hours)', async () => {
    const router = (await routing.router())!;
    const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
    // A Saturday night in Los Angeles: the default hours are open all the same.
    const receivedAt = new Date('2026-03-08T06:30:00.000Z');
    const iso = receivedAt.toISOString();

    expect(
      router.place(
        post({
          receivedAt,
          text: 'I want to buy three Basecamp 4 tents',
          intent: 'purchase_intent',
          sentiment: 'positive',
        }),
      ),
    ).to.deep.equal({
      ownerId: queueIds.get('Social Sales'),
      dueAt: at(iso, 60),
      priority: 'High',
      rule: 'Sales_Leads',
    });
    expect(
      router.place(
        post({ receivedAt, text: '¿Tienen la tienda en talla M?', language: 'es', intent: 'question' }),
      ),
    ).to.deep.equal({
      ownerId: queueIds.get('Social Support'),
      dueAt: at(iso, 240),
      priority: 'Normal',
      rule: 'Spanish',
    });
    const complaint = { receivedAt, intent: 'complaint', sentiment: 'negative', influence: 82 } as const;
    // Urgent on X: the X-only target (15 minutes) wins over the any-network one (30).
    expect(router.place(post({ ...complaint, network: 'x' }))).to.deep.equal({
      ownerId: queueIds.get('Social VIP'),
      dueAt: at(iso, 15),
      priority: 'Urgent',
      rule: 'VIP_Complaints',
    });
    expect(router.place(post({ ...complaint, network: 'bluesky' }))).to.deep.equal({
      ownerId: queueIds.get('Social VIP'),
      dueAt: at(iso, 30),
      priority: 'Urgent',
      rule: 'VIP_Complaints',
    });
    expect(
      router.place(
        post({ receivedAt, text: 'Love the new fleece', intent: 'praise', sentiment: 'positive' }),
      ),
    ).to.deep.equal({
      ownerId: queueIds.get('Social Support'),
      dueAt: at(iso, 1440),
      priority: 'Low',
      rule: 'Default',
    });
    // Answered from the cache: still the one call.
    expect(await calls()).to.deep.equal({ composite: 1 });
  });

  it('keeps the seeded configuration in force while the org is unavailable', async () => {
    const before = (await routing.router())!;
    org.faults.set({ unavailable: 1 });
    try {
      await routing.refresh().then(
        () => expect.fail('refresh() should reject'),
        () => undefined,
      );
    } finally {
      org.faults.clear();
    }
    expect(await routing.configuration()).to.not.equal(null);
    expect(routing.problems()).to.have.length(1);
    expect(routing.problems()[0]!.what).to.match(/^inbox routing could not be read from the org: /);
    expect(routing.problems()[0]!.hint).to.contain('last configuration read stays in force');
    expect(before.place(post({ intent: 'purchase_intent' })).ownerId).to.equal(queueIds.get('Social Sales'));
    await routing.refresh();
    expect(routing.problems()).to.deep.equal([]);
  });
});
