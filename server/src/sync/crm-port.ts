/**
 * What the sync needs from the CRM, in the domain's words. The Salesforce adapter
 * (salesforce/crm-adapter.ts) implements it with as few API calls as the platform allows.
 */

/** A Contact or Lead as identity resolution and roll-ups need it. */
export interface PersonRecord {
  id: string;
  type: 'Contact' | 'Lead';
  firstName: string | null;
  lastName: string | null;
  name: string;
  email: string | null;
  company: string | null;
  website: string | null;
  socialHandles: string | null;
  accountId: string | null;
  ownerId: string | null;
  isConverted: boolean;
  influence: number | null;
  sentiment: number | null;
  lastActivity: string | null;
  lastModified: string;
}

/** A persona's link to a person, as reps may have set it (accepting a suggestion). */
export interface PersonaLink {
  personaKey: string;
  contactId: string | null;
  leadId: string | null;
  lastModified: string;
}

export interface ThreadCase {
  id: string;
  key: string;
  isClosed: boolean;
  closedAt: string | null;
}

export type WriteRole = 'lead' | 'persona' | 'case-retire' | 'case' | 'post' | 'rollup' | 'alert';

/** One record to write. Writes run in the order given; each depends only on earlier ones. */
export interface RecordWrite {
  role: WriteRole;
  type: string;
  op: 'upsert' | 'update' | 'create';
  /** For upserts: the external ID field. */
  externalIdField?: string;
  fields: Record<string, unknown>;
  /** The queue items whose sync this write serves. */
  seqs: readonly number[];
}

export interface WriteError {
  code: string;
  message: string;
  /** Worth retrying later (lock contention, an outage) rather than a rejection of the data. */
  transient: boolean;
}

export interface WriteResult {
  write: RecordWrite;
  ok: boolean;
  /**
   * The record's Id, and whether it was created. Always set for posts and cases; for other roles written
   * in bulk they may be null (the sync does not use them, and asking would cost a call).
   */
  id: string | null;
  created: boolean | null;
  error: WriteError | null;
}

export interface FieldLimit {
  type: string;
  length: number;
  picklist: readonly string[] | null;
}

export interface CrmPort {
  /** Contacts and Leads (not converted), all or those modified since `since`. */
  loadPeople(since: Date | null): Promise<PersonRecord[]>;
  loadPersonaLinks(since: Date | null): Promise<PersonaLink[]>;
  /** Cases tied to these thread keys (`Social_Thread_Key__c`). */
  findThreadCases(keys: readonly string[]): Promise<ThreadCase[]>;
  /** Which of these post external ids exist in the org. */
  existingPosts(externalIds: readonly string[]): Promise<Set<string>>;
  /** Writes in order, batched; one result per write, in the same order. */
  write(writes: readonly RecordWrite[]): Promise<WriteResult[]>;
  /** Field lengths and picklists of the objects written, for fitting values before sending. */
  fieldLimits(type: string): Promise<Map<string, FieldLimit>>;
  /** Today's API usage, if the org reported it. */
  apiUsage(): { used: number; limit: number } | null;
  /** Asks the org for its usage now (one cheap call). */
  refreshUsage(): Promise<void>;
}
