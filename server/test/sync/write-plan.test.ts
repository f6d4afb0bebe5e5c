import { expect } from 'chai';
import { Mention } from '../../src/domain/mention.ts';
import type { FieldLimit, PersonRecord } from '../../src/sync/crm-port.ts';
import { buildWritePlan, fitFields, type ProcessedMention } from '../../src/sync/write-plan.ts';

const contact: PersonRecord = {
  id: '003Dv0000000001IAA',
  type: 'Contact',
  firstName: 'Ann',
  lastName: 'Lee',
  name: 'Ann Lee',
  email: 'ann@northwind.example',
  company: 'Northwind',
  website: null,
  socialHandles: 'x:@ann_lee',
  accountId: '001Dv0000000001IAA',
  ownerId: '005Dv0000000001IAA',
  isConverted: false,
  influence: null,
  sentiment: null,
  lastActivity: null,
  lastModified: '2026-11-01T00:00:00.000Z',
};

function processed(
  seq: number,
  overrides: Partial<ProcessedMention> = {},
  text = 'My order arrived broken',
): ProcessedMention {
  const mention = Mention.parse({
    network: 'x',
    id: String(1000 + seq),
    author: { id: `u${seq}`, handle: `author${seq}`, displayName: 'Author Name', followers: 120 },
    text,
    createdAt: '2026-11-25T10:00:00.000Z',
  });
  return {
    seq,
    mention,
    analysis: {
      language: 'en',
      sentiment: { label: 'negative', score: -0.6 },
      intent: 'complaint',
      needsReply: true,
    },
    identity: { link: null, suggestion: null },
    scores: { influence: 12.345, advocacy: 0 },
    threadKey: `x:${1000 + seq}`,
    caseDecision: { action: 'none' },
    newLeadKey: null,
    inReplyToKey: null,
    ...overrides,
  };
}

describe('write plan', () => {
  it('orders leads, personas, cases, posts and roll-ups, every write idempotent', () => {
    const writes = buildWritePlan(
      [
        processed(1, {
          identity: { link: { person: contact, confidence: 1, reason: 'handle' }, suggestion: null },
          caseDecision: { action: 'open', key: 'x:1001', priority: 'High', retire: null },
        }),
        processed(2, {
          newLeadKey: 'x:u2',
          analysis: {
            language: 'en',
            sentiment: { label: 'positive', score: 0.4 },
            intent: 'purchase_intent',
            needsReply: true,
          },
        }),
      ],
      {
        limits: new Map(),
        rollups: new Map([
          [
            contact.id,
            {
              person: contact,
              rollup: { influence: 12.3, sentiment: -0.5, lastActivity: '2026-11-25T10:00:00.000Z' },
            },
          ],
        ]),
      },
    );
    expect(writes.map((w) => w.role)).to.deep.equal([
      'lead',
      'persona',
      'persona',
      'case',
      'post',
      'post',
      'rollup',
    ]);
    for (const write of writes) expect(['upsert', 'update']).to.include(write.op);
    const [lead, persona1, persona2, kase, post1, post2, rollup] = writes;
    expect(lead!.fields).to.include({
      Social_Persona_Key__c: 'x:u2',
      LeadSource: 'Social',
      Company: '[not provided]',
      LastName: 'Name',
    });
    expect(persona1!.fields).to.include({
      External_Id__c: 'x:u1',
      Contact__c: contact.id,
      Influence_Score__c: 12.35,
    });
    expect(persona2!.fields['Lead__r']).to.deep.equal({ Social_Persona_Key__c: 'x:u2' });
    expect(kase!.fields).to.include({
      Social_Thread_Key__c: 'x:1001',
      ContactId: contact.id,
      AccountId: contact.accountId,
      Origin: 'Social',
      Priority: 'High',
    });
    expect(kase!.fields['Subject']).to.equal('X @author1: My order arrived broken');
    expect(post1!.fields).to.include({
      External_Id__c: 'x:1001',
      Contact__c: contact.id,
      Account__c: contact.accountId,
      Sentiment__c: 'negative',
      Needs_Reply__c: true,
    });
    expect(post1!.fields['Case__r']).to.deep.equal({ Social_Thread_Key__c: 'x:1001' });
    expect(post1!.fields['Persona__r']).to.deep.equal({ External_Id__c: 'x:u1' });
    expect(post2!.fields['Lead__r']).to.deep.equal({ Social_Persona_Key__c: 'x:u2' });
    expect(rollup!.fields).to.deep.equal({
      Id: contact.id,
      Social_Influence__c: 12.3,
      Social_Sentiment__c: -0.5,
      Last_Social_Activity__c: '2026-11-25T10:00:00.000Z',
    });
  });

  it('writes one persona per author, serving all their posts, and never clears a link', () => {
    const a = processed(1);
    const b = { ...processed(2), mention: { ...processed(2).mention, author: a.mention.author } };
    const writes = buildWritePlan([a, b], { limits: new Map(), rollups: new Map() });
    const personas = writes.filter((w) => w.role === 'persona');
    expect(personas).to.have.length(1);
    expect(personas[0]!.seqs).to.deep.equal([1, 2]);
    expect(personas[0]!.fields).not.to.have.property('Contact__c');
    expect(personas[0]!.fields).not.to.have.property('Lead__c');
  });

  it('records a suggestion instead of a link below the threshold', () => {
    const writes = buildWritePlan(
      [
        processed(1, {
          identity: { link: null, suggestion: { person: contact, confidence: 0.6, reason: 'name only' } },
        }),
      ],
      { limits: new Map(), rollups: new Map() },
    );
    const persona = writes.find((w) => w.role === 'persona')!;
    expect(persona.fields).to.include({
      Suggested_Contact__c: contact.id,
      Match_Confidence__c: 60,
      Match_Reason__c: 'name only',
    });
    expect(persona.fields).not.to.have.property('Contact__c');
    expect(writes.find((w) => w.role === 'post')!.fields).not.to.have.property('Contact__c');
  });

  it('frees the key of a long-closed case before opening the thread’s new one', () => {
    const old = {
      id: '500Dv0000000009IAA',
      key: 'x:1001',
      isClosed: true,
      closedAt: new Date('2026-10-01T00:00:00Z'),
    };
    const writes = buildWritePlan(
      [processed(1, { caseDecision: { action: 'open', key: 'x:1001', priority: 'Low', retire: old } })],
      {
        limits: new Map(),
        rollups: new Map(),
      },
    );
    expect(writes[0]).to.deep.include({ role: 'case-retire', op: 'update' });
    expect(writes[0]!.fields).to.deep.equal({ Id: old.id, Social_Thread_Key__c: `x:1001#${old.id}` });
  });

  it('fits text to the org’s field lengths without splitting characters', () => {
    const limits = new Map<string, FieldLimit>([
      ['Body__c', { type: 'textarea', length: 10, picklist: null }],
    ]);
    const fitted = fitFields(limits, { Body__c: 'abcdefgh😀😀😀', Other__c: 'x'.repeat(50) });
    expect(fitted['Body__c']).to.equal('abcdefgh…');
    expect(String(fitted['Body__c']).length).to.be.at.most(10);
    expect(fitted['Other__c']).to.have.length(50);
  });
});
