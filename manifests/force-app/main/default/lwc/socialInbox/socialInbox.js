/**
 * The social inbox in Lightning (app page and tab `Social_Inbox`): hosts `<social-inbox>` from the
 * `socialComponents` static resource (rendered with lwc:external under Lightning Web Security) and gives it
 * every inbound post that needs an answer, due first, the queues and users to assign to, and the thread of
 * the open post.
 *
 * Every read and write goes through Lightning Data Service as the current user (GraphQL wire adapter, UI
 * API), so sharing, object permissions and field-level security hold; the inbox never talks to the sync
 * server and holds no secret. Taking a post is a `Social_Reply_Claim__c` with the unique key
 * `inbox:<post Id>`, exactly as the sync server takes one: of two agents taking a post at once the org
 * keeps one claim, and the other is told who holds it. Replies are Pending outbound posts, as on record
 * pages; colleagues' changes arrive through Change Data Capture.
 */
import { LightningElement, wire } from 'lwc';
import { loadScript } from 'lightning/platformResourceLoader';
import { gql, graphql, refreshGraphQL } from 'lightning/uiGraphQLApi';
import {
  createRecord,
  deleteRecord,
  getRecord,
  notifyRecordUpdateAvailable,
  updateRecord,
} from 'lightning/uiRecordApi';
import { isEmpEnabled, onError, subscribe, unsubscribe } from 'lightning/empApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import SOCIAL_COMPONENTS from '@salesforce/resourceUrl/socialComponents';
import USER_ID from '@salesforce/user/Id';
import USER_NAME from '@salesforce/schema/User.Name';
import SOCIAL_POST_OBJECT from '@salesforce/schema/Social_Post__c';
import CLAIM_OBJECT from '@salesforce/schema/Social_Reply_Claim__c';
import CONTACT_OBJECT from '@salesforce/schema/Contact';
import LEAD_OBJECT from '@salesforce/schema/Lead';
import {
  SAVED_MESSAGE,
  errorMessage,
  isDuplicateValue,
  replyProgress,
  sameId,
  savedRepliesFor,
} from 'c/socialShared';
import {
  MAX_PAGE_SIZE,
  NO_FILTERS,
  PAGE_SIZE,
  assignFields,
  assignPlan,
  changeConcernsInbox,
  claimFields,
  doneFields,
  holderOf,
  inboxReplyFields,
  linkFields,
  mapInbox,
  mapOptions,
  mapThread,
  newPersonFields,
  takenMessage,
} from './mapping';

/** Change Data Capture channel of Social_Post__c (enable CDC for the object; see manifests/README.md). */
export const CHANGE_CHANNEL = '/data/Social_Post__ChangeEvent';
/** How often to reload when change events are unavailable (no CDC, no EMP API in this container). */
export const POLL_MS = 30000;
/** How long to wait for more change events before reloading. */
const REFRESH_DEBOUNCE_MS = 500;

/** The wires' operation names (also how the Jest tests tell them apart). */
export const OPERATIONS = Object.freeze({
  inbox: 'socialInbox',
  options: 'socialInboxOptions',
  memberships: 'socialInboxMemberships',
  postQueues: 'socialInboxPostQueues',
  thread: 'socialInboxThread',
});

