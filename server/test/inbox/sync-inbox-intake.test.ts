/**
 * Inbox placement on intake: the sync worker places posts that need a reply (routing rules, reply-time
 * targets) except a re-ingested one the org already has (a backfill or replayed delivery older than ten
 * minutes), looking that up only for such older mentions; and the write plan's inbox fields, written only
 * for an org whose package has them.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import type { Analysis } from '../../src/analysis/schema.ts';
import { Mention } from '../../src/domain/mention.ts';
import { openIntakeStore, type IntakeStore } from '../../src/intake/sqlite-queue.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { CaseRules } from '../../src/sync/case-rules.ts';
import type { CrmPort, FieldLimit, RecordWrite, WriteResult } from '../../src/sync/crm-port.ts';
import type { InboxPost, InboxRouter } from '../../src/sync/ports.ts';
import { SyncWorker } from '../../src/sync/sync-worker.ts';
import { buildWritePlan, type InboxPlacement, type ProcessedMention } from '../../src/sync/write-plan.ts';

const NOW = new Date('2026-03-04T12:00:00.000Z');
const SALES = '00G000000000002AAA';
const minutesAgo = (minutes: number): string => new Date(NOW.getTime() - minutes * 60_000).toISOString();

const INBOX_FIELDS = ['Inbox_Status__c', 'Priority__c', 'Reply_Due__c', 'Routed_By__c', 'OwnerId'];

function mention(id: string, createdAt: string, text = 'how do I order three tents?'): Mention {
  return Mention.parse({
    network: 'x',
    id,
    author: { id: `u${id}`, handle: `author_${id}`, displayName: 'Robin Vale', followers: 40 },
    text,
    createdAt,
  });
}

const limit = (type = 'string', length = 255): FieldLimit => ({ type, length, picklist: null });

/** A CRM that has the posts listed in `existing` and accepts every write. */
function fakeCrm(existing: readonly string[], postLimits: Map<string, FieldLimit>) {
  let nextId = 1;
  const written: RecordWrite[][] = [];
  const crm = {
    loadPeople: sinon.stub().resolves([]),
    loadPersonaLinks: sinon.stub().resolves([]),
    findThreadCases: sinon.stub().resolves([]),
    existingPosts: sinon
      .stub<[readonly string[]], Promise<Set<string>>>()
      .callsFake(async (keys) => new Set(keys.filter((k) => existing.includes(k)))),
    write: sinon.stub<[readonly RecordWrite[]], Promise<WriteResult[]>>().callsFake(async (writes) => {
      written.push([...writes]);
      return writes.map((write) => ({
        write,
        ok: true,
        id: `a01${String(nextId++).padStart(15, '0')}`,
        created: true,
        error: null,
      }));
    }),
    fieldLimits: sinon
      .stub<[string], Promise<Map<string, FieldLimit>>>()
      .callsFake(async (type) => (type === 'Social_Post__c' ? postLimits : new Map())),
    apiUsage: () => null,
    refreshUsage: async () => undefined,
  } satisfies CrmPort;
  const posts = (): RecordWrite[] => written.flat().filter((w) => w.role === 'post');
  return { crm, written, posts };
}

const PLACEMENT: InboxPlacement = {
  ownerId: SALES,
  dueAt: '2026-03-04T13:00:00.000Z',
  priority: 'High',
  rule: 'Sales_Leads',
};

