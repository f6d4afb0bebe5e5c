/**
 * Who posts in the demo: the people the CRM knows (Contacts and Leads, with the handles their
 * `Social_Handles__c` lists and, where the org has one, the persona each account already is: its
 * network user id and display name) and strangers the CRM has never heard of. Every account belongs to
 * exactly one person and shows that person's name, so a mention from a known handle lands on that
 * person's record and a stranger never poses as a customer.
 *
 * Built from what the org holds (`knownCast`), so a rep's edits and the personas earlier runs created
 * are honoured, plus the fixed `STRANGERS`; `castProblems` says what would break that promise.
 */

export const DEMO_NETWORKS = ['x', 'bluesky', 'mastodon', 'facebook', 'instagram'] as const;
export type DemoNetwork = (typeof DEMO_NETWORKS)[number];
export type DemoLanguage = 'en' | 'es' | 'fr' | 'de' | 'pt' | 'it';

/** One account of one person. */
export interface DemoAccount {
  network: DemoNetwork;
  /**
   * As `Social_Handles__c` writes it after `network:`, normalized: `ann_lee`, `keishabrown.bsky.social`,
   * `larsh@mastodon.social`, `liv.outdoors`, `jake.thompson.rafting`.
   */
  handle: string;
  /**
   * The network's user id the account already has in the CRM (X, Mastodon, Instagram, Facebook), so a
   * live mention is the same persona; null when the network is to make one up (Bluesky DIDs always
   * come from the local directory).
   */
  userId: string | null;
  displayName: string;
  followers: number;
  verified: boolean;
  bio: string;
}

export interface DemoPerson {
  /** The Contact or Lead Id, or `stranger:<handle line>`. */
  key: string;
  kind: 'Contact' | 'Lead' | 'stranger';
  name: string;
  /** What they write in: their country's language(s), and English. */
  languages: DemoLanguage[];
  accounts: DemoAccount[];
}

/** A Contact or Lead as the org holds it. */
export interface OrgPerson {
  id: string;
  type: 'Contact' | 'Lead';
  name: string;
  socialHandles: string | null;
  country: string | null;
}

/** A `Social_Persona__c` as the org holds it. */
export interface OrgPersona {
  id: string;
  externalId: string;
  network: string;
  handle: string | null;
  displayName: string | null;
  followers: number | null;
  verified: boolean;
  bio: string | null;
  /** The Contact or Lead it is linked to. */
  personId: string | null;
  /** A person a rep has yet to confirm: the persona is theirs, so the demo does not post as it. */
  suggestedId: string | null;
}

const COUNTRY_LANGUAGES: Record<string, DemoLanguage[]> = {
  france: ['fr'],
  belgium: ['fr'],
  canada: ['en', 'fr'],
  switzerland: ['de', 'fr', 'it'],
  germany: ['de'],
  austria: ['de'],
  italy: ['it'],
  spain: ['es'],
  chile: ['es'],
  argentina: ['es'],
  mexico: ['es'],
  brazil: ['pt'],
  portugal: ['pt'],
};

export function languagesOf(country: string | null): DemoLanguage[] {
  const own = COUNTRY_LANGUAGES[(country ?? '').trim().toLowerCase()] ?? [];
  return own.includes('en') ? own : [...own, 'en'];
}

/** The Mastodon instance local accounts belong to (the brand's home instance). */
export const HOME_INSTANCE = 'mastodon.social';

/** A handle in the form `DemoAccount.handle` keeps it: lower case, no `@`, Mastodon with its instance. */
export function normalizeHandle(network: DemoNetwork, handle: string): string {
  const bare = handle.trim().replace(/^@/, '').toLowerCase();
  return network === 'mastodon' && !bare.includes('@') ? `${bare}@${HOME_INSTANCE}` : bare;
}

/** `x:@ann_lee` → `{ network: 'x', handle: 'ann_lee' }`; null for a line naming no network we post on. */
export function parseHandleLine(line: string): { network: DemoNetwork; handle: string } | null {
  const colon = line.indexOf(':');
  if (colon < 0) return null;
  const network = line.slice(0, colon).trim().toLowerCase();
  const handle = line.slice(colon + 1).trim();
  if (!(DEMO_NETWORKS as readonly string[]).includes(network) || handle === '') return null;
  return { network: network as DemoNetwork, handle: normalizeHandle(network as DemoNetwork, handle) };
}

export const handleKey = (account: { network: DemoNetwork; handle: string }): string =>
  `${account.network}:${account.handle}`;

