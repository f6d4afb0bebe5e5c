/**
 * Outbound replies and their send claims in the org (`Social_Post__c` with `Is_Outbound__c`, and
 * `Social_Reply_Claim__c`). Writes go through `/composite` so that a reply's outcome and the answered
 * post's response time land in one call; a claim is a record with a unique key, so of two instances
 * creating the same attempt only one succeeds (DUPLICATE_VALUE for the other).
 */
import { AppError } from '../domain/errors.ts';
import { NETWORKS, type Network } from '../domain/mention.ts';
import type { NewReply, ReplyChanges, ReplyStore, SendClaim, SentRecord } from '../replies/ports.ts';
import { DUE_STATUSES, FINAL_STATUSES, REPLY_STATUSES } from '../replies/reply.ts';
import type { OutboundReply, ReplyStatus, ReplyTarget } from '../replies/reply.ts';
import type { CompositeSubrequest, CompositeSubresponse, SalesforceGateway } from './gateway.ts';

type Row = Record<string, unknown>;

const TARGET_FIELDS = [
  'Id',
  'Network__c',
  'Network_Post_Id__c',
  'External_Id__c',
  'Author_Handle__c',
  'Body__c',
  'Posted_At__c',
  'Is_Outbound__c',
  'Replied_At__c',
  'Replied_By__r.Name',
  'Persona__c',
  'Persona__r.External_Id__c',
  'Persona__r.Display_Name__c',
  'Persona__r.Influence_Score__c',
  'Contact__c',
  'Lead__c',
  'Account__c',
  'Case__c',
  'Inbox_Status__c',
  'Reply_Due__c',
];

const REPLY_FIELDS = [
  'Id',
  'Idempotency_Key__c',
  'Body__c',
  'Status__c',
  'CreatedDate',
  'CreatedById',
  'CreatedBy.Name',
  'Failure_Reason__c',
  'Network_Post_Id__c',
  'Url__c',
  'Approval_Note__c',
  ...TARGET_FIELDS.map((f) => `In_Reply_To__r.${f}`),
];

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const soqlString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const soqlList = (values: readonly string[]): string => values.map(soqlString).join(', ');

function pick(row: Row | null | undefined, path: string): unknown {
  let value: unknown = row;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Row)[part];
  }
  return value;
}

/** Whether an answer at `at` met a reply-time target due at `dueAt`; null without a target. */
export function replyTargetMet(dueAt: string | null, at: Date): boolean | null {
  if (!dueAt) return null;
  const due = Date.parse(dueAt);
  return Number.isFinite(due) ? at.getTime() <= due : null;
}

export function mapTarget(row: Row): ReplyTarget | null {
  const network = str(row['Network__c']);
  if (!network || !(NETWORKS as readonly string[]).includes(network)) return null;
  const externalId = str(row['External_Id__c']);
  const personaKey = str(pick(row, 'Persona__r.External_Id__c'));
  return {
    id: String(row['Id']),
    network: network as Network,
    networkPostId:
      str(row['Network_Post_Id__c']) ?? (externalId ? externalId.slice(externalId.indexOf(':') + 1) : ''),
    authorHandle: (str(row['Author_Handle__c']) ?? '').replace(/^@/, ''),
    authorName: str(pick(row, 'Persona__r.Display_Name__c')),
    authorId: personaKey ? personaKey.slice(personaKey.indexOf(':') + 1) : null,
    body: str(row['Body__c']) ?? '',
    postedAt: str(row['Posted_At__c']),
    isOutbound: row['Is_Outbound__c'] === true,
    influence: num(pick(row, 'Persona__r.Influence_Score__c')),
    repliedAt: str(row['Replied_At__c']),
    repliedByName: str(pick(row, 'Replied_By__r.Name')),
    inboxStatus: str(row['Inbox_Status__c']),
    replyDueAt: str(row['Reply_Due__c']),
    links: {
      personaId: str(row['Persona__c']),
      contactId: str(row['Contact__c']),
      leadId: str(row['Lead__c']),
      accountId: str(row['Account__c']),
      caseId: str(row['Case__c']),
    },
  };
}

