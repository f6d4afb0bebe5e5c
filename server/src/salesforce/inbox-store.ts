/**
 * The social inbox in the org: inbound `Social_Post__c` records that need an answer (`Inbox_Status__c`
 * `Open` in a queue, `Assigned` to a user, `Done`), who works them, and their claims.
 *
 * A page of the inbox is one SOQL query (one API call) whatever the org's size: the filters are indexed
 * fields (`Inbox_Status__c`, `OwnerId`, `Network__c`) and the page is cut by a keyset cursor on the sort
 * key, never by OFFSET. Taking a post is a `Social_Reply_Claim__c` with the unique key `inbox:<post Id>`:
 * of two agents taking the same post at once the org accepts one claim (DUPLICATE_VALUE for the other),
 * so the discipline holds across server instances and the Lightning inbox alike.
 *
 * Ids are validated before they go into SOQL; strings are quoted; dates are re-serialized by `Date`.
 */
import { AppError } from '../domain/errors.ts';
import { NETWORKS, type Network } from '../domain/mention.ts';
import {
  claimKey,
  postIdOfClaimKey,
  INBOX_STATUSES,
  PRIORITIES,
  type InboxStatus,
  type Priority,
} from '../inbox/index.ts';
import type { CompositeSubrequest, CompositeSubresponse, SalesforceGateway } from './gateway.ts';

export { INBOX_STATUSES, PRIORITIES, type InboxStatus, type Priority };

type Row = Record<string, unknown>;

/** `Inbox_Status__c` values of each API status (needs_reply: everything still to answer). */
const ORG_STATUSES: Record<InboxStatus, readonly string[]> = {
  needs_reply: ['Open', 'Assigned'],
  assigned: ['Assigned'],
  done: ['Done'],
};

export interface InboxSuggestion {
  recordId: string;
  recordType: 'Contact' | 'Lead';
  name: string;
  confidence: number;
  reason?: string;
}

export interface InboxItem {
  postId: string;
  network: Network;
  externalId: string;
  url: string | null;
  author: { handle: string; name: string | null; influence: number | null; personaId: string | null };
  text: string;
  sentiment: 'positive' | 'neutral' | 'negative' | null;
  intent: 'complaint' | 'question' | 'praise' | 'purchase_intent' | 'other' | null;
  language: string | null;
  priority: Priority;
  receivedAt: string;
  dueAt: string | null;
  status: InboxStatus;
  ownerId: string;
  ownerName: string;
  ownerIsQueue: boolean;
  recordId: string | null;
  recordType: 'Contact' | 'Lead' | 'Account' | 'Case' | null;
  recordName: string | null;
  caseId: string | null;
  caseNumber: string | null;
  threadId: string;
  suggestions: InboxSuggestion[];
  doneReason: string | null;
  repliedAt: string | null;
  escalated: boolean;
  routedBy: string | null;
}

export interface InboxQuery {
  status: InboxStatus;
  /** Posts owned by this queue (00G…) */
  queueId?: string | undefined;
  /** Posts owned by this user (005…) */
  ownerId?: string | undefined;
  network?: Network | undefined;
  language?: string | undefined;
  intent?: string | undefined;
  limit: number;
  cursor?: string | null | undefined;
}

export interface InboxPage {
  items: InboxItem[];
  nextCursor: string | null;
}

/** Who acts: the signed-in user, or on loopback the user the page says it works as (may be unknown). */
export interface Actor {
  id: string | null;
  name: string | null;
}

export interface QueueOption {
  id: string;
  name: string;
  developerName: string;
}

export interface UserOption {
  id: string;
  name: string;
}

export interface InboxOptions {
  queues: QueueOption[];
  users: UserOption[];
  /** The queues the actor belongs to (GroupMember). */
  myQueueIds: string[];
  me: UserOption | null;
}

/** A post someone else holds, in a refusal. */
export interface HeldPost {
  postId: string;
  holderId: string;
  holderName: string;
}

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const POST_PREFIX_HINT = 'Social_Post__c Ids';
const MAX_IDS = 200;