// Every post that needs an answer, due first (no target last), then oldest. The same fields, and the
// same order, as the sync server's inbox API. Claims are the post's Send_Claims__r with an inbox key.
const INBOX_QUERY = gql`
  query socialInbox($pageSize: Int = 500) {
    uiapi {
      query {
        Social_Post__c(
          where: { Inbox_Status__c: { in: ["Open", "Assigned"] } }
          orderBy: { Reply_Due__c: { order: ASC, nulls: LAST }, Posted_At__c: { order: ASC } }
          first: $pageSize
        ) {
          edges {
            node {
              Id
              CreatedDate {
                value
              }
              External_Id__c {
                value
              }
              Network__c {
                value
              }
              Body__c {
                value
              }
              Posted_At__c {
                value
              }
              Author_Handle__c {
                value
              }
              Url__c {
                value
              }
              Sentiment__c {
                value
              }
              Intent__c {
                value
              }
              Language__c {
                value
              }
              Priority__c {
                value
              }
              Reply_Due__c {
                value
              }
              Inbox_Status__c {
                value
              }
              Done_Reason__c {
                value
              }
              Replied_At__c {
                value
              }
              Escalated_At__c {
                value
              }
              Thread_Root__c {
                value
              }
              OwnerId {
                value
              }
              Owner {
                ... on User {
                  Name {
                    value
                  }
                }
                ... on Group {
                  Name {
                    value
                  }
                }
              }
              Contact__c {
                value
              }
              Contact__r {
                Name {
                  value
                }
              }
              Lead__c {
                value
              }
              Lead__r {
                Name {
                  value
                }
              }
              Account__c {
                value
              }
              Account__r {
                Name {
                  value
                }
              }
              Case__c {
                value
              }
              Case__r {
                CaseNumber {
                  value
                }
              }
              Persona__c {
                value
              }
              Persona__r {
                Handle__c {
                  value
                }
                Display_Name__c {
                  value
                }
                Influence_Score__c {
                  value
                }
                Suggested_Contact__c {
                  value
                }
                Suggested_Contact__r {
                  Name {
                    value
                  }
                }
                Suggested_Lead__c {
                  value
                }
                Suggested_Lead__r {
                  Name {
                    value
                  }
                }
                Match_Confidence__c {
                  value
                }
                Match_Reason__c {
                  value
                }
              }
              Send_Claims__r(where: { Key__c: { like: "inbox:%" } }, first: 1) {
                edges {
                  node {
                    Id
                    Key__c {
                      value
                    }
                    Claimed_By__c {
                      value
                    }
                  }
                }
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
        Social_Saved_Reply__c(
          where: { Active__c: { eq: true } }
          orderBy: { Name: { order: ASC } }
          first: 200
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Body__c {
                value
              }
              Network__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

// Queues and users to assign to. Separate from the inbox query, and each lookup in its own wire, so an
// org where one of them is not available still shows the inbox (owners of the items stand in).
const OPTIONS_QUERY = gql`
  query socialInboxOptions {
    uiapi {
      query {
        Group(where: { Type: { eq: "Queue" } }, orderBy: { Name: { order: ASC } }, first: 200) {
          edges {
            node {
              Id
              Name {
                value
              }
              DeveloperName {
                value
              }
            }
          }
        }
        User(
          where: { and: [{ IsActive: { eq: true } }, { UserType: { eq: "Standard" } }] }
          orderBy: { Name: { order: ASC } }
          first: 500
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
            }
          }
        }
      }
    }
  }
`;

// The queues the user is a direct member of: "My queues".
const MEMBERSHIPS_QUERY = gql`
  query socialInboxMemberships($userId: ID) {
    uiapi {
      query {
        GroupMember(where: { UserOrGroupId: { eq: $userId } }, first: 500) {
          edges {
            node {
              Id
              GroupId {
                value
              }
            }
          }
        }
      }
    }
  }
`;

// The queues that may own social posts (QueueSobject): only those are offered to assign to.
const POST_QUEUES_QUERY = gql`
  query socialInboxPostQueues {
    uiapi {
      query {
        QueueSobject(where: { SobjectType: { eq: "Social_Post__c" } }, first: 200) {
          edges {
            node {
              Id
              QueueId {
                value
              }
            }
          }
        }
      }
    }
  }
