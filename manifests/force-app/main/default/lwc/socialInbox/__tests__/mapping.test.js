import {
  assignFields,
  assignPlan,
  changeConcernsInbox,
  claimFields,
  claimOf,
  doneFields,
  holderOf,
  inboxReplyFields,
  linkFields,
  mapInbox,
  mapOptions,
  mapThread,
  newPersonFields,
  parseClaimedBy,
  takenMessage,
  toInboxItem,
} from '../mapping';
import {
  ANN,
  CONTACT_ID,
  ME,
  MEMBERSHIPS,
  OPTIONS,
  PERSONA_ID,
  POST2_ID,
  POST_ID,
  POST_QUEUES,
  SUPPORT,
  VIP,
  claimEdge,
  inboxData,
  postNode,
  threadData,
  threadNode,
  v,
} from './fixtures';

describe('socialInbox mapping', () => {
  describe('toInboxItem', () => {
    it('maps a queued stranger post to an InboxItem, with the persona suggestion to link', () => {
      expect(toInboxItem(postNode(POST_ID))).toEqual({
        postId: POST_ID,
        network: 'x',
        externalId: `x:${POST_ID}`,
        url: `https://x.com/ann_lee/status/${POST_ID}`,
        author: { handle: 'ann_lee', name: 'Ann Lee', influence: 72, personaId: PERSONA_ID },
        text: 'My order never arrived',
        sentiment: 'negative',
        intent: 'complaint',
        language: 'en',
        priority: 'High',
        receivedAt: '2025-01-02T10:00:00.000Z',
        dueAt: '2025-01-02T11:00:00.000Z',
        status: 'needs_reply',
        ownerId: SUPPORT,
        ownerName: 'Social Support',
        ownerIsQueue: true,
        recordId: null,
        recordType: null,
        recordName: null,
        threadId: 'x:root-1',
        suggestions: [
          {
            recordId: CONTACT_ID,
            recordType: 'Contact',
            name: 'Ann Lee (Acme)',
            confidence: 87,
            reason: 'Same name and handle',
          },
        ],
        doneReason: null,
        repliedAt: null,
        escalated: false,
      });
    });

    it('maps an assigned post linked to a contact and a case: the person is the record, no suggestions', () => {
      const item = toInboxItem(
        postNode(POST_ID, {
          Inbox_Status__c: v('Assigned'),
          OwnerId: v(ANN),
          Owner: { Name: v('Ann Agent') },
          Contact__c: v(CONTACT_ID),
          Contact__r: { Name: v('Ann Lee') },
          Case__c: v('500000000000001AAA'),
          Case__r: { CaseNumber: v('00001026') },
          Priority__c: v(null),
          Reply_Due__c: v(null),
          Escalated_At__c: v('2025-01-02T11:01:00.000Z'),
          Thread_Root__c: v(null),
        }),
      );
      expect(item).toMatchObject({
        status: 'assigned',
        ownerId: ANN,
        ownerName: 'Ann Agent',
        ownerIsQueue: false,
        recordId: CONTACT_ID,
        recordType: 'Contact',
        recordName: 'Ann Lee',
        priority: 'Normal',
        dueAt: null,
        escalated: true,
        threadId: POST_ID,
        suggestions: [],
      });
    });

    it('falls back to the case, then the account, and leaves out networks it does not know', () => {
      const onCase = toInboxItem(
        postNode(POST_ID, { Case__c: v('500000000000001AAA'), Case__r: { CaseNumber: v('00001026') } }),
      );
      expect(onCase).toMatchObject({ recordType: 'Case', recordName: '00001026' });
      expect(toInboxItem(postNode(POST_ID, { Network__c: v('myspace') }))).toBeNull();
      expect(toInboxItem(postNode(POST_ID, { Owner: null })).ownerName).toBe(SUPPORT);
    });
  });

  describe('mapInbox', () => {
    it('keeps the query order, the context to act on each post, saved replies and paging', () => {
      const inbox = mapInbox(
        inboxData(
          [
            postNode(POST_ID, {
              Contact__c: v(CONTACT_ID),
              Contact__r: { Name: v('Ann Lee') },
              Send_Claims__r: claimEdge('a04000000000001AAA', `${ANN} Ann Agent`),
            }),
            postNode(POST2_ID, { Network__c: v('bluesky'), Thread_Root__c: v(null) }),
          ],
          { hasNextPage: true },
        ),
      );
      expect(inbox.items.map((i) => i.postId)).toEqual([POST_ID, POST2_ID]);
      expect(inbox.context[POST_ID]).toEqual({
        id: POST_ID,
        network: 'x',
        lookups: { Contact__c: CONTACT_ID },
        threadRoot: 'x:root-1',
        personaId: PERSONA_ID,
        authorName: 'Ann Lee',
        handle: 'ann_lee',
        ownerId: SUPPORT,
        ownerName: 'Social Support',
        claim: { id: 'a04000000000001AAA', holderId: ANN, holderName: 'Ann Agent' },
      });
      // Without a thread root, the post starts its own thread.
      expect(inbox.context[POST2_ID]).toMatchObject({
        threadRoot: `x:${POST2_ID}`,
        lookups: {},
        claim: null,
      });
      expect(inbox.savedReplies.map((r) => r.name)).toEqual(['Sorry', 'Toot']);
      expect(inbox.hasMore).toBe(true);
      expect(mapInbox(undefined)).toEqual({ items: [], context: {}, savedReplies: [], hasMore: false });
    });
  });

  describe('claims', () => {
    it('reads "<user Id> <name>" as the sync server writes it, and writes it the same way', () => {
      expect(parseClaimedBy(`${ANN} Ann Agent`)).toEqual({ holderId: ANN, holderName: 'Ann Agent' });
      expect(parseClaimedBy(ANN)).toEqual({ holderId: ANN, holderName: null });
      expect(parseClaimedBy(null)).toEqual({ holderId: null, holderName: null });
      expect(claimFields(POST_ID, { id: ME, name: 'Maya Me' })).toEqual({
        Key__c: `inbox:${POST_ID}`,
        Reply__c: POST_ID,
        Claimed_By__c: `${ME} Maya Me`,
      });
      expect(claimFields(POST_ID, { id: ME, name: 'x'.repeat(200) }).Claimed_By__c).toHaveLength(120);
    });

    it('ignores claims that are not inbox claims', () => {
      const node = postNode(POST_ID, {
        Send_Claims__r: { edges: [{ node: { Id: 'c1', Key__c: v('a01#1'), Claimed_By__c: v('host-1') } }] },
      });
      expect(claimOf(node)).toBeNull();
    });

    it('names the holder: the claim, else a user owner, else nobody', () => {
      expect(holderOf({ claim: { holderId: ANN, holderName: 'Ann Agent' }, ownerId: SUPPORT })).toEqual({
        id: ANN,
        name: 'Ann Agent',
      });
      expect(holderOf({ claim: null, ownerId: ANN, ownerName: 'Ann Agent' })).toEqual({
        id: ANN,
        name: 'Ann Agent',
      });
      expect(holderOf({ claim: null, ownerId: SUPPORT })).toBeNull();
      expect(takenMessage({ id: ANN, name: 'Ann Agent' })).toBe('Already taken by Ann Agent');
      expect(takenMessage(null)).toBe('Already taken by another agent');
    });
  });

  describe('assignPlan', () => {
    const queued = { ownerId: SUPPORT, claim: null };
    const annHolds = {
      ownerId: ANN,
      ownerName: 'Ann Agent',
      claim: { id: 'c1', holderId: ANN, holderName: 'Ann Agent' },
    };

    it('takes a queued post by claiming it', () => {
      expect(assignPlan(queued, ME, ME)).toEqual({ release: null, claim: true });
    });

    it('refuses to take a post someone else holds, by claim or by ownership', () => {
      expect(assignPlan(annHolds, ME, ME)).toEqual({ refuse: { id: ANN, name: 'Ann Agent' } });
      expect(assignPlan({ ownerId: ANN, ownerName: 'Ann Agent', claim: null }, ME, ME)).toEqual({
        refuse: { id: ANN, name: 'Ann Agent' },
      });
    });

    it('releases the claim when the post goes back to a queue or to someone else', () => {
      expect(assignPlan(annHolds, VIP, ME)).toEqual({ release: 'c1', claim: false });
      expect(assignPlan(annHolds, '005000000000003AAA', ME)).toEqual({ release: 'c1', claim: true });
      expect(assignPlan(annHolds, ANN, ME)).toEqual({ release: null, claim: false });
    });

    it('writes the owner and the inbox status', () => {
      expect(assignFields(POST_ID, SUPPORT)).toEqual({
        Id: POST_ID,
        OwnerId: SUPPORT,
        Inbox_Status__c: 'Open',
      });
      expect(assignFields(POST_ID, ME)).toEqual({ Id: POST_ID, OwnerId: ME, Inbox_Status__c: 'Assigned' });
    });
  });

  it('closes a post with its reason, when and by whom, and refuses a reason that is not one', () => {
    const now = new Date('2025-01-02T12:00:00.000Z');
    expect(doneFields(POST_ID, 'Spam', ME, now)).toEqual({
      Id: POST_ID,
      Inbox_Status__c: 'Done',
      Done_Reason__c: 'Spam',
      Done_At__c: '2025-01-02T12:00:00.000Z',
      Done_By__c: ME,
    });
    expect(() => doneFields(POST_ID, 'Bored', ME)).toThrow(/Bored/);
  });

  it('replies with a Pending outbound post linked to what the post is linked to', () => {
    const context = { id: POST_ID, network: 'x', lookups: { Contact__c: CONTACT_ID } };
    expect(inboxReplyFields({ postId: POST_ID, text: 'Sorry!', idempotencyKey: 'k-1' }, context)).toEqual({
      Is_Outbound__c: true,
      Status__c: 'Pending',
      In_Reply_To__c: POST_ID,
      Body__c: 'Sorry!',
      Network__c: 'x',
      Idempotency_Key__c: 'k-1',
      Contact__c: CONTACT_ID,
    });
    expect(() => inboxReplyFields({ postId: POST_ID, text: 'Hi' }, undefined)).toThrow(/no longer/);
    expect(() => inboxReplyFields({ postId: POST_ID, text: '  ' }, context)).toThrow(/empty/);
  });

  it('makes a lead or contact from the author, and links post and persona to a person', () => {
    const context = {
      id: POST_ID,
      network: 'x',
      handle: 'ann_lee',
      authorName: 'Ann Marie Lee',
      personaId: PERSONA_ID,
    };
    expect(newPersonFields('Lead', context)).toEqual({
      FirstName: 'Ann Marie',
      LastName: 'Lee',
      Company: 'Ann Marie Lee',
      Social_Handles__c: 'x:ann_lee',
    });
    expect(newPersonFields('Contact', { ...context, authorName: null })).toEqual({
      LastName: 'ann_lee',
      Social_Handles__c: 'x:ann_lee',
    });
    expect(() => newPersonFields('Account', context)).toThrow();
    expect(linkFields(context, CONTACT_ID)).toEqual([
      { Id: POST_ID, Contact__c: CONTACT_ID },
      { Id: PERSONA_ID, Contact__c: CONTACT_ID, Suggested_Contact__c: null },
    ]);
    expect(linkFields({ ...context, personaId: null }, '00Q000000000001AAA')).toEqual([
      { Id: POST_ID, Lead__c: '00Q000000000001AAA' },
    ]);
    expect(() => linkFields(context, '001000000000001AAA')).toThrow(/contact or a lead/);
  });

  describe('mapOptions', () => {
    it('offers the queues that take social posts, marks mine, and lists active users', () => {
      const { queues, users } = mapOptions({
        options: OPTIONS,
        memberships: MEMBERSHIPS,
        postQueues: POST_QUEUES,
        currentUser: { id: ME, name: 'Maya Me' },
      });
      expect(queues).toEqual([
        { id: SUPPORT, name: 'Social Support', member: true },
        { id: VIP, name: 'Social VIP', member: false },
      ]);
      expect(users).toEqual([
        { id: ANN, name: 'Ann Agent' },
        { id: ME, name: 'Maya Me' },
      ]);
    });

    it('without the lookups, offers every queue unmarked, and the owners of the items', () => {
      const items = [
        toInboxItem(postNode(POST_ID)),
        toInboxItem(postNode(POST2_ID, { OwnerId: v(ANN), Owner: { Name: v('Ann Agent') } })),
      ];
      expect(
        mapOptions({ options: null, memberships: null, postQueues: null, items, currentUser: { id: ME } }),
      ).toEqual({
        queues: [{ id: SUPPORT, name: 'Social Support' }],
        users: [
          { id: ANN, name: 'Ann Agent' },
          { id: ME, name: 'Me' },
        ],
      });
      const all = mapOptions({ options: OPTIONS, memberships: null, postQueues: null });
      expect(all.queues.map((q) => q.name)).toEqual(['Billing Cases', 'Social Support', 'Social VIP']);
    });
  });

  it('maps the thread oldest first, replies included', () => {
    const posts = mapThread(
      threadData([
        threadNode('a01000000000009AAA', {
          Is_Outbound__c: v(true),
          In_Reply_To__c: v(POST_ID),
          Status__c: v('Pending'),
          Posted_At__c: v(null),
          CreatedDate: v('2025-01-02T10:30:00.000Z'),
        }),
        threadNode(POST_ID),
      ]),
    );
    expect(posts.map((p) => [p.id, p.isOutbound])).toEqual([
      [POST_ID, false],
      ['a01000000000009AAA', true],
    ]);
  });

  describe('changeConcernsInbox', () => {
    const known = new Set([POST_ID]);
    const msg = (header, payload = {}) => ({ data: { payload: { ChangeEventHeader: header, ...payload } } });

    it('reloads for new inbox posts, moves within it, posts it shows, and missed events', () => {
      expect(
        changeConcernsInbox(
          msg({ changeType: 'CREATE', recordIds: ['x1'] }, { Inbox_Status__c: 'Open' }),
          known,
        ),
      ).toBe(true);
      expect(
        changeConcernsInbox(
          msg({ changeType: 'UPDATE', recordIds: ['x1'], changedFields: ['OwnerId'] }),
          known,
        ),
      ).toBe(true);
      expect(
        changeConcernsInbox(msg({ changeType: 'UPDATE', recordIds: [POST_ID.slice(0, 15)] }), known),
      ).toBe(true);
      expect(changeConcernsInbox(msg({ changeType: 'GAP_UPDATE', recordIds: [] }), known)).toBe(true);
    });

    it('ignores changes to posts outside the inbox', () => {
      expect(
        changeConcernsInbox(
          msg(
            { changeType: 'UPDATE', recordIds: ['a01000000000777AAA'], changedFields: ['Like_Count__c'] },
            { Like_Count__c: 3 },
          ),
          known,
        ),
      ).toBe(false);
    });
  });
});
