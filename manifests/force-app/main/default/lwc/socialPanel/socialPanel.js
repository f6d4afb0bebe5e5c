/**
 * Social CRM on a Contact, Lead, Account or Case record page: hosts the Lit components of the
 * `socialComponents` static resource (<social-timeline>, <social-persona-card>, <social-respond-box>,
 * rendered with lwc:external under Lightning Web Security) and gives them the record's data.
 *
 * Every read and write goes through Lightning Data Service as the current user (GraphQL wire adapter,
 * UI API), so sharing, object permissions and field-level security hold; the panel never talks to the
 * sync server and holds no secret. Replies are Social_Post__c records with Status__c 'Pending', which the
 * sync server sends; it learns of them, and the panel of its progress, through Change Data Capture.
 */
import { LightningElement, api, wire } from 'lwc';
import { loadScript } from 'lightning/platformResourceLoader';
import { gql, graphql, refreshGraphQL } from 'lightning/uiGraphQLApi';
import { createRecord, getRecord, notifyRecordUpdateAvailable, updateRecord } from 'lightning/uiRecordApi';
import { isEmpEnabled, onError, subscribe, unsubscribe } from 'lightning/empApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import SOCIAL_COMPONENTS from '@salesforce/resourceUrl/socialComponents';
import SOCIAL_POST_OBJECT from '@salesforce/schema/Social_Post__c';
import ACCOUNT_NAME from '@salesforce/schema/Account.Name';
import ACCOUNT_VALUE from '@salesforce/schema/Account.Social_Customer_Value__c';
import ACCOUNT_LIFETIME from '@salesforce/schema/Account.Social_Lifetime_Value__c';
import ACCOUNT_REFERRAL from '@salesforce/schema/Account.Social_Referral_Value__c';
import CASE_NUMBER from '@salesforce/schema/Case.CaseNumber';
import CASE_CONTACT_FIRST_NAME from '@salesforce/schema/Case.Contact.FirstName';
import CASE_CONTACT_SENTIMENT from '@salesforce/schema/Case.Contact.Social_Sentiment__c';
import CASE_CONTACT_VALUE from '@salesforce/schema/Case.Contact.Social_Customer_Value__c';
import CASE_CONTACT_LIFETIME from '@salesforce/schema/Case.Contact.Social_Lifetime_Value__c';
import CASE_CONTACT_REFERRAL from '@salesforce/schema/Case.Contact.Social_Referral_Value__c';
import CONTACT_FIRST_NAME from '@salesforce/schema/Contact.FirstName';
import CONTACT_SENTIMENT from '@salesforce/schema/Contact.Social_Sentiment__c';
import CONTACT_VALUE from '@salesforce/schema/Contact.Social_Customer_Value__c';
import CONTACT_LIFETIME from '@salesforce/schema/Contact.Social_Lifetime_Value__c';
import CONTACT_REFERRAL from '@salesforce/schema/Contact.Social_Referral_Value__c';
import LEAD_FIRST_NAME from '@salesforce/schema/Lead.FirstName';
import LEAD_SENTIMENT from '@salesforce/schema/Lead.Social_Sentiment__c';
import {
  MAX_PAGE_SIZE,
  PAGE_SIZE,
  acceptSuggestionFields,
  changeConcernsRecord,
  errorMessage,
  isDuplicateReply,
  mapPanel,
  recordContext,
  rejectSuggestionFields,
  SAVED_MESSAGE,
  replyFields,
  replyProgress,
  savedRepliesFor,
  sentimentTrendOf,
} from './mapping';

/** Change Data Capture channel of Social_Post__c (enable CDC for the object; see manifests/README.md). */
export const CHANGE_CHANNEL = '/data/Social_Post__ChangeEvent';
/** How often to reload when change events are unavailable (no CDC, no EMP API in this container). */
export const POLL_MS = 30000;
/** How long to wait for more change events before reloading. */
const REFRESH_DEBOUNCE_MS = 500;

/**
 * Fields of the page's record: reply placeholders ({first_name}, {case_number}), the average sentiment and
 * the customer value (optional fields: a user without access to them sees no value, not an error).
 */
const CONTEXT_FIELDS = {
  Contact: [CONTACT_FIRST_NAME, CONTACT_SENTIMENT, CONTACT_VALUE, CONTACT_LIFETIME, CONTACT_REFERRAL],
  Lead: [LEAD_FIRST_NAME, LEAD_SENTIMENT],
  Case: [
    CASE_NUMBER,
    CASE_CONTACT_FIRST_NAME,
    CASE_CONTACT_SENTIMENT,
    CASE_CONTACT_VALUE,
    CASE_CONTACT_LIFETIME,
    CASE_CONTACT_REFERRAL,
  ],
  Account: [ACCOUNT_NAME, ACCOUNT_VALUE, ACCOUNT_LIFETIME, ACCOUNT_REFERRAL],
};

