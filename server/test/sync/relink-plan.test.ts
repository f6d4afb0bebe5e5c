import { expect } from 'chai';
import {
  isByHand,
  planRelink,
  recomputeRollups,
  type OpenCaseRow,
  type PersonaRow,
  type PostRow,
  type RecordUpdate,
  type RelinkDecision,
} from '../../src/sync/relink-plan.ts';

const ANN = '003Dv0000000001AAA';
const BOB = '003Dv0000000002AAA';
const LEAD = '00QDv0000000001AAA';
const ACME = '001Dv0000000001AAA';

const persona = (over: Partial<PersonaRow> = {}): PersonaRow => ({
  id: 'a00Dv0000000001AAA',
  key: 'x:42',
  contactId: null,
  leadId: null,
  suggestedContactId: null,
  suggestedLeadId: null,
  matchReason: null,
  ...over,
});
const post = (n: number, over: Partial<PostRow> = {}): PostRow => ({
  id: `a01Dv${String(n).padStart(13, '0')}`,
  personaId: 'a00Dv0000000001AAA',
  contactId: null,
  leadId: null,
  accountId: null,
  caseId: null,
  ...over,
});
const toAnn = {
  id: ANN,
  type: 'Contact' as const,
  accountId: ACME,
  confidence: 1,
  reason: 'handle x:@ann_lee listed in Social_Handles__c',
};
const decision = (over: Partial<RelinkDecision> = {}): RelinkDecision => ({
  persona: persona(),
  target: toAnn,
  suggestion: null,
  releasable: new Set(),
  releasableAccounts: new Set(),
  byHand: false,
  unlinkReason: 'Unlinked: x:@ann_lee no longer listed in Social_Handles__c of Contact ' + ANN,
  ...over,
});

/** Applies a plan's updates to the rows, as the org would. */
function apply<T extends { id: string }>(
  rows: T[],
  updates: RecordUpdate[],
  map: Record<string, keyof T>,
): T[] {
  return rows.map((row) => {
    const update = updates.find((u) => u.fields.Id === row.id);
    if (!update) return row;
    const next = { ...row };
    for (const [field, key] of Object.entries(map)) {
      if (field in update.fields) (next as Record<string, unknown>)[key as string] = update.fields[field];
    }
    return next;
  });
}
const POST_FIELDS = { Contact__c: 'contactId', Lead__c: 'leadId', Account__c: 'accountId' } as const;