const ITEM_FIELDS = [
  'Id',
  'Network__c',
  'External_Id__c',
  'Url__c',
  'Author_Handle__c',
  'Body__c',
  'Sentiment__c',
  'Intent__c',
  'Language__c',
  'Priority__c',
  'Posted_At__c',
  'Reply_Due__c',
  'Inbox_Status__c',
  'OwnerId',
  'Owner.Name',
  'Contact__c',
  'Contact__r.Name',
  'Lead__c',
  'Lead__r.Name',
  'Account__c',
  'Account__r.Name',
  'Case__c',
  'Case__r.CaseNumber',
  'Thread_Root__c',
  'Persona__c',
  'Persona__r.Display_Name__c',
  'Persona__r.Influence_Score__c',
  'Persona__r.Suggested_Contact__c',
  'Persona__r.Suggested_Contact__r.Name',
  'Persona__r.Suggested_Lead__c',
  'Persona__r.Suggested_Lead__r.Name',
  'Persona__r.Match_Confidence__c',
  'Persona__r.Match_Reason__c',
  'Done_Reason__c',
  'Done_At__c',
  'Replied_At__c',
  'Escalated_At__c',
  'Routed_By__c',
].join(', ');

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
export const soqlString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const soqlList = (values: readonly string[]): string => values.map(soqlString).join(', ');
const soqlDateTime = (iso: string): string => new Date(iso).toISOString();

function pick(row: Row | null | undefined, path: string): unknown {
  let value: unknown = row;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Row)[part];
  }
  return value;
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown): T | null {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** Throws a 400 naming the bad value unless `id` is a 15/18-character Salesforce Id. */
export function requireId(id: unknown, what: string): string {
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new AppError(
      'validation_failed',
      `${what} must be a Salesforce record Id (got ${JSON.stringify(id)})`,
    );
  }
  return id;
}

const isQueueId = (id: string): boolean => id.startsWith('00G');
const isUserId = (id: string): boolean => id.startsWith('005');

function statusOf(value: unknown): InboxStatus {
  if (value === 'Done') return 'done';
  if (value === 'Assigned') return 'assigned';
  return 'needs_reply';
}

export function mapInboxItem(row: Row): InboxItem | null {
  const network = oneOf(NETWORKS, row['Network__c']);
  if (!network) return null;
  const contact = str(row['Contact__c']);
  const lead = str(row['Lead__c']);
  const account = str(row['Account__c']);
  const caseId = str(row['Case__c']);
  const [recordId, recordType, recordName] = contact
    ? [contact, 'Contact' as const, str(pick(row, 'Contact__r.Name'))]
    : lead
      ? [lead, 'Lead' as const, str(pick(row, 'Lead__r.Name'))]
      : caseId
        ? [caseId, 'Case' as const, str(pick(row, 'Case__r.CaseNumber'))]
        : account
          ? [account, 'Account' as const, str(pick(row, 'Account__r.Name'))]
          : [null, null, null];
  const suggestions: InboxSuggestion[] = [];
  const confidence = num(pick(row, 'Persona__r.Match_Confidence__c')) ?? 0;
  const reason = str(pick(row, 'Persona__r.Match_Reason__c'));
  for (const type of ['Contact', 'Lead'] as const) {
    const id = str(pick(row, `Persona__r.Suggested_${type}__c`));
    if (id && !contact && !lead) {
      suggestions.push({
        recordId: id,
        recordType: type,
        name: str(pick(row, `Persona__r.Suggested_${type}__r.Name`)) ?? id,
        confidence,
        ...(reason ? { reason } : {}),
      });
    }
  }
  const ownerId = str(row['OwnerId']) ?? '';
  const handle = (str(row['Author_Handle__c']) ?? '').replace(/^@/, '');
  return {
    postId: String(row['Id']),
    network,
    externalId: str(row['External_Id__c']) ?? '',
    url: str(row['Url__c']),
    author: {
      handle,
      name: str(pick(row, 'Persona__r.Display_Name__c')),
      influence: num(pick(row, 'Persona__r.Influence_Score__c')),
      personaId: str(row['Persona__c']),
    },
    text: str(row['Body__c']) ?? '',
    sentiment: oneOf(['positive', 'neutral', 'negative'] as const, row['Sentiment__c']),
    intent: oneOf(['complaint', 'question', 'praise', 'purchase_intent', 'other'] as const, row['Intent__c']),
    language: str(row['Language__c']),
    priority: oneOf(PRIORITIES, row['Priority__c']) ?? 'Normal',
    receivedAt: str(row['Posted_At__c']) ?? '',
    dueAt: str(row['Reply_Due__c']),
    status: statusOf(row['Inbox_Status__c']),
    ownerId,
    ownerName: str(pick(row, 'Owner.Name')) ?? ownerId,
    ownerIsQueue: isQueueId(ownerId),
    recordId,
    recordType,
    recordName,
    caseId,
    caseNumber: str(pick(row, 'Case__r.CaseNumber')),
    threadId: str(row['Thread_Root__c']) ?? String(row['Id']),
    suggestions,
    doneReason: str(row['Done_Reason__c']),
    repliedAt: str(row['Replied_At__c']),
    escalated: str(row['Escalated_At__c']) !== null,
    routedBy: str(row['Routed_By__c']),
  };
}

