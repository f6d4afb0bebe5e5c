/**
 * One person across networks, in the live path: the identity service the sync worker consults wraps the
 * org's people (people.ts) and adds what a person's other profiles say.
 *
 * When a mention's author is resolved, the profiles it is related to — linked profiles (a Contact or
 * Lead set) whose handles its bio cites, or whose bios cite its handles, or that show the same email —
 * are resolved together with it by `linkAcrossNetworks` (identity/cross-network.ts: its module comment
 * has the rules and confidences). A join that links (≥ 0.85: mutual citations, a citation from the
 * linked profile, the same email under the same name) links the post to the person's Contact or Lead;
 * a weaker one (a profile claiming a linked one, which anyone can write) is a suggestion with its
 * evidence at most. Then:
 * - the profile's own resolution wins: a handle listed on a Contact links there whatever others cite;
 *   a join to a person other than the one the profile's own evidence links is not made;
 * - once the post is written (`remember`), the join is saved on the profile: `Person_Key__c` (the
 *   External Id of the person's first profile, the same on all of a person's profiles),
 *   `Join_Reason__c`, `Join_Confidence__c`; the first profile gets its own key. A profile linked to a
 *   Contact or Lead that already has profiles (a rep accepted a link, or a handle was listed) joins
 *   their person too, with the reason "linked to the same Contact";
 * - a rep's split (`split`, `POST /api/persons/split`) is remembered on the profile (`Split_From__c`:
 *   the person key and the Contact/Lead): the profile is never again joined to those profiles or
 *   linked to that record automatically; a suggestion is the most it gets.
 *
 * Linked profiles are read from the org at the first batch and then every `refreshMs` (only those
 * changed since), and learnt at once from the batches this process writes; unlinked profiles are never
 * held, so memory grows with linked people, not with everyone who ever posted.
 */
import type { Author, Mention, Network } from '../domain/mention.ts';
import { personaExternalId } from '../domain/mention.ts';
import { linkAcrossNetworks } from '../identity/cross-network.ts';
import type { PersonaInput } from '../identity/cross-network.ts';
import { PeopleDirectory } from '../identity/directory.ts';
import { profileEvidence } from '../identity/evidence.ts';
import { handleKey } from '../identity/handles.ts';
import type { Logger } from '../observability/logger.ts';
import type { PersonRecord } from './crm-port.ts';
import type { IdentityResolution, IdentityService, PersonMatch } from './ports.ts';

/** A profile as the org holds it (`Social_Persona__c`), with its person when it is linked. */
export interface StoredPersona {
  /** `External_Id__c` (`network:userId`). */
  key: string;
  network: Network;
  author: Pick<Author, 'id' | 'handle' | 'displayName' | 'bio' | 'profileUrl'>;
  contactId: string | null;
  leadId: string | null;
  personKey: string | null;
  joinReason: string | null;
  /** Persona keys and Contact/Lead Ids this profile was split from (`Split_From__c`). */
  splitFrom: string[];
}

/** What a profile's join saves. */
export interface JoinWrite {
  key: string;
  personKey: string;
  /** Null for the person's first profile (it is joined by no one). */
  reason: string | null;
  /** 0..1. */
  confidence: number | null;
}

/** What the service needs of the org. */
export interface PersonJoinStore {
  /** Profiles with a Contact, a Lead or a person key; all, or those changed since `since`. */
  loadLinked(since: Date | null): Promise<StoredPersona[]>;
  /** Contacts and Leads by Id (converted Leads left out). */
  people(ids: readonly string[]): Promise<PersonRecord[]>;
  saveJoins(joins: readonly JoinWrite[]): Promise<void>;
}

export interface PersonJoinsOptions {
  /** How often to catch up with profiles linked or split in the org. */
  refreshMs: number;
  threshold?: number;
  suggestThreshold?: number;
}

interface Known extends StoredPersona {
  person: PersonRecord | null;
}

interface PendingJoin {
  personId: string;
  write: JoinWrite;
  anchor: JoinWrite | null;
}