function mapReply(row: Row): OutboundReply {
  const status = str(row['Status__c']);
  const target = row['In_Reply_To__r'];
  return {
    id: String(row['Id']),
    idempotencyKey: str(row['Idempotency_Key__c']) ?? String(row['Id']),
    text: str(row['Body__c']) ?? '',
    status: (REPLY_STATUSES as readonly string[]).includes(status ?? '')
      ? (status as ReplyStatus)
      : 'Pending',
    createdAt: str(row['CreatedDate']) ?? new Date().toISOString(),
    createdById: str(row['CreatedById']),
    createdByName: str(pick(row, 'CreatedBy.Name')),
    failureReason: str(row['Failure_Reason__c']),
    networkPostId: str(row['Network_Post_Id__c']),
    url: str(row['Url__c']),
    approvalNote: str(row['Approval_Note__c']),
    target: target && typeof target === 'object' ? mapTarget(target as Row) : null,
  };
}

interface SaveError {
  errorCode?: string;
  statusCode?: string;
  message?: string;
}

function firstError(response: CompositeSubresponse | undefined): SaveError | null {
  if (!response)
    return { errorCode: 'NO_RESPONSE', message: 'the org did not answer this part of the request' };
  if (response.httpStatusCode < 400) return null;
  const body = response.body;
  const first = (Array.isArray(body) ? body[0] : body) as SaveError | undefined;
  return {
    errorCode: first?.errorCode ?? first?.statusCode ?? `HTTP_${response.httpStatusCode}`,
    message: first?.message ?? '',
  };
}

function orgRejected(what: string, error: SaveError): AppError {
  return new AppError(
    'unavailable',
    `The org refused to ${what}: ${error.errorCode} ${error.message ?? ''}`.trim(),
    {
      details: { errorCode: error.errorCode },
      hint: 'Check that the sync user has the Social CRM Admin permission set and that the package is up to date (sf social setup).',
    },
  );
}

export class SalesforceReplyStore implements ReplyStore {
  readonly #gateway: SalesforceGateway;

  constructor(gateway: SalesforceGateway) {
    this.#gateway = gateway;
  }

