import { createElement } from 'lwc';
import SocialPanel, { CHANGE_CHANNEL, POLL_MS } from 'c/socialPanel';
import { SAVED_MESSAGE } from '../mapping';
import { loadScript } from 'lightning/platformResourceLoader';
import { graphql, refreshGraphQL } from 'lightning/uiGraphQLApi';
import { createRecord, getRecord, notifyRecordUpdateAvailable, updateRecord } from 'lightning/uiRecordApi';
import { isEmpEnabled, subscribe, unsubscribe } from 'lightning/empApi';

const CONTACT_ID = '003000000000001AAA';
const POST_ID = 'a01000000000001AAA';

const v = (value) => ({ value });
const persona = (id, extra = {}) => ({
  Id: id,
  External_Id__c: v(`x:${id}`),
  Network__c: v('x'),
  Handle__c: v('@ann_lee'),
  Display_Name__c: v('Ann Lee'),
  Profile_Url__c: v('https://x.com/ann_lee'),
  Followers__c: v(1200),
  Influence_Score__c: v(64),
  Advocacy_Score__c: v(40),
  Sentiment_Trend__c: v(0.2),
  Verified__c: v(false),
  ...extra,
});
const DATA = {
  uiapi: {
    query: {
      Social_Post__c: {
        edges: [
          {
            node: {
              Id: POST_ID,
              CreatedDate: v('2025-01-02T10:00:05.000Z'),
              External_Id__c: v('x:1'),
              Network__c: v('x'),
              Body__c: v('My order never arrived'),
              Posted_At__c: v('2025-01-02T10:00:00.000Z'),
              Author_Handle__c: v('@ann_lee'),
              Url__c: v('https://x.com/ann_lee/status/1'),
              Sentiment__c: v('negative'),
              Sentiment_Score__c: v(-0.8),
              Intent__c: v('complaint'),
              Language__c: v('en'),
              Needs_Reply__c: v(true),
              Is_Outbound__c: v(false),
              Status__c: v(null),
              Failure_Reason__c: v(null),
              In_Reply_To__c: v(null),
              Persona__c: v('a02000000000001AAA'),
              Persona__r: persona('a02000000000001AAA'),
            },
          },
        ],
        pageInfo: { hasNextPage: false },
      },
      Linked: { edges: [{ node: persona('a02000000000001AAA') }] },
      Suggested: {
        edges: [
          {
            node: persona('a02000000000002AAA', {
              Handle__c: v('ann.bsky.social'),
              Network__c: v('bluesky'),
              Suggested_Contact__c: v(CONTACT_ID),
              Suggested_Lead__c: v(null),
              Match_Confidence__c: v(87),
              Match_Reason__c: v('Same name and handle'),
            }),
          },
        ],
      },
      Social_Saved_Reply__c: {
        edges: [
          {
            node: {
              Id: 'a03000000000001AAA',
              Name: v('Sorry'),
              Body__c: v('Sorry {first_name}!'),
              Network__c: v(null),
            },
          },
        ],
      },
    },
  },
};

/**
 * Stand-ins for what the socialComponents static resource defines: custom elements with the components'
 * public properties (the real ones are tested in a browser in ui-components). As in Lightning, they are
 * defined when loadScript resolves.
 */