const REFRESH_OVERLAP_MS = 5_000;

/** Profiles cited by, or citing, at most this many others are ignored (a directory page is no person). */
const MAX_RELATED = 20;

export class PersonJoins implements IdentityService {
  readonly #inner: IdentityService;
  readonly #store: PersonJoinStore;
  readonly #options: PersonJoinsOptions;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #known = new Map<string, Known>();
  /** Own handle key → persona keys; cited handle key → persona keys; email → persona keys. */
  readonly #byHandle = new Map<string, Set<string>>();
  readonly #byCited = new Map<string, Set<string>>();
  readonly #byEmail = new Map<string, Set<string>>();
  readonly #indexed = new Map<string, string[]>();
  readonly #people = new Map<string, PersonRecord>();
  readonly #pending = new Map<string, PendingJoin>();
  readonly #splits = new Map<string, Set<string>>();
  #loadedAt: Date | null = null;
  #saving: Promise<void> = Promise.resolve();
  readonly #buffer: JoinWrite[] = [];

  constructor(
    inner: IdentityService,
    store: PersonJoinStore,
    options: PersonJoinsOptions,
    logger: Logger,
    now: () => Date = () => new Date(),
  ) {
    this.#inner = inner;
    this.#store = store;
    this.#options = options;
    this.#logger = logger;
    this.#now = now;
  }

  async refreshIfDue(): Promise<void> {
    await this.#inner.refreshIfDue();
    const now = this.#now();
    if (this.#loadedAt && now.getTime() - this.#loadedAt.getTime() < this.#options.refreshMs) return;
    const since = this.#loadedAt ? new Date(this.#loadedAt.getTime() - REFRESH_OVERLAP_MS) : null;
    const stored = await this.#store.loadLinked(since);
    const ids = new Set<string>();
    for (const p of stored) {
      const id = p.contactId ?? p.leadId;
      if (id !== null && !this.#people.has(id)) ids.add(id);
    }
    const people = ids.size > 0 ? await this.#store.people([...ids]) : [];
    for (const person of people) this.#people.set(person.id, person);
    for (const p of stored) {
      const id = p.contactId ?? p.leadId;
      this.#learn({ ...p, person: id === null ? null : (this.#people.get(id) ?? null) });
      this.#splits.set(p.key, new Set(p.splitFrom));
    }
    this.#loadedAt = now;
  }

  /** Saves joins still being written (tests and shutdown). */
  async settled(): Promise<void> {
    await this.#saving;
  }

  /** A rep split the profile `key` from its person: forget the join and never make it again. */
  forgetJoin(key: string, rejected: readonly string[]): void {
    const splits = this.#splits.get(key) ?? new Set<string>();
    for (const r of rejected) splits.add(r);
    this.#splits.set(key, splits);
    this.#pending.delete(key);
    const known = this.#known.get(key);
    if (known)
      this.#learn({
        ...known,
        contactId: null,
        leadId: null,
        person: null,
        personKey: key,
        joinReason: null,
      });
  }

