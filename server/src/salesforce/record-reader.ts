/**
 * What the record page reads from the org: the records with social activity, one record's details,
 * its posts (newest first, paged by `Posted_At__c`) and its personas. Every call goes through the
 * gateway (counted, errors mapped). Rows are mapped here to the plain shapes the components take
 * (ui-components/src/types.ts documents the field mapping), so nothing above this file sees SOQL rows.
 *
 * A person's influence has one definition (`personInfluence`, scoring/customer-value.ts): the highest of
 * their profiles' scores, else the roll-up. Customer value is read as the customer value job wrote it
 * (`Social_Customer_Value__c`, `Social_Lifetime_Value__c`, `Social_Referral_Value__c`) from the Contact, the
 * Account, or a Case's Contact, with the org currency (`Organization.DefaultCurrencyIsoCode`, read once).
 *
 * Ids are validated before they go into SOQL: only 15/18-character alphanumerics with a known
 * key prefix are ever interpolated, and dates are re-serialized by `Date`.
 */
import { REPLY_STATUSES } from '../replies/reply.ts';
import { AppError } from '../domain/errors.ts';
import type { SalesforceGateway } from './gateway.ts';
import type {
  CustomerValue,
  OutboundStatus,
  SavedReply,
  SocialPersona,
  SocialPost,
} from '@socialcrm/ui-components/src/types.ts';
import { INTENTS, SENTIMENT_LABELS } from '../analysis/schema.ts';
import { NETWORKS } from '../domain/mention.ts';
import { personInfluence } from '../scoring/customer-value.ts';

