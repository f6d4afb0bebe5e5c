/**
 * The CRM port on Salesforce: reads by SOQL, writes by sObject Collections packed into `/composite`
 * requests (up to 5 collections of 200 records in one API call), so 1,000 mentions cost a handful of
 * calls. A run of at least `bulkThreshold` upserts or updates of one object (a backlog, a backfill) goes
 * through one Bulk API 2.0 job instead: a few calls whatever its size. Per-record failures come back per
 * record; a failed call fails as an AppError.
 */
import { AppError } from '../domain/errors.ts';
import type {
  CrmPort,
  FieldLimit,
  PersonaLink,
  PersonRecord,
  RecordWrite,
  ThreadCase,
  WriteResult,
} from '../sync/crm-port.ts';
import { BulkIngest, type BulkIngestOptions } from './bulk-ingest.ts';
import type { CompositeSubrequest, SalesforceGateway } from './gateway.ts';

const COLLECTION_SIZE = 200;
const COLLECTIONS_PER_COMPOSITE = 5;
/**
 * A Bulk job costs about 6 calls (create, upload, close, poll, results) whatever its size; collections
 * cost one call per 1,000 records. From about 5,000 records of one object a job is the cheaper way (and
 * Salesforce advises Bulk API above 2,000 records anyway: the org saves them in the background).
 */
export const DEFAULT_BULK_THRESHOLD = 5000;
/** Roles whose written Ids the sync uses (live record pages, cases of a thread, alerts for new posts). */
const ROLES_NEEDING_IDS = new Set(['post', 'case']);

export interface CrmAdapterOptions {
  /** A run of this many upserts or updates of one object goes through a Bulk API 2.0 job; 0 turns Bulk off. */
  bulkThreshold?: number;
  /** Polling, timeout and size limits of Bulk jobs, and who hears of each job. */
  bulk?: Omit<BulkIngestOptions, 'wantIds'>;
}
/** Error codes of a record that are about the moment, not the data. */
const TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'REQUEST_LIMIT_EXCEEDED',
  'PROCESSING_HALTED',
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'INVALID_SESSION_ID',
]);

interface SaveResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; errorCode?: string; message: string }[];
}

function soqlString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function soqlDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/** A Contact or Lead row (with `Account.Name`/`Account.Website` for Contacts) as identity needs it. */
export function personFromRow(r: Record<string, unknown>, type: 'Contact' | 'Lead'): PersonRecord {
  const account = r['Account'] as Record<string, unknown> | null | undefined;
  return {
    id: String(r['Id']),
    type,
    firstName: str(r['FirstName']),
    lastName: str(r['LastName']),
    name: str(r['Name']) ?? '',
    email: str(r['Email']),
    company: type === 'Contact' ? str(account?.['Name']) : str(r['Company']),
    website: type === 'Contact' ? str(account?.['Website']) : str(r['Website']),
    socialHandles: str(r['Social_Handles__c']),
    accountId: type === 'Contact' ? str(r['AccountId']) : null,
    ownerId: str(r['OwnerId']),
    isConverted: r['IsConverted'] === true,
    influence: num(r['Social_Influence__c']),
    sentiment: num(r['Social_Sentiment__c']),
    lastActivity: str(r['Last_Social_Activity__c']),
    lastModified: String(r['LastModifiedDate']),
  };
}

function failure(write: RecordWrite, code: string, message: string, transient: boolean): WriteResult {
  return { write, ok: false, id: null, created: null, error: { code, message, transient } };
}