/** A modest audience when the org knows none: the same handle always gets the same number. */
function defaultFollowers(handle: string): number {
  let hash = 0;
  for (const ch of handle) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return 120 + (hash % 1400);
}

function networkUserId(persona: OrgPersona, network: DemoNetwork): string | null {
  if (network === 'bluesky') return null;
  const prefix = `${network}:`;
  return persona.externalId.startsWith(prefix) ? persona.externalId.slice(prefix.length) : null;
}

function accountOf(
  network: DemoNetwork,
  handle: string,
  name: string,
  persona: OrgPersona | undefined,
): DemoAccount {
  return {
    network,
    handle,
    userId: persona ? networkUserId(persona, network) : null,
    displayName: persona?.displayName || name,
    followers: persona?.followers ?? defaultFollowers(handle),
    verified: persona?.verified ?? false,
    bio: persona?.bio ?? '',
  };
}

/**
 * The people the org knows, each with the accounts their `Social_Handles__c` lists, and the org's
 * personas nobody is linked or suggested to (strangers the CRM has seen before).
 *
 * A Facebook mention carries a page-scoped id and a name, never the username a rep writes down: a
 * known person posts on Facebook only through a persona already linked to them.
 */
export function knownCast(people: readonly OrgPerson[], personas: readonly OrgPersona[]): DemoPerson[] {
  const cast: DemoPerson[] = [];
  const personaFor = (
    network: DemoNetwork,
    handle: string,
    personId: string | null,
  ): OrgPersona | undefined =>
    personas.find(
      (p) =>
        p.network === network &&
        p.personId === personId &&
        ((p.handle !== null && normalizeHandle(network, p.handle) === handle) ||
          (network === 'facebook' && personId !== null)),
    );
  for (const person of people) {
    const accounts: DemoAccount[] = [];
    for (const line of (person.socialHandles ?? '').split('\n')) {
      const parsed = parseHandleLine(line);
      if (!parsed || accounts.some((a) => handleKey(a) === handleKey(parsed))) continue;
      const persona = personaFor(parsed.network, parsed.handle, person.id);
      if (parsed.network === 'facebook' && !persona) continue;
      accounts.push(accountOf(parsed.network, parsed.handle, person.name, persona));
    }
    if (accounts.length === 0) continue;
    cast.push({
      key: person.id,
      kind: person.type,
      name: person.name,
      languages: languagesOf(person.country),
      accounts,
    });
  }
  for (const persona of personas) {
    if (persona.personId !== null || persona.suggestedId !== null || persona.handle === null) continue;
    if (!(DEMO_NETWORKS as readonly string[]).includes(persona.network)) continue;
    const network = persona.network as DemoNetwork;
    const handle = normalizeHandle(network, persona.handle);
    const name = persona.displayName || handle;
    cast.push({
      key: `stranger:${network}:${handle}`,
      kind: 'stranger',
      name,
      languages: ['en', 'es', 'fr', 'de', 'pt', 'it'],
      accounts: [accountOf(network, handle, name, persona)],
    });
  }
  return cast;
}

interface StrangerSpec {
  name: string;
  language: DemoLanguage;
  account: Omit<DemoAccount, 'displayName' | 'bio' | 'verified' | 'followers'> &
    Partial<Pick<DemoAccount, 'displayName' | 'bio' | 'verified' | 'followers'>>;
}

/**
 * People the CRM has never met: one account each (a stranger with purchase intent becomes one Lead, not
 * one per network), fixed ids so that a restart finds the personas the last run created, and names no
 * customer has.
 */
