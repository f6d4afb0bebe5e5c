/**
 * Plain data the host (the Lightning wrapper or the standalone record page) hands to the components.
 *
 * Field names mirror the CRM schema in camelCase (manifests/README.md, "The schema"):
 *
 * | property                     | Social_Post__c field                              |
 * |------------------------------|---------------------------------------------------|
 * | `id`                         | `Id`                                              |
 * | `externalId`                 | `External_Id__c` (`<network>:<post id>`)          |
 * | `network`                    | `Network__c`                                      |
 * | `body`                       | `Body__c`                                         |
 * | `postedAt`                   | `Posted_At__c` (ISO 8601)                         |
 * | `authorHandle`               | `Author_Handle__c`                                |
 * | `authorName`                 | `Persona__r.Display_Name__c`                      |
 * | `authorInfluence`            | `Persona__r.Influence_Score__c` (0–100)           |
 * | `url`                        | `Url__c`                                          |
 * | `sentiment`, `sentimentScore`| `Sentiment__c`, `Sentiment_Score__c`              |
 * | `intent`                     | `Intent__c`                                       |
 * | `language`                   | `Language__c`                                     |
 * | `needsReply`                 | `Needs_Reply__c`                                  |
 * | `isOutbound`                 | `Is_Outbound__c`                                  |
 * | `status`                     | `Status__c` (outbound only)                       |
 * | `failureReason`              | `Failure_Reason__c`                               |
 * | `inReplyToId`                | `In_Reply_To__c` (the Id of the parent post)      |
 * | `repliedAt`                  | `Replied_At__c` (ISO 8601: when we answered it)   |
 * | `replyDueAt`                 | `Reply_Due__c` (ISO 8601: the reply-time target)  |
 * | `personaId`                  | `Persona__c`                                      |
 *
 * | property                     | Social_Persona__c field                           |
 * |------------------------------|---------------------------------------------------|
 * | `id`                         | `Id`                                              |
 * | `externalId`                 | `External_Id__c` (`<network>:<user id>`)          |
 * | `network`                    | `Network__c`                                      |
 * | `handle`                     | `Handle__c`                                       |
 * | `displayName`                | `Display_Name__c`                                 |
 * | `profileUrl`                 | `Profile_Url__c` (shown as a link only if http/https) |
 * | `followers`                  | `Followers__c`                                    |
 * | `influenceScore`             | `Influence_Score__c` (0–100)                      |
 * | `advocacyScore`              | `Advocacy_Score__c` (0–100)                       |
 * | `sentimentTrend`             | `Sentiment_Trend__c` (-1…1)                       |
 * | `verified`                   | `Verified__c`                                     |
 * | `matchConfidence`            | `Match_Confidence__c` (0–100, suggestions)        |
 * | `matchReason`                | `Match_Reason__c` (suggestions)                   |
 */

/** `Network__c` picklist values. */
export type Network = 'x' | 'bluesky' | 'mastodon' | 'facebook' | 'instagram';

/** `Sentiment__c` picklist values. */
export type Sentiment = 'positive' | 'neutral' | 'negative';

/** `Intent__c` picklist values. */
export type Intent = 'complaint' | 'question' | 'praise' | 'purchase_intent' | 'other';

/** `Status__c` picklist values of outbound posts. */
export type OutboundStatus =
  'Pending' | 'Pending Approval' | 'Approved' | 'Rejected' | 'Queued' | 'Sending' | 'Sent' | 'Failed';

export interface SocialPost {
  id: string;
  externalId?: string;
  network: Network;
  body: string;
  /** ISO 8601 date-time. */
  postedAt: string;
  authorHandle: string;
  authorName?: string;
  authorInfluence?: number;
  url?: string;
  sentiment?: Sentiment;
  sentimentScore?: number;
  intent?: Intent;
  language?: string;
  needsReply?: boolean;
  isOutbound?: boolean;
  status?: OutboundStatus;
  failureReason?: string;
  inReplyToId?: string;
  /** When our first reply to this post went out; an answered post no longer needs a reply. */
  repliedAt?: string;
  /** When the first reply is due (`Reply_Due__c`, the inbox's reply-time target); the timeline counts down to it. */
  replyDueAt?: string;
  personaId?: string;
}

export interface SocialPersona {
  id: string;
  externalId?: string;
  network: Network;
  handle: string;
  displayName?: string;
  profileUrl?: string;
  followers?: number;
  influenceScore?: number;
  advocacyScore?: number;
  sentimentTrend?: number;
  verified?: boolean;
  matchConfidence?: number;
  matchReason?: string;
  /** The person this profile is one of (`Person_Key__c`): the same on all of a person's profiles. */
  personKey?: string;
  /** Why it was joined to the person's other profiles (`Join_Reason__c`); absent for the first one. */
  joinReason?: string;
  /** How sure the join is, 0–100 (`Join_Confidence__c`). */
  joinConfidence?: number;
}

/** A canned answer; `body` may hold `{first_name}` and `{case_number}`. */
export interface SavedReply {
  id: string;
  name: string;
  body: string;
}

/** Values for the saved-reply placeholders. */
export interface ReplyContext {
  firstName?: string;
  caseNumber?: string;
}

