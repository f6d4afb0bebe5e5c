/**
 * What customer value reads from the org and writes back (scoring/customer-value.ts has the formula).
 * Every call goes through the gateway; one query per object kind, Ids in chunks of 300 (a URL stays well
 * under the 16 KB a GET may be), and writes as sObject Collections of 200 records, five collections to a
 * `/composite` call (1,000 records a call). A run of N Contacts with social activity, P replies in the
 * window and A Accounts costs about ⌈N/2000⌉ + ⌈P/2000⌉ + 3 × ⌈A/300⌉ queries and ⌈changed/1000⌉ writes
 * (plus one read of the org's currency, once per process).
 *
 * Read, for one run:
 * - Contacts with social activity (`Last_Social_Activity__c != null`): Account, `Social_Influence__c`,
 *   `Social_Sentiment__c`, the values written last time, and their profiles' `Influence_Score__c`.
 * - Replies to those Contacts' posts in the attribution window (`Social_Post__c` with
 *   `In_Reply_To__r.Contact__c`), with the replier's Account (a Contact's `AccountId`, a converted Lead's
 *   `ConvertedAccountId`).
 * - Accounts: the values written last time; lifetime value as `SUM(Amount)` of won Opportunities grouped by
 *   Account (or the configured field); won Opportunities of the repliers' Accounts created in the window.
 */
import { AppError } from '../domain/errors.ts';
import type { ReferralEngagement, ValuedPerson, WonDeal } from '../scoring/customer-value.ts';
import { personInfluence } from '../scoring/customer-value.ts';
import type { CompositeSubrequest, SalesforceGateway } from './gateway.ts';

type Row = Record<string, unknown>;

/** `CUSTOMER_VALUE_FIELD`: where lifetime value is read instead of won Opportunities. */
export interface LifetimeField {
  object: 'Account' | 'Contact';
  field: string;
}

/** The value fields as stored on a Contact or Account. */
export interface StoredValue {
  Social_Customer_Value__c: number | null;
  Social_Lifetime_Value__c: number | null;
  Social_Referral_Value__c: number | null;
}

export interface CustomerValueInputs {
  /** ISO code of the org's corporate currency, or null when the org does not say. */
  currency: string | null;
  people: ValuedPerson[];
  accountLifetime: Map<string, number>;
  engagements: ReferralEngagement[];
  deals: WonDeal[];
  /** What the records hold now, by Id (Contacts and Accounts), to write only what changed. */
  stored: Map<string, StoredValue>;
}

export interface ValueWrite {
  type: 'Contact' | 'Account';
  id: string;
  fields: StoredValue;
}

export interface WriteOutcome {
  written: number;
  failures: { type: string; id: string; error: string }[];
}

const CHUNK = 300;
const COLLECTION = 200;
const COLLECTIONS_PER_CALL = 5;
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const VALUE_FIELDS = 'Social_Customer_Value__c, Social_Lifetime_Value__c, Social_Referral_Value__c';