/** The keyset cursor: the last item's sort value and Id, opaque to clients. */
interface Cursor {
  v: string | null;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      typeof value.id === 'string' &&
      ID.test(value.id) &&
      (value.v === null || typeof value.v === 'string')
    ) {
      if (value.v !== null && !Number.isFinite(Date.parse(value.v))) throw new Error('bad date');
      return { v: value.v ?? null, id: value.id };
    }
  } catch {
    // answered below
  }
  throw new AppError('validation_failed', 'cursor is not one this server gave out', {
    hint: 'Start again without a cursor and follow nextCursor from each page.',
  });
}

/**
 * The WHERE clause after the cursor. Open posts go by due time (soonest first, posts without one last),
 * done posts by when they were closed (latest first); the Id breaks ties.
 */
function afterCursor(field: string, ascending: boolean, cursor: Cursor): string {
  const id = soqlString(cursor.id);
  if (cursor.v === null) return `(${field} = null AND Id ${ascending ? '>' : '<'} ${id})`;
  const at = soqlDateTime(cursor.v);
  const later = ascending ? '>' : '<';
  // Both orders put nulls last, so every null row still follows a non-null cursor.
  return `(${field} ${later} ${at} OR (${field} = ${at} AND Id ${later} ${id}) OR ${field} = null)`;
}

interface SaveError {
  errorCode?: string;
  statusCode?: string;
  message?: string;
  fields?: string[];
}

function saveErrors(response: CompositeSubresponse | undefined): SaveError[] {
  if (!response) return [{ errorCode: 'NO_RESPONSE', message: 'the org did not answer' }];
  const body = response.body;
  if (response.httpStatusCode >= 400) return (Array.isArray(body) ? body : [body]) as SaveError[];
  if (Array.isArray(body)) {
    return (body as { success?: boolean; errors?: SaveError[] }[])
      .filter((r) => r && r.success === false)
      .flatMap((r) => r.errors ?? []);
  }
  return [];
}

/** A save error's code: `errorCode` in composite subresponses, `statusCode` in sObject Collections results. */
const codeOf = (error: SaveError): string => error.errorCode ?? error.statusCode ?? 'UNKNOWN';

function orgRefused(what: string, error: SaveError): AppError {
  const code = codeOf(error);
  return new AppError('bad_request', `The org refused to ${what}: ${code}: ${error.message ?? ''}`.trim(), {
    details: { salesforce: error },
    hint: 'Check that the Social CRM package is deployed and the user has the Social CRM Agent permission set.',
  });
}

function records(response: CompositeSubresponse | undefined, what: string): Row[] {
  const errors = saveErrors(response);
  if (errors.length > 0) throw orgRefused(`read ${what}`, errors[0]!);
  return ((response?.body as { records?: Row[] } | undefined)?.records ?? []) as Row[];
}

/** The post's current state, for deciding an assignment or a close. */
interface PostState {
  id: string;
  status: string | null;
  ownerId: string;
  ownerName: string;
  claim: { id: string; holderId: string; holderName: string } | null;
}

/** The holder of a post: its claim's user, or else the user who owns it. */
function holderOf(post: PostState): { id: string; name: string } | null {
  if (post.claim) return { id: post.claim.holderId, name: post.claim.holderName };
  if (isUserId(post.ownerId)) return { id: post.ownerId, name: post.ownerName };
  return null;
}

/** `Claimed_By__c` of an inbox claim: "<user Id> <name>", so a refusal names the holder without a lookup. */
function claimedBy(user: UserOption): string {
  return `${user.id} ${user.name}`.slice(0, 120);
}

function parseClaimedBy(value: unknown): { holderId: string; holderName: string } {
  const text = str(value) ?? '';
  const space = text.indexOf(' ');
  return space < 0
    ? { holderId: text, holderName: text }
    : { holderId: text.slice(0, space), holderName: text.slice(space + 1) };
}

/** An overdue post as the breach sweep reads it. */
export interface OverduePost {
  postId: string;
  network: Network;
  priority: Priority;
  ownerId: string;
  ownerName: string | null;
  status: InboxStatus;
  dueAt: string;
  rule: string | null;
  handle: string;
  url: string | null;
  caseId: string | null;
  /** The Contact or Lead the post is linked to. */
  personId: string | null;
}

export interface SweepState {
  breached: OverduePost[];
  open: { open: number; assigned: number };
  /** Posts answered since the start of today, against their targets. */
  answered: { met: number; missed: number; noTarget: number };
  staleClaims: string[];
}

/** What escalating one overdue post does. */
export interface Escalation {
  postId: string;
  /** The raised priority. */
  priority: Priority;
  /** The queue to move it to (the rule's escalation queue), when it is still unassigned. */
  rerouteTo?: string | null;
  /** The supervisor's task (Task fields). */
  task?: Record<string, unknown> | null;
}