`;

// The open post's conversation (same thread root) and the replies to it, with what toPost reads.
const THREAD_QUERY = gql`
  query socialInboxThread($threadRoot: String, $postId: ID) {
    uiapi {
      query {
        Social_Post__c(
          where: {
            or: [
              { Thread_Root__c: { eq: $threadRoot } }
              { External_Id__c: { eq: $threadRoot } }
              { In_Reply_To__c: { eq: $postId } }
              { Id: { eq: $postId } }
            ]
          }
          orderBy: { CreatedDate: { order: ASC } }
          first: 200
        ) {
          edges {
            node {
              Id
              CreatedDate {
                value
              }
              External_Id__c {
                value
              }
              Network__c {
                value
              }
              Body__c {
                value
              }
              Posted_At__c {
                value
              }
              Author_Handle__c {
                value
              }
              Url__c {
                value
              }
              Sentiment__c {
                value
              }
              Sentiment_Score__c {
                value
              }
              Intent__c {
                value
              }
              Language__c {
                value
              }
              Needs_Reply__c {
                value
              }
              Is_Outbound__c {
                value
              }
              Status__c {
                value
              }
              Failure_Reason__c {
                value
              }
              In_Reply_To__c {
                value
              }
              Replied_At__c {
                value
              }
              Reply_Due__c {
                value
              }
              Persona__c {
                value
              }
              Persona__r {
                Handle__c {
                  value
                }
                Display_Name__c {
                  value
                }
                Influence_Score__c {
                  value
                }
              }
            }
          }
        }
      }
    }
  }