/** `Account.AnnualRevenue` → { object: 'Account', field: 'AnnualRevenue' }; throws for anything else. */
export function parseLifetimeField(value: string): LifetimeField {
  const match = /^(Account|Contact)\.([A-Za-z][A-Za-z0-9_]*)$/.exec(value.trim());
  if (!match || !FIELD_NAME.test(match[2]!)) {
    throw new AppError(
      'validation_failed',
      `CUSTOMER_VALUE_FIELD must be Account.<field> or Contact.<field> (got "${value.slice(0, 100)}")`,
      { hint: 'e.g. Account.AnnualRevenue or Contact.Lifetime_Value__c; unset: won Opportunity amounts' },
    );
  }
  return { object: match[1] as 'Account' | 'Contact', field: match[2]! };
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function rel(row: Row, relationship: string, field: string): unknown {
  const parent = row[relationship];
  return typeof parent === 'object' && parent !== null ? (parent as Row)[field] : undefined;
}

/** Salesforce date-times (`…+0000`) → epoch ms, or NaN. */
function epoch(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  return Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

function soqlDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const idList = (ids: readonly string[]): string => ids.map((id) => `'${id}'`).join(', ');

function storedOf(row: Row): StoredValue {
  return {
    Social_Customer_Value__c: num(row['Social_Customer_Value__c']),
    Social_Lifetime_Value__c: num(row['Social_Lifetime_Value__c']),
    Social_Referral_Value__c: num(row['Social_Referral_Value__c']),
  };
}

export class SalesforceCustomerValueStore {
  readonly #gateway: Pick<SalesforceGateway, 'query' | 'composite'>;
  readonly #field: LifetimeField | null;
  #currency: Promise<string | null> | null = null;
  #calls = 0;

  constructor(gateway: Pick<SalesforceGateway, 'query' | 'composite'>, field: LifetimeField | null = null) {
    this.#gateway = gateway;
    this.#field = field;
  }

  /** Queries and composite calls this store has started (further pages of a query not included). */
  get calls(): number {
    return this.#calls;
  }

  async #query(soql: string): Promise<Row[]> {
    this.#calls++;
    return this.#gateway.query<Row>(soql);
  }

  /** The org's corporate currency (`Organization.DefaultCurrencyIsoCode`), asked once. */
  async currency(): Promise<string | null> {
    this.#currency ??= this.#query('SELECT DefaultCurrencyIsoCode FROM Organization LIMIT 1').then(
      (rows) => str(rows[0]?.['DefaultCurrencyIsoCode']),
      () => null,
    );
    return this.#currency;
  }

  /** Everything one run needs, as of `now`, with replies counted from `windowDays` before. */
  async read(now: Date, windowDays: number): Promise<CustomerValueInputs> {
    const field = this.#field;
    const since = new Date(now.getTime() - windowDays * 86_400_000);
    const contactField = field?.object === 'Contact' ? `, ${field.field}` : '';
    const contacts = await this.#query(
      `SELECT Id, AccountId, Social_Influence__c, Social_Sentiment__c, ${VALUE_FIELDS}${contactField}, ` +
        '(SELECT Influence_Score__c FROM Social_Personas__r WHERE Influence_Score__c != null LIMIT 200) ' +
        'FROM Contact WHERE Last_Social_Activity__c != null',
    );
    const stored = new Map<string, StoredValue>();
    const people: ValuedPerson[] = contacts.map((row) => {
      const id = String(row['Id']);
      stored.set(id, storedOf(row));
      const profiles = (row['Social_Personas__r'] as { records?: Row[] } | null | undefined)?.records ?? [];
      return {
        id,
        accountId: str(row['AccountId']),
        influence: personInfluence(
          profiles.map((p) => num(p['Influence_Score__c'])),
          num(row['Social_Influence__c']),
        ),
        sentiment: num(row['Social_Sentiment__c']),
        ...(field?.object === 'Contact' ? { lifetime: num(row[field.field]) } : {}),
      };
    });

    const replies = await this.#query(
      'SELECT Posted_At__c, In_Reply_To__r.Contact__c, Contact__r.AccountId, Lead__r.ConvertedAccountId ' +
        'FROM Social_Post__c WHERE In_Reply_To__r.Contact__c != null AND Is_Outbound__c = false ' +
        `AND (Contact__c != null OR Lead__c != null) AND Posted_At__c >= ${soqlDateTime(since)}`,
    );
    const engagements: ReferralEngagement[] = [];
    for (const row of replies) {
      const referrerId = str(rel(row, 'In_Reply_To__r', 'Contact__c'));
      const engagerAccountId =
        str(rel(row, 'Contact__r', 'AccountId')) ?? str(rel(row, 'Lead__r', 'ConvertedAccountId'));
      if (referrerId && engagerAccountId)
        engagements.push({ referrerId, engagerAccountId, at: epoch(row['Posted_At__c']) });
    }

    const valuedAccounts = [...new Set(people.flatMap((p) => (p.accountId ? [p.accountId] : [])))].filter(
      (id) => ID.test(id),
    );
    const engagerAccounts = [...new Set(engagements.map((e) => e.engagerAccountId))].filter((id) =>
      ID.test(id),
    );
    const accountLifetime = new Map<string, number>();
    for (const ids of chunks(valuedAccounts, CHUNK)) {
      const accountField = field?.object === 'Account' ? `, ${field.field}` : '';
      for (const row of await this.#query(
        `SELECT Id, ${VALUE_FIELDS}${accountField} FROM Account WHERE Id IN (${idList(ids)})`,
      )) {
        const id = String(row['Id']);
        stored.set(id, storedOf(row));
        if (field?.object === 'Account') accountLifetime.set(id, num(row[field.field]) ?? 0);
      }
      if (field?.object === 'Account') continue;
      const sums = await this.#query(
        field?.object === 'Contact'
          ? `SELECT AccountId, SUM(${field.field}) total FROM Contact WHERE AccountId IN (${idList(ids)}) GROUP BY AccountId`
          : `SELECT AccountId, SUM(Amount) total FROM Opportunity WHERE IsWon = true AND AccountId IN (${idList(ids)}) GROUP BY AccountId`,
      );
      for (const row of sums) {
        const id = str(row['AccountId']);
        if (id) accountLifetime.set(id, num(row['total']) ?? 0);
      }
    }
    const deals: WonDeal[] = [];
    for (const ids of chunks(engagerAccounts, CHUNK)) {
      for (const row of await this.#query(
        'SELECT Id, AccountId, Amount, CreatedDate FROM Opportunity WHERE IsWon = true ' +
          `AND AccountId IN (${idList(ids)}) AND CreatedDate >= ${soqlDateTime(since)}`,
      )) {
        const accountId = str(row['AccountId']);
        const amount = num(row['Amount']);
        if (accountId && amount !== null) {
          deals.push({ id: String(row['Id']), accountId, amount, createdAt: epoch(row['CreatedDate']) });
        }
      }
    }
    return { currency: await this.currency(), people, accountLifetime, engagements, deals, stored };
  }

  /** Updates the value fields: collections of 200, five to a composite call; failures named per record. */
  async write(writes: readonly ValueWrite[]): Promise<WriteOutcome> {
    const outcome: WriteOutcome = { written: 0, failures: [] };
    const collections: { type: string; batch: ValueWrite[] }[] = [];
    for (const type of ['Account', 'Contact'] as const) {
      const ofType = writes.filter((w) => w.type === type && ID.test(w.id));
      for (const batch of chunks(ofType, COLLECTION)) collections.push({ type, batch });
    }
    for (const call of chunks(collections, COLLECTIONS_PER_CALL)) {
      const subrequests: CompositeSubrequest[] = call.map(({ type, batch }, i) => ({
        method: 'PATCH',
        url: '/composite/sobjects',
        referenceId: `${type}${i}`,
        body: {
          allOrNone: false,
          records: batch.map((w) => ({ attributes: { type }, Id: w.id, ...w.fields })),
        },
      }));
      this.#calls++;
      const responses = await this.#gateway.composite(subrequests);
      call.forEach(({ type, batch }, i) => {
        const response = responses.find((r) => r.referenceId === `${type}${i}`);
        const results = Array.isArray(response?.body) ? (response.body as Row[]) : null;
        batch.forEach((w, j) => {
          const result = results?.[j];
          if (response && response.httpStatusCode < 400 && result?.['success'] === true) {
            outcome.written++;
          } else {
            const errors = (result?.['errors'] ??
              (Array.isArray(response?.body) ? response.body : [])) as Row[];
            const first = errors[0];
            outcome.failures.push({
              type,
              id: w.id,
              error: first
                ? `${String(first['statusCode'] ?? first['errorCode'] ?? '')}: ${String(first['message'] ?? '')}`
                : `the org answered ${response?.httpStatusCode ?? 'nothing'}`,
            });
          }
        });
      });
    }
    return outcome;
  }
}
