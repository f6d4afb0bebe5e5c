/**
 * The social inbox's side of the mapping between Salesforce data (GraphQL wire results, UI API errors,
 * change events) and `<social-inbox>`'s plain data (`InboxItem`, `InboxOwner`: ui-components/src/types.ts),
 * plus the record fields its actions write. The sync server's inbox API maps the same fields the same
 * way (server/src/salesforce/inbox-store.ts). No LWC or platform imports, so Jest tests it as it is.
 */
import {
  POST_LOOKUP_BY_OBJECT,
  compact,
  isNetwork,
  nodes,
  outboundReplyFields,
  sameId,
  toPost,
  toSavedReplies,
  value,
} from 'c/socialShared';

/** Inbox items per page, and the most the GraphQL API returns in one query. */
export const PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 2000;

/** The inbox's filters before the agent changes them (the component's own default). */
export const NO_FILTERS = Object.freeze({
  network: '',
  language: '',
  intent: '',
  queue: '',
  scope: 'all',
  search: '',
  sort: 'due',
});

/** `Key__c` of the claim that says who works a post: `inbox:<post Id>` (unique in the org). */
export const CLAIM_PREFIX = 'inbox:';

/** `Done_Reason__c` values; agents pick the last three, a sent reply sets `Replied`. */
export const DONE_REASONS = Object.freeze(['Replied', 'No reply needed', 'Spam', 'Answered elsewhere']);

const PRIORITIES = new Set(['Urgent', 'High', 'Normal', 'Low']);
const SENTIMENTS = new Set(['positive', 'neutral', 'negative']);
const INTENTS = new Set(['complaint', 'question', 'praise', 'purchase_intent', 'other']);
const STATUS = { Open: 'needs_reply', Assigned: 'assigned', Done: 'done' };

/** Queues are Groups (`00G…`), users `005…`. */
export const isQueueId = (id) => typeof id === 'string' && id.startsWith('00G');
export const isUserId = (id) => typeof id === 'string' && id.startsWith('005');

const oneOf = (allowed, v) => (allowed.has(v) ? v : null);
const orNull = (v) => (v === undefined || v === '' ? null : v);

/** The name of a polymorphic `Owner { ... on User { Name } ... on Group { Name } }`. */
function ownerName(node) {
  return value(node?.Owner, 'Name');
}

/**
 * The claim (`Send_Claims__r` filtered to `inbox:` keys) on a post: its record Id and holder. The holder
 * is `Claimed_By__c`, "<user Id> <name>" as the sync server writes it; a bare Id has no name.
 */
export function claimOf(node) {
  const claim = nodes(node?.Send_Claims__r).find((c) => (value(c, 'Key__c') ?? '').startsWith(CLAIM_PREFIX));
  if (!claim) return null;
  return { id: claim.Id, ...parseClaimedBy(value(claim, 'Claimed_By__c')) };
}

/** `Claimed_By__c` of an inbox claim as `{ holderId, holderName }`. */
export function parseClaimedBy(text) {
  const s = typeof text === 'string' ? text.trim() : '';
  const space = s.indexOf(' ');
  return space < 0
    ? { holderId: s || null, holderName: null }
    : { holderId: s.slice(0, space), holderName: s.slice(space + 1) || null };
}

/** `Claimed_By__c` for `user` (`{ id, name }`): "<user Id> <name>", at most 120 characters. */
export function claimedBy(user) {
  return `${user.id} ${user.name ?? ''}`.trim().slice(0, 120);
}

/** The record a post is linked to, the person first: Contact, Lead, then Case, then Account. */
function linkedRecord(node) {
  const pick = [
    ['Contact', 'Contact__c', value(node?.Contact__r, 'Name')],
    ['Lead', 'Lead__c', value(node?.Lead__r, 'Name')],
    ['Case', 'Case__c', value(node?.Case__r, 'CaseNumber')],
    ['Account', 'Account__c', value(node?.Account__r, 'Name')],
  ].find(([, field]) => value(node, field));
  if (!pick) return { recordId: null, recordType: null, recordName: null };
  const [recordType, field, name] = pick;
  return { recordId: value(node, field), recordType, recordName: orNull(name) };
}

