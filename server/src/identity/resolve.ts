/**
 * Identity resolution: which Contact or Lead, if any, is behind a social author.
 *
 * Precision first: linking a post to the wrong person writes a stranger's complaint into a customer's
 * history, which is worse than no link. Only strong, unambiguous evidence links; everything else is a
 * suggestion for a rep, carrying its evidence in `reason`. Every signal gives a candidate person a
 * confidence; a person's confidence is the strongest of its signals (signals are not added up: two weak
 * hints stay weak and the reason stays explainable).
 *
 * | signal                                                                       | confidence          |
 * |------------------------------------------------------------------------------|---------------------|
 * | the persona is already linked to the person (`existingLink`)                 | 1.00                |
 * | the author's handle is listed in the person's `Social_Handles__c`            | 1.00                |
 * | an email address in the bio is the person's email                            | 0.95                |
 * | … but the profile shows another full name, or it is a shared mailbox          | 0.75                |
 * |   (`info@`, `support@`, `hello@` …) and the name does not confirm             |                     |
 * | a Bluesky handle on the person's own domain (their email/website host, no    | 0.90                |
 * |   one else on it), the name fits and no other full name is shown             |                     |
 * | a domain the profile claims (bio link, profile URL, Bluesky custom-domain     | 0.45 + 0.45 × name  |
 * |   handle, self-hosted Mastodon instance, a bio email's domain) is the         |                     |
 * |   person's email/website domain                                              |                     |
 * | … but the bio names that domain or the company as a customer                  | at most 0.75        |
 * | the name matches and the profile names the person's company as employer      | 0.90 × name         |
 * |   (see employment.ts: `engineer at Acme`, `CTO @ Acme`, `Ann Lee | Acme`)      |                     |
 * | … as a former employer (`ex-Acme`, `formerly Acme`)                           | 0.70 × name         |
 * | … in passing, without saying they work there                                 | 0.65 × name         |
 * | … not at all                                                                  | 0.60 × name         |
 * | … only as a customer, fan or complainer (`Acme fan`, `Acme printers ruined     | 0.55 × name         |
 * |   my life`, `#acme customer`, `love my Acme boots`)                           |                     |
 * | a bare `mastodon:@user` listed while no instance was known                   | 0.60                |
 * | the handle is one character off a handle listed on the person (a typo, or an | 0.55                |
 * |   impersonator)                                                              |                     |
 *
 * `name` is the name similarity 0..1 (see `nameSimilarity`/`handleNameSimilarity` in names.ts): folded
 * for case, diacritics and script (`José`/`Jose`, `Müller`/`Muller`, `Дмитрий`/`Dmitry`), nicknames,
 * shortened first names and initials allowed, surname weighted more than first name. So a domain match
 * with an exact name is 0.9 (a link at the default threshold 0.85), an exact name with the employer
 * stated is 0.9, a name with a nickname (`Bill` for `William`) and the employer 0.864; an initial with
 * the employer (0.756), a name alone (0.6), or a name whose company is only a product it uses stay
 * suggestions; a domain alone (0.45) is nothing.
 *
 * Measured on the hand-labelled set (server/test/identity/labelled/, 243 cases): automatic links are
 * 100 % precise on both splits, and link 87 % (dev) and 77 % (test) of the authors who are in the org;
 * the right person is offered (link, suggestion or alternative) for 99 % and 92 %.
 *
 * Then:
 * - Converted Leads are never candidates (the directory drops them).
 * - A Contact and a Lead that are the same person (same email, both listing the matched handle, or the
 *   same name at the same company or domain) count once, as the Contact, with the higher confidence.
 * - If the best two remaining people are within `tieMargin` (0.05) of each other, it is ambiguous: no
 *   link, the best (a Contact before a Lead) is a suggestion at most, the others are `alternatives`.
 * - Otherwise the best links when its confidence ≥ `threshold` (0.85), or is a suggestion when
 *   ≥ `suggestThreshold` (0.5).
 */
import type { Author, Network } from '../domain/mention.ts';
import type { DirectoryEntry, PeopleDirectory, PersonType } from './directory.ts';
import type { PersonName } from './names.ts';
import { profileEvidence } from './evidence.ts';
import type { ProfileEvidence } from './evidence.ts';
import { formatHandleLine } from './handles.ts';
import type { HandleOptions } from './handles.ts';
import { identifyingDomain } from './domains.ts';
import { companyReader, readCompany } from './employment.ts';
import type { CompanyContext, CompanyReading } from './employment.ts';
import { isCustomBlueskyDomain } from './evidence.ts';
import { firstNameSimilarity, handleNameTokens, handleTokensSimilarity, nameSimilarity } from './names.ts';

export interface PersonRef {
  id: string;
  type: PersonType;
}