`;

export default class SocialInbox extends LightningElement {
  currentUserId = USER_ID;

  componentsReady = false;
  loadError;

  items = [];
  queues = [];
  users = [];
  threads = {};
  replies = {};
  filters = NO_FILTERS;
  loading = true;
  loadingMore = false;
  error = null;
  hasMore = false;
  selectedId = null;

  pageSize = PAGE_SIZE;
  /** Per post Id: what acting on it needs (lookups, thread root, persona, owner, claim). */
  context = {};
  allSavedReplies = [];
  /** Per post Id: the reply this inbox saved (`{ id, postId, text }`), followed until sent or failed. */
  savedReply = {};
  userName = null;
  options = { options: null, memberships: null, postQueues: null };

  wiredInboxResult;
  wiredThreadResult;
  subscription;
  pollTimer;
  refreshTimer;
  listening = false;

  @wire(graphql, { query: INBOX_QUERY, variables: '$inboxVariables', operationName: OPERATIONS.inbox })
  wiredInbox(result) {
    this.wiredInboxResult = result;
    const { data, errors } = result ?? {};
    if (errors && errors.length) {
      this.error = errors.map((e) => e.message).join(' ');
      this.loading = false;
      this.loadingMore = false;
      return;
    }
    if (!data) return;
    const inbox = mapInbox(data);
    this.items = inbox.items;
    this.context = inbox.context;
    this.allSavedReplies = inbox.savedReplies;
    this.hasMore = inbox.hasMore && this.pageSize < MAX_PAGE_SIZE;
    this.error = null;
    this.loading = false;
    this.loadingMore = false;
    this.updateOptions();
  }

  @wire(graphql, { query: OPTIONS_QUERY, operationName: OPERATIONS.options })
  wiredOptions({ data }) {
    if (!data) return;
    this.options = { ...this.options, options: data };
    this.updateOptions();
  }

  @wire(graphql, {
    query: MEMBERSHIPS_QUERY,
    variables: '$userVariables',
    operationName: OPERATIONS.memberships,
  })
  wiredMemberships({ data }) {
    if (!data) return;
    this.options = { ...this.options, memberships: data };
    this.updateOptions();
  }

  @wire(graphql, { query: POST_QUEUES_QUERY, operationName: OPERATIONS.postQueues })
  wiredPostQueues({ data }) {
    if (!data) return;
    this.options = { ...this.options, postQueues: data };
    this.updateOptions();
  }

  @wire(graphql, { query: THREAD_QUERY, variables: '$threadVariables', operationName: OPERATIONS.thread })
  wiredThread(result) {
    this.wiredThreadResult = result;
    const postId = this.threadVariables?.postId;
    if (!result?.data || !postId) return;
    const posts = mapThread(result.data);
    this.threads = { ...this.threads, [postId]: posts };
    this.followSavedReply(postId, posts);
  }

  @wire(getRecord, { recordId: USER_ID, fields: [USER_NAME] })
  wiredUser({ data }) {
    this.userName = data?.fields?.Name?.value ?? null;
    this.updateOptions();
  }

  get inboxVariables() {
    return { pageSize: this.pageSize };
  }

  get userVariables() {
    return { userId: USER_ID };
  }

  get threadVariables() {
    const context = this.selectedId ? this.context[this.selectedId] : null;
    return context ? { threadRoot: context.threadRoot ?? '', postId: context.id } : undefined;
  }

  /** The respond box's saved replies: those for the open post's network. */
  get savedReplies() {
    return savedRepliesFor(this.allSavedReplies, this.context[this.selectedId]?.network);
  }

  get me() {
    return { id: USER_ID, name: this.userName ?? this.users.find((u) => u.id === USER_ID)?.name ?? null };
  }

  updateOptions() {
    const { queues, users } = mapOptions({
      ...this.options,
      items: this.items,
      currentUser: { id: USER_ID, name: this.userName },
    });
    this.queues = queues;
    this.users = users;
  }

  /** The respond box follows a saved reply as its record changes (the thread wire reloads on changes). */
  followSavedReply(postId, posts) {
    const saved = this.savedReply[postId];
    if (!saved) return;
    const progress = replyProgress(posts, saved);
    if (!progress) return;
    this.setReply(postId, {
      status: progress.status,
      message: progress.message,
      sentUrl: progress.url,
    });
    if (progress.status !== 'sending') {
      const rest = { ...this.savedReply };
      delete rest[postId];
      this.savedReply = rest;
    }
  }

  setReply(postId, state) {
    this.replies = { ...this.replies, [postId]: state };
  }

  connectedCallback() {
    // The inbox's events bubble out of its closed shadow root (composed), so the host listens once on its
    // own template. Their names have hyphens, which LWC's declarative on* handlers cannot express.
    this.template.addEventListener('social-inbox-select', this.handleSelect);
    this.template.addEventListener('social-inbox-assign', this.handleAssign);
    this.template.addEventListener('social-inbox-done', this.handleDone);
    this.template.addEventListener('social-inbox-filter-change', this.handleFilterChange);
    this.template.addEventListener('social-inbox-create-record', this.handleCreateRecord);
    this.template.addEventListener('social-inbox-link', this.handleLink);
    this.template.addEventListener('social-reply', this.handleReply);
    this.template.addEventListener('social-load-more', this.handleLoadMore);
    this.template.addEventListener('social-retry', this.handleRetry);

    // Render <social-inbox> only once it is defined: LWC then sets its properties (an element that is not
    // upgraded yet would get attributes, and lose the arrays).
    loadScript(this, SOCIAL_COMPONENTS)
      .then(() => {
        this.componentsReady = true;
      })
      .catch((error) => {
        this.loadError = `The social components could not be loaded: ${errorMessage(error)}`;
      });
    this.listening = true;
    this.listenForChanges();
  }

  disconnectedCallback() {
    this.listening = false;
    this.stopPolling();
    clearTimeout(this.refreshTimer);
    if (this.subscription) {
      unsubscribe(this.subscription, () => {});
      this.subscription = undefined;
    }
  }

  async listenForChanges() {
    try {
      if (!(await isEmpEnabled())) throw new Error('The EMP API is not available here.');
      onError(() => this.startPolling());
      const subscription = await subscribe(CHANGE_CHANNEL, -1, (message) => this.handleChange(message));
      if (!subscription) throw new Error(`Could not subscribe to ${CHANGE_CHANNEL}.`);
      if (this.listening) this.subscription = subscription;
      else unsubscribe(subscription, () => {});
    } catch {
      this.startPolling();
    }
  }

  /** Ids the inbox shows or follows: its items and the open post's thread. */
  knownIds() {
    const ids = new Set(this.items.map((i) => i.postId));
    for (const posts of Object.values(this.threads)) for (const p of posts) ids.add(p.id);
    return ids;
  }

  handleChange(message) {
    const known = this.knownIds();
    if (!changeConcernsInbox(message, known)) return;
    const changed = (message?.data?.payload?.ChangeEventHeader?.recordIds ?? []).filter((id) =>
      [...known].some((k) => k.slice(0, 15) === id.slice(0, 15)),
    );
    // Record pages open in other tabs read the same posts through LDS.
    if (changed.length)
      notifyRecordUpdateAvailable(changed.map((recordId) => ({ recordId }))).catch(() => {});
    clearTimeout(this.refreshTimer);
    // A burst of change events (one sync batch, a colleague's bulk assign) becomes one reload.
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  startPolling() {
    if (this.pollTimer || !this.listening) return;
    this.pollTimer = setInterval(() => this.refresh(), POLL_MS);
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** Reloads the inbox (and the open thread); resolves once the new data is in. */
  refresh() {
    const pending = [this.wiredInboxResult, this.wiredThreadResult]
      .filter((r) => r?.data || r?.errors)
      .map((r) => refreshGraphQL(r));
    return Promise.all(pending).catch(() => {});
  }

  toast(title, message, variant) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }

  handleSelect = (event) => {
    this.selectedId = event.detail?.postId ?? null;
  };

  handleFilterChange = (event) => {
    this.filters = { ...NO_FILTERS, ...event.detail };
  };

  handleLoadMore = () => {
    if (!this.hasMore || this.loadingMore) return;
    this.loadingMore = true;
    this.pageSize = Math.min(this.pageSize + PAGE_SIZE, MAX_PAGE_SIZE);
  };

  handleRetry = () => {
    this.loading = true;
    this.error = null;
    this.refresh();
  };

  /**
   * Gives posts to a queue or a user. Taking a post (assigning it to oneself) claims it first: a post
   * someone else holds is refused with their name. A post going back to a queue, or to another user,
   * releases its claim; a user who does not hold it yet gets a new one.
   */
  handleAssign = async (event) => {
    const { postIds = [], ownerId } = event.detail ?? {};
    if (!ownerId || postIds.length === 0) return;
    const results = await Promise.all(postIds.map((postId) => this.assignOne(postId, ownerId)));
    const refused = results.filter((r) => r.refused);
    const failed = results.filter((r) => r.error);
    const moved = results.filter((r) => r.ok).map((r) => r.postId);
    if (refused.length)
      this.toast(
        refused.length === 1 ? 'Not assigned' : `${refused.length} posts not assigned`,
        [...new Set(refused.map((r) => r.refused))].join('; '),
        'warning',
      );
    if (failed.length)
      this.toast(
        failed.length === 1 ? 'Could not assign the post' : `Could not assign ${failed.length} posts`,
        [...new Set(failed.map((r) => r.error))].join(' '),
        'error',
      );
    if (moved.length) {
      const to = ownerId === USER_ID ? 'you' : this.ownerLabel(ownerId);
      this.toast(
        moved.length === 1 ? `Assigned to ${to}` : `${moved.length} posts assigned to ${to}`,
        '',
        'success',
      );
      notifyRecordUpdateAvailable(moved.map((recordId) => ({ recordId }))).catch(() => {});
    }
    await this.refresh();
  };

  ownerLabel(ownerId) {
    return (
      this.queues.find((q) => q.id === ownerId)?.name ??
      this.users.find((u) => u.id === ownerId)?.name ??
      ownerId
    );
  }

  async assignOne(postId, ownerId) {
    try {
      let plan = assignPlan(this.context[postId], ownerId, USER_ID);
      if (plan.refuse) return { postId, refused: takenMessage(plan.refuse) };
      if (plan.release) await deleteRecord(plan.release);
      if (plan.claim) {
        const target = ownerId === USER_ID ? this.me : { id: ownerId, name: this.ownerLabel(ownerId) };
        try {
          await createRecord({ apiName: CLAIM_OBJECT.objectApiName, fields: claimFields(postId, target) });
        } catch (error) {
          if (!isDuplicateValue(error)) throw error;
          // Someone claimed it since the inbox last loaded: read who, and give way unless it is the target.
          await this.refresh();
          const holder = holderOf(this.context[postId]);
          if (!holder || !sameId(holder.id, ownerId)) return { postId, refused: takenMessage(holder) };
        }
      }
      await updateRecord({ fields: assignFields(postId, ownerId) });
      return { postId, ok: true };
    } catch (error) {
      return { postId, error: errorMessage(error) };
    }
  }

  /** Closes posts: Done with the reason, when and by whom; their claims go (nobody works a closed post). */
  handleDone = async (event) => {
    const { postIds = [], reason } = event.detail ?? {};
    if (postIds.length === 0) return;
    const results = await Promise.all(
      postIds.map(async (postId) => {
        try {
          await updateRecord({ fields: doneFields(postId, reason, USER_ID) });
          const claim = this.context[postId]?.claim;
          if (claim) await deleteRecord(claim.id).catch(() => {});
          return { postId, ok: true };
        } catch (error) {
          return { postId, error: errorMessage(error) };
        }
      }),
    );
    const failed = results.filter((r) => r.error);
    const closed = results.filter((r) => r.ok).map((r) => r.postId);
    if (failed.length)
      this.toast(
        failed.length === 1 ? 'Could not close the post' : `Could not close ${failed.length} posts`,
        [...new Set(failed.map((r) => r.error))].join(' '),
        'error',
      );
    if (closed.length) {
      this.toast(closed.length === 1 ? 'Done' : `${closed.length} posts done`, reason, 'success');
      notifyRecordUpdateAvailable(closed.map((recordId) => ({ recordId }))).catch(() => {});
    }
    await this.refresh();
  };

  /**
   * Replies as on record pages: a Pending outbound Social_Post__c, linked to the records the post is
   * linked to, that the sync server sends. A duplicate idempotency key means an earlier attempt saved it.
   */
  handleReply = async (event) => {
    const detail = event.detail ?? {};
    const postId = detail.postId;
    this.setReply(postId, { status: 'sending', message: '', sentUrl: null });
    try {
      const fields = inboxReplyFields(detail, this.context[postId]);
      const created = await createRecord({ apiName: SOCIAL_POST_OBJECT.objectApiName, fields });
      this.savedReply = {
        ...this.savedReply,
        [postId]: { id: created?.id ?? null, postId, text: detail.text },
      };
    } catch (error) {
      if (!isDuplicateValue(error)) {
        this.setReply(postId, { status: 'failed', message: errorMessage(error), sentUrl: null });
        return;
      }
      this.savedReply = { ...this.savedReply, [postId]: { id: null, postId, text: detail.text } };
    }
    // Saved is not sent: the sync server sends it, and the record says when (or why not).
    this.setReply(postId, { status: 'sending', message: SAVED_MESSAGE, sentUrl: null });
    await this.refresh();
  };

  /** Makes a Lead or Contact of an unknown author and links the post (and the author's persona) to it. */
  handleCreateRecord = async (event) => {
    const { postId, recordType } = event.detail ?? {};
    const context = this.context[postId];
    try {
      if (!context) throw new Error('The post is no longer in the inbox.');
      const apiName = recordType === 'Lead' ? LEAD_OBJECT.objectApiName : CONTACT_OBJECT.objectApiName;
      const created = await createRecord({ apiName, fields: newPersonFields(recordType, context) });
      for (const fields of linkFields(context, created.id)) await updateRecord({ fields });
      this.toast(
        `${recordType} created`,
        `${context.authorName || context.handle} is now a ${recordType.toLowerCase()}.`,
        'success',
      );
      await this.refresh();
    } catch (error) {
      this.toast(`Could not create the ${String(recordType).toLowerCase()}`, errorMessage(error), 'error');
    }
  };

  /** Links the author of a post to one of its suggested contacts or leads. */
  handleLink = async (event) => {
    const { postId, recordId } = event.detail ?? {};
    const context = this.context[postId];
    try {
      if (!context) throw new Error('The post is no longer in the inbox.');
      for (const fields of linkFields(context, recordId)) await updateRecord({ fields });
      await this.refresh();
    } catch (error) {
      this.toast('Could not link the social profile', errorMessage(error), 'error');
    }
  };
}