// One query for the whole panel. The four lookups are ORed: record Ids are unique across objects, and a
// static query is what lightning/uiGraphQLApi supports.
const PANEL_QUERY = gql`
  query socialPanel($recordId: ID, $pageSize: Int = 200) {
    uiapi {
      query {
        Social_Post__c(
          where: {
            or: [
              { Contact__c: { eq: $recordId } }
              { Lead__c: { eq: $recordId } }
              { Account__c: { eq: $recordId } }
              { Case__c: { eq: $recordId } }
            ]
          }
          orderBy: { CreatedDate: { order: DESC } }
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
                ...PersonaFields
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
        Linked: Social_Persona__c(
          where: { or: [{ Contact__c: { eq: $recordId } }, { Lead__c: { eq: $recordId } }] }
          first: 50
        ) {
          edges {
            node {
              ...PersonaFields
            }
          }
        }
        Suggested: Social_Persona__c(
          where: {
            or: [{ Suggested_Contact__c: { eq: $recordId } }, { Suggested_Lead__c: { eq: $recordId } }]
          }
          orderBy: { Match_Confidence__c: { order: DESC } }
          first: 20
        ) {
          edges {
            node {
              ...PersonaFields
              Suggested_Contact__c {
                value
              }
              Suggested_Lead__c {
                value
              }
              Match_Confidence__c {
                value
              }
              Match_Reason__c {
                value
              }
            }
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

  fragment PersonaFields on Social_Persona__c {
    Id
    External_Id__c {
      value
    }
    Network__c {
      value
    }
    Handle__c {
      value
    }
    Display_Name__c {
      value
    }
    Profile_Url__c {
      value
    }
    Followers__c {
      value
    }
    Influence_Score__c {
      value
    }
    Advocacy_Score__c {
      value
    }
    Sentiment_Trend__c {
      value
    }
    Verified__c {
      value
    }
  }
`;

export default class SocialPanel extends LightningElement {
  @api recordId;
  @api objectApiName;
  /** Reply-time target in minutes (a design property in Lightning App Builder). */
  @api slaMinutes = 60;

  componentsReady = false;
  loadError;

  posts = [];
  personas = [];
  suggestions = [];
  sentiment = null;
  customerValue = null;
  context = {};
  hasMore = false;
  loading = true;
  loadingOlder = false;
  timelineError = null;
  selectedId = null;
  replyStatus = 'idle';
  replyStatusMessage = '';
  replySentUrl = null;
  /** The reply this panel saved last (`{ id, postId, text }`), followed until it is sent or fails. */
  savedReply = null;

  pageSize = PAGE_SIZE;
  wiredPanelResult;
  allSavedReplies = [];
  suggestionTargets = {};
  subscription;
  pollTimer;
  refreshTimer;
  listening = false;

  @wire(graphql, { query: PANEL_QUERY, variables: '$panelVariables' })
  wiredPanel(result) {
    this.wiredPanelResult = result;
    const { data, errors } = result ?? {};
    if (errors && errors.length) {
      this.timelineError = errors.map((e) => e.message).join(' ');
      this.loading = false;
      this.loadingOlder = false;
      return;
    }
    if (!data) return;
    const panel = mapPanel(data);
    this.posts = panel.posts;
    this.personas = panel.personas;
    this.suggestions = panel.suggestions;
    this.suggestionTargets = panel.suggestionTargets;
    this.allSavedReplies = panel.savedReplies;
    this.hasMore = panel.hasMore && this.pageSize < MAX_PAGE_SIZE;
    this.timelineError = null;
    this.loading = false;
    this.loadingOlder = false;
    this.followSavedReply();
  }

  /** The respond box follows the saved reply as its record changes (change events reload the posts). */
  followSavedReply() {
    if (!this.savedReply) return;
    const progress = replyProgress(this.posts, this.savedReply);
    if (!progress) return;
    this.replyStatus = progress.status;
    this.replyStatusMessage = progress.message;
    this.replySentUrl = progress.url;
    if (progress.status !== 'sending') this.savedReply = null;
  }

  @wire(getRecord, { recordId: '$recordId', optionalFields: '$contextFields' })
  wiredRecord({ data }) {
    if (!data) return;
    const { context, sentiment, customerValue } = recordContext(data);
    this.context = context;
    this.sentiment = sentiment;
    this.customerValue = customerValue;
  }

  get panelVariables() {
    return this.recordId ? { recordId: this.recordId, pageSize: this.pageSize } : undefined;
  }

  get contextFields() {
    return CONTEXT_FIELDS[this.objectApiName];
  }

  get selectedPost() {
    return this.posts.find((p) => p.id === this.selectedId) ?? null;
  }