  resolve(mention: Mention): IdentityResolution {
    const key = personaExternalId(mention);
    const rejected = this.#splits.get(key) ?? new Set<string>();
    let own = this.#inner.resolve(mention);
    // A split profile is not linked to the record it was split from again, not even by a link we made.
    if (own.link && rejected.has(own.link.person.id)) {
      const suggestion = own.suggestion && !rejected.has(own.suggestion.person.id) ? own.suggestion : null;
      own = { link: null, suggestion };
    }
    const joined = this.#join(mention, key, rejected, own);
    const result = joined ?? own;
    if (result.link) {
      // Later mentions of this batch (another of the person's profiles) see this one at once.
      this.#learn({
        ...this.#storedOf(mention),
        contactId: idOf(result.link, 'Contact'),
        leadId: idOf(result.link, 'Lead'),
        person: result.link.person,
      });
    }
    return result;
  }

  remember(personaKey: string, person: PersonRecord): void {
    this.#inner.remember(personaKey, person);
    this.#people.set(person.id, person);
    const pending = this.#pending.get(personaKey);
    this.#pending.delete(personaKey);
    const known = this.#known.get(personaKey);
    let writes: JoinWrite[] = [];
    if (pending && pending.personId === person.id) {
      writes = [pending.write, ...(pending.anchor ? [pending.anchor] : [])];
    } else if (known && known.personKey === null) {
      // Linked on its own evidence: it joins the person's other profiles, or starts the person.
      const other = [...this.#known.values()].find(
        (k) => k.key !== personaKey && (k.contactId ?? k.leadId) === person.id && k.personKey !== null,
      );
      writes = [
        other
          ? {
              key: personaKey,
              personKey: other.personKey!,
              reason: `linked to the same ${person.type} as ${other.key}`,
              confidence: 1,
            }
          : { key: personaKey, personKey: personaKey, reason: null, confidence: null },
      ];
    }
    if (writes.length === 0) return;
    for (const w of writes) {
      const k = this.#known.get(w.key);
      if (k) this.#learn({ ...k, personKey: w.personKey, joinReason: w.reason });
    }
    this.#save(writes);
  }

  /** Joins of one batch are saved together (one call per 200), after the batch's posts. */
  #save(writes: JoinWrite[]): void {
    const first = this.#buffer.length === 0;
    this.#buffer.push(...writes);
    if (!first) return;
    this.#saving = this.#saving
      .then(() => new Promise<void>((done) => setImmediate(done)))
      .then(() => {
        const batch = this.#buffer.splice(0);
        return this.#store.saveJoins(batch).catch((error: unknown) => {
          // The join is made again from the same evidence at the profile's next post.
          this.#logger.warn({ err: error, personas: batch.map((w) => w.key) }, 'could not save person joins');
        });
      });
  }

  #storedOf(mention: Mention): StoredPersona {
    const key = personaExternalId(mention);
    const known = this.#known.get(key);
    return {
      key,
      network: mention.network,
      author: mention.author,
      contactId: known?.contactId ?? null,
      leadId: known?.leadId ?? null,
      personKey: known?.personKey ?? null,
      joinReason: known?.joinReason ?? null,
      splitFrom: known?.splitFrom ?? [],
    };
  }

  /** Profiles the mention's author is related to by citation or email, linked ones only. */
  #related(mention: Mention, key: string, rejected: ReadonlySet<string>): Known[] {
    const evidence = profileEvidence(mention.author, mention.network);
    const keys = new Set<string>();
    const add = (set: ReadonlySet<string> | undefined): void => {
      if (set && set.size <= MAX_RELATED) for (const k of set) keys.add(k);
    };
    for (const h of evidence.cited) add(this.#byHandle.get(`h ${handleKey(h)}`));
    for (const h of evidence.ownHandles) add(this.#byCited.get(`c ${handleKey(h)}`));
    for (const e of evidence.emails) add(this.#byEmail.get(`e ${e}`));
    keys.delete(key);
    const related: Known[] = [];
    for (const k of keys) {
      const p = this.#known.get(k);
      if (!p || p.person === null) continue;
      if (rejected.has(k) || rejected.has(p.person.id) || (p.personKey !== null && rejected.has(p.personKey)))
        continue;
      related.push(p);
    }
    return related;
  }

  #join(
    mention: Mention,
    key: string,
    rejected: ReadonlySet<string>,
    own: IdentityResolution,
  ): IdentityResolution | null {
    // Handle listed on a record, or an existing link: the profile's own evidence is certain.
    if (own.link && own.link.confidence >= 1) return null;
    const related = this.#related(mention, key, rejected);
    if (related.length === 0) return null;
    const people = new Map<string, PersonRecord>();
    for (const p of related) people.set(p.person!.id, p.person!);
    const directory = new PeopleDirectory(
      [...people.values()].map((person) => ({
        id: person.id,
        type: person.type,
        firstName: person.firstName,
        lastName: person.lastName,
        name: person.name,
        email: person.email,
        ...(person.type === 'Contact' ? { accountName: person.company } : { company: person.company }),
        website: person.website,
        socialHandles: person.socialHandles,
      })),
    );
    const inputs: PersonaInput[] = [
      { key, network: mention.network, author: mention.author },
      ...related.map((p) => ({
        key: p.key,
        network: p.network,
        author: { ...p.author, followers: null, following: null, verified: false, avatarUrl: null },
        existingLink: { id: p.person!.id, type: p.person!.type },
      })),
    ];
    const resolution = linkAcrossNetworks(inputs, directory, {
      ...(this.#options.threshold === undefined ? {} : { threshold: this.#options.threshold }),
      ...(this.#options.suggestThreshold === undefined
        ? {}
        : { suggestThreshold: this.#options.suggestThreshold }),
    }).get(key);
    const best = resolution?.link ?? resolution?.suggestion ?? null;
    if (!resolution || best === null || !best.reason.includes('cross-network:')) return null;
    const person = people.get(best.id);
    if (!person) return null;
    const match: PersonMatch = { person, confidence: best.confidence, reason: best.reason };
    if (resolution.link === null) {
      // Only a suggestion: it replaces a weaker one of the profile's own.
      if (own.link || (own.suggestion && own.suggestion.confidence >= match.confidence)) return null;
      return { link: null, suggestion: match };
    }
    // The profile's own evidence links someone else: two people claim it, so it is joined to neither.
    if (own.link && own.link.person.id !== person.id) return null;
    if (own.link && own.link.confidence >= match.confidence) return null;
    const from = /cross-network: (\S+)/.exec(best.reason)?.[1] ?? '';
    const anchor = related.find((p) => p.key === from) ?? related.find((p) => p.person?.id === person.id)!;
    const personKey = anchor.personKey ?? anchor.key;
    this.#pending.set(key, {
      personId: person.id,
      write: { key, personKey, reason: joinReason(best.reason, anchor.key), confidence: best.confidence },
      anchor:
        anchor.personKey === null ? { key: anchor.key, personKey, reason: null, confidence: null } : null,
    });
    return { link: match, suggestion: null };
  }

  #learn(p: Known): void {
    this.#unindex(p.key);
    this.#known.set(p.key, p);
    const keys: string[] = [];
    const index = (map: Map<string, Set<string>>, k: string): void => {
      const set = map.get(k) ?? new Set<string>();
      set.add(p.key);
      map.set(k, set);
      keys.push(k);
    };
    if (p.contactId === null && p.leadId === null) return;
    const author = { ...p.author, followers: null, following: null, verified: false, avatarUrl: null };
    const evidence = profileEvidence(author, p.network);
    for (const h of evidence.ownHandles) index(this.#byHandle, `h ${handleKey(h)}`);
    for (const h of evidence.cited) index(this.#byCited, `c ${handleKey(h)}`);
    for (const e of evidence.emails) index(this.#byEmail, `e ${e}`);
    this.#indexed.set(p.key, keys);
  }

  #unindex(key: string): void {
    for (const k of this.#indexed.get(key) ?? []) {
      const map = k.startsWith('h ') ? this.#byHandle : k.startsWith('c ') ? this.#byCited : this.#byEmail;
      const set = map.get(k);
      set?.delete(key);
      if (set?.size === 0) map.delete(k);
    }
    this.#indexed.delete(key);
  }
}

function idOf(match: PersonMatch, type: 'Contact' | 'Lead'): string | null {
  return match.person.type === type ? match.person.id : null;
}

/** `cross-network: x:1 (existing persona link) cites it` → `x:1 cites this profile in its bio`. */
function joinReason(reason: string, anchor: string): string {
  const what =
    reason
      .slice(reason.lastIndexOf(') ') + 2)
      .split(';')[0]
      ?.trim() ?? '';
  const text =
    what === 'cite each other'
      ? `${anchor} and this profile cite each other`
      : what === 'cites it'
        ? `${anchor} cites this profile in its bio`
        : what.startsWith('both ')
          ? `this profile and ${anchor} ${what}`
          : `${anchor}: ${what || 'the same person'}`;
  return text.slice(0, 255);
}