describe('relink plan', () => {
  it("links a stranger's earlier posts, the persona and its open Case to the Contact, and nothing twice", () => {
    const posts = [post(1, { caseId: '500Dv0000000001AAA' }), post(2)];
    const cases = new Map<string, OpenCaseRow>([
      ['500Dv0000000001AAA', { id: '500Dv0000000001AAA', contactId: null, accountId: null }],
    ]);
    const plan = planRelink(decision(), posts, cases);
    const byType = (t: string) => plan.updates.filter((u) => u.type === t);
    expect(byType('Social_Post__c').map((u) => u.fields)).to.deep.equal([
      { Id: posts[0]!.id, Contact__c: ANN, Lead__c: null, Account__c: ACME },
      { Id: posts[1]!.id, Contact__c: ANN, Lead__c: null, Account__c: ACME },
    ]);
    expect(byType('Case').map((u) => u.fields)).to.deep.equal([
      { Id: '500Dv0000000001AAA', ContactId: ANN, AccountId: ACME },
    ]);
    expect(byType('Social_Persona__c')[0]!.fields).to.include({
      Contact__c: ANN,
      Lead__c: null,
      Match_Reason__c: toAnn.reason,
      Match_Confidence__c: 100,
    });
    expect(plan.touched).to.deep.equal([{ id: ANN, type: 'Contact' }]);
    expect(plan.postIds).to.have.length(2);

    // Planned again on what the org now holds: nothing left to write (a retry writes only what is missing).
    const after = apply(posts, plan.updates, POST_FIELDS);
    const again = planRelink(
      decision({ persona: persona({ contactId: ANN, matchReason: toAnn.reason }) }),
      after,
      new Map([['500Dv0000000001AAA', { id: '500Dv0000000001AAA', contactId: ANN, accountId: ACME }]]),
    );
    expect(again.updates).to.deep.equal([]);
    expect(again.touched).to.deep.equal([]);
  });

  it('unlinks posts linked by the removed handle, leaves a post a rep linked to someone else, and its Case', () => {
    const posts = [
      post(1, { contactId: ANN, accountId: ACME, caseId: '500Dv0000000001AAA' }),
      post(2, { contactId: BOB, caseId: '500Dv0000000002AAA' }),
    ];
    const cases = new Map<string, OpenCaseRow>([
      ['500Dv0000000001AAA', { id: '500Dv0000000001AAA', contactId: ANN, accountId: ACME }],
      ['500Dv0000000002AAA', { id: '500Dv0000000002AAA', contactId: BOB, accountId: null }],
    ]);
    const plan = planRelink(
      decision({
        persona: persona({ contactId: ANN, matchReason: toAnn.reason }),
        target: null,
        releasable: new Set([ANN]),
        releasableAccounts: new Set([ACME]),
      }),
      posts,
      cases,
    );
    expect(plan.updates.map((u) => [u.type, u.fields])).to.deep.equal([
      ['Social_Post__c', { Id: posts[0]!.id, Contact__c: null, Lead__c: null, Account__c: null }],
      ['Case', { Id: '500Dv0000000001AAA', ContactId: null, AccountId: null }],
      [
        'Social_Persona__c',
        {
          Id: 'a00Dv0000000001AAA',
          Contact__c: null,
          Lead__c: null,
          Suggested_Contact__c: null,
          Suggested_Lead__c: null,
          Match_Reason__c: `Unlinked: x:@ann_lee no longer listed in Social_Handles__c of Contact ${ANN}`,
          Match_Confidence__c: null,
        },
      ],
    ]);
    expect(plan.touched).to.deep.equal([{ id: ANN, type: 'Contact' }]);
  });

  it('leaves the suggestion the resolver still has when unlinking', () => {
    const plan = planRelink(
      decision({
        persona: persona({ contactId: ANN }),
        target: null,
        suggestion: { ...toAnn, id: BOB, confidence: 0.6, reason: 'name match' },
        releasable: new Set([ANN]),
      }),
      [],
      new Map(),
    );
    expect(plan.updates[0]!.fields).to.include({
      Suggested_Contact__c: BOB,
      Match_Confidence__c: 60,
    });
    expect(String(plan.updates[0]!.fields['Match_Reason__c'])).to.match(/; suggested: name match$/);
  });

  it('moves posts from a Lead to the Contact and a Lead link clears the Account', () => {
    const posts = [post(1, { leadId: LEAD })];
    const plan = planRelink(
      decision({ persona: persona({ leadId: LEAD }), releasable: new Set([LEAD]) }),
      posts,
      new Map(),
    );
    expect(plan.updates[0]!.fields).to.deep.equal({
      Id: posts[0]!.id,
      Contact__c: ANN,
      Lead__c: null,
      Account__c: ACME,
    });
    expect(plan.touched).to.deep.include.members([
      { id: LEAD, type: 'Lead' },
      { id: ANN, type: 'Contact' },
    ]);
    const toLead = planRelink(
      decision({
        target: { id: LEAD, type: 'Lead', accountId: null, confidence: 1, reason: 'handle' },
      }),
      [post(2)],
      new Map(),
    );
    expect(toLead.updates[0]!.fields).to.deep.equal({
      Id: post(2).id,
      Contact__c: null,
      Lead__c: LEAD,
      Account__c: null,
    });
  });

  it("a link by hand keeps the persona's reason; a rep's Case contact is never overwritten", () => {
    expect(isByHand('Linked by an agent in the social inbox')).to.equal(true);
    expect(isByHand('Linked by hand in Salesforce')).to.equal(true);
    expect(isByHand('Unlinked by hand in Salesforce from Contact 003')).to.equal(true);
    expect(isByHand('handle x:@ann listed in Social_Handles__c')).to.equal(false);
    expect(isByHand(null)).to.equal(false);
    const plan = planRelink(
      decision({
        persona: persona({ contactId: ANN, matchReason: 'Linked by an agent in the social inbox' }),
        target: { ...toAnn, reason: 'Linked by an agent in the social inbox' },
        byHand: true,
        handReason: null,
      }),
      [post(1, { caseId: '500Dv0000000003AAA' })],
      new Map([['500Dv0000000003AAA', { id: '500Dv0000000003AAA', contactId: BOB, accountId: null }]]),
    );
    expect(plan.updates.map((u) => u.type)).to.deep.equal(['Social_Post__c']);
  });

  it('500 posts are 500 records in one plan (the adapter sends them as three collections)', () => {
    const posts = Array.from({ length: 500 }, (_, i) => post(i));
    const plan = planRelink(decision(), posts, new Map());
    expect(plan.updates.filter((u) => u.type === 'Social_Post__c')).to.have.length(500);
    expect(plan.updates.filter((u) => u.type === 'Social_Persona__c')).to.have.length(1);
  });

  it('roll-ups from all posts and personas: highest influence, decayed sentiment, latest post; nulls when none', () => {
    const updates = recomputeRollups(
      [
        { id: ANN, type: 'Contact' },
        { id: BOB, type: 'Contact' },
      ],
      [
        { personId: ANN, score: -0.8, at: '2026-11-01T10:00:00.000Z' },
        { personId: ANN, score: -0.4, at: '2026-11-02T10:00:00.000Z' },
      ],
      [
        { personId: ANN, key: 'x:1', influence: 30 },
        { personId: ANN, key: 'bluesky:did:plc:a', influence: 55.555 },
      ],
    );
    const ann = updates.find((u) => u.fields.Id === ANN)!.fields;
    expect(ann['Social_Influence__c']).to.equal(55.56);
    expect(ann['Last_Social_Activity__c']).to.equal('2026-11-02T10:00:00.000Z');
    expect(ann['Social_Sentiment__c']).to.be.below(-0.4).and.above(-0.8);
    expect(updates.find((u) => u.fields.Id === BOB)!.fields).to.deep.equal({
      Id: BOB,
      Social_Influence__c: null,
      Social_Sentiment__c: null,
      Last_Social_Activity__c: null,
    });
  });
});
