/**
 * Identity resolution against the org's people: a directory of Contacts and Leads (with the handles
 * reps listed in `Social_Handles__c`) and the persona links reps accepted, loaded once and then kept up
 * to date with what changed since the last look (LastModifiedDate), so steady state costs a few queries
 * a minute, not a query per mention.
 */
import type { Mention } from '../domain/mention.ts';
import { personaExternalId } from '../domain/mention.ts';
import { PeopleDirectory, resolvePerson, type PersonMatch as IdentityMatch } from '../identity/index.ts';
import type { CrmPort, PersonRecord } from './crm-port.ts';
import type { IdentityResolution, IdentityService, PersonMatch } from './ports.ts';

export interface PeopleOptions {
  /** How often to catch up with changes in the org. */
  refreshMs: number;
  threshold?: number;
  suggestThreshold?: number;
}

/** Changes made while a refresh runs must not fall between two looks: look back a little. */
const REFRESH_OVERLAP_MS = 5_000;

export class OrgPeople implements IdentityService {
  readonly #crm: CrmPort;
  readonly #options: PeopleOptions;
  readonly #now: () => Date;
  readonly #directory = new PeopleDirectory();
  readonly #people = new Map<string, PersonRecord>();
  readonly #links = new Map<string, { id: string; type: 'Contact' | 'Lead' }>();
  #loadedAt: Date | null = null;

  constructor(crm: CrmPort, options: PeopleOptions, now: () => Date = () => new Date()) {
    this.#crm = crm;
    this.#options = options;
    this.#now = now;
  }

  get size(): number {
    return this.#people.size;
  }

  async refreshIfDue(): Promise<void> {
    const now = this.#now();
    if (this.#loadedAt && now.getTime() - this.#loadedAt.getTime() < this.#options.refreshMs) return;
    const since = this.#loadedAt ? new Date(this.#loadedAt.getTime() - REFRESH_OVERLAP_MS) : null;
    const [people, links] = await Promise.all([
      this.#crm.loadPeople(since),
      this.#crm.loadPersonaLinks(since),
    ]);
    for (const person of people) this.#upsert(person);
    for (const link of links) {
      if (link.contactId) this.#links.set(link.personaKey, { id: link.contactId, type: 'Contact' });
      else if (link.leadId) this.#links.set(link.personaKey, { id: link.leadId, type: 'Lead' });
    }
    this.#loadedAt = now;
  }

  #upsert(person: PersonRecord): void {
    if (person.isConverted) {
      this.#people.delete(person.id);
      this.#directory.remove(person.id);
      return;
    }
    this.#people.set(person.id, person);
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
  }

  #match(match: IdentityMatch | null): PersonMatch | null {
    if (!match) return null;
    const person = this.#people.get(match.id);
    return person ? { person, confidence: match.confidence, reason: match.reason } : null;
  }

  resolve(mention: Mention): IdentityResolution {
    const resolution = resolvePerson(mention.author, mention.network, this.#directory, {
      existingLink: this.#links.get(personaExternalId(mention)) ?? null,
      ...(this.#options.threshold === undefined ? {} : { threshold: this.#options.threshold }),
      ...(this.#options.suggestThreshold === undefined
        ? {}
        : { suggestThreshold: this.#options.suggestThreshold }),
    });
    return { link: this.#match(resolution.link), suggestion: this.#match(resolution.suggestion) };
  }

  remember(personaKey: string, person: PersonRecord): void {
    this.#links.set(personaKey, { id: person.id, type: person.type });
    this.#people.set(person.id, person);
  }
}