export interface PersonMatch extends PersonRef {
  /** 0..1, rounded to 3 decimals. */
  confidence: number;
  /** Why, for people: `handle x:@ann_lee listed in Social_Handles__c`, `email ann@acme.com in bio`, … */
  reason: string;
}

export interface ResolveOptions extends HandleOptions {
  /** Link at or above this confidence. Default 0.85. */
  threshold?: number;
  /** Suggest (no link) at or above this confidence. Default 0.5. */
  suggestThreshold?: number;
  /** Two different people closer than this are a tie: never linked. Default 0.05. */
  tieMargin?: number;
  /** The persona's current `Contact__c`/`Lead__c`, when it has one. */
  existingLink?: PersonRef | null;
}

export interface Resolution {
  link: PersonMatch | null;
  /** The best candidate when there is no link (below threshold, or ambiguous). */
  suggestion: PersonMatch | null;
  /** Other candidates at or above `suggestThreshold`, best first (at most 5), for a "did you mean" list. */
  alternatives: PersonMatch[];
}

export const DEFAULT_THRESHOLD = 0.85;
export const DEFAULT_SUGGEST_THRESHOLD = 0.5;
export const DEFAULT_TIE_MARGIN = 0.05;

interface Scored {
  entry: DirectoryEntry;
  confidence: number;
  reason: string;
  /** Signals that matched (for the same-person check). */
  viaHandle: boolean;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Confidences of the signals (see the module comment). */
const HANDLE_LISTED = 1;
const EMAIL_IN_BIO = 0.95;
const EMAIL_DOUBTFUL = 0.75;
const DOMAIN_BASE = 0.45;
const DOMAIN_NAME = 0.45;
const DOMAIN_AS_CUSTOMER_CAP = 0.75;
const BARE_MASTODON = 0.6;
const HANDLE_NEAR_MISS = 0.55;
const VERIFIED_OWN_DOMAIN = 0.9;
const MIN_NAME_CANDIDATE = 0.3;
const NAME_WITH: Readonly<Record<CompanyContext, number>> = {
  employment: 0.9,
  former: 0.7,
  mention: 0.65,
  none: 0.6,
  customer: 0.55,
};

/** Shared mailboxes: an address like `info@acme.com` on a Contact says little about who writes a bio. */
const ROLE_MAILBOX =
  /^(?:info|support|help|hello|hi|contact|sales|admin|office|team|press|media|pr|hr|jobs|careers|billing|service|services|noreply|no-reply|mail|enquiries|inquiries|marketing|booking|bookings|management|mgmt|studio|shop|store|orders)$/;

/**
 * Whether the profile shows a full name (two or more words) that is not the person's: no likeness at all,
 * or another first name (`Maria Costa` citing `paul.costa@gmail.com`).
 */
function showsAnotherName(evidence: ProfileEvidence, entry: DirectoryEntry, name: number): boolean {
  if (evidence.nameTokens.length < 2) return false;
  if (name === 0) return true;
  return entry.name.first.length > 0 && firstNameSimilarity(evidence.nameTokens, entry.name) === 0;
}

/**
 * Tokens to look surnames up by: the display name's, the handle's parts, and for a run-together handle
 * (`emmaross`, `kimpark88`) each of its ends of 3+ letters, since a surname may start or end it.
 */
function surnameKeys(evidence: ProfileEvidence): string[] {
  const local = (evidence.handle.split('@')[0] ?? '').toLowerCase();
  const parts = local.split(/[^a-z]+/).filter((t) => t.length > 0);
  const keys = new Set([...evidence.nameTokens, ...parts]);
  for (const part of parts) {
    for (let i = 3; i <= part.length - 3; i++) {
      keys.add(part.slice(0, i));
      keys.add(part.slice(i));
    }
  }
  return [...keys];
}

function quoted(clause: string): string {
  return `'${clause}'`;
}

/** Why a name-only candidate got its confidence, with the clause that named the company. */
function nameReason(what: string, reading: CompanyReading): string {
  switch (reading.context) {
    case 'employment':
      return `${what} and company in profile as employer: ${quoted(reading.clause)}`;
    case 'former':
      return `${what}; company named as a former employer: ${quoted(reading.clause)}`;
    case 'mention':
      return `${what}; company named without saying they work there: ${quoted(reading.clause)}`;
    case 'customer':
      return `${what}; company named only as a customer: ${quoted(reading.clause)}`;
    case 'none':
      return what;
  }
}

/** Scores every person that any signal points at; one `Scored` per person, its strongest signal. */
export function scoreCandidates(evidence: ProfileEvidence, directory: PeopleDirectory): Scored[] {
  const scored = new Map<string, Scored>();
  const offer = (entry: DirectoryEntry, confidence: number, reason: string, viaHandle = false): void => {
    if (entry.candidate.isConverted === true && entry.type === 'Lead') return;
    const current = scored.get(entry.id);
    if (current === undefined || confidence > current.confidence) {
      scored.set(entry.id, {
        entry,
        confidence,
        reason,
        viaHandle: viaHandle || (current?.viaHandle ?? false),
      });
    } else if (viaHandle) {
      current.viaHandle = true;
    }
  };
  // Many people share a name and an employer: each distinct name and company is compared once.
  const handleTokens = handleNameTokens(evidence.handle);
  const names = new Map<string, number>();
  const similarity = (name: PersonName): number =>
    Math.max(nameSimilarity(evidence.nameTokens, name), handleTokensSimilarity(handleTokens, name));
  const nameOf = (entry: DirectoryEntry): number => {
    let score = names.get(entry.nameKey);
    if (score === undefined) {
      score = similarity(entry.name);
      names.set(entry.nameKey, score);
    }
    return score;
  };
  const readCompanyOf = companyReader(evidence.bio, evidence.nameRest);
  const companyOf = (entry: DirectoryEntry): CompanyReading => readCompanyOf(entry.company);

  for (const handle of evidence.ownHandles) {
    for (const entry of directory.findByHandle(handle)) {
      offer(entry, HANDLE_LISTED, `handle ${formatHandleLine(handle)} listed in Social_Handles__c`, true);
    }
    for (const { entry, listed } of directory.findByHandleNearMiss(handle)) {
      offer(
        entry,
        HANDLE_NEAR_MISS,
        `handle ${formatHandleLine(handle)} is one character off ${formatHandleLine(listed)} listed in ` +
          'Social_Handles__c (a typo, or someone else)',
      );
    }
    if (handle.network === 'mastodon' && handle.handle.includes('@')) {
      const user = handle.handle.split('@')[0] ?? '';
      for (const entry of directory.findByBareMastodonUser(user)) {
        offer(entry, BARE_MASTODON, `Mastodon user @${user} listed without an instance in Social_Handles__c`);
      }
    }
  }

  for (const email of evidence.emails) {
    for (const entry of directory.findByEmail(email)) {
      const local = email.split('@')[0] ?? '';
      const name = nameOf(entry);
      if (showsAnotherName(evidence, entry, name)) {
        offer(entry, EMAIL_DOUBTFUL, `email ${email} in bio, but the profile shows another name`);
      } else if (ROLE_MAILBOX.test(local) && name < 0.8) {
        offer(entry, EMAIL_DOUBTFUL, `shared mailbox ${email} in bio, name does not confirm`);
      } else {
        offer(entry, EMAIL_IN_BIO, `email ${email} in bio`);
      }
    }
  }

  for (const domain of evidence.domains) {
    const asCustomer = readCompany(evidence.bio, '', domain.split('.')[0] ?? '');
    for (const entry of directory.findByDomain(domain)) {
      const name = nameOf(entry);
      const what = name >= 0.8 ? ' and name match' : name > 0 ? ' and partial name match' : '';
      const confidence = DOMAIN_BASE + DOMAIN_NAME * name;
      const company = companyOf(entry);
      if (asCustomer.context === 'customer' || company.context === 'customer') {
        const clause = asCustomer.context === 'customer' ? asCustomer.clause : company.clause;
        offer(
          entry,
          Math.min(confidence, DOMAIN_AS_CUSTOMER_CAP),
          `domain ${domain} in profile${what}, but named as a customer: ${quoted(clause)}`,
        );
      } else {
        offer(entry, confidence, `domain ${domain} in profile${what}`);
      }
    }
  }

  // A Bluesky handle on a domain is proved by DNS or a file on that domain: the account controls it.
  const verified = evidence.network === 'bluesky' ? evidence.ownHandles.map((h) => h.handle) : [];
  for (const host of verified.filter((h) => !h.startsWith('did:') && isCustomBlueskyDomain(h))) {
    const domain = identifyingDomain(host);
    if (domain === null) continue;
    const onDomain = directory.findByDomain(domain);
    for (const entry of directory.findByHost(host)) {
      const name = nameOf(entry);
      if (onDomain.length !== 1 || name === 0 || showsAnotherName(evidence, entry, name)) continue;
      offer(
        entry,
        VERIFIED_OWN_DOMAIN,
        `Bluesky handle ${host} is the person's own domain, and the name fits`,
      );
    }
  }

  for (const email of evidence.emails) {
    const domain = identifyingDomain(email.split('@')[1] ?? '');
    if (domain === null) continue;
    for (const entry of directory.findByDomain(domain)) {
      const name = nameOf(entry);
      if (name === 0) continue;
      const what = name >= 0.8 ? 'name match' : 'partial name match';
      offer(entry, DOMAIN_BASE + DOMAIN_NAME * name, `${what} and email on ${domain} in bio`);
    }
  }

  // Below MIN_NAME_CANDIDATE not even a stated employer lifts a name to a suggestion (a surname alone,
  // another first name): those people are not looked at.
  const worthALook = (name: PersonName): boolean =>
    NAME_WITH.employment * similarity(name) >= MIN_NAME_CANDIDATE;
  for (const entry of directory.findBySurnameTokens(surnameKeys(evidence), worthALook)) {
    const name = nameOf(entry);
    const reading = companyOf(entry);
    const what = name >= 0.8 ? 'name match' : 'partial name match';
    offer(entry, NAME_WITH[reading.context] * name, nameReason(what, reading));
  }

  return [...scored.values()];
}

function samePerson(contact: Scored, lead: Scored): boolean {
  const c = contact.entry;
  const l = lead.entry;
  if (c.email !== null && c.email === l.email) return true;
  if (contact.viaHandle && lead.viaHandle) return true;
  if (c.fullName === '' || c.fullName !== l.fullName) return false;
  return (c.company !== '' && c.company === l.company) || c.domains.some((d) => l.domains.includes(d));
}

/** Folds each Lead that is the same person as a scored Contact into that Contact. */
function preferContacts(scored: Scored[]): Scored[] {
  const contacts = scored.filter((s) => s.entry.type === 'Contact');
  const result = [...contacts];
  for (const lead of scored.filter((s) => s.entry.type === 'Lead')) {
    const contact = contacts.find((c) => samePerson(c, lead));
    if (contact === undefined) {
      result.push(lead);
    } else if (lead.confidence > contact.confidence) {
      contact.confidence = lead.confidence;
      contact.reason = `${lead.reason} (on Lead ${lead.entry.id}, same person)`;
    }
  }
  return result;
}

function toMatch(s: Scored, reason = s.reason): PersonMatch {
  return { id: s.entry.id, type: s.entry.type, confidence: round(s.confidence), reason };
}

/** Picks link/suggestion from scored people (see the module comment). Shared with cross-network linking. */
export function decide(scored: Scored[], options: ResolveOptions): Resolution {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const suggestThreshold = options.suggestThreshold ?? DEFAULT_SUGGEST_THRESHOLD;
  const tieMargin = options.tieMargin ?? DEFAULT_TIE_MARGIN;
  const ranked = preferContacts(scored).sort(
    (a, b) =>
      b.confidence - a.confidence ||
      (a.entry.type === b.entry.type ? 0 : a.entry.type === 'Contact' ? -1 : 1) ||
      a.entry.id.localeCompare(b.entry.id),
  );
  const [best, second] = ranked;
  const alternativesFrom = (start: number): PersonMatch[] =>
    ranked
      .slice(start)
      .filter((s) => s.confidence >= suggestThreshold)
      .slice(0, 5)
      .map((s) => toMatch(s));
  if (best === undefined) return { link: null, suggestion: null, alternatives: [] };
  const tied = second !== undefined && best.confidence - second.confidence < tieMargin;
  if (!tied && best.confidence >= threshold) {
    return { link: toMatch(best), suggestion: null, alternatives: alternativesFrom(1) };
  }
  if (best.confidence < suggestThreshold) return { link: null, suggestion: null, alternatives: [] };
  const reason = tied
    ? `${best.reason}; ambiguous: ${second.entry.type} ${second.entry.id} matches as well`
    : `${best.reason}; below the link threshold`;
  return { link: null, suggestion: toMatch(best, reason), alternatives: alternativesFrom(1) };
}

/**
 * The Contact or Lead behind `author` on `network`: a link when the evidence is strong and unambiguous,
 * else a suggestion for a rep to confirm, else nothing. Pure: reads only `directory`.
 */
export function resolvePerson(
  author: Author,
  network: Network,
  directory: PeopleDirectory,
  options: ResolveOptions = {},
): Resolution {
  const existing = options.existingLink ?? null;
  if (existing !== null) {
    const entry = directory.get(existing.id);
    if (entry !== undefined && entry.type === existing.type) {
      return {
        link: { ...existing, confidence: 1, reason: 'existing persona link' },
        suggestion: null,
        alternatives: [],
      };
    }
  }
  const evidence = profileEvidence(author, network, {
    ...directory.handleOptions,
    ...pickHandleOptions(options),
  });
  return decide(scoreCandidates(evidence, directory), options);
}

function pickHandleOptions(options: ResolveOptions): HandleOptions {
  return options.mastodonInstance === undefined ? {} : { mastodonInstance: options.mastodonInstance };
}

export type { Scored };