/** What the network allows for the selected post, as the host knows it. */
export interface ReplyRules {
  canReply: boolean;
  /** Why replying is not possible, or any rule the agent should know. */
  reason?: string;
}

/** Another user is answering the same post. */
export interface ReplyCollision {
  user: string;
  /** ISO 8601 date-time. */
  since: string;
}

/** The outcome of a send, given back by the host. */
export type ReplySendStatus = 'idle' | 'sending' | 'sent' | 'failed';

export interface TimelineFilters {
  network: Network | '';
  sentiment: Sentiment | '';
  intent: Intent | '';
  needsReply: boolean;
}

/** One point of a trend line (oldest first). */
export type TrendPoint = number;

/**
 * A customer's value in the org currency (scoring/customer-value.ts; written by the sync's customer value
 * job): `total` = `Social_Customer_Value__c`, `lifetime` = `Social_Lifetime_Value__c`, `referral` =
 * `Social_Referral_Value__c` (referred deals plus influence), of the Contact (a Case's Contact) or Account.
 * `currency`: the org's ISO code (`Organization.DefaultCurrencyIsoCode`); absent, USD.
 */
export interface CustomerValue {
  total: number;
  lifetime?: number | null;
  referral?: number | null;
  currency?: string | null;
}

/*
 * The social inbox (`<social-inbox>`): `GET /api/inbox` items as the sync server sends them.
 *
 * | property            | Social_Post__c field                                            |
 * |---------------------|-----------------------------------------------------------------|
 * | `postId`            | `Id`                                                            |
 * | `priority`          | `Priority__c`                                                   |
 * | `receivedAt`        | `Posted_At__c`                                                  |
 * | `dueAt`             | `Reply_Due__c` (null: no target)                                |
 * | `status`            | `Inbox_Status__c` (`Open` → `needs_reply`, `Assigned`, `Done`)  |
 * | `ownerId`           | `OwnerId` (a queue `00G…` or a user `005…`)                     |
 * | `recordId`          | `Contact__c`, `Lead__c`, `Account__c` or `Case__c`              |
 * | `threadId`          | `Thread_Root__c`                                                |
 * | `doneReason`        | `Done_Reason__c`                                                |
 * | `repliedAt`         | `Replied_At__c`                                                 |
 * | `escalated`         | `Escalated_At__c` is set                                        |
 */

/** `Priority__c` picklist values, most urgent first. */
export type InboxPriority = 'Urgent' | 'High' | 'Normal' | 'Low';

/** Where a post is in the inbox: waiting in a queue, worked by a user, or closed. */
export type InboxStatus = 'needs_reply' | 'assigned' | 'done';

/** `Done_Reason__c` values an agent picks (the server sets `Replied` itself when a reply is sent). */
export type DoneReason = 'No reply needed' | 'Spam' | 'Answered elsewhere';

/** A record the inbox can suggest linking the author to (identity resolution, as on the persona card). */
export interface InboxSuggestion {
  recordId: string;
  recordType: 'Contact' | 'Lead';
  name: string;
  /** 0–100. */
  confidence: number;
  reason?: string;
}

export interface InboxItem {
  postId: string;
  network: Network;
  externalId: string;
  url?: string | null;
  author: { handle: string; name?: string | null; influence?: number | null; personaId?: string | null };
  text: string;
  sentiment?: Sentiment | null;
  intent?: Intent | null;
  /** ISO 639-1. */
  language?: string | null;
  priority: InboxPriority;
  /** ISO 8601: when the post was posted. */
  receivedAt: string;
  /** ISO 8601: when the first reply is due; null without a target. */
  dueAt: string | null;
  status: InboxStatus;
  ownerId: string;
  ownerName: string;
  ownerIsQueue: boolean;
  recordId: string | null;
  recordType?: 'Contact' | 'Lead' | 'Account' | 'Case' | null;
  recordName?: string | null;
  threadId: string;
  suggestions?: InboxSuggestion[];
  doneReason?: string | null;
  repliedAt?: string | null;
  escalated?: boolean;
}

/** An assign target: a queue or a user. */
export interface InboxOwner {
  id: string;
  name: string;
  /**
   * Queues only: whether the current user is a member. "My queues" are the queues not marked
   * `member: false` (a host that lists only the user's own queues need not set it).
   */
  member?: boolean;
}

/** Which posts the inbox shows by owner: assigned to me, in my queues, in any queue (unassigned), all. */
export type InboxScope = 'mine' | 'my_queues' | 'unassigned' | 'all';

/** Inbox order: due time (nulls last, then oldest), newest first, or priority (then due time). */
export type InboxSort = 'due' | 'newest' | 'priority';

export interface InboxFilters {
  network: Network | '';
  /** ISO 639-1, or '' for all. */
  language: string;
  intent: Intent | '';
  /** A queue Id: posts it owns. */
  queue: string;
  scope: InboxScope;
  /** Words in the author's name, handle or the text (case-insensitive). */
  search: string;
  sort: InboxSort;
}

/** The respond box state of one post, given back by the host after `social-reply`. */
export interface InboxReplyState {
  status: ReplySendStatus;
  /** Why sending failed, or what it waits for (the respond box's `statusMessage`). */
  message?: string;
  /** The sent reply on its network. */
  sentUrl?: string | null;
}
