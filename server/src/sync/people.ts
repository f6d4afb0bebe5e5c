/**
 * Identity resolution against the org's people: a directory of Contacts and Leads (with the handles
 * reps listed in `Social_Handles__c`) and the persona links reps accepted, loaded once and then kept up
 * to date with what changed since the last look (LastModifiedDate), so steady state costs a few queries
 * a minute, not a query per mention.
 *
 * Fresh links: change events (salesforce/people-change-events.ts) call `refreshNow()` within a second of a
 * rep's edit, so the directory does not wait for the next periodic look (`refreshMs`, the safety net
 * after an outage: change events are not replayed). Every refresh after the first compares each person
 * with what the directory held and reports the people whose identity changed (`onChanges`: handles added
 * or removed, name, email, company, website, Account, converted or gone); the relinker
 * (salesforce/relink.ts) then re-links their personas' earlier posts. A refresh that changed nothing
 * that identity reads (a roll-up written by the sync, say) reports nothing.
 *
 * Malformed `Social_Handles__c` lines are never matched (handles.ts skips them) and are listed by
 * `handleWarnings()` with the record, the line and what to write instead (identity/handle-problems.ts),
 * for `/api/status`.
 *
 * A rep's rejection of a suggestion (clearing `Suggested_Contact__c`/`Suggested_Lead__c`, or clearing a
 * link) is remembered per persona (`reject`) for as long as the process runs: that person is then neither
 * linked nor suggested for that persona again automatically.
 */
import type { Author, Mention, Network } from '../domain/mention.ts';
import { personaExternalId } from '../domain/mention.ts';
import { socialHandleProblems, type HandleLineProblem } from '../identity/handle-problems.ts';
import {
  PeopleDirectory,
  handleKey,
  parseSocialHandles,
  resolvePerson,
  type PersonMatch as IdentityMatch,
  type SocialHandle,
} from '../identity/index.ts';
import type { CrmPort, PersonRecord } from './crm-port.ts';
import type { IdentityResolution, IdentityService, PersonMatch } from './ports.ts';

export interface PeopleOptions {
  /** How often to catch up with changes in the org (the safety net when change events are off). */
  refreshMs: number;
  threshold?: number;
  suggestThreshold?: number;
  /** Told the people whose identity changed, after every refresh but the first. Must not throw. */
  onChanges?: (changes: readonly PersonChange[]) => void;
}

export interface PersonRef {
  id: string;
  type: 'Contact' | 'Lead';
}

/** A person whose identity fields changed in the org. */
export interface PersonChange {
  id: string;
  type: 'Contact' | 'Lead';
  /** As the directory held them; null when new to it. */
  before: PersonRecord | null;
  /** As the org has them now; null when deleted or converted. */
  after: PersonRecord | null;
  addedHandles: SocialHandle[];
  removedHandles: SocialHandle[];
}

/** A `Social_Handles__c` line the directory cannot read, for `/api/status`. */
export interface HandleWarning extends HandleLineProblem {
  recordType: 'Contact' | 'Lead';
  recordId: string;
  /** `Contact 003… line 2 "x:" has no handle: write one handle a line as network:handle, e.g. x:@ann_lee` */
  message: string;
}

/** Changes made while a refresh runs must not fall between two looks: look back a little. */
const REFRESH_OVERLAP_MS = 5_000;
/** Rejected suggestions remembered (persona → people), oldest forgotten first. */
const MAX_REJECTED = 50_000;

/** The fields identity resolution (and a post's Account) reads: a change elsewhere changes no link. */
function identityOf(person: PersonRecord): string {
  return JSON.stringify([
    person.firstName,
    person.lastName,
    person.name,
    person.email,
    person.company,
    person.website,
    person.socialHandles,
    person.accountId,
    person.isConverted,
  ]);
}

function handlesOf(person: PersonRecord | null): Map<string, SocialHandle> {
  return new Map(parseSocialHandles(person?.socialHandles).map((h) => [handleKey(h), h]));
}

