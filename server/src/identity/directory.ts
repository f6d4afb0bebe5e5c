/**
 * The CRM people identity resolution compares social profiles with: Contacts and Leads, normalized once
 * and indexed by handle, email, identifying domain and surname, so that resolving one author costs a few
 * map look-ups rather than a scan. Kept current with `upsert`/`remove` as records change.
 */
import { identifyingDomain, normalizeEmail } from './domains.ts';
import { handleKey, normalizeHost, parseSocialHandles } from './handles.ts';
import type { HandleOptions, SocialHandle } from './handles.ts';
import { foldText, normalizeCompany, personName } from './names.ts';
import type { PersonName } from './names.ts';

export type PersonType = 'Contact' | 'Lead';

/** A Contact or Lead as read from the CRM (the fields identity resolution uses). */
export interface PersonCandidate {
  id: string;
  type: PersonType;
  firstName?: string | null;
  lastName?: string | null;
  /** `Name`; used when FirstName/LastName are empty. */
  name?: string | null;
  email?: string | null;
  /** Contact: `Account.Name`. */
  accountName?: string | null;
  /** Lead: `Company`. */
  company?: string | null;
  /** Lead `Website`, or the Contact's `Account.Website`. */
  website?: string | null;
  /** Raw `Social_Handles__c`. */
  socialHandles?: string | null;
  /** Lead `IsConverted`: a converted Lead lives on as its Contact and is never matched. */
  isConverted?: boolean | null;
}

/** A candidate as the directory holds it: normalized once at upsert. */
export interface DirectoryEntry {
  readonly id: string;
  readonly type: PersonType;
  readonly candidate: Readonly<PersonCandidate>;
  readonly name: PersonName;
  /** `first tokens|last tokens`: people with equal keys have equal names for matching. */
  readonly nameKey: string;
  /** Folded first and last name tokens, space-separated (for same-person checks). */
  readonly fullName: string;
  readonly handles: readonly SocialHandle[];
  /** Mastodon usernames listed without an instance while none was known (`mastodon:@ann`). */
  readonly bareMastodonUsers: readonly string[];
  readonly email: string | null;
  /** Identifying registrable domains of the email and website (never `gmail.com`, `linkedin.com`, …). */
  readonly domains: readonly string[];
  /** Exact hosts of the email domain and website (`ann.dev`, `mail.acme.com`), for cross-network hints. */
  readonly hosts: readonly string[];
  /** Normalized company (Account name or Lead company), '' when unusable. */
  readonly company: string;
}

class MultiIndex {
  readonly #map = new Map<string, Set<string>>();

  add(key: string, id: string): void {
    let ids = this.#map.get(key);
    if (ids === undefined) {
      ids = new Set();
      this.#map.set(key, ids);
    }
    ids.add(id);
  }

  delete(key: string, id: string): void {
    const ids = this.#map.get(key);
    if (ids === undefined) return;
    ids.delete(id);
    if (ids.size === 0) this.#map.delete(key);
  }

  get(key: string): ReadonlySet<string> {
    return this.#map.get(key) ?? EMPTY;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function toEntry(candidate: PersonCandidate, options: HandleOptions): DirectoryEntry {
  const name = personName(candidate);
  const handles = parseSocialHandles(candidate.socialHandles, options);
  const bareMastodonUsers = handles.filter((h) => h.network === 'mastodon' && !h.handle.includes('@'));
  const email = normalizeEmail(candidate.email);
  const emailHost = email === null ? null : (email.split('@')[1] ?? null);
  const website = candidate.website?.trim() || null;
  const domains = new Set<string>();
  const hosts = new Set<string>();
  for (const source of [emailHost, website]) {
    if (source === null) continue;
    const domain = identifyingDomain(source);
    if (domain === null) continue;
    domains.add(domain);
    const host = normalizeHost(hostPart(source));
    if (host !== null) hosts.add(host);
  }
  return {
    id: candidate.id,
    type: candidate.type,
    candidate: { ...candidate },
    name,
    nameKey: `${name.first.join(' ')}|${name.last.join(' ')}`,
    fullName: foldText([...name.first, ...name.last].join(' ')),
    handles: handles.filter((h) => !bareMastodonUsers.includes(h)),
    bareMastodonUsers: bareMastodonUsers.map((h) => h.handle),
    email,
    domains: [...domains],
    hosts: [...hosts],
    company: normalizeCompany(candidate.type === 'Contact' ? candidate.accountName : candidate.company),
  };
}

/** `value` with one character removed, each position once (distinct results). */
function deletions(value: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < value.length; i++) out.add(value.slice(0, i) + value.slice(i + 1));
  return out;
}