describe('sync worker: inbox placement on intake', () => {
  let store: IntakeStore;

  beforeEach(() => {
    store = openIntakeStore({ path: ':memory:', now: () => NOW.getTime() });
  });
  afterEach(async () => store.close());

  function worker(
    crm: CrmPort,
    router: InboxRouter | null,
    analysis: (text: string) => Analysis = () => ({
      language: 'en',
      sentiment: { label: 'neutral', score: 0 },
      intent: 'purchase_intent',
      needsReply: true,
    }),
  ): SyncWorker {
    return new SyncWorker({
      queue: store.queue,
      crm,
      analyze: (text) => analysis(text),
      identity: {
        refreshIfDue: async () => undefined,
        resolve: () => ({ link: null, suggestion: null }),
        remember: () => undefined,
      },
      scoring: {
        observe: (items) => items.map(() => ({ influence: 42, advocacy: 0 })),
        rollup: () => ({ influence: 0, sentiment: 0, lastActivity: NOW.toISOString() }),
      },
      rules: CaseRules.parse({ enabled: false }),
      metrics: createMetrics({ defaultMetrics: false }),
      logger: silentLogger(),
      now: () => NOW,
      inbox: { router: async () => router },
      options: { targetBatch: 1, bulkBacklog: 0 },
    });
  }

  const inboxLimits = () =>
    new Map([
      ['Body__c', limit('textarea', 10_000)],
      ['Inbox_Status__c', limit('picklist')],
      ['Priority__c', limit('picklist')],
      ['Reply_Due__c', limit('datetime', 0)],
      ['Routed_By__c', limit('string', 80)],
    ]);

  it('gives a re-ingested post the org already has no inbox placement, and a new older one its place', async () => {
    const { crm, posts } = fakeCrm(['x:100'], inboxLimits());
    const place = sinon.stub<[InboxPost], InboxPlacement>().returns(PLACEMENT);
    await store.queue.enqueue([mention('100', minutesAgo(90)), mention('101', minutesAgo(45))]);
    expect(await worker(crm, { place }).runOnce()).to.equal(2);

    // One lookup for the batch, of the needs-reply posts older than ten minutes.
    expect(crm.existingPosts.callCount).to.equal(1);
    expect([...crm.existingPosts.firstCall.args[0]].sort()).to.deep.equal(['x:100', 'x:101']);
    const [known, fresh] = posts();
    expect(known!.fields['External_Id__c']).to.equal('x:100');
    for (const field of INBOX_FIELDS) expect(known!.fields, field).to.not.have.property(field);
    expect(fresh!.fields).to.include({
      External_Id__c: 'x:101',
      Inbox_Status__c: 'Open',
      Priority__c: 'High',
      Reply_Due__c: '2026-03-04T13:00:00.000Z',
      Routed_By__c: 'Sales_Leads',
      OwnerId: SALES,
    });
    // Only the new post was placed, with what routing needs to know of it.
    expect(place.callCount).to.equal(1);
    expect(place.firstCall.args[0]).to.deep.equal({
      network: 'x',
      text: 'how do I order three tents?',
      language: 'en',
      intent: 'purchase_intent',
      sentiment: 'neutral',
      influence: 42,
      accountId: null,
      contactId: null,
      receivedAt: new Date(minutesAgo(45)),
    });
  });

  it('does not look up live mentions (younger than ten minutes): they are placed without a query', async () => {
    const { crm, posts } = fakeCrm(['x:200'], inboxLimits());
    const place = sinon.stub<[InboxPost], InboxPlacement>().returns(PLACEMENT);
    await store.queue.enqueue([mention('200', minutesAgo(1)), mention('201', minutesAgo(9.9))]);
    await worker(crm, { place }).runOnce();
    expect(crm.existingPosts.callCount).to.equal(0);
    expect(place.callCount).to.equal(2);
    for (const post of posts()) expect(post.fields).to.include({ Inbox_Status__c: 'Open', OwnerId: SALES });
  });

  it('looks up and places only posts that need a reply', async () => {
    const { crm, posts } = fakeCrm([], inboxLimits());
    const place = sinon.stub<[InboxPost], InboxPlacement>().returns(PLACEMENT);
    await store.queue.enqueue([mention('300', minutesAgo(60), 'love it'), mention('301', minutesAgo(60))]);
    await worker(crm, { place }, (text) => ({
      language: 'en',
      sentiment: { label: 'positive', score: 0.8 },
      intent: text === 'love it' ? 'praise' : 'question',
      needsReply: text !== 'love it',
    })).runOnce();
    expect(crm.existingPosts.callCount).to.equal(1);
    expect([...crm.existingPosts.firstCall.args[0]]).to.deep.equal(['x:301']);
    const byKey = new Map(posts().map((p) => [p.fields['External_Id__c'], p.fields]));
    expect(byKey.get('x:300')).to.not.have.property('Inbox_Status__c');
    expect(byKey.get('x:301')).to.include({ Inbox_Status__c: 'Open' });
    expect(place.callCount).to.equal(1);
  });

  it('asks the org nothing and places nothing without an inbox (no router)', async () => {
    const { crm, posts } = fakeCrm([], inboxLimits());
    await store.queue.enqueue([mention('400', minutesAgo(60)), mention('401', minutesAgo(1))]);
    await worker(crm, null).runOnce();
    expect(crm.existingPosts.callCount).to.equal(0);
    for (const post of posts())
      for (const field of INBOX_FIELDS) expect(post.fields).to.not.have.property(field);
  });

  it('writes no inbox fields to an org whose package has none, even with a router', async () => {
    const { crm, posts } = fakeCrm([], new Map([['Body__c', limit('textarea', 10_000)]]));
    const place = sinon.stub<[InboxPost], InboxPlacement>().returns(PLACEMENT);
    await store.queue.enqueue([mention('500', minutesAgo(1))]);
    await worker(crm, { place }).runOnce();
    const [post] = posts();
    for (const field of INBOX_FIELDS) expect(post!.fields).to.not.have.property(field);
  });
});