  get savedReplies() {
    return savedRepliesFor(this.allSavedReplies, this.selectedPost?.network);
  }

  get sentimentTrend() {
    return sentimentTrendOf(this.posts);
  }

  connectedCallback() {
    // The components' events bubble out of their closed shadow roots (composed), so the panel listens once
    // on its own template. Their names have hyphens, which LWC's declarative on* handlers cannot express.
    this.template.addEventListener('social-post-select', this.handlePostSelect);
    this.template.addEventListener('social-reply', this.handleReply);
    this.template.addEventListener('social-load-older', this.handleLoadOlder);
    this.template.addEventListener('social-retry', this.handleRetry);
    this.template.addEventListener('social-suggestion-accept', this.handleSuggestionAccept);
    this.template.addEventListener('social-suggestion-reject', this.handleSuggestionReject);

    // Render the custom elements only once they are defined: LWC then sets their properties (an element
    // that is not upgraded yet would get attributes, and lose the arrays).
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

  handleChange(message) {
    const postIds = new Set(this.posts.map((p) => p.id));
    if (!changeConcernsRecord(message, this.recordId, postIds)) return;
    const changed = (message?.data?.payload?.ChangeEventHeader?.recordIds ?? []).filter((id) =>
      this.posts.some((p) => p.id.slice(0, 15) === id.slice(0, 15)),
    );
    // Other components on the page (related lists, the record detail) read the same records through LDS.
    if (changed.length)
      notifyRecordUpdateAvailable(changed.map((recordId) => ({ recordId }))).catch(() => {});
    clearTimeout(this.refreshTimer);
    // A burst of change events (one sync batch) becomes one reload.
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  startPolling() {
    if (this.pollTimer || !this.listening) return;
    this.pollTimer = setInterval(() => {
      this.refresh();
      if (this.recordId) notifyRecordUpdateAvailable([{ recordId: this.recordId }]).catch(() => {});
    }, POLL_MS);
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  refresh() {
    return this.wiredPanelResult ? refreshGraphQL(this.wiredPanelResult) : Promise.resolve();
  }

  handlePostSelect = (event) => {
    if (event.detail.postId !== this.selectedId) {
      this.savedReply = null;
      this.replyStatus = 'idle';
      this.replyStatusMessage = '';
      this.replySentUrl = null;
    }
    this.selectedId = event.detail.postId;
    // The agent selected the post to answer it: the reply text, below the timeline, comes into view.
    // After the render that gives the box its post.
    Promise.resolve().then(() => this.template.querySelector('social-respond-box')?.focusText?.());
  };

  handleReply = async (event) => {
    const detail = event.detail;
    this.replyStatus = 'sending';
    this.replyStatusMessage = '';
    this.replySentUrl = null;
    try {
      const fields = replyFields({
        detail,
        post: this.posts.find((p) => p.id === detail.postId),
        recordId: this.recordId,
        objectApiName: this.objectApiName,
      });
      const created = await createRecord({ apiName: SOCIAL_POST_OBJECT.objectApiName, fields });
      // Saved is not sent: the sync server sends it, and the record says when (or why not).
      this.savedReply = { id: created?.id ?? null, postId: detail.postId, text: detail.text };
      this.replyStatusMessage = SAVED_MESSAGE;
    } catch (error) {
      if (isDuplicateReply(error)) {
        // An earlier attempt saved it: the reply is on its way already.
        this.savedReply = { id: null, postId: detail.postId, text: detail.text };
        this.replyStatusMessage = SAVED_MESSAGE;
      } else {
        this.replyStatus = 'failed';
        this.replyStatusMessage = errorMessage(error);
        return;
      }
    }
    await this.refresh();
  };

  handleLoadOlder = () => {
    if (!this.hasMore || this.loadingOlder) return;
    this.loadingOlder = true;
    this.pageSize = Math.min(this.pageSize + PAGE_SIZE, MAX_PAGE_SIZE);
  };

  handleRetry = () => {
    this.loading = true;
    this.timelineError = null;
    this.refresh();
  };

  handleSuggestionAccept = (event) => this.updateSuggestion(event.detail.personaId, true);

  handleSuggestionReject = (event) => this.updateSuggestion(event.detail.personaId, false);

  async updateSuggestion(personaId, accept) {
    try {
      const target = this.suggestionTargets[personaId];
      const fields = accept
        ? acceptSuggestionFields(personaId, target, this.recordId)
        : rejectSuggestionFields(personaId, target, this.recordId);
      await updateRecord({ fields });
      await this.refresh();
    } catch (error) {
      this.dispatchEvent(
        new ShowToastEvent({
          title: accept ? 'Could not link the social profile' : 'Could not dismiss the suggestion',
          message: errorMessage(error),
          variant: 'error',
        }),
      );
    }
  }
}
