/**
 * What the Social CRM Lightning hosts share (`socialPanel` on record pages, `socialInbox` on its app page):
 * pure functions between Salesforce data (GraphQL wire results, UI API records and errors) and the plain
 * data of the Social CRM web components (ui-components/src/types.ts). No LWC or platform imports, so Node
 * and Jest can test it as it is. A service module: `import { toPost } from 'c/socialShared'`.
 */

/** The networks the components know; a record of another network is left out. */
export const NETWORKS = Object.freeze(['x', 'bluesky', 'mastodon', 'facebook', 'instagram']);
const NETWORK_SET = new Set(NETWORKS);

/** The Social_Post__c lookup that ties a post to a record of each supported object. */
export const POST_LOOKUP_BY_OBJECT = Object.freeze({
  Contact: 'Contact__c',
  Lead: 'Lead__c',
  Account: 'Account__c',
  Case: 'Case__c',
});

/** True for a network the components know. */
export function isNetwork(network) {
  return NETWORK_SET.has(network);
}

/** The `value` of a GraphQL field (`{ value }`), with null as undefined. */
export function value(node, field) {
  const v = node?.[field]?.value;
  return v === null ? undefined : v;
}

/** A copy of `object` without its undefined properties, so components see "absent", not "undefined". */
export function compact(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

/** The nodes of a GraphQL connection (`{ edges: [{ node }] }`). */
export function nodes(connection) {
  return (connection?.edges ?? []).map((edge) => edge?.node).filter(Boolean);
}

/** Salesforce Ids compare on their first 15 characters (change events carry 18, records may carry 15). */
export function sameId(a, b) {
  return (
    typeof a === 'string' && typeof b === 'string' && a.slice(0, 15) === b.slice(0, 15) && a.length >= 15
  );
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
    replyDueAt: value(node, 'Reply_Due__c'),
    personaId: value(node, 'Persona__c'),
  });
}

/** Social_Saved_Reply__c nodes as `{ id, name, body, networks }` (networks: the multi-select's values). */
export function toSavedReplies(connection) {
  return nodes(connection).map((n) => ({
    id: n.Id,
    name: value(n, 'Name') ?? '',
    body: value(n, 'Body__c') ?? '',
    networks: (value(n, 'Network__c') ?? '').split(';').filter(Boolean),
  }));
}

/** Saved replies usable on `network` (one with no network is for every network), as `SavedReply`s. */
export function savedRepliesFor(savedReplies, network) {
  return savedReplies
    .filter((r) => r.networks.length === 0 || !network || r.networks.includes(network))
    .map(({ id, name, body }) => ({ id, name, body }));
}

/**
 * The Social_Post__c fields of an outbound reply to `post`, for `createRecord`: the sync server picks up
 * `Pending` replies and sends them. `Idempotency_Key__c` is unique, so a retry of the same compose is one
 * record. `lookups` ties the reply to records (e.g. `{ Contact__c: '003…' }`).
 */
export function outboundReplyFields({ detail, post, lookups = {} }) {
  if (!post || (post.id !== detail.postId && !sameId(post.id, detail.postId)))
    throw new Error('The post being answered is no longer here. Reload and try again.');
  if (typeof detail.text !== 'string' || detail.text.trim() === '') throw new Error('The reply is empty.');
  return {
    Is_Outbound__c: true,
    Status__c: 'Pending',
    In_Reply_To__c: detail.postId,
    Body__c: detail.text,
    Network__c: post.network,
    Idempotency_Key__c: detail.idempotencyKey,
    ...lookups,
  };
}

/** The UI API error codes of a failed call (`error.body` is one error or an array of them). */
export function errorCodes(error) {
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
 * True when a create failed only because a unique field already has the value: for a reply, an earlier
 * attempt of the same send went through; for a claim, someone holds it already.
 */
export function isDuplicateValue(error) {
  const codes = errorCodes(error);
  return codes.length > 0 && codes.every((code) => code === 'DUPLICATE_VALUE');
}

/** A saved reply on its way: the sync server sends replies written in Salesforce as it hears of them. */
export const SAVED_MESSAGE = 'Saved: it goes out as soon as the sync server picks it up.';

/**
 * What the respond box says about a reply a host saved (`{ id, postId, text }`; no id when an earlier
 * attempt saved it), once `posts` include it: the sync server sends it, so it is `sending` until the
 * record says `Sent` (with where it went) or why not. Null while it is not there yet.
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
