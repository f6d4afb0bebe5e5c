/**
 * The fast path for identity: the org's change events on Contact, Lead and `Social_Persona__c` (Change
 * Data Capture over the Streaming API, channels `/data/ContactChangeEvent`, `/data/LeadChangeEvent`,
 * `/data/Social_Persona__ChangeEvent`; the package selects them in platformEventChannelMembers) tell the
 * relinker within a second that a person's identity or a persona's link changed. The directory's periodic
 * refresh stays as the safety net: events are not replayed after this server was away.
 *
 * `classifyPeopleEvent` keeps what matters and drops the rest without a call: a Contact or Lead update
 * matters only when a field identity reads changed (`Social_Handles__c`, names, `Email`, `AccountId`,
 * `Company`, `Website`, `IsConverted`); a roll-up the sync writes (`Social_Influence__c`, …) costs nothing.
 * A persona update matters only when `Contact__c`, `Lead__c` or a `Suggested_*` field changed, and not
 * by the sync's own upsert for a new post (it moves `Last_Activity__c` too; a rep's edit does not).
 */
import type { Logger } from '../observability/logger.ts';
import type { SalesforceGateway } from './gateway.ts';

export const PEOPLE_CHANNELS = [
  '/data/ContactChangeEvent',
  '/data/LeadChangeEvent',
  '/data/Social_Persona__ChangeEvent',
] as const;

/** Fields of Contact and Lead that identity resolution (or a post's Account) reads. */
export const IDENTITY_FIELDS: ReadonlySet<string> = new Set([
  'Social_Handles__c',
  'FirstName',
  'LastName',
  'MiddleName',
  'Name',
  'Email',
  'AccountId',
  'Company',
  'Website',
  'IsConverted',
]);

/** Fields of `Social_Persona__c` a rep changes to link, accept or reject. */
export const PERSONA_LINK_FIELDS: ReadonlySet<string> = new Set([
  'Contact__c',
  'Lead__c',
  'Suggested_Contact__c',
  'Suggested_Lead__c',
]);

export type PeopleEvent =
  /** Contacts or Leads whose identity fields changed (or that were created or undeleted): read them again. */
  | { kind: 'people'; ids: string[] }
  /** Deleted Contacts or Leads, or Leads just converted (they live on as their Contact). */
  | { kind: 'people-gone'; ids: string[] }
  /**
   * Personas whose link or suggestions changed; `suggestionsOnly`: a suggestion changed, the link did not;
   * `leadOnly`: only `Lead__c` changed, to this Lead.
   */
  | { kind: 'personas'; ids: string[]; suggestionsOnly: boolean; leadOnly?: string }
  /** Leads the sync created for buyers (their personas get linked to them next: the sync's own link). */
  | { kind: 'own-leads'; ids: string[] }
  /** The org could not say what changed (a gap or overflow event): read everything changed since the last look. */
  | { kind: 'gap' };

interface ChangeEventMessage {
  payload?: {
    ChangeEventHeader?: {
      entityName?: string;
      changeType?: string;
      changedFields?: unknown[];
      recordIds?: unknown[];
    };
    IsConverted?: unknown;
    [field: string]: unknown;
  };
}

/** `Name.FirstName` (a compound field's part, as Salesforce names it in changedFields) → `FirstName`. */
function fieldNames(changed: readonly unknown[]): string[] {
  const names = changed.flatMap((f) => (typeof f === 'string' ? [f, f.slice(f.lastIndexOf('.') + 1)] : []));
  return [...new Set(names)];
}

/** A Lead created by the sync (write-plan.ts: a buyer's persona key, LeadSource Social). */
function ownLead(payload: Record<string, unknown>): boolean {
  return typeof payload['Social_Persona_Key__c'] === 'string' && payload['LeadSource'] === 'Social';
}