/** Suggested contact and lead of the author's persona, for an author not linked to a person yet. */
function suggestionsOf(node, linked) {
  if (linked === 'Contact' || linked === 'Lead') return [];
  const persona = node?.Persona__r;
  const confidence = value(persona, 'Match_Confidence__c') ?? 0;
  const reason = value(persona, 'Match_Reason__c');
  const out = [];
  for (const type of ['Contact', 'Lead']) {
    const id = value(persona, `Suggested_${type}__c`);
    if (id)
      out.push(
        compact({
          recordId: id,
          recordType: type,
          name: value(persona?.[`Suggested_${type}__r`], 'Name') ?? id,
          confidence,
          reason,
        }),
      );
  }
  return out;
}

/** A Social_Post__c node of the inbox query as an `InboxItem`; null for a network the inbox cannot show. */
export function toInboxItem(node) {
  const network = value(node, 'Network__c');
  if (!isNetwork(network)) return null;
  const persona = node.Persona__r;
  const ownerId = value(node, 'OwnerId') ?? '';
  const record = linkedRecord(node);
  return {
    postId: node.Id,
    network,
    externalId: value(node, 'External_Id__c') ?? '',
    url: orNull(value(node, 'Url__c')),
    author: {
      handle: (value(node, 'Author_Handle__c') ?? value(persona, 'Handle__c') ?? '').replace(/^@/, ''),
      name: orNull(value(persona, 'Display_Name__c')),
      influence: value(persona, 'Influence_Score__c') ?? null,
      personaId: orNull(value(node, 'Persona__c')),
    },
    text: value(node, 'Body__c') ?? '',
    sentiment: oneOf(SENTIMENTS, value(node, 'Sentiment__c')),
    intent: oneOf(INTENTS, value(node, 'Intent__c')),
    language: orNull(value(node, 'Language__c')),
    priority: oneOf(PRIORITIES, value(node, 'Priority__c')) ?? 'Normal',
    receivedAt: value(node, 'Posted_At__c') ?? value(node, 'CreatedDate') ?? '',
    dueAt: orNull(value(node, 'Reply_Due__c')),
    status: STATUS[value(node, 'Inbox_Status__c')] ?? 'needs_reply',
    ownerId,
    ownerName: ownerName(node) ?? ownerId,
    ownerIsQueue: isQueueId(ownerId),
    ...record,
    threadId: value(node, 'Thread_Root__c') ?? node.Id,
    suggestions: suggestionsOf(node, record.recordType),
    doneReason: orNull(value(node, 'Done_Reason__c')),
    repliedAt: orNull(value(node, 'Replied_At__c')),
    escalated: Boolean(value(node, 'Escalated_At__c')),
  };
}

/**
 * What the host keeps of a post beside its `InboxItem`, to act on it: the lookups a reply carries, the
 * thread root to read its conversation by, the author's persona, and the claim on it.
 */
function contextOf(node, item) {
  const lookups = {};
  for (const field of Object.values(POST_LOOKUP_BY_OBJECT)) {
    const id = value(node, field);
    if (id) lookups[field] = id;
  }
  return {
    id: node.Id,
    network: item.network,
    lookups,
    threadRoot: value(node, 'Thread_Root__c') ?? value(node, 'External_Id__c') ?? null,
    personaId: item.author.personaId,
    authorName: item.author.name,
    handle: item.author.handle,
    ownerId: item.ownerId,
    ownerName: item.ownerName,
    claim: claimOf(node),
  };
}

/**
 * Everything the inbox shows, from the `socialInbox` GraphQL query's `data`: the items (in the query's
 * order, due first), each post's context by Id, the saved replies, and whether more posts exist.
 */