const COMPONENT_PROPERTIES = {
  'social-timeline': [
    'posts',
    'selectedId',
    'loading',
    'error',
    'hasMore',
    'loadingOlder',
    'slaMinutes',
    'filters',
  ],
  'social-persona-card': [
    'personas',
    'suggestions',
    'influence',
    'advocacy',
    'sentiment',
    'customerValue',
    'sentimentTrend',
    'heading',
  ],
  'social-respond-box': [
    'post',
    'savedReplies',
    'context',
    'status',
    'statusMessage',
    'sentUrl',
    'rules',
    'text',
  ],
};
function defineComponents() {
  for (const [tag, properties] of Object.entries(COMPONENT_PROPERTIES)) {
    if (customElements.get(tag)) continue;
    const ctor = class extends HTMLElement {
      focusText() {
        this.focused = (this.focused ?? 0) + 1;
        return Promise.resolve();
      }
    };
    for (const name of properties) {
      Object.defineProperty(ctor.prototype, name, {
        get() {
          return this[`_${name}`];
        },
        set(value) {
          this[`_${name}`] = value;
        },
      });
    }
    customElements.define(tag, ctor);
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount(props = {}) {
  const element = createElement('c-social-panel', { is: SocialPanel });
  Object.assign(element, { recordId: CONTACT_ID, objectApiName: 'Contact', ...props });
  document.body.appendChild(element);
  return element;
}

const q = (element, selector) => element.shadowRoot.querySelector(selector);

function fire(element, selector, type, detail) {
  q(element, selector).dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

describe('c-social-panel', () => {
  beforeEach(() => {
    jest.useRealTimers();
    loadScript.mockImplementation(() => Promise.resolve().then(defineComponents));
    isEmpEnabled.mockResolvedValue(true);
    subscribe.mockResolvedValue({ channel: CHANGE_CHANNEL, id: 'sub-1' });
    createRecord.mockResolvedValue({ id: 'a01000000000009AAA' });
    updateRecord.mockResolvedValue({});
    refreshGraphQL.mockResolvedValue();
  });

  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('loads the socialComponents static resource and renders the components only once it is loaded', async () => {
    let resolveLoad;
    loadScript.mockReturnValue(new Promise((resolve) => (resolveLoad = resolve)).then(defineComponents));
    const element = mount();
    await flush();
    expect(loadScript).toHaveBeenCalledWith(expect.anything(), expect.stringContaining('socialComponents'));
    expect(q(element, 'social-timeline')).toBeNull();
    expect(q(element, 'lightning-spinner')).not.toBeNull();

    resolveLoad();
    await flush();
    expect(q(element, 'social-timeline')).not.toBeNull();
    expect(q(element, 'social-persona-card')).not.toBeNull();
    expect(q(element, 'social-respond-box')).not.toBeNull();
  });

  it('says so when the static resource cannot be loaded', async () => {
    loadScript.mockRejectedValue(new Error('404'));
    const element = mount();
    await flush();
    expect(q(element, '[role="alert"]').textContent).toContain('could not be loaded');
    expect(q(element, 'social-timeline')).toBeNull();
  });

  it('queries by the record id and gives the components mapped posts, personas and suggestions', async () => {
    const element = mount({ slaMinutes: 30 });
    await flush();
    expect(graphql.getLastConfig().variables).toEqual({ recordId: CONTACT_ID, pageSize: 200 });
    graphql.emit(DATA);
    await flush();

    const timeline = q(element, 'social-timeline');
    expect(timeline.posts).toHaveLength(1);
    expect(timeline.posts[0]).toMatchObject({
      id: POST_ID,
      network: 'x',
      body: 'My order never arrived',
      authorName: 'Ann Lee',
      authorInfluence: 64,
      sentiment: 'negative',
      needsReply: true,
    });
    expect(timeline.posts[0]).not.toHaveProperty('status');
    expect(timeline.loading).toBe(false);
    expect(timeline.slaMinutes).toBe(30);

    const card = q(element, 'social-persona-card');
    expect(card.personas.map((p) => p.id)).toEqual(['a02000000000001AAA']);
    expect(card.suggestions).toEqual([
      expect.objectContaining({
        id: 'a02000000000002AAA',
        matchConfidence: 87,
        matchReason: 'Same name and handle',
      }),
    ]);
    expect(card.sentimentTrend).toEqual([-0.8]);
    // The card's influence is the highest of the profiles it lists, as on each post; no roll-up given.
    expect(card.influence ?? null).toBe(null);
  });

  it("gives the card the record's average sentiment, never the last post's", async () => {
    const element = mount();
    await flush();
    getRecord.emit({ fields: { FirstName: v('Ann'), Social_Sentiment__c: v(-0.4) } });
    graphql.emit(DATA);
    await flush();
    expect(q(element, 'social-persona-card').sentiment).toBe(-0.4);
    expect(q(element, 'social-respond-box').context).toEqual({ firstName: 'Ann' });
  });

  it("gives the card the record's customer value fields", async () => {
    const element = mount();
    await flush();
    getRecord.emit({
      fields: {
        FirstName: v('Ann'),
        Social_Customer_Value__c: v(12345.67),
        Social_Lifetime_Value__c: v(12000),
        Social_Referral_Value__c: v(345.67),
      },
    });
    graphql.emit(DATA);
    await flush();
    expect(q(element, 'social-persona-card').customerValue).toEqual({
      total: 12345.67,
      lifetime: 12000,
      referral: 345.67,
    });
  });

  it('shows the query errors in the timeline', async () => {
    const element = mount();
    await flush();
    graphql.emitErrors([{ message: 'No access to Social_Post__c' }]);
    await flush();
    expect(q(element, 'social-timeline').error).toBe('No access to Social_Post__c');
  });

  it('creates a Pending outbound Social_Post__c for a reply and reports sent', async () => {
    const element = mount();
    await flush();
    graphql.emit(DATA);
    await flush();
    fire(element, 'social-timeline', 'social-post-select', { postId: POST_ID, post: {} });
    await flush();
    expect(q(element, 'social-respond-box').post.id).toBe(POST_ID);
    // Selecting a post to answer brings the reply text into view, focused.
    expect(q(element, 'social-respond-box').focused).toBe(1);

    let created;
    createRecord.mockReturnValueOnce(new Promise((resolve) => (created = resolve)));
    fire(element, 'social-respond-box', 'social-reply', {
      postId: POST_ID,
      text: 'On its way!',
      idempotencyKey: 'k-1',
    });
    await flush();
    expect(q(element, 'social-respond-box').status).toBe('sending');
    created({ id: 'a01000000000009AAA' });
    await flush();

    expect(createRecord).toHaveBeenCalledWith({
      apiName: 'Social_Post__c',
      fields: {
        Is_Outbound__c: true,
        Status__c: 'Pending',
        In_Reply_To__c: POST_ID,
        Body__c: 'On its way!',
        Network__c: 'x',
        Idempotency_Key__c: 'k-1',
        Contact__c: CONTACT_ID,
      },
    });
    // Saved is not sent: the sync server sends it.
    expect(q(element, 'social-respond-box').status).toBe('sending');
    expect(q(element, 'social-respond-box').statusMessage).toBe(SAVED_MESSAGE);
    expect(refreshGraphQL).toHaveBeenCalled();

    // The reply's record changes (change events reload the panel): Sent, and where it went.
    const replyNode = (status, url) => ({
      node: {
        ...DATA.uiapi.query.Social_Post__c.edges[0].node,
        Id: 'a01000000000009AAA',
        Body__c: v('On its way!'),
        Is_Outbound__c: v(true),
        Needs_Reply__c: v(false),
        In_Reply_To__c: v(POST_ID),
        Status__c: v(status),
        Url__c: v(url),
      },
    });
    const withReply = (status, url = null) => ({
      uiapi: {
        query: {
          ...DATA.uiapi.query,
          Social_Post__c: {
            ...DATA.uiapi.query.Social_Post__c,
            edges: [...DATA.uiapi.query.Social_Post__c.edges, replyNode(status, url)],
          },
        },
      },
    });
    graphql.emit(withReply('Pending'));
    await flush();
    expect(q(element, 'social-respond-box').status).toBe('sending');
    graphql.emit(withReply('Sent', 'https://x.com/acme/status/9'));
    await flush();
    expect(q(element, 'social-respond-box').status).toBe('sent');
    expect(q(element, 'social-respond-box').sentUrl).toBe('https://x.com/acme/status/9');
  });

  it('reports a failed reply with the reason, and a duplicate idempotency key as on its way', async () => {
    const element = mount();
    await flush();
    graphql.emit(DATA);
    await flush();
    createRecord.mockRejectedValueOnce({
      body: { output: { errors: [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Too long' }] } },
    });
    fire(element, 'social-respond-box', 'social-reply', {
      postId: POST_ID,
      text: 'x',
      idempotencyKey: 'k-2',
    });
    await flush();
    await flush();
    expect(q(element, 'social-respond-box').status).toBe('failed');
    expect(q(element, 'social-respond-box').statusMessage).toBe('Too long');

    createRecord.mockRejectedValueOnce({
      body: {
        output: {
          errors: [],
          fieldErrors: { Idempotency_Key__c: [{ errorCode: 'DUPLICATE_VALUE', message: 'dup' }] },
        },
      },
    });
    fire(element, 'social-respond-box', 'social-reply', {
      postId: POST_ID,
      text: 'x',
      idempotencyKey: 'k-2',
    });
    await flush();
    await flush();
    expect(q(element, 'social-respond-box').status).toBe('sending');
    expect(q(element, 'social-respond-box').statusMessage).toBe(SAVED_MESSAGE);
  });

  it('accepts a suggestion by linking the persona to the contact, and rejects one by clearing it', async () => {
    const element = mount();
    await flush();
    graphql.emit(DATA);
    await flush();

    fire(element, 'social-persona-card', 'social-suggestion-accept', { personaId: 'a02000000000002AAA' });
    await flush();
    expect(updateRecord).toHaveBeenLastCalledWith({
      fields: {
        Id: 'a02000000000002AAA',
        Contact__c: CONTACT_ID,
        Suggested_Contact__c: null,
        Match_Confidence__c: null,
        Match_Reason__c: null,
      },
    });

    fire(element, 'social-persona-card', 'social-suggestion-reject', { personaId: 'a02000000000002AAA' });
    await flush();
    expect(updateRecord).toHaveBeenLastCalledWith({
      fields: {
        Id: 'a02000000000002AAA',
        Suggested_Contact__c: null,
        Match_Confidence__c: null,
        Match_Reason__c: null,
      },
    });
  });

  it('subscribes to Social_Post__c change events and reloads on one that concerns the record', async () => {
    jest.useFakeTimers();
    const element = mount();
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(subscribe).toHaveBeenCalledWith(CHANGE_CHANNEL, -1, expect.any(Function));
    graphql.emit(DATA);
    const onMessage = subscribe.mock.calls[0][2];

    onMessage({
      data: { payload: { ChangeEventHeader: { changeType: 'UPDATE', recordIds: ['a01000000000777AAA'] } } },
    });
    jest.advanceTimersByTime(1000);
    expect(refreshGraphQL).not.toHaveBeenCalled();

    onMessage({
      data: {
        payload: { ChangeEventHeader: { changeType: 'UPDATE', recordIds: [POST_ID] }, Status__c: 'Sent' },
      },
    });
    onMessage({
      data: {
        payload: {
          ChangeEventHeader: { changeType: 'CREATE', recordIds: ['a01000000000888AAA'] },
          Contact__c: CONTACT_ID,
        },
      },
    });
    jest.advanceTimersByTime(1000);
    expect(refreshGraphQL).toHaveBeenCalledTimes(1);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: POST_ID }]);

    document.body.removeChild(element);
    expect(unsubscribe).toHaveBeenCalled();
  });

  it('polls when change events are not available', async () => {
    jest.useFakeTimers();
    isEmpEnabled.mockResolvedValue(false);
    const element = mount();
    await Promise.resolve();
    await Promise.resolve();
    graphql.emit(DATA);
    expect(subscribe).not.toHaveBeenCalled();
    jest.advanceTimersByTime(POLL_MS);
    expect(refreshGraphQL).toHaveBeenCalledTimes(1);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: CONTACT_ID }]);

    document.body.removeChild(element);
    jest.advanceTimersByTime(POLL_MS * 2);
    expect(refreshGraphQL).toHaveBeenCalledTimes(1);
  });
});
