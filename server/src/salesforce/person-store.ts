/**
 * One person across networks, in the org: the linked profiles the sync's joins compare mentions with,
 * the joins it saves on `Social_Persona__c` (`Person_Key__c`, `Join_Reason__c`, `Join_Confidence__c`),
 * and a rep's split of a wrong join (`split`, behind `POST /api/persons/split`).
 *
 * A split, in one all-or-none composite call (plus one more per 800 of the profile's posts):
 * - the profile becomes a person of its own: `Person_Key__c` its own External Id, no join reason or
 *   confidence, no Contact/Lead or suggestion (the link came from the join);
 * - its posts linked to that Contact or Lead through it lose the link (a stranger's posts leave the
 *   customer's history);
 * - `Split_From__c` remembers the person key and the record, one a line, so the sync never joins or
 *   links the profile to them again automatically.
 * Only a joined profile can be split (`Join_Reason__c` set); a person's first profile is split off by
 * splitting the others.
 */
import { AppError } from '../domain/errors.ts';
import { NETWORKS, type Network } from '../domain/mention.ts';
import type { PersonRecord } from '../sync/crm-port.ts';
import type { JoinWrite, PersonJoinStore, StoredPersona } from '../sync/person-joins.ts';
import { personFromRow } from './crm-adapter.ts';
import type { CompositeSubrequest, CompositeSubresponse, SalesforceGateway } from './gateway.ts';