const STRANGER_SPECS: StrangerSpec[] = [
  {
    name: 'Trail & Summit Magazine',
    language: 'en',
    account: {
      network: 'x',
      handle: 'trailsummitmag',
      userId: '1187463020558209024',
      followers: 182_000,
      verified: true,
      bio: 'Gear tests, routes and stories from the backcountry since 1994.',
    },
  },
  {
    name: 'Kai Nakamura',
    language: 'en',
    account: { network: 'x', handle: 'kai_on_foot', userId: '1466021785301229570', followers: 840 },
  },
  {
    name: 'Luca Ferri',
    language: 'it',
    account: { network: 'x', handle: 'lucaferri_trek', userId: '1503377164021596161', followers: 1_260 },
  },
  {
    name: 'Wild Coast Adventures',
    language: 'en',
    account: {
      network: 'instagram',
      handle: 'wildcoastadventures',
      userId: '17841405566778899',
      followers: 96_400,
      verified: true,
      bio: 'Sea kayaking films from Tasmania to the Lofoten 🌊 New episode every Friday',
    },
  },
  {
    name: 'Priscila Andrade',
    language: 'pt',
    account: {
      network: 'instagram',
      handle: 'pri.andrade.trilhas',
      userId: '17841403322114455',
      followers: 14_200,
    },
  },
  {
    name: 'Sven Lindgren',
    language: 'en',
    account: {
      network: 'mastodon',
      handle: 'sven@fosstodon.org',
      userId: '109734118205561877',
      followers: 930,
    },
  },
  {
    name: 'Inés Navarro',
    language: 'es',
    account: {
      network: 'mastodon',
      handle: 'inesnavarro@mastodon.social',
      userId: '109801457733920184',
      followers: 410,
    },
  },
  {
    name: 'Élodie Garnier',
    language: 'fr',
    account: { network: 'bluesky', handle: 'elodiegarnier.bsky.social', userId: null, followers: 1_120 },
  },
  {
    name: 'Owen Price',
    language: 'en',
    account: { network: 'bluesky', handle: 'owenprice.bsky.social', userId: null, followers: 260 },
  },
  {
    name: 'Greta Hoffmann',
    language: 'de',
    account: {
      network: 'facebook',
      handle: 'greta.hoffmann.wandert',
      userId: '100087412239571',
      followers: 380,
    },
  },
  {
    name: 'Rui Carvalho',
    language: 'pt',
    account: { network: 'facebook', handle: 'rui.carvalho.pt', userId: '100081190347726', followers: 520 },
  },
];

export const STRANGERS: readonly DemoPerson[] = STRANGER_SPECS.map((s) => ({
  key: `stranger:${s.account.network}:${s.account.handle}`,
  kind: 'stranger',
  name: s.name,
  languages: [s.language],
  accounts: [
    {
      ...s.account,
      displayName: s.account.displayName ?? s.name,
      bio: s.account.bio ?? '',
      verified: s.account.verified ?? false,
      followers: s.account.followers ?? defaultFollowers(s.account.handle),
    },
  ],
}));

const fold = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * The people the org knows, then the strangers (the org's first, then `strangers`), leaving out a
 * stranger who is already in (an earlier run's persona) or who would make an identity ambiguous (say,
 * a persona a faulty run left with a customer's name on someone else's handle).
 */
export function demoCast(
  fromOrg: readonly DemoPerson[],
  strangers: readonly DemoPerson[] = STRANGERS,
): DemoPerson[] {
  const cast = fromOrg.filter((p) => p.kind !== 'stranger');
  let problems = castProblems(cast).length;
  for (const stranger of [...fromOrg.filter((p) => p.kind === 'stranger'), ...strangers]) {
    if (cast.some((p) => p.key === stranger.key)) continue;
    const after = castProblems([...cast, stranger]).length;
    if (after > problems) continue;
    cast.push(stranger);
    problems = after;
  }
  return cast;
}

/**
 * What makes two identities ambiguous: a handle that belongs to two people, a display name or name two
 * people share, an account id used twice. Empty when every person is one identity.
 */
export function castProblems(cast: readonly DemoPerson[]): string[] {
  const problems: string[] = [];
  const handleOwner = new Map<string, string>();
  const nameOwner = new Map<string, string>();
  const idOwner = new Map<string, string>();
  const claim = (owners: Map<string, string>, key: string, person: DemoPerson, what: string): void => {
    const owner = owners.get(key);
    if (owner !== undefined && owner !== person.key)
      problems.push(`${what} ${key} belongs to ${owner} and ${person.key}`);
    else owners.set(key, person.key);
  };
  for (const person of cast) {
    claim(nameOwner, fold(person.name), person, 'the name');
    for (const account of person.accounts) {
      claim(handleOwner, handleKey(account), person, 'the handle');
      if (fold(account.displayName) !== fold(person.name))
        claim(nameOwner, fold(account.displayName), person, 'the display name');
      if (account.userId !== null)
        claim(idOwner, `${account.network}:${account.userId}`, person, 'the user id');
    }
  }
  return problems;
}

/** A person's account on a network, found by its handle line (`x:@ann_lee`). */
export function findAccount(
  cast: readonly DemoPerson[],
  line: string,
): { person: DemoPerson; account: DemoAccount } | null {
  const wanted = parseHandleLine(line);
  if (!wanted) return null;
  for (const person of cast) {
    const account = person.accounts.find((a) => handleKey(a) === handleKey(wanted));
    if (account) return { person, account };
  }
  return null;
}