/** What a change event means for identity, or null when nothing (most events). */
export function classifyPeopleEvent(message: unknown): PeopleEvent | null {
  const payload = (message as ChangeEventMessage | null)?.payload;
  const header = payload?.ChangeEventHeader;
  if (!payload || !header) return null;
  const entity = header.entityName;
  const type = String(header.changeType ?? '');
  const ids = (Array.isArray(header.recordIds) ? header.recordIds : []).filter(
    (id): id is string => typeof id === 'string' && id !== '',
  );
  if (type.startsWith('GAP_')) {
    return entity === 'Social_Persona__c' && ids.length > 0 && type !== 'GAP_OVERFLOW'
      ? { kind: 'personas', ids, suggestionsOnly: false }
      : { kind: 'gap' };
  }
  if (ids.length === 0) return null;
  const changed = fieldNames(Array.isArray(header.changedFields) ? header.changedFields : []);
  if (entity === 'Contact' || entity === 'Lead') {
    if (type === 'DELETE') return { kind: 'people-gone', ids };
    // A Lead the sync itself created for a buyer is already linked to its persona.
    if (type === 'CREATE' && entity === 'Lead' && ownLead(payload)) return { kind: 'own-leads', ids };
    if (type === 'CREATE' || type === 'UNDELETE') return { kind: 'people', ids };
    if (type !== 'UPDATE') return null;
    if (entity === 'Lead' && changed.includes('IsConverted') && payload.IsConverted === true) {
      return { kind: 'people-gone', ids };
    }
    return changed.some((f) => IDENTITY_FIELDS.has(f)) ? { kind: 'people', ids } : null;
  }
  if (entity === 'Social_Persona__c' && type === 'UPDATE') {
    if (!changed.some((f) => PERSONA_LINK_FIELDS.has(f))) return null;
    // The sync's own upsert of a persona for a new post moves Last_Activity__c; a rep's edit does not.
    if (changed.includes('Last_Activity__c')) return null;
    const suggestionsOnly = !changed.includes('Contact__c') && !changed.includes('Lead__c');
    const linkFields = changed.filter((f) => PERSONA_LINK_FIELDS.has(f));
    const lead = payload['Lead__c'];
    return linkFields.length === 1 && linkFields[0] === 'Lead__c' && typeof lead === 'string'
      ? { kind: 'personas', ids, suggestionsOnly, leadOnly: lead }
      : { kind: 'personas', ids, suggestionsOnly };
  }
  return null;
}

export interface PeopleChangeEventsOptions {
  gateway: Pick<SalesforceGateway, 'subscribe' | 'ping'>;
  /** Called with each event that matters (never with the others). Must not throw. */
  onEvent: (event: PeopleEvent) => void;
  logger: Logger;
  /** Wait before subscribing again after the org refused the session or the stream failed. */
  retryMs?: number;
}

/** One subscription per channel, each renewed on its own after a failure. */
export class PeopleChangeEvents {
  readonly #options: PeopleChangeEventsOptions;
  readonly #subscriptions = new Map<string, { cancel(): void }>();
  readonly #subscribed = new Set<string>();
  readonly #failed = new Set<string>();
  readonly #retries = new Map<string, NodeJS.Timeout>();
  #stopped = true;
  /** Events received, and those that mattered. */
  received = 0;
  relevant = 0;

  constructor(options: PeopleChangeEventsOptions) {
    this.#options = options;
  }

  /** `on` when every channel is subscribed; `off` when one was refused; `connecting` otherwise. */
  get state(): 'connecting' | 'on' | 'off' {
    if (this.#subscribed.size === PEOPLE_CHANNELS.length) return 'on';
    return this.#failed.size > 0 ? 'off' : 'connecting';
  }

  /** Channels not subscribed (for the status page). */
  get missing(): string[] {
    return PEOPLE_CHANNELS.filter((c) => !this.#subscribed.has(c));
  }

  start(): void {
    this.#stopped = false;
    for (const channel of PEOPLE_CHANNELS) this.#subscribe(channel);
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#retries.values()) clearTimeout(timer);
    this.#retries.clear();
    for (const s of this.#subscriptions.values()) s.cancel();
    this.#subscriptions.clear();
    this.#subscribed.clear();
  }

  #subscribe(channel: string): void {
    if (this.#stopped) return;
    const { gateway, logger } = this.#options;
    const subscription = gateway.subscribe(
      channel,
      (message) => {
        this.received += 1;
        const event = classifyPeopleEvent(message);
        if (event === null) return;
        this.relevant += 1;
        this.#options.onEvent(event);
      },
      () => this.#again(channel, 'the org refused the session for streaming'),
    );
    this.#subscriptions.set(channel, subscription);
    subscription.ready.then(
      () => {
        this.#subscribed.add(channel);
        this.#failed.delete(channel);
        logger.info({ channel }, 'listening to identity change events');
      },
      (error: unknown) => this.#again(channel, error instanceof Error ? error.message : String(error)),
    );
  }

  #again(channel: string, reason: string): void {
    this.#subscribed.delete(channel);
    this.#failed.add(channel);
    this.#subscriptions.get(channel)?.cancel();
    this.#subscriptions.delete(channel);
    if (this.#stopped) return;
    this.#options.logger.warn(
      { channel, reason },
      'identity change events are off for now; people and links changed in the org wait for the periodic refresh',
    );
    if (this.#retries.has(channel)) return;
    const timer = setTimeout(() => {
      this.#retries.delete(channel);
      // A query first lets the gateway renew an expired session before the stream uses it.
      void this.#options.gateway.ping().finally(() => this.#subscribe(channel));
    }, this.#options.retryMs ?? 30_000);
    timer.unref();
    this.#retries.set(channel, timer);
  }
}
