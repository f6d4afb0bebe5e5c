/**
 * The shape of the demo seed: records as plain field maps, keyed by local refs instead of Ids.
 * A field whose value is `{ ref }` points at another seed record; `applySeed` turns it into that
 * record's Id once inserted.
 */

/** A pointer to another seed record by its local ref, e.g. `{ ref: 'acc-northwind' }`. */
export interface Ref {
  readonly ref: string;
}

export type SeedValue = string | number | boolean | null | Ref;

/** One record: `ref` names it locally; every other key is a field API name. */
export interface SeedRecord {
  ref: string;
  [field: string]: SeedValue;
}

export interface SeedData {
  users: SeedRecord[];
  /** Queues (Group, Type `Queue`): Social Care owns Cases and Leads, the inbox queues social posts. */
  groups: SeedRecord[];
  /** What each queue may own. */
  queueSobjects: SeedRecord[];
  /** Who is in each queue. */
  groupMembers: SeedRecord[];
  /** Business hours beyond the org's default. */
  businessHours: SeedRecord[];
  accounts: SeedRecord[];
  contacts: SeedRecord[];
  leads: SeedRecord[];
  cases: SeedRecord[];
  tasks: SeedRecord[];
  personas: SeedRecord[];
  /** Inbound posts and the brand's outbound replies (`In_Reply_To__c` points at the parent post). */
  posts: SeedRecord[];
  savedReplies: SeedRecord[];
}

/** The collections in insertion (dependency) order, with the sObject each one holds. */
export const SEED_COLLECTIONS = [
  { key: 'users', objectName: 'User' },
  { key: 'groups', objectName: 'Group' },
  { key: 'queueSobjects', objectName: 'QueueSobject' },
  { key: 'groupMembers', objectName: 'GroupMember' },
  { key: 'businessHours', objectName: 'BusinessHours' },
  { key: 'accounts', objectName: 'Account' },
  { key: 'contacts', objectName: 'Contact' },
  { key: 'leads', objectName: 'Lead' },
  { key: 'cases', objectName: 'Case' },
  { key: 'tasks', objectName: 'Task' },
  { key: 'personas', objectName: 'Social_Persona__c' },
  { key: 'posts', objectName: 'Social_Post__c' },
  { key: 'savedReplies', objectName: 'Social_Saved_Reply__c' },
] as const satisfies readonly { key: keyof SeedData; objectName: string }[];

export function ref(name: string): Ref {
  return { ref: name };
}

export function isRef(value: unknown): value is Ref {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { ref?: unknown }).ref === 'string'
  );
}