  async target(postId: string): Promise<ReplyTarget | null> {
    const rows = await this.#gateway.query<Row>(
      `SELECT ${TARGET_FIELDS.join(', ')} FROM Social_Post__c WHERE Id = ${soqlString(postId)} LIMIT 1`,
    );
    return rows[0] ? mapTarget(rows[0]) : null;
  }

  async create(reply: NewReply): Promise<{ reply: OutboundReply; created: boolean }> {
    const { target } = reply;
    const fields: Row = {
      Is_Outbound__c: true,
      Status__c: reply.status,
      Body__c: reply.text,
      Network__c: target.network,
      In_Reply_To__c: target.id,
      Idempotency_Key__c: reply.idempotencyKey,
      // When it was written; replaced by the network's time once sent. Keeps the thread in order.
      Posted_At__c: new Date().toISOString(),
      Contact__c: target.links.contactId,
      Lead__c: target.links.leadId,
      Account__c: target.links.accountId,
      Case__c: target.links.caseId,
      ...(reply.userId ? { Replied_By__c: reply.userId } : {}),
      ...(reply.authorHandle ? { Author_Handle__c: reply.authorHandle } : {}),
    };
    const [response] = await this.#gateway.composite([
      { method: 'POST', url: '/sobjects/Social_Post__c', referenceId: 'reply', body: fields },
    ]);
    const error = firstError(response);
    if (error && error.errorCode !== 'DUPLICATE_VALUE') throw orgRejected('save the reply', error);
    const id = (response?.body as { id?: string } | undefined)?.id;
    if (!error && id) {
      // Created: everything about it is known here, no need to read it back.
      return {
        created: true,
        reply: {
          id,
          idempotencyKey: reply.idempotencyKey,
          text: reply.text,
          status: reply.status,
          createdAt: String(fields['Posted_At__c']),
          createdById: reply.userId,
          createdByName: null,
          failureReason: null,
          networkPostId: null,
          url: null,
          approvalNote: null,
          target,
        },
      };
    }
    // A duplicate key: this compose was already submitted (a double click, a retry): that reply it is.
    const rows = await this.#gateway.query<Row>(
      `SELECT ${REPLY_FIELDS.join(', ')} FROM Social_Post__c WHERE Idempotency_Key__c = ${soqlString(reply.idempotencyKey)} LIMIT 1`,
    );
    if (!rows[0]) {
      throw new AppError(
        'unavailable',
        'The reply was saved but could not be read back from the org. Try again.',
      );
    }
    return { reply: mapReply(rows[0]), created: error === null };
  }

  async reply(id: string): Promise<OutboundReply | null> {
    const rows = await this.#gateway.query<Row>(
      `SELECT ${REPLY_FIELDS.join(', ')} FROM Social_Post__c WHERE Id = ${soqlString(id)} AND Is_Outbound__c = true LIMIT 1`,
    );
    return rows[0] ? mapReply(rows[0]) : null;
  }

  async due(limit: number): Promise<OutboundReply[]> {
    const rows = await this.#gateway.query<Row>(
      `SELECT ${REPLY_FIELDS.join(', ')} FROM Social_Post__c WHERE Is_Outbound__c = true AND Status__c IN (${soqlList(DUE_STATUSES)}) ORDER BY CreatedDate ASC LIMIT ${limit}`,
    );
    return rows.map(mapReply);
  }

  async openRepliesTo(postId: string): Promise<OutboundReply[]> {
    const rows = await this.#gateway.query<Row>(
      `SELECT ${REPLY_FIELDS.join(', ')} FROM Social_Post__c WHERE In_Reply_To__c = ${soqlString(postId)} AND Is_Outbound__c = true AND Status__c NOT IN (${soqlList(FINAL_STATUSES)}) ORDER BY CreatedDate ASC LIMIT 20`,
    );
    return rows.map(mapReply);
  }

  async update(id: string, changes: ReplyChanges): Promise<void> {
    const fields: Row = {};
    if (changes.status !== undefined) fields['Status__c'] = changes.status;
    if (changes.failureReason !== undefined)
      fields['Failure_Reason__c'] = changes.failureReason?.slice(0, 255) ?? null;
    if (changes.approvalNote !== undefined) fields['Approval_Note__c'] = changes.approvalNote;
    await this.#one('update the reply', {
      method: 'PATCH',
      url: `/sobjects/Social_Post__c/${id}`,
      referenceId: 'reply',
      body: fields,
    });
  }

  async markSent({ reply, published, sentAt, firstResponseMinutes }: SentRecord): Promise<void> {
    const target = reply.target;
    const targetMet = replyTargetMet(target?.replyDueAt ?? null, sentAt);
    const requests: CompositeSubrequest[] = [
      {
        method: 'PATCH',
        url: `/sobjects/Social_Post__c/${reply.id}`,
        referenceId: 'reply',
        body: {
          Status__c: 'Sent',
          Failure_Reason__c: null,
          Network_Post_Id__c: published.networkPostId,
          ...(target ? { External_Id__c: `${target.network}:${published.networkPostId}` } : {}),
          Url__c: published.url,
          Posted_At__c: sentAt.toISOString(),
          Replied_At__c: sentAt.toISOString(),
          ...(target
            ? {
                Contact__c: target.links.contactId,
                Lead__c: target.links.leadId,
                Account__c: target.links.accountId,
                Case__c: target.links.caseId,
              }
            : {}),
        },
      },
    ];
    if (target && !target.repliedAt) {
      requests.push({
        method: 'PATCH',
        url: `/sobjects/Social_Post__c/${target.id}`,
        referenceId: 'answered',
        body: {
          Replied_At__c: sentAt.toISOString(),
          Needs_Reply__c: false,
          ...(reply.createdById ? { Replied_By__c: reply.createdById } : {}),
          ...(firstResponseMinutes === null ? {} : { First_Response_Minutes__c: firstResponseMinutes }),
          // Answered: the post leaves the inbox, with whether the answer met its reply-time target.
          ...(target.inboxStatus === 'Open' || target.inboxStatus === 'Assigned'
            ? {
                Inbox_Status__c: 'Done',
                Done_Reason__c: 'Replied',
                Done_At__c: sentAt.toISOString(),
                ...(reply.createdById ? { Done_By__c: reply.createdById } : {}),
                ...(targetMet === null ? {} : { Target_Met__c: targetMet }),
              }
            : {}),
        },
      });
      if (target.links.caseId && firstResponseMinutes !== null) {
        requests.push({
          method: 'PATCH',
          url: `/sobjects/Case/${target.links.caseId}`,
          referenceId: 'case',
          body: {
            Social_First_Response_Minutes__c: firstResponseMinutes,
            ...(targetMet === null ? {} : { Social_Target_Met__c: targetMet }),
          },
        });
      }
    }
    const responses = await this.#gateway.composite(requests);
    const error = firstError(responses[0]);
    if (error) throw orgRejected('record the sent reply', error);
    // The answered post's and case's response times are secondary: a refusal there must not make a
    // sent reply look unsent (which would send it again).
  }

  async latestClaims(replyIds: readonly string[]): Promise<Map<string, SendClaim>> {
    const claims = new Map<string, SendClaim>();
    if (replyIds.length === 0) return claims;
    const rows = await this.#gateway.query<Row>(
      `SELECT Id, Reply__c, Attempt__c, Claimed_By__c, Expires_At__c FROM Social_Reply_Claim__c WHERE Reply__c IN (${soqlList(replyIds)}) ORDER BY Attempt__c DESC`,
    );
    for (const row of rows) {
      const replyId = String(row['Reply__c']);
      if (claims.has(replyId)) continue;
      claims.set(replyId, {
        id: String(row['Id']),
        replyId,
        attempt: num(row['Attempt__c']) ?? 0,
        owner: str(row['Claimed_By__c']) ?? '',
        expiresAt: new Date(str(row['Expires_At__c']) ?? 0),
      });
    }
    return claims;
  }

  async createClaim(claim: Omit<SendClaim, 'id'>): Promise<SendClaim | null> {
    const [response] = await this.#gateway.composite([
      {
        method: 'POST',
        url: '/sobjects/Social_Reply_Claim__c',
        referenceId: 'claim',
        body: {
          Key__c: `${claim.replyId}#${claim.attempt}`,
          Reply__c: claim.replyId,
          Attempt__c: claim.attempt,
          Claimed_By__c: claim.owner.slice(0, 120),
          Expires_At__c: claim.expiresAt.toISOString(),
        },
      },
    ]);
    const error = firstError(response);
    if (error?.errorCode === 'DUPLICATE_VALUE') return null;
    if (error) throw orgRejected('claim the reply for sending', error);
    const id = (response?.body as { id?: string } | undefined)?.id ?? '';
    return { ...claim, id };
  }

  async extendClaim(claimId: string, expiresAt: Date): Promise<void> {
    await this.#one('extend the send claim', {
      method: 'PATCH',
      url: `/sobjects/Social_Reply_Claim__c/${claimId}`,
      referenceId: 'claim',
      body: { Expires_At__c: expiresAt.toISOString() },
    });
  }

  async inPermissionSet(userId: string, permissionSet: string): Promise<boolean> {
    const rows = await this.#gateway.query<Row>(
      `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)} AND PermissionSet.Name = ${soqlString(permissionSet)} LIMIT 1`,
    );
    return rows.length > 0;
  }

  async #one(what: string, request: CompositeSubrequest): Promise<void> {
    const [response] = await this.#gateway.composite([request]);
    const error = firstError(response);
    if (error) throw orgRejected(what, error);
  }
}