/** Whether one insertion, deletion or substitution turns `a` into `b` (and they differ). */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function hostPart(value: string): string {
  return value
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/[/?#:].*$/, '');
}

/**
 * An in-memory index of the org's Contacts and unconverted Leads.
 *
 * Memory: one entry per person plus a few index keys (handles, email, domains, surname tokens), so a
 * directory of 100,000 people stays in the tens of megabytes.
 */
export class PeopleDirectory {
  readonly #options: HandleOptions;
  readonly #entries = new Map<string, DirectoryEntry>();
  readonly #byHandle = new MultiIndex();
  readonly #byBareMastodonUser = new MultiIndex();
  readonly #byEmail = new MultiIndex();
  readonly #byDomain = new MultiIndex();
  readonly #byHost = new MultiIndex();
  /** Surname token → the distinct names with it → their people (a name is compared once, not per person). */
  readonly #bySurname = new Map<string, Map<string, { name: PersonName; ids: Set<string> }>>();
  /** Listed handles by each of their one-character deletions (`x:ann_le` for `x:ann_lee`). */
  readonly #byHandleDeletion = new MultiIndex();

  /**
   * @param candidates the people to start with (converted Leads are skipped)
   * @param options `mastodonInstance`: the instance bare Mastodon handles in `Social_Handles__c` belong to
   */
  constructor(candidates: Iterable<PersonCandidate> = [], options: HandleOptions = {}) {
    this.#options = { ...options };
    for (const candidate of candidates) this.upsert(candidate);
  }

  /** The handle options this directory normalizes with (resolution uses the same). */
  get handleOptions(): Readonly<HandleOptions> {
    return this.#options;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Adds or replaces a person. A converted Lead is removed instead: it lives on as its Contact. */
  upsert(candidate: PersonCandidate): void {
    this.remove(candidate.id);
    if (candidate.type === 'Lead' && candidate.isConverted === true) return;
    const entry = toEntry(candidate, this.#options);
    this.#entries.set(entry.id, entry);
    this.#index(entry, 'add');
  }

  /** Removes a person; false when it was not there. */
  remove(id: string): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    this.#index(entry, 'delete');
    this.#entries.delete(id);
    return true;
  }

  get(id: string): DirectoryEntry | undefined {
    return this.#entries.get(id);
  }

  entries(): IterableIterator<DirectoryEntry> {
    return this.#entries.values();
  }

  /** People whose `Social_Handles__c` lists the (normalized) handle. */
  findByHandle(handle: SocialHandle): DirectoryEntry[] {
    return this.#lookup(this.#byHandle, handleKey(handle));
  }

  /**
   * People who listed a handle on the same network one edit (a character added, dropped or changed) away
   * from `handle`, with that handle: `ann_le` or `ann_lee1` for a listed `ann_lee`. Exact listings are not
   * included (see `findByHandle`). Handles shorter than 4 characters have no near misses.
   */
  findByHandleNearMiss(handle: SocialHandle): { entry: DirectoryEntry; listed: SocialHandle }[] {
    if (handle.handle.length < 4) return [];
    const ids = new Set<string>();
    const key = handleKey(handle);
    for (const id of this.#byHandleDeletion.get(key)) ids.add(id);
    for (const deleted of deletions(handle.handle)) {
      const variant = `${handle.network}:${deleted}`;
      for (const id of this.#byHandleDeletion.get(variant)) ids.add(id);
      for (const id of this.#byHandle.get(variant)) ids.add(id);
    }
    const found: { entry: DirectoryEntry; listed: SocialHandle }[] = [];
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry === undefined) continue;
      const listed = entry.handles.find(
        (h) =>
          h.network === handle.network && h.handle !== handle.handle && oneEditApart(h.handle, handle.handle),
      );
      if (listed !== undefined && !entry.handles.some((h) => handleKey(h) === key)) {
        found.push({ entry, listed });
      }
    }
    return found;
  }

  /** People who listed `mastodon:@user` without an instance (none known when their line was read). */
  findByBareMastodonUser(user: string): DirectoryEntry[] {
    return this.#lookup(this.#byBareMastodonUser, user.toLowerCase());
  }

  findByEmail(email: string): DirectoryEntry[] {
    const normalized = normalizeEmail(email);
    return normalized === null ? [] : this.#lookup(this.#byEmail, normalized);
  }

  /** People whose email or website is on this registrable domain (`acme.com`). */
  findByDomain(domain: string): DirectoryEntry[] {
    return this.#lookup(this.#byDomain, domain.toLowerCase());
  }

  /** People whose email host or website host is exactly this host (`ann.dev`). */
  findByHost(host: string): DirectoryEntry[] {
    return this.#lookup(this.#byHost, host.toLowerCase());
  }

  /**
   * People with a surname token among these folded tokens. With `accept`, only the people whose name it
   * accepts; it is called once per distinct name, so a surname shared by thousands costs a few calls.
   */
  findBySurnameTokens(tokens: Iterable<string>, accept?: (name: PersonName) => boolean): DirectoryEntry[] {
    const ids = new Set<string>();
    const decided = new Map<string, boolean>();
    for (const token of new Set(tokens)) {
      const names = this.#bySurname.get(token);
      if (names === undefined) continue;
      for (const [key, group] of names) {
        let ok = decided.get(key);
        if (ok === undefined) {
          ok = accept === undefined || accept(group.name);
          decided.set(key, ok);
        }
        if (ok) for (const id of group.ids) ids.add(id);
      }
    }
    const found: DirectoryEntry[] = [];
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry !== undefined) found.push(entry);
    }
    return found;
  }

  #lookup(index: MultiIndex, key: string): DirectoryEntry[] {
    const result: DirectoryEntry[] = [];
    for (const id of index.get(key)) {
      const entry = this.#entries.get(id);
      if (entry !== undefined) result.push(entry);
    }
    return result;
  }

  #surname(token: string, entry: DirectoryEntry, op: 'add' | 'delete'): void {
    let names = this.#bySurname.get(token);
    if (names === undefined) {
      if (op === 'delete') return;
      names = new Map();
      this.#bySurname.set(token, names);
    }
    let group = names.get(entry.nameKey);
    if (group === undefined) {
      if (op === 'delete') return;
      group = { name: entry.name, ids: new Set() };
      names.set(entry.nameKey, group);
    }
    if (op === 'add') {
      group.ids.add(entry.id);
      return;
    }
    group.ids.delete(entry.id);
    if (group.ids.size === 0) names.delete(entry.nameKey);
    if (names.size === 0) this.#bySurname.delete(token);
  }

  #index(entry: DirectoryEntry, op: 'add' | 'delete'): void {
    const apply = (index: MultiIndex, key: string): void => index[op](key, entry.id);
    for (const handle of entry.handles) {
      apply(this.#byHandle, handleKey(handle));
      if (handle.handle.length < 4 || handle.handle.startsWith('did:')) continue;
      for (const deleted of deletions(handle.handle))
        apply(this.#byHandleDeletion, `${handle.network}:${deleted}`);
    }
    for (const user of entry.bareMastodonUsers) apply(this.#byBareMastodonUser, user);
    if (entry.email !== null) apply(this.#byEmail, entry.email);
    for (const domain of entry.domains) apply(this.#byDomain, domain);
    for (const host of entry.hosts) apply(this.#byHost, host);
    for (const token of new Set(entry.name.last)) {
      if (token.length > 1) this.#surname(token, entry, op);
    }
  }
}
