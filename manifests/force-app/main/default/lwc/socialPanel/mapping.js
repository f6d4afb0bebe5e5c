/**
 * Pure functions between Salesforce data (GraphQL wire results, UI API records and errors, change events)
 * and the plain data of the Social CRM web components (ui-components/src/types.ts). No LWC or platform
 * imports, so Node and Jest can test it as it is.
 */

/** Posts per page of the timeline, and the most the GraphQL API returns in one query. */
export const PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 2000;

/** The Social_Post__c lookup that ties a post to a record page of each supported object. */
export const POST_LOOKUP_BY_OBJECT = Object.freeze({
  Contact: 'Contact__c',
  Lead: 'Lead__c',
  Account: 'Account__c',
  Case: 'Case__c',
});

const NETWORKS = new Set(['x', 'bluesky', 'mastodon', 'facebook', 'instagram']);

/** The `value` of a GraphQL field (`{ value }`), with null as undefined. */
function value(node, field) {
  const v = node?.[field]?.value;
  return v === null ? undefined : v;
}

/** A copy of `object` without its undefined properties, so components see "absent", not "undefined". */
function compact(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

function nodes(connection) {
  return (connection?.edges ?? []).map((edge) => edge?.node).filter(Boolean);
}

/** A Social_Persona__c GraphQL node as a `SocialPersona`. */
export function toPersona(node) {
  return compact({
    id: node.Id,
    externalId: value(node, 'External_Id__c'),
    network: value(node, 'Network__c'),
    handle: value(node, 'Handle__c') ?? '',
    displayName: value(node, 'Display_Name__c'),
    profileUrl: value(node, 'Profile_Url__c'),
    followers: value(node, 'Followers__c'),
    influenceScore: value(node, 'Influence_Score__c'),
    advocacyScore: value(node, 'Advocacy_Score__c'),
    sentimentTrend: value(node, 'Sentiment_Trend__c'),
    verified: value(node, 'Verified__c'),
    matchConfidence: value(node, 'Match_Confidence__c'),
    matchReason: value(node, 'Match_Reason__c'),
  });
}

/** A Social_Post__c GraphQL node as a `SocialPost`. */
export function toPost(node) {
  const author = node.Persona__r;
  return compact({
    id: node.Id,
    externalId: value(node, 'External_Id__c'),
    network: value(node, 'Network__c'),
    body: value(node, 'Body__c') ?? '',
    // An outbound reply has no network time until it is sent; it sorts by when it was written.
    postedAt: value(node, 'Posted_At__c') ?? value(node, 'CreatedDate'),
    authorHandle: value(node, 'Author_Handle__c') ?? value(author, 'Handle__c') ?? '',
    authorName: value(author, 'Display_Name__c'),
    authorInfluence: value(author, 'Influence_Score__c'),
    url: value(node, 'Url__c'),
    sentiment: value(node, 'Sentiment__c'),
    sentimentScore: value(node, 'Sentiment_Score__c'),
    intent: value(node, 'Intent__c'),
    language: value(node, 'Language__c'),
    needsReply: value(node, 'Needs_Reply__c'),
    isOutbound: value(node, 'Is_Outbound__c'),
    status: value(node, 'Status__c'),
    failureReason: value(node, 'Failure_Reason__c'),
    inReplyToId: value(node, 'In_Reply_To__c'),
    repliedAt: value(node, 'Replied_At__c'),
    personaId: value(node, 'Persona__c'),
  });
}

/**
 * Everything the panel shows, from the `socialPanel` GraphQL query's `data`.
 * - `personas`: identities linked to the record, plus (on accounts and cases, which personas do not point
 *   at) the authors of the record's posts; never one that is only a suggestion.
 * - `suggestions`: identities suggested for the record, and `suggestionTargets` their suggested
 *   contact and lead, which accepting moves to `Contact__c` / `Lead__c`.
 */
export function mapPanel(data) {
  const query = data?.uiapi?.query ?? {};
  const postNodes = nodes(query.Social_Post__c).filter((n) => NETWORKS.has(value(n, 'Network__c')));
  const posts = postNodes.map(toPost);

  const suggestionNodes = nodes(query.Suggested);
  const suggested = new Set(suggestionNodes.map((n) => n.Id));
  const personas = new Map();
  for (const node of [...nodes(query.Linked), ...postNodes.map((n) => n.Persona__r).filter(Boolean)]) {
    if (!personas.has(node.Id) && !suggested.has(node.Id) && NETWORKS.has(value(node, 'Network__c')))
      personas.set(node.Id, toPersona(node));
  }

  const suggestionTargets = {};
  for (const node of suggestionNodes) {
    suggestionTargets[node.Id] = compact({
      contactId: value(node, 'Suggested_Contact__c'),
      leadId: value(node, 'Suggested_Lead__c'),
    });
  }

  return {
    posts,
    personas: [...personas.values()],
    suggestions: suggestionNodes.filter((n) => NETWORKS.has(value(n, 'Network__c'))).map(toPersona),
    suggestionTargets,
    savedReplies: nodes(query.Social_Saved_Reply__c).map((n) => ({
      id: n.Id,
      name: value(n, 'Name') ?? '',
      body: value(n, 'Body__c') ?? '',
      networks: (value(n, 'Network__c') ?? '').split(';').filter(Boolean),
    })),
    hasMore: query.Social_Post__c?.pageInfo?.hasNextPage === true,
  };
}

/** Saved replies usable on `network` (one with no network is for every network), as `SavedReply`s. */
export function savedRepliesFor(savedReplies, network) {
  return savedReplies
    .filter((r) => r.networks.length === 0 || !network || r.networks.includes(network))
    .map(({ id, name, body }) => ({ id, name, body }));
}

/** Inbound sentiment scores, oldest first (at most `limit`): the persona card's sentiment line. */
export function sentimentTrendOf(posts, limit = 20) {
  return posts
    .filter((p) => !p.isOutbound && typeof p.sentimentScore === 'number' && p.postedAt)
    .sort((a, b) => Date.parse(a.postedAt) - Date.parse(b.postedAt))
    .slice(-limit)
    .map((p) => p.sentimentScore);
}

/**
 * The Social_Post__c fields of an outbound reply, for `createRecord`: the sync server picks up `Pending`
 * replies and sends them. `Idempotency_Key__c` is unique, so a retry of the same compose is one record.
 */
export function replyFields({ detail, post, recordId, objectApiName }) {
  const lookup = POST_LOOKUP_BY_OBJECT[objectApiName];
  if (!lookup) throw new Error(`Social posts cannot be linked to ${objectApiName} records.`);
  if (!post || post.id !== detail.postId)
    throw new Error('The post being answered is no longer on this record.');
  return {
    Is_Outbound__c: true,
    Status__c: 'Pending',
    In_Reply_To__c: detail.postId,
    Body__c: detail.text,
    Network__c: post.network,
    Idempotency_Key__c: detail.idempotencyKey,
    [lookup]: recordId,
  };
}

/**
 * Accepting a suggestion on a contact or lead page links the persona to that record (`Contact__c` from
 * `Suggested_Contact__c`, `Lead__c` from `Suggested_Lead__c`) and clears that suggestion; the match
 * confidence and reason go once no suggestion is left.
 */
export function acceptSuggestionFields(personaId, target, recordId) {
  return suggestionUpdate(personaId, target, recordId, true);
}

/** Rejecting a suggestion clears the one for this record without linking anything. */
export function rejectSuggestionFields(personaId, target, recordId) {
  return suggestionUpdate(personaId, target, recordId, false);
}

function suggestionUpdate(personaId, target = {}, recordId, link) {
  const fields = { Id: personaId };
  const forContact = sameId(target.contactId, recordId);
  const forLead = sameId(target.leadId, recordId);
  if (!forContact && !forLead) throw new Error('This identity is no longer suggested for this record.');
  if (forContact) {
    if (link) fields.Contact__c = target.contactId;
    fields.Suggested_Contact__c = null;
  }
  if (forLead) {
    if (link) fields.Lead__c = target.leadId;
    fields.Suggested_Lead__c = null;
  }
  const left = (!forContact && target.contactId) || (!forLead && target.leadId);
  if (!left) {
    fields.Match_Confidence__c = null;
    fields.Match_Reason__c = null;
  }
  return fields;
}

/** The UI API error codes of a failed call (`error.body` is one error or an array of them). */
function errorCodes(error) {
  const bodies = Array.isArray(error?.body) ? error.body : [error?.body];
  const codes = [];
  for (const body of bodies) {
    if (body?.errorCode) codes.push(body.errorCode);
    for (const e of body?.output?.errors ?? []) codes.push(e.errorCode);
    for (const list of Object.values(body?.output?.fieldErrors ?? {}))
      for (const e of list) codes.push(e.errorCode);
  }
  return codes;
}

/** A readable message for a failed UI API call. */
export function errorMessage(error) {
  const bodies = Array.isArray(error?.body) ? error.body : [error?.body];
  const messages = [];
  for (const body of bodies) {
    for (const e of body?.output?.errors ?? []) messages.push(e.message);
    for (const list of Object.values(body?.output?.fieldErrors ?? {}))
      for (const e of list) messages.push(e.message);
    if (messages.length === 0 && body?.message) messages.push(body.message);
  }
  if (messages.length === 0 && error?.message) messages.push(error.message);
  return messages.filter(Boolean).join(' ') || 'Unknown error';
}

/**
 * True when creating a reply failed only because a reply with its idempotency key exists: an earlier
 * attempt of the same send went through (say, its response was lost), so the reply is there.
 */
export function isDuplicateReply(error) {
  const codes = errorCodes(error);
  return codes.length > 0 && codes.every((code) => code === 'DUPLICATE_VALUE');
}

/**
 * Whether a `/data/Social_Post__ChangeEvent` message concerns this record page: a post linked to the
 * record (creates carry the lookups), or one of the posts on it (updates carry only changed fields).
 */
export function changeConcernsRecord(message, recordId, postIds) {
  const payload = message?.data?.payload ?? {};
  const header = payload.ChangeEventHeader ?? {};
  if (header.changeType === 'GAP_OVERFLOW') return true;
  if (Object.values(POST_LOOKUP_BY_OBJECT).some((lookup) => sameId(payload[lookup], recordId))) return true;
  return (header.recordIds ?? []).some((id) => [...postIds].some((known) => sameId(id, known)));
}

/** Salesforce Ids compare on their first 15 characters (change events carry 18, records may carry 15). */
function sameId(a, b) {
  return (
    typeof a === 'string' && typeof b === 'string' && a.slice(0, 15) === b.slice(0, 15) && a.length >= 15
  );
}

/**
 * `ReplyContext` and the person's average sentiment (`Social_Sentiment__c`; a case's contact's) from the
 * page's record (a `getRecord` result). Influence and advocacy are not read here: the persona card shows
 * the highest of the profiles it lists, which is what `Social_Influence__c` is defined as, so it always
 * agrees with the influence on each post.
 */
export function recordContext(record) {
  const fields = record?.fields ?? {};
  const contact = fields.Contact?.value?.fields ?? {};
  const firstName = fields.FirstName?.value ?? contact.FirstName?.value ?? undefined;
  const caseNumber = fields.CaseNumber?.value ?? undefined;
  const sentiment = fields.Social_Sentiment__c?.value ?? contact.Social_Sentiment__c?.value;
  return {
    context: compact({ firstName: firstName ?? undefined, caseNumber }),
    sentiment: typeof sentiment === 'number' ? sentiment : null,
  };
}

/**
 * What the respond box says about a reply this panel saved (`{ id, postId, text }`; no id when an
 * earlier attempt saved it), once the panel's posts include it: the sync server sends it, so it is
 * `sending` until the record says `Sent` (with where it went) or why not. Null while it is not there yet.
 */
export function replyProgress(posts, saved) {
  const reply = posts.find((p) =>
    saved.id
      ? sameId(p.id, saved.id)
      : p.isOutbound && p.inReplyToId === saved.postId && p.body === saved.text,
  );
  if (!reply) return null;
  switch (reply.status) {
    case 'Sent':
      return { status: 'sent', message: '', url: reply.url ?? null };
    case 'Failed':
      return {
        status: 'failed',
        message: reply.failureReason || 'The network did not accept it.',
        url: null,
      };
    case 'Rejected':
      return { status: 'failed', message: 'An approver rejected it.', url: null };
    case 'Queued':
      return {
        status: 'sending',
        message: reply.failureReason || 'Queued: it goes out as soon as the network allows.',
        url: null,
      };
    case 'Pending Approval':
      return { status: 'sending', message: 'Waiting for an approver: it goes out once approved.', url: null };
    default:
      return { status: 'sending', message: SAVED_MESSAGE, url: null };
  }
}

/** A saved reply on its way: the sync server sends replies written in Salesforce as it hears of them. */
export const SAVED_MESSAGE = 'Saved: it goes out as soon as the sync server picks it up.';