export function mapInbox(data) {
  const query = data?.uiapi?.query ?? {};
  const items = [];
  const context = {};
  for (const node of nodes(query.Social_Post__c)) {
    const item = toInboxItem(node);
    if (!item) continue;
    items.push(item);
    context[node.Id] = contextOf(node, item);
  }
  return {
    items,
    context,
    savedReplies: toSavedReplies(query.Social_Saved_Reply__c),
    hasMore: query.Social_Post__c?.pageInfo?.hasNextPage === true,
  };
}

/**
 * The assign menu's queues and users from the `socialInboxOptions` query: queues that take social posts
 * (every queue when `postQueueIds` is unknown), marked `member` when the user belongs to them (unmarked
 * when membership is unknown, which the inbox counts as "my queues"), and the active users. Owners of
 * the items that the lists miss are added, so every owner shown can be assigned to.
 */
export function mapOptions({ options, memberships, postQueues, items = [], currentUser }) {
  const query = options?.uiapi?.query ?? {};
  const memberOf = memberships
    ? new Set(nodes(memberships?.uiapi?.query?.GroupMember).map((n) => value(n, 'GroupId')))
    : null;
  const takesPosts = postQueues
    ? new Set(nodes(postQueues?.uiapi?.query?.QueueSobject).map((n) => value(n, 'QueueId')))
    : null;
  const queues = new Map();
  for (const n of nodes(query.Group)) {
    if (takesPosts && !takesPosts.has(n.Id)) continue;
    queues.set(n.Id, compact({ id: n.Id, name: value(n, 'Name') ?? n.Id, member: memberOf?.has(n.Id) }));
  }
  const users = new Map(nodes(query.User).map((n) => [n.Id, { id: n.Id, name: value(n, 'Name') ?? n.Id }]));
  if (currentUser?.id && !users.has(currentUser.id))
    users.set(currentUser.id, { id: currentUser.id, name: currentUser.name ?? 'Me' });
  for (const item of items) {
    if (item.ownerIsQueue && !queues.has(item.ownerId))
      queues.set(
        item.ownerId,
        compact({ id: item.ownerId, name: item.ownerName, member: memberOf?.has(item.ownerId) }),
      );
    if (isUserId(item.ownerId) && !users.has(item.ownerId))
      users.set(item.ownerId, { id: item.ownerId, name: item.ownerName });
  }
  const byName = (a, b) => a.name.localeCompare(b.name);
  return { queues: [...queues.values()].sort(byName), users: [...users.values()].sort(byName) };
}

/** The posts of a thread (`socialInboxThread` query), oldest first, as `SocialPost`s. */
export function mapThread(data) {
  const posts = nodes(data?.uiapi?.query?.Social_Post__c)
    .filter((n) => isNetwork(value(n, 'Network__c')))
    .map(toPost);
  return posts.sort((a, b) => Date.parse(a.postedAt ?? 0) - Date.parse(b.postedAt ?? 0));
}

/** The claim record that takes `postId` for `user` (`{ id, name }`). */
export function claimFields(postId, user) {
  return { Key__c: `${CLAIM_PREFIX}${postId}`, Reply__c: postId, Claimed_By__c: claimedBy(user) };
}

/** Giving a post to a queue opens it again; giving it to a user assigns it. */
export function assignFields(postId, ownerId) {
  return { Id: postId, OwnerId: ownerId, Inbox_Status__c: isQueueId(ownerId) ? 'Open' : 'Assigned' };
}

/** Closing a post: `Done` with the reason, when and by whom. */
export function doneFields(postId, reason, userId, now = new Date()) {
  if (!DONE_REASONS.includes(reason)) throw new Error(`"${reason}" is not a reason to close a post.`);
  return {
    Id: postId,
    Inbox_Status__c: 'Done',
    Done_Reason__c: reason,
    Done_At__c: now.toISOString(),
    Done_By__c: userId,
  };
}

/**
 * Who holds a post (`{ id, name }`), as the sync server decides it: the user of its claim, or else the
 * user who owns it. Null for a post in a queue that nobody has taken.
 */