export class OrgPeople implements IdentityService {
  readonly #crm: CrmPort;
  readonly #options: PeopleOptions;
  readonly #now: () => Date;
  readonly #directory = new PeopleDirectory();
  readonly #people = new Map<string, PersonRecord>();
  readonly #links = new Map<string, PersonRef>();
  readonly #rejected = new Map<string, Set<string>>();
  readonly #warnings = new Map<string, HandleWarning[]>();
  #loadedAt: Date | null = null;
  #refreshing: Promise<PersonChange[]> = Promise.resolve([]);

  constructor(crm: CrmPort, options: PeopleOptions, now: () => Date = () => new Date()) {
    this.#crm = crm;
    this.#options = options;
    this.#now = now;
  }

  get size(): number {
    return this.#people.size;
  }

  /** Whether the directory has been loaded once. */
  get loaded(): boolean {
    return this.#loadedAt !== null;
  }

  async refreshIfDue(): Promise<void> {
    const now = this.#now();
    if (this.#loadedAt && now.getTime() - this.#loadedAt.getTime() < this.#options.refreshMs) return;
    await this.refreshNow();
  }

  /**
   * Catches up with the org now (changes since the last look), one refresh at a time; returns the people
   * whose identity changed (also told to `onChanges`). The first load returns nothing: there is no
   * earlier state to compare with.
   */
  refreshNow(): Promise<PersonChange[]> {
    const next = this.#refreshing.catch(() => []).then(() => this.#refresh());
    this.#refreshing = next;
    return next;
  }

  async #refresh(): Promise<PersonChange[]> {
    const now = this.#now();
    const first = this.#loadedAt === null;
    const since = this.#loadedAt ? new Date(this.#loadedAt.getTime() - REFRESH_OVERLAP_MS) : null;
    const [people, links] = await Promise.all([
      this.#crm.loadPeople(since),
      this.#crm.loadPersonaLinks(since),
    ]);
    const changes: PersonChange[] = [];
    for (const person of people) {
      const change = this.#upsert(person);
      if (change) changes.push(change);
    }
    for (const link of links) {
      if (link.contactId) this.#links.set(link.personaKey, { id: link.contactId, type: 'Contact' });
      else if (link.leadId) this.#links.set(link.personaKey, { id: link.leadId, type: 'Lead' });
    }
    this.#loadedAt = now;
    if (first) return [];
    if (changes.length > 0) this.#options.onChanges?.(changes);
    return changes;
  }

  /** People deleted in the org (or converted Leads): out of the directory; their changes. */
  forget(ids: readonly string[]): PersonChange[] {
    const changes: PersonChange[] = [];
    for (const id of ids) {
      const before = this.#people.get(id);
      if (!before) continue;
      this.#people.delete(id);
      this.#directory.remove(id);
      this.#warnings.delete(id);
      changes.push({
        id,
        type: before.type,
        before,
        after: null,
        addedHandles: [],
        removedHandles: [...handlesOf(before).values()],
      });
    }
    if (changes.length > 0) this.#options.onChanges?.(changes);
    return changes;
  }