/** Splits `items` into chunks of at most `size`. */
function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class SalesforceCrmAdapter implements CrmPort {
  readonly #gateway: SalesforceGateway;
  readonly #limits = new Map<string, Map<string, FieldLimit>>();
  readonly #bulk: BulkIngest;
  readonly #bulkThreshold: number;
  readonly #bulkOptions: Omit<BulkIngestOptions, 'wantIds'>;

  constructor(gateway: SalesforceGateway, options: CrmAdapterOptions = {}) {
    this.#gateway = gateway;
    this.#bulk = new BulkIngest(gateway, TRANSIENT_CODES);
    this.#bulkThreshold = options.bulkThreshold ?? DEFAULT_BULK_THRESHOLD;
    this.#bulkOptions = options.bulk ?? {};
  }

  apiUsage(): { used: number; limit: number } | null {
    return this.#gateway.apiUsage();
  }

  async refreshUsage(): Promise<void> {
    await this.#gateway.ping();
  }

  async loadPeople(since: Date | null): Promise<PersonRecord[]> {
    const modified = since ? ` WHERE LastModifiedDate > ${soqlDateTime(since)}` : '';
    const contacts = await this.#gateway.query(
      'SELECT Id, FirstName, LastName, Name, Email, AccountId, Account.Name, Account.Website, OwnerId, ' +
        'Social_Handles__c, Social_Influence__c, Social_Sentiment__c, Last_Social_Activity__c, LastModifiedDate ' +
        `FROM Contact${modified}`,
    );
    const leadFilter = since ? ` AND LastModifiedDate > ${soqlDateTime(since)}` : '';
    const leads = await this.#gateway.query(
      'SELECT Id, FirstName, LastName, Name, Email, Company, Website, OwnerId, IsConverted, ' +
        'Social_Handles__c, Social_Influence__c, Social_Sentiment__c, Last_Social_Activity__c, LastModifiedDate ' +
        `FROM Lead WHERE IsConverted = false${leadFilter}`,
    );
    return [
      ...contacts.map((r) => personFromRow(r, 'Contact')),
      ...leads.map((r) => personFromRow(r, 'Lead')),
    ];
  }

  async loadPersonaLinks(since: Date | null): Promise<PersonaLink[]> {
    const modified = since ? ` AND LastModifiedDate > ${soqlDateTime(since)}` : '';
    const rows = await this.#gateway.query(
      'SELECT External_Id__c, Contact__c, Lead__c, LastModifiedDate FROM Social_Persona__c ' +
        `WHERE (Contact__c != null OR Lead__c != null)${modified}`,
    );
    return rows.map((r) => ({
      personaKey: String(r['External_Id__c']),
      contactId: str(r['Contact__c']),
      leadId: str(r['Lead__c']),
      lastModified: String(r['LastModifiedDate']),
    }));
  }

  async findThreadCases(keys: readonly string[]): Promise<ThreadCase[]> {
    const out: ThreadCase[] = [];
    // ~100 keys keep the query string well under the URL limits.
    for (const part of chunk([...new Set(keys)], 100)) {
      const rows = await this.#gateway.query(
        `SELECT Id, Social_Thread_Key__c, IsClosed, ClosedDate FROM Case WHERE Social_Thread_Key__c IN (${part
          .map(soqlString)
          .join(', ')})`,
      );
      for (const r of rows) {
        out.push({
          id: String(r['Id']),
          key: String(r['Social_Thread_Key__c']),
          isClosed: r['IsClosed'] === true,
          closedAt: str(r['ClosedDate']),
        });
      }
    }
    return out;
  }

  async existingPosts(externalIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunk([...new Set(externalIds)], 100)) {
      const rows = await this.#gateway.query(
        `SELECT External_Id__c FROM Social_Post__c WHERE External_Id__c IN (${part.map(soqlString).join(', ')})`,
      );
      for (const r of rows) found.add(String(r['External_Id__c']));
    }
    return found;
  }

  async fieldLimits(type: string): Promise<Map<string, FieldLimit>> {
    const cached = this.#limits.get(type);
    if (cached) return cached;
    const describe = await this.#gateway.describe(type);
    const limits = new Map<string, FieldLimit>(
      describe.fields.map((f) => [
        f.name,
        {
          type: f.type,
          length: f.length,
          picklist:
            f.type === 'picklist' ? f.picklistValues.filter((p) => p.active).map((p) => p.value) : null,
        },
      ]),
    );
    this.#limits.set(type, limits);
    return limits;
  }

  async write(writes: readonly RecordWrite[]): Promise<WriteResult[]> {
    const results: WriteResult[] = new Array<WriteResult>(writes.length);
    // Consecutive writes of one kind form a run. Runs go out in order (each depends only on earlier ones):
    // a large run as one Bulk job, the others as collections of ≤200, ≤5 collections per composite call.
    let pending: { indexes: number[]; request: CompositeSubrequest }[] = [];
    const flush = async (): Promise<void> => {
      for (const batch of chunk(pending, COLLECTIONS_PER_COMPOSITE))
        await this.#sendComposite(batch, writes, results);
      pending = [];
    };
    let start = 0;
    while (start < writes.length) {
      const first = writes[start]!;
      let end = start;
      while (
        end < writes.length &&
        writes[end]!.type === first.type &&
        writes[end]!.op === first.op &&
        writes[end]!.externalIdField === first.externalIdField
      ) {
        end += 1;
      }
      const run = Array.from({ length: end - start }, (_, i) => start + i);
      if (this.#wantsBulk(run.map((i) => writes[i]!))) {
        await flush();
        await this.#sendBulk(run, writes, results);
      } else {
        for (const indexes of chunk(run, COLLECTION_SIZE)) {
          pending.push({
            indexes,
            request: this.#collectionRequest(
              first,
              indexes.map((i) => writes[i]!),
              pending.length,
            ),
          });
        }
      }
      start = end;
    }
    await flush();
    return results;
  }

  /** Large enough, idempotent (a job may finish after we gave up on it), and one record per key. */
  #wantsBulk(run: readonly RecordWrite[]): boolean {
    const first = run[0];
    if (!first || this.#bulkThreshold <= 0 || run.length < this.#bulkThreshold) return false;
    if (first.op !== 'upsert' && first.op !== 'update') return false;
    const key = first.op === 'upsert' ? first.externalIdField : 'Id';
    if (!key) return false;
    return new Set(run.map((w) => String(w.fields[key]))).size === run.length;
  }

  async #sendBulk(
    indexes: readonly number[],
    writes: readonly RecordWrite[],
    results: WriteResult[],
  ): Promise<void> {
    const first = writes[indexes[0]!]!;
    const outcomes = await this.#bulk.write(
      {
        object: first.type,
        operation: first.op as 'upsert' | 'update',
        ...(first.externalIdField ? { externalIdFieldName: first.externalIdField } : {}),
      },
      indexes.map((i) => writes[i]!.fields),
      { ...this.#bulkOptions, wantIds: ROLES_NEEDING_IDS.has(first.role) },
    );
    indexes.forEach((i, k) => {
      results[i] = { write: writes[i]!, ...outcomes[k]! };
    });
  }

  async #sendComposite(
    batch: readonly { indexes: number[]; request: CompositeSubrequest }[],
    writes: readonly RecordWrite[],
    results: WriteResult[],
  ): Promise<void> {
    const responses = await this.#gateway.composite(batch.map((g) => g.request));
    batch.forEach((group, g) => {
      const response = responses[g];
      const body = response?.body;
      if (!response || response.httpStatusCode >= 400 || !Array.isArray(body)) {
        const first = Array.isArray(body)
          ? (body[0] as { errorCode?: string; message?: string } | undefined)
          : undefined;
        const code = first?.errorCode ?? `HTTP_${response?.httpStatusCode ?? 'NO_RESPONSE'}`;
        const message = first?.message ?? 'the org did not answer this part of the request';
        const transient = TRANSIENT_CODES.has(code) || (response?.httpStatusCode ?? 500) >= 500;
        for (const i of group.indexes) results[i] = failure(writes[i]!, code, message, transient);
        return;
      }
      group.indexes.forEach((i, k) => {
        const saved = body[k] as SaveResult | undefined;
        const error = saved?.errors?.[0];
        const code = error?.statusCode ?? error?.errorCode ?? 'UNKNOWN';
        results[i] = saved?.success
          ? {
              write: writes[i]!,
              ok: true,
              id: saved.id ?? null,
              created: saved.created ?? null,
              error: null,
            }
          : failure(
              writes[i]!,
              code,
              error?.message ?? 'rejected without a reason',
              TRANSIENT_CODES.has(code),
            );
      });
    });
  }

  #collectionRequest(first: RecordWrite, writes: readonly RecordWrite[], index: number): CompositeSubrequest {
    const records = writes.map((w) => ({ attributes: { type: w.type }, ...w.fields }));
    const referenceId = `${first.role.replace(/[^A-Za-z]/g, '')}${index}`;
    if (first.op === 'upsert' && !first.externalIdField) {
      throw new AppError('internal', `upsert of ${first.type} without an external ID field`);
    }
    const url =
      first.op === 'upsert'
        ? `/composite/sobjects/${first.type}/${first.externalIdField}`
        : '/composite/sobjects';
    return {
      method: first.op === 'create' ? 'POST' : 'PATCH',
      url,
      referenceId,
      body: { allOrNone: false, records },
    };
  }
}
