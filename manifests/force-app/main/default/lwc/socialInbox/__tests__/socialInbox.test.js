import { createElement } from 'lwc';
import SocialInbox, { CHANGE_CHANNEL, OPERATIONS, POLL_MS } from 'c/socialInbox';
import { SAVED_MESSAGE } from 'c/socialShared';
import { loadScript } from 'lightning/platformResourceLoader';
import { graphql, refreshGraphQL } from 'lightning/uiGraphQLApi';
import {
  createRecord,
  deleteRecord,
  getRecord,
  notifyRecordUpdateAvailable,
  updateRecord,
} from 'lightning/uiRecordApi';
import { isEmpEnabled, subscribe, unsubscribe } from 'lightning/empApi';
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

/**
 * A stand-in for what the socialComponents static resource defines: <social-inbox> with the component's
 * public properties (the real one is tested in a browser in ui-components). As in Lightning, it is defined
 * when loadScript resolves.
 */
const INBOX_PROPERTIES = [
  'items',
  'currentUserId',
  'queues',
  'users',
  'savedReplies',
  'threads',
  'replies',
  'filters',
  'loading',
  'error',
  'hasMore',
  'loadingMore',
  'heading',
];
function defineComponents() {
  if (customElements.get('social-inbox')) return;
  const ctor = class extends HTMLElement {};
  for (const name of INBOX_PROPERTIES) {
    Object.defineProperty(ctor.prototype, name, {
      get() {
        return this[`_${name}`];
      },
      set(value) {
        this[`_${name}`] = value;
      },
    });
  }
  customElements.define('social-inbox', ctor);
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const q = (element, selector) => element.shadowRoot.querySelector(selector);
const inbox = (element) => q(element, 'social-inbox');
const only = (operationName) => (config) => config.operationName === operationName;

function fire(element, type, detail) {
  inbox(element).dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

const DATA = inboxData([
  postNode(POST_ID, { Contact__c: v(CONTACT_ID), Contact__r: { Name: v('Ann Lee') } }),
  postNode(POST2_ID, { Priority__c: v('Low'), Reply_Due__c: v('2025-01-03T09:00:00.000Z') }),
]);

function mount() {
  const element = createElement('c-social-inbox', { is: SocialInbox });
  document.body.appendChild(element);
  return element;
}

/** Mounts the inbox and gives every wire its data. */
async function mountWithData(data = DATA) {
  const element = mount();
  await flush();
  graphql.emit(data, only(OPERATIONS.inbox));
  graphql.emit(OPTIONS, only(OPERATIONS.options));
  graphql.emit(MEMBERSHIPS, only(OPERATIONS.memberships));
  graphql.emit(POST_QUEUES, only(OPERATIONS.postQueues));
  getRecord.emit({ fields: { Name: v('Maya Me') } });
  await flush();
  return element;
}

const toasts = (element) => {
  const seen = [];
  element.addEventListener('lightning__showtoast', (e) => seen.push(e.detail));
  return seen;
};

describe('c-social-inbox', () => {
  beforeEach(() => {
    jest.useRealTimers();
    loadScript.mockImplementation(() => Promise.resolve().then(defineComponents));
    isEmpEnabled.mockResolvedValue(true);
    subscribe.mockResolvedValue({ channel: CHANGE_CHANNEL, id: 'sub-1' });
    createRecord.mockResolvedValue({ id: 'a04000000000009AAA' });
    updateRecord.mockResolvedValue({});
    deleteRecord.mockResolvedValue();
    refreshGraphQL.mockResolvedValue();
  });

  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('loads the socialComponents static resource and renders <social-inbox> only once it is loaded', async () => {
    let resolveLoad;
    loadScript.mockReturnValue(new Promise((resolve) => (resolveLoad = resolve)).then(defineComponents));
    const element = mount();
    await flush();
    expect(loadScript).toHaveBeenCalledWith(expect.anything(), expect.stringContaining('socialComponents'));
    expect(inbox(element)).toBeNull();
    expect(q(element, 'lightning-spinner')).not.toBeNull();
    resolveLoad();
    await flush();
    expect(inbox(element)).not.toBeNull();
    expect(inbox(element).loading).toBe(true);
  });

  it('says so when the static resource cannot be loaded', async () => {
    loadScript.mockRejectedValue(new Error('404'));
    const element = mount();
    await flush();
    expect(q(element, '[role="alert"]').textContent).toContain('could not be loaded');
    expect(inbox(element)).toBeNull();
  });

  it('renders the host and hands <social-inbox> the mapped inbox (snapshot)', async () => {
    const element = await mountWithData();
    expect(element).toMatchSnapshot('host');
    const el = inbox(element);
    expect({
      items: el.items,
      currentUserId: el.currentUserId,
      queues: el.queues,
      users: el.users,
      savedReplies: el.savedReplies,
      filters: el.filters,
      loading: el.loading,
      error: el.error,
      hasMore: el.hasMore,
    }).toMatchSnapshot('properties');
  });

  it('reads the open and assigned posts due first, as the current user, and the queues the user is in', async () => {
    const element = await mountWithData();
    const el = inbox(element);
    expect(el.currentUserId).toBe(ME);
    expect(el.items.map((i) => [i.postId, i.priority, i.status, i.recordType])).toEqual([
      [POST_ID, 'High', 'needs_reply', 'Contact'],
      [POST2_ID, 'Low', 'needs_reply', null],
    ]);
    expect(el.queues).toEqual([
      { id: SUPPORT, name: 'Social Support', member: true },
      { id: VIP, name: 'Social VIP', member: false },
    ]);
    expect(el.users.map((u) => u.name)).toEqual(['Ann Agent', 'Maya Me']);
    expect(el.loading).toBe(false);
  });

  it('shows query errors, and loads again on retry', async () => {
    const element = mount();
    await flush();
    graphql.emitErrors([{ message: 'No access to Social_Post__c' }], only(OPERATIONS.inbox));
    await flush();
    expect(inbox(element).error).toBe('No access to Social_Post__c');
    graphql.emit(DATA, only(OPERATIONS.inbox));
    await flush();
    fire(element, 'social-retry', {});
    await flush();
    expect(refreshGraphQL).toHaveBeenCalled();
  });

  it('still works when the queue and user lookups fail: owners of the posts stand in', async () => {
    const element = mount();
    await flush();
    graphql.emit(DATA, only(OPERATIONS.inbox));
    graphql.emitErrors([{ message: 'Group is not supported' }], only(OPERATIONS.options));
    await flush();
    expect(inbox(element).queues).toEqual([{ id: SUPPORT, name: 'Social Support' }]);
    expect(inbox(element).items).toHaveLength(2);
  });

  it('loads the thread of the opened post into threads[postId], with the saved replies of its network', async () => {
    const element = await mountWithData();
    fire(element, 'social-inbox-select', { postId: POST_ID });
    await flush();
    const config = graphql.getLastConfig();
    expect(config).toMatchObject({
      operationName: OPERATIONS.thread,
      variables: { threadRoot: 'x:root-1', postId: POST_ID },
    });
    graphql.emit(threadData([threadNode(POST_ID)]), only(OPERATIONS.thread));
    await flush();
    expect(inbox(element).threads[POST_ID].map((p) => p.id)).toEqual([POST_ID]);
    expect(inbox(element).savedReplies.map((r) => r.name)).toEqual(['Sorry']);
  });

  it('takes a post: claims it first, then owns it as Assigned', async () => {
    const element = await mountWithData();
    const seen = toasts(element);
    fire(element, 'social-inbox-assign', { postIds: [POST_ID], ownerId: ME });
    await flush();
    await flush();
    expect(createRecord).toHaveBeenCalledWith({
      apiName: 'Social_Reply_Claim__c',
      fields: { Key__c: `inbox:${POST_ID}`, Reply__c: POST_ID, Claimed_By__c: `${ME} Maya Me` },
    });
    expect(updateRecord).toHaveBeenCalledWith({
      fields: { Id: POST_ID, OwnerId: ME, Inbox_Status__c: 'Assigned' },
    });
    expect(createRecord.mock.invocationCallOrder[0]).toBeLessThan(updateRecord.mock.invocationCallOrder[0]);
    expect(seen).toEqual([expect.objectContaining({ title: 'Assigned to you', variant: 'success' })]);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: POST_ID }]);
    expect(refreshGraphQL).toHaveBeenCalled();
  });

  it('refuses a post another agent claimed first, naming them, and changes nothing', async () => {
    const element = await mountWithData();
    const seen = toasts(element);
    createRecord.mockRejectedValueOnce({
      body: {
        output: {
          errors: [],
          fieldErrors: { Key__c: [{ errorCode: 'DUPLICATE_VALUE', message: 'duplicate' }] },
        },
      },
    });
    // Reloading shows Ann's claim.
    refreshGraphQL.mockImplementation(() => {
      graphql.emit(
        inboxData([
          postNode(POST_ID, { Send_Claims__r: claimEdge('a04000000000001AAA', `${ANN} Ann Agent`) }),
        ]),
        only(OPERATIONS.inbox),
      );
      return Promise.resolve();
    });
    fire(element, 'social-inbox-assign', { postIds: [POST_ID], ownerId: ME });
    await flush();
    await flush();
    expect(updateRecord).not.toHaveBeenCalled();
    expect(seen).toEqual([
      expect.objectContaining({
        title: 'Not assigned',
        message: 'Already taken by Ann Agent',
        variant: 'warning',
      }),
    ]);
  });

  it('refuses at once a post the inbox already knows someone holds', async () => {
    const element = await mountWithData(
      inboxData([
        postNode(POST_ID, {
          Inbox_Status__c: v('Assigned'),
          OwnerId: v(ANN),
          Owner: { Name: v('Ann Agent') },
          Send_Claims__r: claimEdge('a04000000000001AAA', `${ANN} Ann Agent`),
        }),
      ]),
    );
    const seen = toasts(element);
    fire(element, 'social-inbox-assign', { postIds: [POST_ID], ownerId: ME });
    await flush();
    expect(createRecord).not.toHaveBeenCalled();
    expect(updateRecord).not.toHaveBeenCalled();
    expect(seen[0]).toMatchObject({ message: 'Already taken by Ann Agent' });
  });

  it('hands a held post back to a queue: releases the claim, opens the post', async () => {
    const element = await mountWithData(
      inboxData([
        postNode(POST_ID, {
          Inbox_Status__c: v('Assigned'),
          OwnerId: v(ME),
          Owner: { Name: v('Maya Me') },
          Send_Claims__r: claimEdge('a04000000000001AAA', `${ME} Maya Me`),
        }),
      ]),
    );
    fire(element, 'social-inbox-assign', { postIds: [POST_ID], ownerId: VIP });
    await flush();
    await flush();
    expect(deleteRecord).toHaveBeenCalledWith('a04000000000001AAA');
    expect(createRecord).not.toHaveBeenCalled();
    expect(updateRecord).toHaveBeenCalledWith({
      fields: { Id: POST_ID, OwnerId: VIP, Inbox_Status__c: 'Open' },
    });
  });

  it('assigns several posts to a colleague: a claim in their name for each', async () => {
    const element = await mountWithData();
    fire(element, 'social-inbox-assign', { postIds: [POST_ID, POST2_ID], ownerId: ANN });
    await flush();
    await flush();
    expect(createRecord.mock.calls.map((c) => c[0].fields)).toEqual([
      { Key__c: `inbox:${POST_ID}`, Reply__c: POST_ID, Claimed_By__c: `${ANN} Ann Agent` },
      { Key__c: `inbox:${POST2_ID}`, Reply__c: POST2_ID, Claimed_By__c: `${ANN} Ann Agent` },
    ]);
    expect(updateRecord).toHaveBeenCalledTimes(2);
  });

  it('reports an assignment the org refuses', async () => {
    const element = await mountWithData();
    const seen = toasts(element);
    updateRecord.mockRejectedValueOnce({ body: { message: 'insufficient access rights on object id' } });
    fire(element, 'social-inbox-assign', { postIds: [POST_ID], ownerId: SUPPORT });
    await flush();
    await flush();
    expect(seen).toEqual([
      expect.objectContaining({
        title: 'Could not assign the post',
        message: 'insufficient access rights on object id',
        variant: 'error',
      }),
    ]);
  });

  it('closes posts with the reason, when and by whom, and releases their claims', async () => {
    const element = await mountWithData(
      inboxData([
        postNode(POST_ID, { Send_Claims__r: claimEdge('a04000000000001AAA', `${ME} Maya Me`) }),
        postNode(POST2_ID),
      ]),
    );
    fire(element, 'social-inbox-done', { postIds: [POST_ID, POST2_ID], reason: 'Spam' });
    await flush();
    await flush();
    const fields = updateRecord.mock.calls.map((c) => c[0].fields);
    expect(fields).toEqual([
      {
        Id: POST_ID,
        Inbox_Status__c: 'Done',
        Done_Reason__c: 'Spam',
        Done_At__c: expect.any(String),
        Done_By__c: ME,
      },
      {
        Id: POST2_ID,
        Inbox_Status__c: 'Done',
        Done_Reason__c: 'Spam',
        Done_At__c: expect.any(String),
        Done_By__c: ME,
      },
    ]);
    expect(Date.parse(fields[0].Done_At__c)).not.toBeNaN();
    expect(deleteRecord).toHaveBeenCalledWith('a04000000000001AAA');
    expect(deleteRecord).toHaveBeenCalledTimes(1);
  });

  it('replies with a Pending outbound post, as the record page does, and follows it to sent', async () => {
    const element = await mountWithData();
    fire(element, 'social-inbox-select', { postId: POST_ID });
    await flush();
    let created;
    createRecord.mockReturnValueOnce(new Promise((resolve) => (created = resolve)));
    fire(element, 'social-reply', { postId: POST_ID, text: 'On its way!', idempotencyKey: 'k-1' });
    await flush();
    expect(inbox(element).replies[POST_ID]).toEqual({ status: 'sending', message: '', sentUrl: null });
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
    expect(inbox(element).replies[POST_ID]).toEqual({
      status: 'sending',
      message: SAVED_MESSAGE,
      sentUrl: null,
    });

    const reply = (status, url = null) =>
      threadNode('a01000000000009AAA', {
        Is_Outbound__c: v(true),
        In_Reply_To__c: v(POST_ID),
        Body__c: v('On its way!'),
        Status__c: v(status),
        Url__c: v(url),
      });
    graphql.emit(
      threadData([threadNode(POST_ID), reply('Sent', 'https://x.com/acme/status/9')]),
      only(OPERATIONS.thread),
    );
    await flush();
    expect(inbox(element).replies[POST_ID]).toEqual({
      status: 'sent',
      message: '',
      sentUrl: 'https://x.com/acme/status/9',
    });
  });

  it('reports a failed reply with the reason, and a duplicate idempotency key as on its way', async () => {
    const element = await mountWithData();
    createRecord.mockRejectedValueOnce({
      body: { output: { errors: [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Too long' }] } },
    });
    fire(element, 'social-reply', { postId: POST2_ID, text: 'x', idempotencyKey: 'k-2' });
    await flush();
    expect(inbox(element).replies[POST2_ID]).toEqual({
      status: 'failed',
      message: 'Too long',
      sentUrl: null,
    });
    expect(createRecord.mock.calls[0][0].fields).not.toHaveProperty('Contact__c');

    createRecord.mockRejectedValueOnce({
      body: {
        output: {
          errors: [],
          fieldErrors: { Idempotency_Key__c: [{ errorCode: 'DUPLICATE_VALUE', message: 'dup' }] },
        },
      },
    });
    fire(element, 'social-reply', { postId: POST2_ID, text: 'x', idempotencyKey: 'k-2' });
    await flush();
    expect(inbox(element).replies[POST2_ID]).toEqual({
      status: 'sending',
      message: SAVED_MESSAGE,
      sentUrl: null,
    });
  });

  it('makes a lead of an unknown author and links the post and the persona to it', async () => {
    const element = await mountWithData();
    createRecord.mockResolvedValueOnce({ id: '00Q000000000001AAA' });
    fire(element, 'social-inbox-create-record', { postId: POST2_ID, recordType: 'Lead' });
    await flush();
    await flush();
    expect(createRecord).toHaveBeenCalledWith({
      apiName: 'Lead',
      fields: { FirstName: 'Ann', LastName: 'Lee', Company: 'Ann Lee', Social_Handles__c: 'x:ann_lee' },
    });
    expect(updateRecord.mock.calls.map((c) => c[0].fields)).toEqual([
      { Id: POST2_ID, Lead__c: '00Q000000000001AAA' },
      { Id: PERSONA_ID, Lead__c: '00Q000000000001AAA', Suggested_Lead__c: null },
    ]);
  });

  it('links the author to a suggested contact', async () => {
    const element = await mountWithData();
    fire(element, 'social-inbox-link', { postId: POST2_ID, recordId: CONTACT_ID });
    await flush();
    expect(updateRecord.mock.calls.map((c) => c[0].fields)).toEqual([
      { Id: POST2_ID, Contact__c: CONTACT_ID },
      { Id: PERSONA_ID, Contact__c: CONTACT_ID, Suggested_Contact__c: null },
    ]);
  });

  it('keeps the filters the agent chose, and asks for more posts on "Load more"', async () => {
    const element = await mountWithData(inboxData([postNode(POST_ID)], { hasNextPage: true }));
    fire(element, 'social-inbox-filter-change', { scope: 'mine', sort: 'priority' });
    await flush();
    expect(inbox(element).filters).toMatchObject({ scope: 'mine', sort: 'priority', network: '' });
    expect(inbox(element).hasMore).toBe(true);
    fire(element, 'social-load-more', {});
    await flush();
    expect(inbox(element).loadingMore).toBe(true);
    const pageSizes = [];
    graphql.emit(inboxData([postNode(POST_ID)]), (config) => {
      if (config.operationName === OPERATIONS.inbox) pageSizes.push(config.variables.pageSize);
      return config.operationName === OPERATIONS.inbox;
    });
    expect(pageSizes).toEqual([1000]);
  });

  it("reloads on colleagues' changes to the inbox (debounced), not on unrelated ones", async () => {
    jest.useFakeTimers();
    const element = mount();
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(subscribe).toHaveBeenCalledWith(CHANGE_CHANNEL, -1, expect.any(Function));
    graphql.emit(DATA, only(OPERATIONS.inbox));
    const onMessage = subscribe.mock.calls[0][2];

    onMessage({
      data: {
        payload: {
          ChangeEventHeader: {
            changeType: 'UPDATE',
            recordIds: ['a01000000000777AAA'],
            changedFields: ['Like_Count__c'],
          },
        },
      },
    });
    jest.advanceTimersByTime(1000);
    expect(refreshGraphQL).not.toHaveBeenCalled();

    // A colleague takes a post, and a new post arrives in a queue: one reload.
    onMessage({
      data: {
        payload: {
          ChangeEventHeader: {
            changeType: 'UPDATE',
            recordIds: [POST_ID],
            changedFields: ['OwnerId', 'Inbox_Status__c'],
          },
        },
      },
    });
    onMessage({
      data: {
        payload: {
          ChangeEventHeader: { changeType: 'CREATE', recordIds: ['a01000000000888AAA'] },
          Inbox_Status__c: 'Open',
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
    graphql.emit(DATA, only(OPERATIONS.inbox));
    expect(subscribe).not.toHaveBeenCalled();
    jest.advanceTimersByTime(POLL_MS);
    expect(refreshGraphQL).toHaveBeenCalledTimes(1);
    document.body.removeChild(element);
    jest.advanceTimersByTime(POLL_MS * 2);
    expect(refreshGraphQL).toHaveBeenCalledTimes(1);
  });
});