export interface ClaimOptions {
  /** Move posts someone else holds (a supervisor's reassignment). */
  force?: boolean;
  now?: Date;
}

export class SalesforceInboxStore {
  readonly #gateway: SalesforceGateway;

  constructor(gateway: SalesforceGateway) {
    this.#gateway = gateway;
  }

  /** One page of the inbox: one query. */
  async list(query: InboxQuery): Promise<InboxPage> {
    const where = [`Is_Outbound__c = false`, `Inbox_Status__c IN (${soqlList(ORG_STATUSES[query.status])})`];
    if (query.queueId) where.push(`OwnerId = ${soqlString(requireId(query.queueId, 'queue'))}`);
    if (query.ownerId) where.push(`OwnerId = ${soqlString(requireId(query.ownerId, 'owner'))}`);
    if (query.network) where.push(`Network__c = ${soqlString(query.network)}`);
    if (query.language) where.push(`Language__c = ${soqlString(query.language)}`);
    if (query.intent) where.push(`Intent__c = ${soqlString(query.intent)}`);
    const done = query.status === 'done';
    const field = done ? 'Done_At__c' : 'Reply_Due__c';
    if (query.cursor) where.push(afterCursor(field, !done, decodeCursor(query.cursor)));
    const order = done ? `${field} DESC NULLS LAST, Id DESC` : `${field} ASC NULLS LAST, Id ASC`;
    const soql = `SELECT ${ITEM_FIELDS} FROM Social_Post__c WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${query.limit + 1}`;
    const rows = await this.#gateway.query<Row>(soql, { maxRecords: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const items = page.map(mapInboxItem).filter((i): i is InboxItem => i !== null);
    return {
      items,
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ v: str(last[field]), id: String(last['Id']) })
          : null,
    };
  }

  /** These posts as inbox items, whatever their status (live updates of an open inbox). */
  async items(ids: readonly string[]): Promise<InboxItem[]> {
    const valid = [...new Set(ids)].filter((id) => ID.test(id)).slice(0, MAX_IDS);
    if (valid.length === 0) return [];
    const rows = await this.#gateway.query<Row>(
      `SELECT ${ITEM_FIELDS} FROM Social_Post__c WHERE Id IN (${soqlList(valid)}) AND Is_Outbound__c = false`,
    );
    return rows.map(mapInboxItem).filter((i): i is InboxItem => i !== null);
  }

  /** Queues that take posts, active users, and the actor's queues: one call. */
  async options(actorId: string | null): Promise<InboxOptions> {
    const requests: CompositeSubrequest[] = [
      query(
        'queues',
        `SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue' AND Id IN (SELECT QueueId FROM QueueSobject WHERE SobjectType = 'Social_Post__c') ORDER BY Name`,
      ),
      query('users', `SELECT Id, Name FROM User WHERE IsActive = true ORDER BY Name LIMIT 500`),
    ];
    if (actorId) {
      requests.push(
        query(
          'mine',
          `SELECT GroupId FROM GroupMember WHERE UserOrGroupId = ${soqlString(requireId(actorId, 'user'))}`,
        ),
      );
    }
    const responses = await this.#gateway.composite(requests);
    const queues = records(responses[0], 'the queues').map((r) => ({
      id: String(r['Id']),
      name: str(r['Name']) ?? String(r['DeveloperName']),
      developerName: str(r['DeveloperName']) ?? '',
    }));
    const users = records(responses[1], 'the users').map((r) => ({
      id: String(r['Id']),
      name: str(r['Name']) ?? String(r['Id']),
    }));
    const queueIds = new Set(queues.map((q) => q.id));
    const myQueueIds = actorId
      ? records(responses[2], 'your queues')
          .map((r) => String(r['GroupId']))
          .filter((id) => queueIds.has(id))
      : [];
    return { queues, users, myQueueIds, me: users.find((u) => u.id === actorId) ?? null };
  }

  /** An active user by Id (who the loopback page works as), or null. */
  async activeUser(id: string): Promise<UserOption | null> {
    const rows = await this.#gateway.query<Row>(
      `SELECT Id, Name FROM User WHERE Id = ${soqlString(requireId(id, 'user'))} AND IsActive = true`,
    );
    const row = rows[0];
    return row ? { id: String(row['Id']), name: str(row['Name']) ?? String(row['Id']) } : null;
  }

  /**
   * Gives posts to a queue (back to the queue: claims released) or a user (claimed for them). Nothing
   * changes unless every post can move: a post that is done, missing, or held by someone other than the
   * actor (without `force`) refuses the whole request, naming each.
   */
  async assign(
    postIds: readonly string[],
    ownerId: string,
    actor: Actor,
    options: ClaimOptions = {},
  ): Promise<{ updated: string[] }> {
    const ids = requirePostIds(postIds);
    requireId(ownerId, 'ownerId');
    const { posts, owner } = await this.#load(ids, ownerId);
    refuseUnchangeable(posts, ids, actor, options, 'assign');

    const toQueue = owner.kind === 'queue';
    const user: UserOption = { id: owner.id, name: owner.name };
    const releases = [...posts.values()].filter((p) => p.claim && (toQueue || p.claim.holderId !== user.id));
    const takes = toQueue ? [] : [...posts.values()].filter((p) => !p.claim || p.claim.holderId !== user.id);

    // Claims first, all or none: of two agents taking a post at once, the org keeps one claim.
    if (releases.length > 0) await this.#deleteClaims(releases.map((p) => p.claim!.id));
    if (takes.length > 0) {
      const created = await this.#gateway.composite([
        {
          method: 'POST',
          url: '/composite/sobjects',
          referenceId: 'claims',
          body: {
            allOrNone: true,
            records: takes.map((p) => ({
              attributes: { type: 'Social_Reply_Claim__c' },
              Key__c: claimKey(p.id),
              Reply__c: p.id,
              Claimed_By__c: claimedBy(user),
            })),
          },
        },
      ]);
      const errors = saveErrors(created[0]);
      if (errors.some((e) => codeOf(e) === 'DUPLICATE_VALUE')) {
        // Someone took one of them after we looked: say who, change nothing.
        const now = await this.#load(ids, ownerId);
        refuseUnchangeable(now.posts, ids, actor, { ...options, force: false }, 'assign');
        throw new AppError(
          'conflict',
          'Another agent took one of these posts just now; nothing was changed.',
          {
            hint: 'Reload the inbox and try again.',
          },
        );
      }
      if (errors.length > 0) throw orgRefused('claim the posts', errors[0]!);
    }
    await this.#update(
      ids.map((id) => ({
        Id: id,
        OwnerId: owner.id,
        Inbox_Status__c: toQueue ? 'Open' : 'Assigned',
      })),
      'assign the posts',
    );
    return { updated: ids };
  }

  /**
   * Takes the next post for `actor`: the soonest due of those open in `queueIds` (the actor's queues when
   * none are given), claimed as `assign` does. A post a colleague took a moment earlier is passed over for
   * the next one. Null when nothing is waiting there.
   */
  async takeNext(actor: Actor, queueIds?: readonly string[]): Promise<InboxItem | null> {
    if (!actor.id) throw new AppError('bad_request', 'Taking the next post needs to know who you are.');
    const queues = queueIds?.length
      ? queueIds.map((id) => requireId(id, 'queue'))
      : (await this.options(actor.id)).myQueueIds;
    if (queues.length === 0) {
      throw new AppError('not_found', 'You are not a member of any queue that takes social posts.', {
        hint: 'Ask an admin to add you to a queue (Setup → Queues), or pick posts from the list.',
      });
    }
    const rows = await this.#gateway.query<Row>(
      `SELECT Id FROM Social_Post__c WHERE Is_Outbound__c = false AND Inbox_Status__c = 'Open' AND OwnerId IN (${soqlList(queues)}) ORDER BY Reply_Due__c ASC NULLS LAST, Posted_At__c ASC, Id ASC LIMIT 5`,
      { maxRecords: 5 },
    );
    for (const row of rows) {
      const id = String(row['Id']);
      try {
        await this.assign([id], actor.id, actor);
      } catch (error) {
        if (error instanceof AppError && error.code === 'conflict') continue; // taken meanwhile
        throw error;
      }
      return (await this.items([id]))[0] ?? null;
    }
    return null;
  }

  /** Closes posts without (or after) a reply elsewhere. All or nothing, like `assign`. */
  async done(
    postIds: readonly string[],
    reason: string,
    actor: Actor,
    options: ClaimOptions = {},
  ): Promise<{ updated: string[] }> {
    const ids = requirePostIds(postIds);
    const { posts } = await this.#load(ids, null);
    refuseUnchangeable(posts, ids, actor, options, 'close');
    const claims = [...posts.values()].filter((p) => p.claim).map((p) => p.claim!.id);
    const at = (options.now ?? new Date()).toISOString();
    await this.#update(
      ids.map((id) => ({
        Id: id,
        Inbox_Status__c: 'Done',
        Done_Reason__c: reason,
        Done_At__c: at,
        Done_By__c: actor.id && isUserId(actor.id) ? actor.id : null,
      })),
      'close the posts',
    );
    if (claims.length > 0) await this.#deleteClaims(claims).catch(() => undefined);
    return { updated: ids };
  }

  /**
   * What the breach sweep needs, in one call: open posts past their due time not yet escalated (soonest
   * first), the open counts, today's answers against their targets, and claims left on closed posts.
   */
  async sweep(now: Date, since: Date, limit = 200): Promise<SweepState> {
    const at = now.toISOString();
    const responses = await this.#gateway.composite([
      query(
        'breached',
        `SELECT Id, Network__c, Priority__c, OwnerId, Owner.Name, Reply_Due__c, Routed_By__c, Author_Handle__c, Url__c, Case__c, Contact__c, Lead__c, Inbox_Status__c FROM Social_Post__c WHERE Inbox_Status__c IN ('Open', 'Assigned') AND Reply_Due__c < ${at} AND Escalated_At__c = null ORDER BY Reply_Due__c ASC LIMIT ${limit}`,
      ),
      query(
        'open',
        `SELECT Inbox_Status__c, COUNT(Id) n FROM Social_Post__c WHERE Inbox_Status__c IN ('Open', 'Assigned') GROUP BY Inbox_Status__c`,
      ),
      query(
        'answered',
        `SELECT Target_Met__c, COUNT(Id) n FROM Social_Post__c WHERE Done_Reason__c = 'Replied' AND Done_At__c >= ${since.toISOString()} GROUP BY Target_Met__c`,
      ),
      query(
        'stale',
        `SELECT Id FROM Social_Reply_Claim__c WHERE Key__c LIKE 'inbox:%' AND Reply__r.Inbox_Status__c = 'Done' LIMIT 200`,
      ),
    ]);
    const breached = records(responses[0], 'the overdue posts').map((r) => ({
      postId: String(r['Id']),
      network: oneOf(NETWORKS, r['Network__c']) ?? 'x',
      priority: oneOf(PRIORITIES, r['Priority__c']) ?? 'Normal',
      ownerId: str(r['OwnerId']) ?? '',
      ownerName: str(pick(r, 'Owner.Name')),
      status: statusOf(r['Inbox_Status__c']),
      dueAt: str(r['Reply_Due__c']) ?? at,
      rule: str(r['Routed_By__c']),
      handle: (str(r['Author_Handle__c']) ?? '').replace(/^@/, ''),
      url: str(r['Url__c']),
      caseId: str(r['Case__c']),
      personId: str(r['Contact__c']) ?? str(r['Lead__c']),
    }));
    const open = { open: 0, assigned: 0 };
    for (const r of records(responses[1], 'the open counts')) {
      const n = num(r['n']) ?? num(r['expr0']) ?? 0;
      if (r['Inbox_Status__c'] === 'Open') open.open = n;
      if (r['Inbox_Status__c'] === 'Assigned') open.assigned = n;
    }
    const answered = { met: 0, missed: 0, noTarget: 0 };
    for (const r of records(responses[2], 'today’s answers')) {
      const n = num(r['n']) ?? num(r['expr0']) ?? 0;
      if (r['Target_Met__c'] === true) answered.met += n;
      else if (r['Target_Met__c'] === false) answered.missed += n;
      else answered.noTarget += n;
    }
    const staleClaims = records(responses[3], 'the claims on closed posts').map((r) => String(r['Id']));
    return { breached, open, answered, staleClaims };
  }

  /**
   * Escalates overdue posts, each exactly once whichever instance sweeps: a claim `escalate:<post Id>`
   * first (of two sweeps the org keeps one), then the posts' new priority and owner and the supervisors'
   * tasks in one call. Returns the posts this call escalated.
   */
  async escalate(escalations: readonly Escalation[], now: Date): Promise<string[]> {
    if (escalations.length === 0) return [];
    const claimed = await this.#gateway.composite([
      {
        method: 'POST',
        url: '/composite/sobjects',
        referenceId: 'claims',
        body: {
          allOrNone: false,
          records: escalations.map((e) => ({
            attributes: { type: 'Social_Reply_Claim__c' },
            Key__c: `escalate:${e.postId}`,
            Reply__c: e.postId,
            Claimed_By__c: 'breach sweep',
          })),
        },
      },
    ]);
    const results = (claimed[0]?.body ?? []) as { success?: boolean; errors?: SaveError[] }[];
    if (!Array.isArray(results)) throw orgRefused('claim the escalations', saveErrors(claimed[0])[0] ?? {});
    const mine = escalations.filter((_e, i) => results[i]?.success === true);
    const refused = results.flatMap((r) => r?.errors ?? []).find((e) => codeOf(e) !== 'DUPLICATE_VALUE');
    if (mine.length === 0) {
      if (refused) throw orgRefused('claim the escalations', refused);
      return [];
    }
    const at = now.toISOString();
    const requests: CompositeSubrequest[] = [
      {
        method: 'PATCH',
        url: '/composite/sobjects',
        referenceId: 'posts',
        body: {
          allOrNone: false,
          records: mine.map((e) => ({
            attributes: { type: 'Social_Post__c' },
            Id: e.postId,
            Priority__c: e.priority,
            Escalated_At__c: at,
            ...(e.rerouteTo ? { OwnerId: e.rerouteTo, Inbox_Status__c: 'Open' } : {}),
          })),
        },
      },
    ];
    const tasks = mine.filter((e) => e.task);
    if (tasks.length > 0) {
      requests.push({
        method: 'POST',
        url: '/composite/sobjects',
        referenceId: 'tasks',
        body: {
          allOrNone: false,
          records: tasks.map((e) => ({ attributes: { type: 'Task' }, ...e.task })),
        },
      });
    }
    const responses = await this.#gateway.composite(requests);
    const failed = saveErrors(responses[0])[0] ?? saveErrors(responses[1])[0];
    if (failed) throw orgRefused('escalate overdue posts', failed);
    return mine.map((e) => e.postId);
  }

  /** Users by username (supervisors named in the routing rules): one query. */
  async usersByUsername(usernames: readonly string[]): Promise<Map<string, UserOption>> {
    const names = [...new Set(usernames)].filter(Boolean).slice(0, 200);
    if (names.length === 0) return new Map();
    const rows = await this.#gateway.query<Row>(
      `SELECT Id, Name, Username FROM User WHERE IsActive = true AND Username IN (${soqlList(names)})`,
    );
    return new Map(
      rows.map((r) => [
        String(r['Username']).toLowerCase(),
        { id: String(r['Id']), name: str(r['Name']) ?? '' },
      ]),
    );
  }

  /** Removes claims left on closed posts (a reply sent closes the post, not its claim). */
  async releaseClaims(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.#deleteClaims(ids);
  }

  async #load(
    ids: readonly string[],
    ownerId: string | null,
  ): Promise<{
    posts: Map<string, PostState>;
    owner: { id: string; name: string; kind: 'queue' | 'user' };
  }> {
    const requests: CompositeSubrequest[] = [
      query(
        'posts',
        `SELECT Id, Inbox_Status__c, Is_Outbound__c, OwnerId, Owner.Name FROM Social_Post__c WHERE Id IN (${soqlList(ids)})`,
      ),
      query(
        'claims',
        `SELECT Id, Key__c, Claimed_By__c FROM Social_Reply_Claim__c WHERE Key__c IN (${soqlList(ids.map(claimKey))})`,
      ),
    ];
    if (ownerId && isQueueId(ownerId)) {
      requests.push(
        query('owner', `SELECT Id, Name, Type FROM Group WHERE Id = ${soqlString(ownerId)}`),
        query(
          'takesPosts',
          `SELECT Id FROM QueueSobject WHERE QueueId = ${soqlString(ownerId)} AND SobjectType = 'Social_Post__c'`,
        ),
      );
    } else if (ownerId) {
      requests.push(query('owner', `SELECT Id, Name, IsActive FROM User WHERE Id = ${soqlString(ownerId)}`));
    }
    const responses = await this.#gateway.composite(requests);
    const claims = new Map<string, PostState['claim']>();
    for (const row of records(responses[1], 'the claims')) {
      const postId = postIdOfClaimKey(str(row['Key__c']));
      if (!postId) continue;
      claims.set(postId, {
        id: String(row['Id']),
        ...parseClaimedBy(row['Claimed_By__c']),
      });
    }
    const posts = new Map<string, PostState>();
    for (const row of records(responses[0], 'the posts')) {
      if (row['Is_Outbound__c'] === true) continue;
      const id = String(row['Id']);
      const owner = str(row['OwnerId']) ?? '';
      posts.set(id, {
        id,
        status: str(row['Inbox_Status__c']),
        ownerId: owner,
        ownerName: str(pick(row, 'Owner.Name')) ?? owner,
        claim: claims.get(id) ?? null,
      });
    }
    // Ids may come back 18 characters long for 15-character input: match case-insensitively on 15.
    for (const id of ids) {
      if (!posts.has(id)) {
        const found = [...posts.keys()].find((k) => k.slice(0, 15) === id.slice(0, 15));
        if (found) posts.set(id, { ...posts.get(found)!, id });
      }
    }
    if (!ownerId) return { posts, owner: { id: '', name: '', kind: 'user' } };
    const ownerRow = records(responses[2], 'the new owner')[0];
    if (isQueueId(ownerId)) {
      if (!ownerRow || ownerRow['Type'] !== 'Queue') {
        throw new AppError('not_found', `No queue has the Id ${ownerId}.`, {
          hint: 'Pick a queue from GET /api/inbox/options (Setup → Queues lists them in the org).',
        });
      }
      if (records(responses[3], 'the queue’s objects').length === 0) {
        throw new AppError(
          'conflict',
          `The queue ${str(ownerRow['Name']) ?? ownerId} no longer takes social posts.`,
          {
            hint: 'Add Social Post to the queue’s supported objects in Setup → Queues, or pick another queue.',
          },
        );
      }
      return { posts, owner: { id: ownerId, name: str(ownerRow['Name']) ?? ownerId, kind: 'queue' } };
    }
    if (!ownerRow || !isUserId(ownerId)) {
      throw new AppError('not_found', `No user or queue has the Id ${ownerId}.`, {
        hint: 'Pick a user or queue from GET /api/inbox/options.',
      });
    }
    if (ownerRow['IsActive'] === false) {
      throw new AppError('conflict', `${str(ownerRow['Name']) ?? ownerId} is an inactive user.`, {
        hint: 'Assign the posts to an active user or to a queue.',
      });
    }
    return { posts, owner: { id: ownerId, name: str(ownerRow['Name']) ?? ownerId, kind: 'user' } };
  }

  async #update(records: Row[], what: string): Promise<void> {
    for (let i = 0; i < records.length; i += MAX_IDS) {
      const responses = await this.#gateway.composite([
        {
          method: 'PATCH',
          url: '/composite/sobjects',
          referenceId: 'posts',
          body: {
            allOrNone: true,
            records: records
              .slice(i, i + MAX_IDS)
              .map((r) => ({ attributes: { type: 'Social_Post__c' }, ...r })),
          },
        },
      ]);
      const errors = saveErrors(responses[0]);
      if (errors.length > 0) throw orgRefused(what, errors[0]!);
    }
  }

  async #deleteClaims(ids: readonly string[]): Promise<void> {
    const responses = await this.#gateway.composite([
      {
        method: 'DELETE',
        url: `/composite/sobjects?ids=${ids.join(',')}&allOrNone=false`,
        referenceId: 'release',
      },
    ]);
    const errors = saveErrors(responses[0]).filter((e) => codeOf(e) !== 'ENTITY_IS_DELETED');
    if (errors.length > 0) throw orgRefused('release the claims', errors[0]!);
  }
}