type Row = Record<string, unknown>;

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const POSTS_PER_CALL = 800;

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function soqlDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `Split_From__c` lines: person keys and record Ids, trimmed, blank lines dropped. */
export function splitLines(value: unknown): string[] {
  return (str(value) ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export interface SplitResult {
  personaId: string;
  personaKey: string;
  /** The person key and the Contact/Lead the profile no longer joins. */
  splitFrom: string[];
  /** Posts whose link to the record was removed. */
  postsUnlinked: number;
}

function refused(what: string, response: CompositeSubresponse | undefined): AppError {
  const body = response?.body as { message?: string; errorCode?: string }[] | undefined;
  const first = Array.isArray(body) ? body[0] : undefined;
  return new AppError(
    'unavailable',
    `The org refused to ${what}: ${first?.message ?? response?.httpStatusCode}`,
  );
}

export class SalesforcePersonStore implements PersonJoinStore {
  readonly #gateway: SalesforceGateway;

  constructor(gateway: SalesforceGateway) {
    this.#gateway = gateway;
  }

  async loadLinked(since: Date | null): Promise<StoredPersona[]> {
    const modified = since ? ` AND LastModifiedDate > ${soqlDateTime(since)}` : '';
    const rows = await this.#gateway.query<Row>(
      'SELECT External_Id__c, Network__c, Handle__c, Display_Name__c, Bio__c, Profile_Url__c, Contact__c, ' +
        'Lead__c, Person_Key__c, Join_Reason__c, Split_From__c FROM Social_Persona__c ' +
        `WHERE (Contact__c != null OR Lead__c != null OR Person_Key__c != null)${modified}`,
    );
    const out: StoredPersona[] = [];
    for (const r of rows) {
      const key = str(r['External_Id__c']);
      const network = NETWORKS.find((n) => n === str(r['Network__c'])?.toLowerCase()) as Network | undefined;
      const handle = str(r['Handle__c']);
      if (!key || !network || !handle || !key.startsWith(`${network}:`)) continue;
      out.push({
        key,
        network,
        author: {
          id: key.slice(network.length + 1),
          handle,
          displayName: str(r['Display_Name__c']) ?? '',
          bio: str(r['Bio__c']) ?? '',
          profileUrl: str(r['Profile_Url__c']),
        },
        contactId: str(r['Contact__c']),
        leadId: str(r['Lead__c']),
        personKey: str(r['Person_Key__c']),
        joinReason: str(r['Join_Reason__c']),
        splitFrom: splitLines(r['Split_From__c']),
      });
    }
    return out;
  }

  async people(ids: readonly string[]): Promise<PersonRecord[]> {
    const valid = [...new Set(ids)].filter((id) => ID.test(id));
    const contacts = valid.filter((id) => id.startsWith('003'));
    const leads = valid.filter((id) => id.startsWith('00Q'));
    const out: PersonRecord[] = [];
    for (let i = 0; i < contacts.length; i += 200) {
      const rows = await this.#gateway.query<Row>(
        'SELECT Id, FirstName, LastName, Name, Email, AccountId, Account.Name, Account.Website, OwnerId, ' +
          'Social_Handles__c, Social_Influence__c, Social_Sentiment__c, Last_Social_Activity__c, LastModifiedDate ' +
          `FROM Contact WHERE Id IN (${contacts
            .slice(i, i + 200)
            .map(soqlString)
            .join(', ')})`,
      );
      out.push(...rows.map((r) => personFromRow(r, 'Contact')));
    }
    for (let i = 0; i < leads.length; i += 200) {
      const rows = await this.#gateway.query<Row>(
        'SELECT Id, FirstName, LastName, Name, Email, Company, Website, OwnerId, IsConverted, ' +
          'Social_Handles__c, Social_Influence__c, Social_Sentiment__c, Last_Social_Activity__c, LastModifiedDate ' +
          `FROM Lead WHERE IsConverted = false AND Id IN (${leads
            .slice(i, i + 200)
            .map(soqlString)
            .join(', ')})`,
      );
      out.push(...rows.map((r) => personFromRow(r, 'Lead')));
    }
    return out;
  }

  async saveJoins(joins: readonly JoinWrite[]): Promise<void> {
    // The last write of a profile wins; 200 records per collection, 5 collections per call.
    const byKey = new Map(joins.map((j) => [j.key, j]));
    const records = [...byKey.values()].map((j) => ({
      attributes: { type: 'Social_Persona__c' },
      External_Id__c: j.key,
      Person_Key__c: j.personKey,
      Join_Reason__c: j.reason,
      Join_Confidence__c: j.confidence === null ? null : Math.round(j.confidence * 10000) / 100,
    }));
    for (let i = 0; i < records.length; i += 1000) {
      const requests: CompositeSubrequest[] = [];
      for (let j = i; j < Math.min(records.length, i + 1000); j += 200) {
        requests.push({
          method: 'PATCH',
          url: '/composite/sobjects/Social_Persona__c/External_Id__c',
          referenceId: `joins${j}`,
          body: { allOrNone: false, records: records.slice(j, j + 200) },
        });
      }
      const responses = await this.#gateway.composite(requests);
      const failed = responses.find((r) => r.httpStatusCode >= 400);
      if (failed) throw refused('save person joins', failed);
    }
  }

  /** Splits a joined profile from its person (see the module comment). */
  async split(personaId: string): Promise<SplitResult> {
    if (!ID.test(personaId) || !personaId.startsWith('a')) {
      throw new AppError('validation_failed', 'personaId must be the Id of a Social_Persona__c record');
    }
    const [row] = await this.#gateway.query<Row>(
      'SELECT Id, External_Id__c, Person_Key__c, Join_Reason__c, Contact__c, Lead__c, Split_From__c ' +
        `FROM Social_Persona__c WHERE Id = ${soqlString(personaId)} LIMIT 1`,
    );
    if (!row) throw new AppError('not_found', `No social profile has the Id ${personaId}.`);
    const key = str(row['External_Id__c']) ?? personaId;
    const personKey = str(row['Person_Key__c']);
    if (str(row['Join_Reason__c']) === null || personKey === null || personKey === key) {
      throw new AppError('conflict', 'This profile is not joined to another profile.', {
        hint:
          personKey === key
            ? 'It is the first profile of its person: split the profiles joined to it instead.'
            : 'Only a profile joined by the sync (it shows why it was joined) can be split.',
      });
    }
    const recordId = str(row['Contact__c']) ?? str(row['Lead__c']);
    const splitFrom = [
      ...new Set([...splitLines(row['Split_From__c']), personKey, ...(recordId ? [recordId] : [])]),
    ];
    const posts = recordId
      ? await this.#gateway.query<Row>(
          `SELECT Id FROM Social_Post__c WHERE Persona__c = ${soqlString(personaId)} AND ` +
            `(Contact__c = ${soqlString(recordId)} OR Lead__c = ${soqlString(recordId)})`,
        )
      : [];
    const postIds = posts.map((p) => String(p['Id']));
    const unlink = (ids: string[], n: number): CompositeSubrequest => ({
      method: 'PATCH',
      url: '/composite/sobjects',
      referenceId: `posts${n}`,
      body: {
        allOrNone: true,
        records: ids.map((id) => ({
          attributes: { type: 'Social_Post__c' },
          Id: id,
          ...(recordId?.startsWith('003') ? { Contact__c: null, Account__c: null } : { Lead__c: null }),
        })),
      },
    });
    const first: CompositeSubrequest[] = [
      {
        method: 'PATCH',
        url: `/sobjects/Social_Persona__c/${personaId}`,
        referenceId: 'persona',
        body: {
          Person_Key__c: key,
          Join_Reason__c: null,
          Join_Confidence__c: null,
          Contact__c: null,
          Lead__c: null,
          Suggested_Contact__c: null,
          Suggested_Lead__c: null,
          Match_Confidence__c: null,
          Match_Reason__c: null,
          Split_From__c: splitFrom.join('\n').slice(0, 4000),
        },
      },
    ];
    let rest = postIds;
    for (let n = 0; n < 4 && rest.length > 0; n++) {
      first.push(unlink(rest.slice(0, 200), n));
      rest = rest.slice(200);
    }
    await this.#write(first, 'split the profile');
    while (rest.length > 0) {
      const more: CompositeSubrequest[] = [];
      for (let n = 0; n < POSTS_PER_CALL / 200 && rest.length > 0; n++) {
        more.push(unlink(rest.slice(0, 200), n));
        rest = rest.slice(200);
      }
      await this.#write(more, 'unlink the profile’s posts');
    }
    return { personaId, personaKey: key, splitFrom, postsUnlinked: postIds.length };
  }

  async #write(requests: CompositeSubrequest[], what: string): Promise<void> {
    const responses = await this.#gateway.composite(requests, true);
    const failed = responses.find((r) => {
      if (r.httpStatusCode >= 400) return true;
      // A collection answers 200 with a result per record.
      return Array.isArray(r.body) && (r.body as { success?: boolean }[]).some((x) => x.success === false);
    });
    if (failed) throw refused(what, failed);
  }
}
