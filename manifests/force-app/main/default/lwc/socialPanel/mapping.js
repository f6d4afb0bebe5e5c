/**
 * The record-page panel's side of the mapping between Salesforce data (GraphQL wire results, UI API
 * records, change events) and the plain data of the Social CRM web components (ui-components/src/types.ts).
 * What both Lightning hosts need (posts, personas, saved replies, reply fields, errors) is in the
 * `c/socialShared` module; it is re-exported here so the panel has one place to import from. No LWC or
 * platform imports, so Jest tests it as it is.
 */
import {
  POST_LOOKUP_BY_OBJECT,
  SAVED_MESSAGE,
  compact,
  errorMessage,
  isDuplicateValue,
  isNetwork,
  nodes,
  outboundReplyFields,
  replyProgress,
  sameId,
  savedRepliesFor,
  toPersona,
  toPost,
  toSavedReplies,
  value,
} from 'c/socialShared';

export {
  POST_LOOKUP_BY_OBJECT,
  SAVED_MESSAGE,
  errorMessage,
  replyProgress,
  savedRepliesFor,
  toPersona,
  toPost,
};

/**
 * True when creating a reply failed only because a reply with its idempotency key exists: an earlier
 * attempt of the same send went through (say, its response was lost), so the reply is there.
 */
export const isDuplicateReply = isDuplicateValue;

/** Posts per page of the timeline, and the most the GraphQL API returns in one query. */
export const PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 2000;

/**
 * Everything the panel shows, from the `socialPanel` GraphQL query's `data`.
 * - `personas`: identities linked to the record, plus (on accounts and cases, which personas do not point
 *   at) the authors of the record's posts; never one that is only a suggestion.
 * - `suggestions`: identities suggested for the record, and `suggestionTargets` their suggested
 *   contact and lead, which accepting moves to `Contact__c` / `Lead__c`.
 */
export function mapPanel(data) {
  const query = data?.uiapi?.query ?? {};
  const postNodes = nodes(query.Social_Post__c).filter((n) => isNetwork(value(n, 'Network__c')));
  const posts = postNodes.map(toPost);

  const suggestionNodes = nodes(query.Suggested);
  const suggested = new Set(suggestionNodes.map((n) => n.Id));
  const personas = new Map();
  for (const node of [...nodes(query.Linked), ...postNodes.map((n) => n.Persona__r).filter(Boolean)]) {
    if (!personas.has(node.Id) && !suggested.has(node.Id) && isNetwork(value(node, 'Network__c')))
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
    suggestions: suggestionNodes.filter((n) => isNetwork(value(n, 'Network__c'))).map(toPersona),
    suggestionTargets,
    savedReplies: toSavedReplies(query.Social_Saved_Reply__c),
    hasMore: query.Social_Post__c?.pageInfo?.hasNextPage === true,
  };
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
  return outboundReplyFields({ detail, post, lookups: { [lookup]: recordId } });
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

/**
 * `ReplyContext`, the person's average sentiment (`Social_Sentiment__c`; a case's contact's) and the customer
 * value (`Social_Customer_Value__c` with its lifetime and referral parts, of the Contact, Account or case's
 * contact; null when not written yet) from the page's record (a `getRecord` result). Influence and advocacy are not read here: the persona card shows
 * the highest of the profiles it lists, which is what `Social_Influence__c` is defined as, so it always
 * agrees with the influence on each post.
 */
export function recordContext(record) {
  const fields = record?.fields ?? {};
  const contact = fields.Contact?.value?.fields ?? {};
  const firstName = fields.FirstName?.value ?? contact.FirstName?.value ?? undefined;
  const caseNumber = fields.CaseNumber?.value ?? undefined;
  const sentiment = fields.Social_Sentiment__c?.value ?? contact.Social_Sentiment__c?.value;
  const own = typeof fields.Social_Customer_Value__c?.value === 'number' ? fields : contact;
  const total = own.Social_Customer_Value__c?.value;
  return {
    context: compact({ firstName: firstName ?? undefined, caseNumber }),
    sentiment: typeof sentiment === 'number' ? sentiment : null,
    customerValue:
      typeof total === 'number'
        ? compact({
            total,
            lifetime: own.Social_Lifetime_Value__c?.value ?? undefined,
            referral: own.Social_Referral_Value__c?.value ?? undefined,
          })
        : null,
  };
}