  #upsert(person: PersonRecord): PersonChange | null {
    const before = this.#people.get(person.id) ?? null;
    if (person.isConverted) {
      this.#people.delete(person.id);
      this.#directory.remove(person.id);
      this.#warnings.delete(person.id);
      return before ? this.#change(before, null) : null;
    }
    this.#people.set(person.id, person);
    if (before !== null && identityOf(before) === identityOf(person)) return null;
    this.#directory.upsert({
      id: person.id,
      type: person.type,
      firstName: person.firstName,
      lastName: person.lastName,
      name: person.name,
      email: person.email,
      ...(person.type === 'Contact' ? { accountName: person.company } : { company: person.company }),
      website: person.website,
      socialHandles: person.socialHandles,
      isConverted: person.isConverted,
    });
    this.#noteWarnings(person);
    return this.#change(before, person);
  }

  #change(before: PersonRecord | null, after: PersonRecord | null): PersonChange {
    const old = handlesOf(before);
    const now = handlesOf(after);
    const record = (after ?? before)!;
    return {
      id: record.id,
      type: record.type,
      before,
      after,
      addedHandles: [...now].filter(([k]) => !old.has(k)).map(([, h]) => h),
      removedHandles: [...old].filter(([k]) => !now.has(k)).map(([, h]) => h),
    };
  }

  #noteWarnings(person: PersonRecord): void {
    const problems = person.socialHandles ? socialHandleProblems(person.socialHandles) : [];
    if (problems.length === 0) {
      this.#warnings.delete(person.id);
      return;
    }
    this.#warnings.set(
      person.id,
      problems.map((p) => ({
        ...p,
        recordType: person.type,
        recordId: person.id,
        message: `${person.type} ${person.id} line ${p.line} ${p.problem}: ${p.hint}`,
      })),
    );
  }

  /** `Social_Handles__c` lines no one can be matched by: how many, and the first `limit`. */
  handleWarnings(limit = 20): { total: number; records: number; warnings: HandleWarning[] } {
    const warnings: HandleWarning[] = [];
    let total = 0;
    for (const list of this.#warnings.values()) {
      total += list.length;
      for (const w of list) if (warnings.length < limit) warnings.push(w);
    }
    return { total, records: this.#warnings.size, warnings };
  }

  #match(match: IdentityMatch | null): PersonMatch | null {
    if (!match) return null;
    const person = this.#people.get(match.id);
    return person ? { person, confidence: match.confidence, reason: match.reason } : null;
  }

  resolve(mention: Mention): IdentityResolution {
    const key = personaExternalId(mention);
    return this.#resolve(key, mention.author, mention.network, this.#links.get(key) ?? null);
  }

  /**
   * Who a persona is by the directory alone (its current link not taken as evidence), as the relinker
   * asks after a person's identity changed. Rejected people are left out as in `resolve`.
   */
  resolveAuthor(personaKey: string, author: Author, network: Network): IdentityResolution {
    return this.#resolve(personaKey, author, network, null);
  }

  #resolve(key: string, author: Author, network: Network, existing: PersonRef | null): IdentityResolution {
    const resolution = resolvePerson(author, network, this.#directory, {
      existingLink: existing,
      ...(this.#options.threshold === undefined ? {} : { threshold: this.#options.threshold }),
      ...(this.#options.suggestThreshold === undefined
        ? {}
        : { suggestThreshold: this.#options.suggestThreshold }),
    });
    const rejected = this.#rejected.get(key);
    const keep = (m: IdentityMatch | null): IdentityMatch | null =>
      m !== null && rejected?.has(m.id) && m.reason !== 'existing persona link' ? null : m;
    return { link: this.#match(keep(resolution.link)), suggestion: this.#match(keep(resolution.suggestion)) };
  }

  /** The person a persona is linked to, as far as this process knows. */
  linkOf(personaKey: string): PersonRef | null {
    return this.#links.get(personaKey) ?? null;
  }

  /** Records a persona's link (null: unlinked), as the relinker wrote it or a rep set it. */
  setLink(personaKey: string, link: PersonRef | null): void {
    if (link === null) this.#links.delete(personaKey);
    else this.#links.set(personaKey, { id: link.id, type: link.type });
  }

  /** A rep said this persona is not this person: never linked or suggested automatically again. */
  reject(personaKey: string, personId: string): void {
    const set = this.#rejected.get(personaKey) ?? new Set<string>();
    set.add(personId);
    this.#rejected.delete(personaKey);
    this.#rejected.set(personaKey, set);
    if (this.#rejected.size > MAX_REJECTED) {
      const oldest = this.#rejected.keys().next().value;
      if (oldest !== undefined) this.#rejected.delete(oldest);
    }
  }

  /** A rep linked the persona to this person after all: a rejection of them no longer stands. */
  unreject(personaKey: string, personId: string): void {
    this.#rejected.get(personaKey)?.delete(personId);
  }

  person(id: string): PersonRecord | null {
    return this.#people.get(id) ?? null;
  }

  /** A person's roll-up fields as written by the relinker, so the next post starts from them. */
  updatePerson(
    id: string,
    fields: Partial<Pick<PersonRecord, 'influence' | 'sentiment' | 'lastActivity'>>,
  ): void {
    const person = this.#people.get(id);
    if (person) this.#people.set(id, { ...person, ...fields });
  }

  remember(personaKey: string, person: PersonRecord): void {
    this.#links.set(personaKey, { id: person.id, type: person.type });
    this.#people.set(person.id, person);
  }
}