describe('write plan: inbox fields', () => {
  function processed(inbox: InboxPlacement | null | undefined): ProcessedMention {
    return {
      seq: 1,
      mention: mention('900', minutesAgo(5)),
      analysis: {
        language: 'en',
        sentiment: { label: 'neutral', score: 0 },
        intent: 'question',
        needsReply: true,
      },
      identity: { link: null, suggestion: null },
      scores: { influence: 10, advocacy: 0 },
      threadKey: 'x:900',
      caseDecision: { action: 'none' },
      newLeadKey: null,
      inReplyToKey: null,
      ...(inbox === undefined ? {} : { inbox }),
    };
  }
  const withInbox = new Map([['Social_Post__c', new Map([['Inbox_Status__c', limit('picklist')]])]]);
  const olderPackage = new Map([['Social_Post__c', new Map([['Body__c', limit('textarea', 10_000)]])]]);
  const postFields = (pm: ProcessedMention, limits: typeof withInbox): Record<string, unknown> =>
    buildWritePlan([pm], { limits, rollups: new Map() }).find((w) => w.role === 'post')!.fields;

  it('writes the placement as an open inbox post: status, priority, due time, rule and owner', () => {
    expect(postFields(processed(PLACEMENT), withInbox)).to.include({
      Inbox_Status__c: 'Open',
      Priority__c: 'High',
      Reply_Due__c: '2026-03-04T13:00:00.000Z',
      Routed_By__c: 'Sales_Leads',
      OwnerId: SALES,
    });
  });

  it("leaves the org's default owner when routing picked no queue, and writes a missing due time as blank", () => {
    const fields = postFields(
      processed({ ownerId: null, dueAt: null, priority: 'Low', rule: null }),
      withInbox,
    );
    expect(fields).to.include({ Inbox_Status__c: 'Open', Priority__c: 'Low' });
    expect(fields).to.have.property('Reply_Due__c', null);
    expect(fields).to.have.property('Routed_By__c', null);
    expect(fields).to.not.have.property('OwnerId');
  });

  it('writes no inbox fields without a placement', () => {
    for (const pm of [processed(undefined), processed(null)]) {
      const fields = postFields(pm, withInbox);
      for (const field of INBOX_FIELDS) expect(fields).to.not.have.property(field);
    }
  });

  it("writes no inbox fields when the org's Social_Post__c has no Inbox_Status__c (an older package)", () => {
    const fields = postFields(processed(PLACEMENT), olderPackage);
    for (const field of INBOX_FIELDS) expect(fields).to.not.have.property(field);
    expect(fields).to.include({ External_Id__c: 'x:900', Needs_Reply__c: true });
  });
});