export const RECORD_TYPES = ['Contact', 'Lead', 'Account', 'Case'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

const TYPE_BY_PREFIX: Record<string, RecordType> = {
  '003': 'Contact',
  '00Q': 'Lead',
  '001': 'Account',
  '500': 'Case',
};
/** The Social_Post__c lookup that ties a post to a record of each type. */
const POST_LOOKUP: Record<RecordType, string> = {
  Contact: 'Contact__c',
  Lead: 'Lead__c',
  Account: 'Account__c',
  Case: 'Case__c',
};
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const OUTBOUND_STATUSES = REPLY_STATUSES satisfies readonly OutboundStatus[];

/** `value` if it is one of `allowed` (picklist values the components know), else undefined. */
function oneOf<T extends string>(allowed: readonly T[], value: string | null | undefined): T | undefined {
  return (allowed as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
}

/** The record type an Id belongs to, or null when it is not a well-formed Contact, Lead, Account or Case Id. */
export function recordTypeOf(id: string): RecordType | null {
  if (!ID_PATTERN.test(id)) return null;
  return TYPE_BY_PREFIX[id.slice(0, 3)] ?? null;
}

/** A row of the list page: a record with posts. */
export interface RecordSummary {
  id: string;
  type: RecordType;
  name: string;
  /** A second line: the case subject, for cases. */
  subtitle: string | null;
  postCount: number;
  lastActivity: string | null;
}

/** One labelled value of the record's details. */
export interface DetailField {
  label: string;
  value: string | null;
  /** `mailto:`/`tel:` targets are built by the template from `kind`, never taken from data. */
  kind?: 'email' | 'phone' | 'date' | 'score' | 'sentiment';
  /** A record this value names (the Account of a Contact, the Contact of a Case). */
  recordId?: string;
  /** What the number is, under it ("highest of their profiles"). */
  hint?: string;
  /** A score the page keeps current as posts arrive: the host updates it from `RecordDetails`. */
  live?: 'influence' | 'sentiment';
}

export interface RecordDetails {
  id: string;
  type: RecordType;
  name: string;
  /** Up to four fields shown in the page header's highlights. */
  highlights: DetailField[];
  /** The left column. */
  fields: DetailField[];
  /** For the respond box's saved-reply placeholders. */
  context: { firstName?: string; caseNumber?: string };
  /**
   * The person's influence and advocacy 0–100: the highest of their profiles' (`Influence_Score__c`,
   * `Advocacy_Score__c` of the linked personas), which is what `Social_Influence__c` is defined as; read
   * from the profiles, so the page never shows a roll-up that lags them. Null for Accounts and Cases.
   */
  influence: number | null;
  advocacy: number | null;
  /** The person's average sentiment −1…1, recent posts weighing most (`Social_Sentiment__c`); a Case's contact's. */
  sentiment: number | null;
  /**
   * The customer value fields of the Contact, the Account or a Case's Contact (null for Leads, and when the
   * customer value job has not written them), with the org currency when known.
   */
  customerValue: CustomerValue | null;
}

/** The components' own data shapes: what the record page hands them. */
export type PostView = SocialPost;
export type PersonaView = SocialPersona;
export type SavedReplyView = SavedReply;

/** A post with the records it is tied to, for routing live updates to the pages showing them. */
export interface LinkedPost {
  post: PostView;
  recordIds: string[];
}

export interface PostPage {
  posts: PostView[];
  hasMore: boolean;
}

type Row = Record<string, unknown>;

const POST_FIELDS = [
  'Id',
  'External_Id__c',
  'Network__c',
  'Body__c',
  'Posted_At__c',
  'Author_Handle__c',
  'Persona__r.Display_Name__c',
  'Persona__r.Influence_Score__c',
  'Url__c',
  'Sentiment__c',
  'Sentiment_Score__c',
  'Intent__c',
  'Language__c',
  'Needs_Reply__c',
  'Is_Outbound__c',
  'Status__c',
  'Failure_Reason__c',
  'In_Reply_To__c',
  'Replied_At__c',
  'Reply_Due__c',
  'Persona__c',
].join(', ');

const PERSONA_FIELDS = [
  'Id',
  'External_Id__c',
  'Network__c',
  'Handle__c',
  'Display_Name__c',
  'Profile_Url__c',
  'Followers__c',
  'Influence_Score__c',
  'Advocacy_Score__c',
  'Sentiment_Trend__c',
  'Verified__c',
  'Match_Confidence__c',
  'Match_Reason__c',
  'Person_Key__c',
  'Join_Reason__c',
  'Join_Confidence__c',
].join(', ');

/** A person's linked profiles' scores, in the same query (the highest of each is theirs). */
const PROFILE_SCORES =
  '(SELECT Influence_Score__c, Advocacy_Score__c FROM Social_Personas__r WHERE Influence_Score__c != null OR Advocacy_Score__c != null LIMIT 200)';

const VALUE_FIELDS = ['Social_Customer_Value__c', 'Social_Lifetime_Value__c', 'Social_Referral_Value__c'];

const DETAIL_QUERIES: Record<RecordType, string> = {
  Contact: `Id, Name, FirstName, Title, Department, Email, Phone, MobilePhone, AccountId, Account.Name, Owner.Name, MailingCity, MailingCountry, Social_Influence__c, Social_Sentiment__c, Last_Social_Activity__c, ${VALUE_FIELDS.join(', ')}, ${PROFILE_SCORES}`,
  Lead: `Id, Name, FirstName, Title, Company, Email, Phone, Status, LeadSource, Owner.Name, Social_Influence__c, Social_Sentiment__c, Last_Social_Activity__c, ${PROFILE_SCORES}`,
  Account: `Id, Name, Type, Industry, Phone, Website, BillingCity, BillingCountry, NumberOfEmployees, Owner.Name, ${VALUE_FIELDS.join(', ')}`,
  Case: `Id, CaseNumber, Subject, Status, Priority, Origin, Social_Network__c, CreatedDate, ContactId, Contact.Name, Contact.FirstName, Contact.Social_Sentiment__c, ${VALUE_FIELDS.map((f) => `Contact.${f}`).join(', ')}, AccountId, Account.Name, Owner.Name`,
};

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function rel(row: Row, relationship: string, field: string): unknown {
  const parent = row[relationship];
  return typeof parent === 'object' && parent !== null ? (parent as Row)[field] : undefined;
}

/** Salesforce date-times (`2026-01-02T03:04:05.000+0000`) as ISO 8601 with `Z`. */
function iso(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const at = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isFinite(at) ? new Date(at).toISOString() : null;
}

function soqlDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Adds `key: value` only when the value is present (the components' optional properties). */
function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null | undefined): void {
  if (value !== null && value !== undefined) target[key] = value;
}

export function mapPost(row: Row): PostView {
  const post: PostView = {
    id: String(row['Id']),
    network: oneOf(NETWORKS, str(row['Network__c'])?.toLowerCase()) ?? 'x',
    body: str(row['Body__c']) ?? '',
    postedAt: iso(row['Posted_At__c']) ?? new Date(0).toISOString(),
    authorHandle: str(row['Author_Handle__c']) ?? '',
  };
  put(post, 'externalId', str(row['External_Id__c']));
  put(post, 'authorName', str(rel(row, 'Persona__r', 'Display_Name__c')));
  put(post, 'authorInfluence', num(rel(row, 'Persona__r', 'Influence_Score__c')));
  put(post, 'url', str(row['Url__c']));
  put(post, 'sentiment', oneOf(SENTIMENT_LABELS, str(row['Sentiment__c'])?.toLowerCase()));
  put(post, 'sentimentScore', num(row['Sentiment_Score__c']));
  put(post, 'intent', oneOf(INTENTS, str(row['Intent__c'])?.toLowerCase()));
  put(post, 'language', str(row['Language__c']));
  if (typeof row['Needs_Reply__c'] === 'boolean') post.needsReply = row['Needs_Reply__c'];
  if (typeof row['Is_Outbound__c'] === 'boolean') post.isOutbound = row['Is_Outbound__c'];
  if (post.isOutbound) put(post, 'status', oneOf(OUTBOUND_STATUSES, str(row['Status__c'])));
  put(post, 'failureReason', str(row['Failure_Reason__c']));
  put(post, 'inReplyToId', str(row['In_Reply_To__c']));
  put(post, 'repliedAt', iso(row['Replied_At__c']));
  put(post, 'replyDueAt', iso(row['Reply_Due__c']));
  put(post, 'personaId', str(row['Persona__c']));
  return post;
}

export function mapPersona(row: Row): PersonaView {
  const persona: PersonaView = {
    id: String(row['Id']),
    network: oneOf(NETWORKS, str(row['Network__c'])?.toLowerCase()) ?? 'x',
    handle: str(row['Handle__c']) ?? '',
  };
  put(persona, 'externalId', str(row['External_Id__c']));
  put(persona, 'displayName', str(row['Display_Name__c']));
  put(persona, 'profileUrl', str(row['Profile_Url__c']));
  put(persona, 'followers', num(row['Followers__c']));
  put(persona, 'influenceScore', num(row['Influence_Score__c']));
  put(persona, 'advocacyScore', num(row['Advocacy_Score__c']));
  put(persona, 'sentimentTrend', num(row['Sentiment_Trend__c']));
  if (typeof row['Verified__c'] === 'boolean') persona.verified = row['Verified__c'];
  put(persona, 'matchConfidence', num(row['Match_Confidence__c']));
  put(persona, 'matchReason', str(row['Match_Reason__c']));
  // One person across networks: why this profile is one of the person's (sync/person-joins.ts).
  put(persona, 'personKey', str(row['Person_Key__c']));
  put(persona, 'joinReason', str(row['Join_Reason__c']));
  put(persona, 'joinConfidence', num(row['Join_Confidence__c']));
  return persona;
}

function field(
  label: string,
  value: unknown,
  extra: Pick<DetailField, 'kind' | 'recordId' | 'hint' | 'live'> = {},
): DetailField {
  const shown = typeof value === 'number' ? String(value) : str(value);
  return { label, value: shown, ...extra };
}

/** A score of each of the person's profiles (the `Social_Personas__r` subquery). */
function profileScores(row: Row, score: 'Influence_Score__c' | 'Advocacy_Score__c'): (number | null)[] {
  const profiles = (row['Social_Personas__r'] as { records?: Row[] } | null | undefined)?.records ?? [];
  return profiles.map((p) => num(p[score]));
}

/** The customer value fields of `row` (a Contact or Account, or a Case's `Contact`), or null without a total. */
function customerValue(row: Row | undefined, currency: string | null): CustomerValue | null {
  const total = row ? num(row['Social_Customer_Value__c']) : null;
  if (!row || total === null) return null;
  const value: CustomerValue = { total };
  put(value, 'lifetime', num(row['Social_Lifetime_Value__c']));
  put(value, 'referral', num(row['Social_Referral_Value__c']));
  put(value, 'currency', currency);
  return value;
}

export const INFLUENCE_HINT = 'highest of their profiles';
export const SENTIMENT_HINT = 'average of their posts, recent ones weigh most';

export function mapDetails(type: RecordType, row: Row, currency: string | null = null): RecordDetails {
  const id = String(row['Id']);
  const owner = rel(row, 'Owner', 'Name');
  // Without a scored profile (none linked yet, or scored before profiles were), the roll-up stands.
  const influence = personInfluence(
    profileScores(row, 'Influence_Score__c'),
    num(row['Social_Influence__c']),
  );
  const advocacy = personInfluence(profileScores(row, 'Advocacy_Score__c'), null);
  const sentiment = num(row['Social_Sentiment__c']);
  const social = [
    field('Social influence', influence, { kind: 'score', hint: INFLUENCE_HINT, live: 'influence' }),
    field('Social sentiment', sentiment, { kind: 'sentiment', hint: SENTIMENT_HINT, live: 'sentiment' }),
    field('Last social activity', iso(row['Last_Social_Activity__c']), { kind: 'date' }),
  ];
  const accountId = str(row['AccountId']) ?? undefined;
  const accountRef = accountId ? { recordId: accountId } : {};
  switch (type) {
    case 'Contact': {
      const account = field('Account name', rel(row, 'Account', 'Name'), accountRef);
      const email = field('Email', row['Email'], { kind: 'email' });
      const phone = field('Phone', row['Phone'], { kind: 'phone' });
      const city = [str(row['MailingCity']), str(row['MailingCountry'])].filter(Boolean).join(', ');
      return {
        id,
        type,
        name: str(row['Name']) ?? id,
        highlights: [field('Title', row['Title']), account, phone, email],
        fields: [
          field('Name', row['Name']),
          field('Title', row['Title']),
          field('Department', row['Department']),
          account,
          email,
          phone,
          field('Mobile', row['MobilePhone'], { kind: 'phone' }),
          field('Mailing city', city),
          field('Contact owner', owner),
          ...social,
        ],
        context: str(row['FirstName']) ? { firstName: String(row['FirstName']) } : {},
        influence,
        advocacy,
        sentiment,
        customerValue: customerValue(row, currency),
      };
    }
    case 'Lead': {
      const email = field('Email', row['Email'], { kind: 'email' });
      return {
        id,
        type,
        name: str(row['Name']) ?? id,
        highlights: [
          field('Title', row['Title']),
          field('Company', row['Company']),
          field('Lead status', row['Status']),
          email,
        ],
        fields: [
          field('Name', row['Name']),
          field('Title', row['Title']),
          field('Company', row['Company']),
          email,
          field('Phone', row['Phone'], { kind: 'phone' }),
          field('Lead status', row['Status']),
          field('Lead source', row['LeadSource']),
          field('Lead owner', owner),
          ...social,
        ],
        context: str(row['FirstName']) ? { firstName: String(row['FirstName']) } : {},
        influence,
        advocacy,
        sentiment,
        customerValue: null,
      };
    }
    case 'Account': {
      const city = [str(row['BillingCity']), str(row['BillingCountry'])].filter(Boolean).join(', ');
      return {
        id,
        type,
        name: str(row['Name']) ?? id,
        highlights: [
          field('Type', row['Type']),
          field('Industry', row['Industry']),
          field('Phone', row['Phone'], { kind: 'phone' }),
          field('Account owner', owner),
        ],
        fields: [
          field('Account name', row['Name']),
          field('Type', row['Type']),
          field('Industry', row['Industry']),
          field('Phone', row['Phone'], { kind: 'phone' }),
          field('Website', row['Website']),
          field('Billing city', city),
          field('Employees', row['NumberOfEmployees']),
          field('Account owner', owner),
        ],
        context: {},
        influence: null,
        advocacy: null,
        sentiment: null,
        customerValue: customerValue(row, currency),
      };
    }
    case 'Case': {
      const contactId = str(row['ContactId']);
      const contact = field(
        'Contact name',
        rel(row, 'Contact', 'Name'),
        contactId ? { recordId: contactId } : {},
      );
      const caseNumber = str(row['CaseNumber']);
      const firstName = str(rel(row, 'Contact', 'FirstName'));
      return {
        id,
        type,
        name: caseNumber ? `${caseNumber}${str(row['Subject']) ? ` · ${String(row['Subject'])}` : ''}` : id,
        highlights: [
          field('Status', row['Status']),
          field('Priority', row['Priority']),
          contact,
          field('Case owner', owner),
        ],
        fields: [
          field('Case number', caseNumber),
          field('Subject', row['Subject']),
          field('Status', row['Status']),
          field('Priority', row['Priority']),
          field('Case origin', row['Origin']),
          field('Social network', row['Social_Network__c']),
          contact,
          field('Account name', rel(row, 'Account', 'Name'), accountRef),
          field('Case owner', owner),
          field('Opened', iso(row['CreatedDate']), { kind: 'date' }),
        ],
        context: { ...(firstName ? { firstName } : {}), ...(caseNumber ? { caseNumber } : {}) },
        // Its contact's profiles are on the page: their highest scores are computed from those there.
        influence: null,
        advocacy: null,
        sentiment: num(rel(row, 'Contact', 'Social_Sentiment__c')),
        customerValue: customerValue((row['Contact'] as Row | null | undefined) ?? undefined, currency),
      };
    }
  }
}

function notFound(id: string): AppError {
  return new AppError('not_found', `No Contact, Lead, Account or Case with Id ${id.slice(0, 40)}`, {
    hint: 'Open / for the records with social activity.',
  });
}

/** The type of a record Id the page can show; throws `not_found` for anything else. */
export function requireRecordType(id: string): RecordType {
  const type = recordTypeOf(id);
  if (!type) throw notFound(id);
  return type;
}

export class SalesforceRecordReader {
  readonly #gateway: SalesforceGateway;
  #currency: Promise<string | null> | null = null;

  constructor(gateway: SalesforceGateway) {
    this.#gateway = gateway;
  }

  /**
   * Records that have posts, most recently active first: one aggregate per lookup, all four in one
   * composite call.
   */
  async listActive(limitPerType = 200): Promise<RecordSummary[]> {
    const limit = Math.max(1, Math.min(2000, Math.floor(limitPerType)));
    const names: Record<RecordType, string> = {
      Contact: 'Contact__r.Name recordName',
      Lead: 'Lead__r.Name recordName',
      Account: 'Account__r.Name recordName',
      Case: 'Case__r.CaseNumber recordName, Case__r.Subject subject',
    };
    const groups: Record<RecordType, string> = {
      Contact: 'Contact__r.Name',
      Lead: 'Lead__r.Name',
      Account: 'Account__r.Name',
      Case: 'Case__r.CaseNumber, Case__r.Subject',
    };
    const responses = await this.#gateway.composite(
      RECORD_TYPES.map((type) => {
        const lookup = POST_LOOKUP[type];
        const soql =
          `SELECT ${lookup}, ${names[type]}, COUNT(Id) n, MAX(Posted_At__c) lastAt FROM Social_Post__c ` +
          `WHERE ${lookup} != null GROUP BY ${lookup}, ${groups[type]} ORDER BY MAX(Posted_At__c) DESC LIMIT ${limit}`;
        return { method: 'GET', url: `/query?q=${encodeURIComponent(soql)}`, referenceId: type };
      }),
    );
    const summaries: RecordSummary[] = [];
    for (const response of responses) {
      const type = response.referenceId as RecordType;
      if (response.httpStatusCode >= 400) {
        const first = Array.isArray(response.body) ? (response.body[0] as Row | undefined) : undefined;
        throw new AppError(
          'unavailable',
          `The org refused the ${type} activity query: ${String(first?.['message'] ?? response.httpStatusCode)}`,
        );
      }
      const rows = ((response.body as { records?: Row[] }).records ?? []) as Row[];
      for (const row of rows) {
        const id = str(row[POST_LOOKUP[type]]);
        if (!id) continue;
        summaries.push({
          id,
          type,
          name: str(row['recordName']) ?? id,
          subtitle: type === 'Case' ? str(row['subject']) : null,
          postCount: num(row['n']) ?? 0,
          lastActivity: iso(row['lastAt']),
        });
      }
    }
    return summaries.sort((a, b) => (b.lastActivity ?? '').localeCompare(a.lastActivity ?? ''));
  }

  /** The record's details; `not_found` when the Id is no Contact, Lead, Account or Case of the org. */
  async details(id: string): Promise<RecordDetails> {
    const type = requireRecordType(id);
    const [rows, currency] = await Promise.all([
      this.#gateway.query<Row>(`SELECT ${DETAIL_QUERIES[type]} FROM ${type} WHERE Id = '${id}' LIMIT 1`),
      type === 'Lead' ? null : this.currency(),
    ]);
    const row = rows[0];
    if (!row) throw notFound(id);
    return mapDetails(type, row, currency);
  }

  /**
   * The org's corporate currency (`Organization.DefaultCurrencyIsoCode`), read once per process; null
   * (shown as USD) when the org does not say or refuses the query, which is asked again next time.
   */
  currency(): Promise<string | null> {
    this.#currency ??= this.#gateway
      .query<Row>('SELECT DefaultCurrencyIsoCode FROM Organization LIMIT 1')
      .then((rows) => str(rows[0]?.['DefaultCurrencyIsoCode']))
      .catch(() => {
        this.#currency = null;
        return null;
      });
    return this.#currency;
  }

  /** A page of the record's posts, newest first, strictly older than `before` when given. */
  async posts(id: string, options: { before?: Date | null; limit?: number } = {}): Promise<PostPage> {
    const type = requireRecordType(id);
    const limit = Math.max(1, Math.min(200, Math.floor(options.limit ?? 50)));
    const older = options.before ? ` AND Posted_At__c < ${soqlDate(options.before)}` : '';
    const rows = await this.#gateway.query<Row>(
      `SELECT ${POST_FIELDS} FROM Social_Post__c WHERE ${POST_LOOKUP[type]} = '${id}'${older} ` +
        `ORDER BY Posted_At__c DESC, Id DESC LIMIT ${limit + 1}`,
      { maxRecords: limit + 1 },
    );
    return { posts: rows.slice(0, limit).map(mapPost), hasMore: rows.length > limit };
  }

  /**
   * A conversation: every post whose thread root is `threadKey` (`Thread_Root__c`, the first post's
   * External Id), the first post itself, and our replies to any of them, oldest first; one query.
   */
  async thread(threadKey: string, limit = 200): Promise<PostView[]> {
    if (typeof threadKey !== 'string' || threadKey.length === 0 || threadKey.length > 255) {
      throw new AppError(
        'validation_failed',
        'a thread is named by its first post’s External Id (1–255 characters)',
      );
    }
    const key = `'${threadKey.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    const rows = await this.#gateway.query<Row>(
      `SELECT ${POST_FIELDS} FROM Social_Post__c WHERE Thread_Root__c = ${key} OR External_Id__c = ${key} ` +
        `OR In_Reply_To__r.Thread_Root__c = ${key} ORDER BY Posted_At__c ASC, Id ASC LIMIT ${Math.max(1, Math.min(500, limit))}`,
      { maxRecords: limit },
    );
    return rows.map(mapPost);
  }

  /**
   * Posts by Id with the records each is tied to (for live updates). Ids that are not well formed
   * are skipped.
   */
  async linkedPosts(ids: readonly string[]): Promise<LinkedPost[]> {
    const valid = [...new Set(ids)].filter((id) => ID_PATTERN.test(id));
    const out: LinkedPost[] = [];
    // IN lists stay well under SOQL's 100,000-character limit at 500 Ids.
    for (let i = 0; i < valid.length; i += 500) {
      const chunk = valid.slice(i, i + 500);
      const rows = await this.#gateway.query<Row>(
        `SELECT ${POST_FIELDS}, Contact__c, Lead__c, Account__c, Case__c FROM Social_Post__c ` +
          `WHERE Id IN (${chunk.map((id) => `'${id}'`).join(', ')})`,
      );
      for (const row of rows) {
        const recordIds = RECORD_TYPES.map((t) => str(row[POST_LOOKUP[t]])).filter(
          (v): v is string => v !== null,
        );
        out.push({ post: mapPost(row), recordIds });
      }
    }
    return out;
  }

  /**
   * Linked personas and suggested ones. Contacts and Leads have their own; an Account shows its
   * contacts' personas, a Case its contact's.
   */
  async personas(id: string): Promise<{ personas: PersonaView[]; suggestions: PersonaView[] }> {
    const type = requireRecordType(id);
    let linked: string;
    let suggested: string | null = null;
    switch (type) {
      case 'Contact':
        linked = `Contact__c = '${id}'`;
        suggested = `Suggested_Contact__c = '${id}' AND Contact__c = null`;
        break;
      case 'Lead':
        linked = `Lead__c = '${id}'`;
        suggested = `Suggested_Lead__c = '${id}' AND Lead__c = null`;
        break;
      case 'Account':
        linked = `Contact__r.AccountId = '${id}'`;
        break;
      case 'Case': {
        const rows = await this.#gateway.query<Row>(`SELECT ContactId FROM Case WHERE Id = '${id}' LIMIT 1`);
        if (!rows[0]) throw notFound(id);
        const contactId = str(rows[0]['ContactId']);
        if (!contactId || !ID_PATTERN.test(contactId)) return { personas: [], suggestions: [] };
        linked = `Contact__c = '${contactId}'`;
        break;
      }
    }
    const where = suggested ? `(${linked}) OR (${suggested})` : linked;
    const rows = await this.#gateway.query<Row>(
      `SELECT ${PERSONA_FIELDS}, Contact__c, Lead__c FROM Social_Persona__c WHERE ${where} ` +
        `ORDER BY Influence_Score__c DESC NULLS LAST LIMIT 200`,
      { maxRecords: 200 },
    );
    const personas: PersonaView[] = [];
    const suggestions: PersonaView[] = [];
    for (const row of rows) {
      const isLinked = type === 'Lead' ? str(row['Lead__c']) !== null : str(row['Contact__c']) !== null;
      (isLinked ? personas : suggestions).push(mapPersona(row));
    }
    return { personas, suggestions };
  }

  /** Active saved replies (`Social_Saved_Reply__c`) for the respond box. */
  async savedReplies(): Promise<SavedReplyView[]> {
    const rows = await this.#gateway.query<Row>(
      'SELECT Id, Name, Body__c FROM Social_Saved_Reply__c WHERE Active__c = true ORDER BY Name LIMIT 200',
      { maxRecords: 200 },
    );
    return rows.map((row) => ({
      id: String(row['Id']),
      name: str(row['Name']) ?? '',
      body: str(row['Body__c']) ?? '',
    }));
  }
}