export function holderOf(context) {
  if (context?.claim?.holderId) return { id: context.claim.holderId, name: context.claim.holderName ?? null };
  if (isUserId(context?.ownerId)) return { id: context.ownerId, name: context.ownerName ?? null };
  return null;
}

/**
 * What assigning `postId` to `ownerId` takes, for the current user `me`:
 * - `refuse` (with the holder) when the user takes a post someone else holds;
 * - `release` the claim when the post goes back to a queue, or to a user other than its holder;
 * - `claim` it for a user who does not hold it yet.
 */
export function assignPlan(context, ownerId, me) {
  const holder = holderOf(context);
  const claim = context?.claim ?? null;
  const taking = sameId(ownerId, me);
  if (taking && holder && !sameId(holder.id, me)) return { refuse: holder };
  if (isQueueId(ownerId)) return { release: claim?.id ?? null, claim: false };
  const holds = claim && sameId(claim.holderId, ownerId);
  return { release: claim && !holds ? claim.id : null, claim: !holds };
}

/** "Already taken by Ann Lee", or without a name "Already taken by another agent". */
export function takenMessage(holder) {
  return `Already taken by ${holder?.name || 'another agent'}`;
}

/** The reply to an inbox post: a Pending outbound post, linked to the records the post is linked to. */
export function inboxReplyFields(detail, context) {
  return outboundReplyFields({ detail, post: context, lookups: context?.lookups ?? {} });
}

/** The Lead or Contact made from an unknown author: their name (or handle) and social handle. */
export function newPersonFields(recordType, context) {
  const handle = context?.handle ?? '';
  const name = (context?.authorName ?? '').trim() || handle || 'Unknown';
  const space = name.lastIndexOf(' ');
  const fields = {
    FirstName: space > 0 ? name.slice(0, space) : null,
    LastName: space > 0 ? name.slice(space + 1) : name,
    Social_Handles__c: handle && context?.network ? `${context.network}:${handle}` : null,
  };
  if (recordType === 'Lead') fields.Company = name;
  else if (recordType !== 'Contact') throw new Error(`Cannot make a ${recordType} from a social author.`);
  return compact(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v ?? undefined])));
}

/** The lookup a Contact (`003…`) or Lead (`00Q…`) Id goes in, on posts and personas. */
export function personLookup(recordId) {
  if (typeof recordId === 'string' && recordId.startsWith('003')) return 'Contact__c';
  if (typeof recordId === 'string' && recordId.startsWith('00Q')) return 'Lead__c';
  throw new Error('Only a contact or a lead can be linked to a social author.');
}

/**
 * Linking a post's author to a person: the post's lookup, and the persona's (whose suggestions for that
 * person are then settled).
 */
export function linkFields(context, recordId) {
  const lookup = personLookup(recordId);
  const updates = [{ Id: context.id, [lookup]: recordId }];
  if (context.personaId) {
    const persona = { Id: context.personaId, [lookup]: recordId };
    persona[lookup === 'Contact__c' ? 'Suggested_Contact__c' : 'Suggested_Lead__c'] = null;
    updates.push(persona);
  }
  return updates;
}

/** Inbox fields whose change moves a post into, out of or within the inbox. */
const INBOX_FIELDS = ['Inbox_Status__c', 'OwnerId', 'Reply_Due__c', 'Priority__c', 'Escalated_At__c'];

/**
 * Whether a `/data/Social_Post__ChangeEvent` message concerns the inbox: a post entering or moving in it
 * (its inbox fields changed), one of the posts shown or followed (a reply being sent), or missed events.
 */
export function changeConcernsInbox(message, knownIds) {
  const payload = message?.data?.payload ?? {};
  const header = payload.ChangeEventHeader ?? {};
  if (/^GAP_|OVERFLOW/.test(header.changeType ?? '')) return true;
  if (INBOX_FIELDS.some((f) => payload[f] !== undefined && payload[f] !== null)) return true;
  if ((header.changedFields ?? []).some((f) => INBOX_FIELDS.includes(f))) return true;
  return (header.recordIds ?? []).some((id) => [...knownIds].some((known) => sameId(id, known)));
}