function query(referenceId: string, soql: string): CompositeSubrequest {
  return { method: 'GET', url: `/query?q=${encodeURIComponent(soql)}`, referenceId };
}

function requirePostIds(postIds: readonly string[]): string[] {
  if (!Array.isArray(postIds) || postIds.length === 0) {
    throw new AppError('validation_failed', 'postIds must list at least one post');
  }
  if (postIds.length > MAX_IDS) {
    throw new AppError('validation_failed', `at most ${MAX_IDS} posts at a time (got ${postIds.length})`);
  }
  return [...new Set(postIds.map((id) => requireId(id, POST_PREFIX_HINT)))];
}

/** Throws (changing nothing) unless every post exists, is still open, and is free or the actor's. */
function refuseUnchangeable(
  posts: ReadonlyMap<string, PostState>,
  ids: readonly string[],
  actor: Actor,
  options: ClaimOptions,
  verb: 'assign' | 'close',
): void {
  const missing = ids.filter((id) => !posts.has(id));
  if (missing.length > 0) {
    throw new AppError(
      'not_found',
      `No inbound social post has the Id ${missing.join(', ')}; nothing was changed.`,
      {
        details: { missing },
      },
    );
  }
  const closed = ids.filter((id) => {
    const status = posts.get(id)!.status;
    return status !== 'Open' && status !== 'Assigned';
  });
  if (closed.length > 0) {
    const notInInbox = closed.filter((id) => posts.get(id)!.status === null);
    throw new AppError(
      'conflict',
      notInInbox.length === closed.length
        ? `${closed.length === 1 ? 'This post does' : `${closed.length} of these posts do`} not need an answer; nothing was changed.`
        : `${closed.length === 1 ? 'This post is' : `${closed.length} of these posts are`} already done; nothing was changed.`,
      { details: { done: closed }, hint: 'Reload the inbox: done posts leave the needs-reply list.' },
    );
  }
  if (options.force) return;
  const held: HeldPost[] = [];
  for (const id of ids) {
    const holder = holderOf(posts.get(id)!);
    if (holder && holder.id !== actor.id)
      held.push({ postId: id, holderId: holder.id, holderName: holder.name });
  }
  if (held.length > 0) {
    const names = [...new Set(held.map((h) => h.holderName))];
    throw new AppError(
      'conflict',
      held.length === 1
        ? `${names[0]} is working on this post; nothing was changed.`
        : `${held.length} of these posts are being worked on by ${names.join(', ')}; nothing was changed.`,
      {
        details: { held },
        hint: `Leave it to them, or ask them to hand it over. A supervisor can ${verb} it anyway with "force": true.`,
      },
    );
  }
}
