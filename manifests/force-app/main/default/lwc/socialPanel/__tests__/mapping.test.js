import {
  acceptSuggestionFields,
  changeConcernsRecord,
  errorMessage,
  isDuplicateReply,
  mapPanel,
  recordContext,
  rejectSuggestionFields,
  replyFields,
  replyProgress,
  SAVED_MESSAGE,
  savedRepliesFor,
  sentimentTrendOf,
} from '../mapping';

const v = (value) => ({ value });
const CONTACT_ID = '003000000000001AAA';
const LEAD_ID = '00Q000000000001AAA';

describe('mapping', () => {
  describe('mapPanel', () => {
    it('maps nothing to empty lists', () => {
      expect(mapPanel(undefined)).toEqual({
        posts: [],
        personas: [],
        suggestions: [],
        suggestionTargets: {},
        savedReplies: [],
        hasMore: false,
      });
    });

    it('uses the created date for a reply that has no network time yet, and the persona handle as author', () => {
      const { posts } = mapPanel({
        uiapi: {
          query: {
            Social_Post__c: {
              edges: [
                {
                  node: {
                    Id: 'p1',
                    CreatedDate: v('2025-01-02T10:00:00.000Z'),
                    Network__c: v('bluesky'),
                    Body__c: v('Thanks!'),
                    Posted_At__c: v(null),
                    Author_Handle__c: v(null),
                    Is_Outbound__c: v(true),
                    Status__c: v('Pending'),
                    In_Reply_To__c: v('p0'),
                    Persona__r: { Id: 'a1', Handle__c: v('brand.bsky.social'), Network__c: v('bluesky') },
                  },
                },
              ],
              pageInfo: { hasNextPage: true },
            },
          },
        },
      });
      expect(posts).toEqual([
        {
          id: 'p1',
          network: 'bluesky',
          body: 'Thanks!',
          postedAt: '2025-01-02T10:00:00.000Z',
          authorHandle: 'brand.bsky.social',
          isOutbound: true,
          status: 'Pending',
          inReplyToId: 'p0',
        },
      ]);
    });

    it('adds post authors to the linked personas once, never a suggested one, and skips unknown networks', () => {
      const a = { Id: 'a', Network__c: v('x'), Handle__c: v('@a') };
      const b = { Id: 'b', Network__c: v('mastodon'), Handle__c: v('@b@m.social') };
      const s = { Id: 's', Network__c: v('x'), Handle__c: v('@s'), Suggested_Lead__c: v(LEAD_ID) };
      const odd = { Id: 'o', Network__c: v('myspace'), Handle__c: v('o') };
      const post = (id, author) => ({ Id: id, Network__c: v('x'), Persona__r: author });
      const result = mapPanel({
        uiapi: {
          query: {
            Social_Post__c: {
              edges: [post('1', b), post('2', a), post('3', s), post('4', null)].map((node) => ({ node })),
            },
            Linked: { edges: [{ node: a }, { node: odd }] },
            Suggested: { edges: [{ node: s }] },
          },
        },
      });
      expect(result.personas.map((p) => p.id)).toEqual(['a', 'b']);
      expect(result.suggestions.map((p) => p.id)).toEqual(['s']);
      expect(result.suggestionTargets).toEqual({ s: { leadId: LEAD_ID } });
    });
  });

  it('offers saved replies for the post network, and those for every network', () => {
    const replies = [
      { id: '1', name: 'All', body: 'a', networks: [] },
      { id: '2', name: 'X', body: 'x', networks: ['x'] },
      { id: '3', name: 'Bsky', body: 'b', networks: ['bluesky', 'mastodon'] },
    ];
    expect(savedRepliesFor(replies, 'mastodon').map((r) => r.id)).toEqual(['1', '3']);
    expect(savedRepliesFor(replies, undefined).map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(savedRepliesFor(replies, 'x')[1]).toEqual({ id: '2', name: 'X', body: 'x' });
  });

  it('draws the sentiment line from inbound posts, oldest first', () => {
    const posts = [
      { postedAt: '2025-01-03T00:00:00Z', sentimentScore: 0.5 },
      { postedAt: '2025-01-01T00:00:00Z', sentimentScore: -0.5 },
      { postedAt: '2025-01-02T00:00:00Z', sentimentScore: 0.9, isOutbound: true },
      { postedAt: '2025-01-02T00:00:00Z' },
    ];
    expect(sentimentTrendOf(posts)).toEqual([-0.5, 0.5]);
    expect(sentimentTrendOf(posts, 1)).toEqual([0.5]);
  });

  describe('replyFields', () => {
    const detail = { postId: 'p1', text: 'Hi', idempotencyKey: 'k' };
    const post = { id: 'p1', network: 'mastodon' };

    it('links the reply to the record page through its lookup', () => {
      for (const [objectApiName, lookup] of [
        ['Contact', 'Contact__c'],
        ['Lead', 'Lead__c'],
        ['Account', 'Account__c'],
        ['Case', 'Case__c'],
      ]) {
        expect(replyFields({ detail, post, recordId: 'r1', objectApiName })).toEqual({
          Is_Outbound__c: true,
          Status__c: 'Pending',
          In_Reply_To__c: 'p1',
          Body__c: 'Hi',
          Network__c: 'mastodon',
          Idempotency_Key__c: 'k',
          [lookup]: 'r1',
        });
      }
    });

    it('refuses other objects and posts that are gone', () => {
      expect(() => replyFields({ detail, post, recordId: 'r1', objectApiName: 'Opportunity' })).toThrow(
        /Opportunity/,
      );
      expect(() =>
        replyFields({ detail, post: undefined, recordId: 'r1', objectApiName: 'Contact' }),
      ).toThrow();
    });
  });

  describe('suggestions', () => {
    const both = { contactId: CONTACT_ID, leadId: LEAD_ID };

    it('accepting on a lead page links the lead and keeps the contact suggestion and its reason', () => {
      expect(acceptSuggestionFields('a', both, LEAD_ID)).toEqual({
        Id: 'a',
        Lead__c: LEAD_ID,
        Suggested_Lead__c: null,
      });
    });

    it('accepting the only suggestion clears the match confidence and reason', () => {
      expect(acceptSuggestionFields('a', { contactId: CONTACT_ID }, CONTACT_ID.slice(0, 15))).toEqual({
        Id: 'a',
        Contact__c: CONTACT_ID,
        Suggested_Contact__c: null,
        Match_Confidence__c: null,
        Match_Reason__c: null,
      });
    });

    it('rejecting clears the suggestion without linking', () => {
      expect(rejectSuggestionFields('a', both, CONTACT_ID)).toEqual({ Id: 'a', Suggested_Contact__c: null });
    });

    it('refuses a suggestion that is not for this record', () => {
      expect(() => acceptSuggestionFields('a', { contactId: CONTACT_ID }, LEAD_ID)).toThrow(
        /no longer suggested/,
      );
      expect(() => rejectSuggestionFields('a', undefined, LEAD_ID)).toThrow();
    });
  });

  describe('errors', () => {
    it('treats only a duplicate idempotency key as an earlier success', () => {
      const dup = {
        body: { output: { fieldErrors: { Idempotency_Key__c: [{ errorCode: 'DUPLICATE_VALUE' }] } } },
      };
      expect(isDuplicateReply(dup)).toBe(true);
      expect(isDuplicateReply({ body: [{ errorCode: 'DUPLICATE_VALUE', message: 'dup' }] })).toBe(true);
      expect(isDuplicateReply({ body: { output: { errors: [{ errorCode: 'INSUFFICIENT_ACCESS' }] } } })).toBe(
        false,
      );
      expect(isDuplicateReply(new Error('offline'))).toBe(false);
    });

    it('reads messages from UI API errors, other errors and nothing', () => {
      expect(
        errorMessage({
          body: { output: { errors: [{ message: 'A.' }], fieldErrors: { Body__c: [{ message: 'B.' }] } } },
        }),
      ).toBe('A. B.');
      expect(errorMessage({ body: { message: 'Server down' } })).toBe('Server down');
      expect(errorMessage(new Error('offline'))).toBe('offline');
      expect(errorMessage(undefined)).toBe('Unknown error');
    });
  });

  describe('changeConcernsRecord', () => {
    const message = (header, fields = {}) => ({
      data: { payload: { ChangeEventHeader: header, ...fields } },
    });

    it('matches a new post linked to the record, with 15- or 18-character ids', () => {
      const created = message({ changeType: 'CREATE', recordIds: ['p9'] }, { Case__c: '500000000000001AAA' });
      expect(changeConcernsRecord(created, '500000000000001', new Set())).toBe(true);
      expect(changeConcernsRecord(created, '500000000000002AAA', new Set())).toBe(false);
    });

    it('matches an update of a post on the page, and any gap', () => {
      const updated = message({ changeType: 'UPDATE', recordIds: ['a01000000000001AAA'] });
      expect(changeConcernsRecord(updated, 'r', new Set(['a01000000000001']))).toBe(true);
      expect(changeConcernsRecord(updated, 'r', new Set(['a01000000000002']))).toBe(false);
      expect(changeConcernsRecord(message({ changeType: 'GAP_OVERFLOW' }), 'r', new Set())).toBe(true);
      expect(changeConcernsRecord(undefined, 'r', new Set())).toBe(false);
    });
  });

  it("reads reply placeholders and the average sentiment (a case's contact's) from the page record", () => {
    expect(
      recordContext({
        fields: { FirstName: v('Ann'), Social_Influence__c: v(72), Social_Sentiment__c: v(-0.4) },
      }),
    ).toEqual({ context: { firstName: 'Ann' }, sentiment: -0.4, customerValue: null });
    expect(
      recordContext({
        fields: {
          CaseNumber: v('00001026'),
          Contact: v({ fields: { FirstName: v('Bo'), Social_Sentiment__c: v(0.3) } }),
        },
      }),
    ).toEqual({ context: { firstName: 'Bo', caseNumber: '00001026' }, sentiment: 0.3, customerValue: null });
    expect(recordContext(undefined)).toEqual({ context: {}, sentiment: null, customerValue: null });
  });

  it("reads the customer value of the page's Contact or Account, or a case's contact", () => {
    expect(
      recordContext({
        fields: {
          FirstName: v('Ann'),
          Social_Customer_Value__c: v(12345.67),
          Social_Lifetime_Value__c: v(12000),
          Social_Referral_Value__c: v(345.67),
        },
      }).customerValue,
    ).toEqual({ total: 12345.67, lifetime: 12000, referral: 345.67 });
    expect(
      recordContext({
        fields: {
          CaseNumber: v('00001026'),
          Contact: v({ fields: { Social_Customer_Value__c: v(980), Social_Lifetime_Value__c: v(null) } }),
        },
      }).customerValue,
    ).toEqual({ total: 980 });
    // Not written yet (or not readable by this user): nothing shown.
    expect(
      recordContext({ fields: { Name: v('Northwind'), Social_Customer_Value__c: v(null) } }).customerValue,
    ).toBe(null);
  });

  it('maps when a post was answered', () => {
    const { posts } = mapPanel({
      uiapi: {
        query: {
          Social_Post__c: {
            edges: [
              {
                node: {
                  Id: 'p0',
                  Network__c: v('x'),
                  Posted_At__c: v('2025-01-02T10:00:00.000Z'),
                  Needs_Reply__c: v(false),
                  Replied_At__c: v('2025-01-02T10:30:00.000Z'),
                },
              },
            ],
          },
        },
      },
    });
    expect(posts[0]).toMatchObject({ id: 'p0', repliedAt: '2025-01-02T10:30:00.000Z' });
  });

  describe('replyProgress', () => {
    const reply = (status, extra = {}) => ({
      id: 'a01000000000009AAA',
      network: 'x',
      body: 'On its way!',
      isOutbound: true,
      inReplyToId: 'p0',
      status,
      ...extra,
    });
    const saved = { id: 'a01000000000009', postId: 'p0', text: 'On its way!' };

    it('is sending until the record says Sent, then links where it went', () => {
      expect(replyProgress([], saved)).toBe(null);
      expect(replyProgress([reply('Pending')], saved)).toEqual({
        status: 'sending',
        message: SAVED_MESSAGE,
        url: null,
      });
      expect(replyProgress([reply('Sent', { url: 'https://x.com/acme/status/9' })], saved)).toEqual({
        status: 'sent',
        message: '',
        url: 'https://x.com/acme/status/9',
      });
    });

    it('says why it did not go out, or what it waits for', () => {
      expect(replyProgress([reply('Failed', { failureReason: 'X refused it' })], saved)).toMatchObject({
        status: 'failed',
        message: 'X refused it',
      });
      expect(replyProgress([reply('Rejected')], saved).status).toBe('failed');
      expect(replyProgress([reply('Pending Approval')], saved)).toMatchObject({
        status: 'sending',
        message: 'Waiting for an approver: it goes out once approved.',
      });
    });

    it('finds a reply an earlier attempt saved by what it answers and says', () => {
      const earlier = { id: null, postId: 'p0', text: 'On its way!' };
      expect(replyProgress([reply('Sent')], earlier).status).toBe('sent');
      expect(replyProgress([reply('Sent', { body: 'Other' })], earlier)).toBe(null);
    });
  });
});
