/**
 * Identity resolution at scale: 100,000 social personas resolved against an org of 200,000 people
 * (150,000 Contacts at 20,000 Accounts and 50,000 open Leads), against the same 100,000 personas on an
 * org of 20,000 people (15,000 Contacts at 2,000 Accounts, 5,000 Leads) as the same-run baseline.
 *
 * The population is synthetic but shaped like a real org: first and last names drawn from skewed lists
 * (so many people share a name, as in life: dozens of John Smiths), some with diacritics; work emails on
 * the account's domain for most Contacts and personal mail (gmail.com, …) for the rest and for most
 * Leads; a third of the people have handles in `Social_Handles__c` (x, Bluesky, Instagram, Mastodon).
 * The personas: 15 % use a handle listed on someone, 5 % write a person's email in their bio, 15 % show
 * a person's name and state the employer (`Engineer at <Account>`), 15 % a person's name with the company
 * only as a product they use (`love my <Account> gear`), 50 % strangers drawn from the same name lists.
 *
 * The people are written straight through the dev org's record store (one transaction), then loaded the
 * way the sync server loads them: `SalesforceCrmAdapter.loadPeople` through the counted
 * `SalesforceGateway` (SOQL with queryMore pages of 2,000), into a `PeopleDirectory`. Measured:
 * - `identity_load_200k_ms`: the load and directory build (query pages + upserts), and the CRM API calls
 *   it cost (`identity_load_calls_200k`, the dev org's own count of requests served);
 * - `identity_directory_build_200k_ms`: building the directory alone from the loaded records;
 * - `identity_directory_heap_200k_mb`: heap the directory holds (after a GC when run with --expose-gc);
 * - `identity_resolve_per_s`: personas resolved per second (`resolvePerson`, all 100,000, after a warm-up);
 * - `identity_calls_per_1000`: CRM API calls made per 1,000 resolutions (0: resolution reads only memory);
 * - the shares of personas linked and suggested, for a sense of what the population produced.
 */
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { createMetrics, SalesforceGateway, silentLogger } from '@socialcrm/server';
import { Author, type Network } from '../server/src/domain/mention.ts';
import { PeopleDirectory, type PersonCandidate } from '../server/src/identity/directory.ts';
import { resolvePerson } from '../server/src/identity/resolve.ts';
import { SalesforceCrmAdapter } from '../server/src/salesforce/crm-adapter.ts';
import type { PersonRecord } from '../server/src/sync/crm-port.ts';
import { result, type Benchmark, type BenchResult } from './harness.ts';

const PERSONAS = 100_000;

const FIRST = [
  'John',
  'Maria',
  'David',
  'Sarah',
  'Michael',
  'Anna',
  'James',
  'Laura',
  'Robert',
  'Emma',
  'Daniel',
  'Sofia',
  'José',
  'Chen',
  'Wei',
  'Priya',
  'Ahmed',
  'Fatima',
  'Olga',
  'Dmitry',
  'Jürgen',
  'Chloé',
  'Lucas',
  'Ana',
  'Mohammed',
  'Kim',
  'Hiroshi',
  'Yuki',
  'Liam',
  'Olivia',
  'Noah',
  'Ava',
  'Ethan',
  'Mia',
  'William',
  'Grace',
  'Thomas',
  'Nina',
  'Peter',
  'Julia',
  'Mark',
  'Elena',
  'Paul',
  'Irene',
  'Omar',
  'Zoë',
  'Søren',
  'Ines',
  'Raj',
  'Lena',
];
const LAST = [
  'Smith',
  'Garcia',
  'Chen',
  'Lee',
  'Johnson',
  'Müller',
  'Kim',
  'Patel',
  'Nguyen',
  'Brown',
  'Martin',
  'Rossi',
  'Ivanov',
  'Silva',
  'Wang',
  'Kowalski',
  'Jones',
  'Williams',
  'Taylor',
  'Davis',
  'López',
  'Schmidt',
  'Dubois',
  'Tanaka',
  'Sato',
  'Hansen',
  'Novak',
  'Horvat',
  'Costa',
  'Fischer',
  'Weber',
  'Wilson',
  'Anderson',
  'Thomas',
  'Moore',
  'Jackson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Walker',
  'Hall',
  'Young',
  'King',
  'Wright',
  'Scott',
  'Green',
  'Baker',
  'Adams',
  'Nelson',
  'Hill',
  'Campbell',
  'Mitchell',
  'Roberts',
  'Carter',
  'Phillips',
  'Evans',
  'Turner',
  'Torres',
  'Parker',
  'Collins',
  'Edwards',
  'Stewart',
  'Morris',
  'Murphy',
  'Cook',
  'Rogers',
  'Morgan',
  'Peterson',
  'Cooper',
  'Reed',
  'Bailey',
  'Bell',
  'Gómez',
  'Kelly',
  'Howard',
  'Ward',
  'Cox',
  'Díaz',
  'Richardson',
  'Wood',
  'Watson',
  'Brooks',
  'Bennett',
  'Gray',
  'James',
  'Reyes',
  'Cruz',
  'Hughes',
  'Price',
  'Myers',
  'Long',
  'Foster',
  'Sanders',
  'Ross',
  'Morales',
  'Powell',
  'Sullivan',
  'Russell',
  'Ortiz',
  'Jenkins',
  'Gutiérrez',
  'Perry',
  'Butler',
  'Barnes',
  'Fisher',
  'Henderson',
  'Coleman',
  'Simmons',
  'Patterson',
  'Jordan',
  'Reynolds',
  'Hamilton',
  'Graham',
  'Kowalczyk',
  'Wróbel',
  'Østergaard',
  'Al-Rashid',
  'Yılmaz',
];
const WORDS_A = [
  'North',
  'Blue',
  'Bright',
  'Iron',
  'Silver',
  'Red',
  'Green',
  'Quantum',
  'Summit',
  'River',
  'Stone',
  'Cedar',
  'Nova',
  'Atlas',
  'Pioneer',
  'Harbor',
  'Golden',
  'Crystal',
  'Rapid',
  'Prime',
];
const WORDS_B = [
  'Systems',
  'Labs',
  'Works',
  'Foods',
  'Logistics',
  'Bank',
  'Health',
  'Energy',
  'Media',
  'Motors',
  'Outfitters',
  'Software',
  'Analytics',
  'Robotics',
  'Retail',
  'Capital',
  'Dynamics',
  'Partners',
  'Textiles',
  'Airlines',
];
const MAIL = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'gmx.de'];
const NETWORKS: readonly Network[] = ['x', 'bluesky', 'instagram', 'mastodon'];
const STRANGER_BIOS = [
  'coffee, code, cats',
  'Dad. Runner. Opinions my own.',
  'photographer · travel · food',
  'PhD student, ML',
  'just vibes',
  '',
  'Nurse. Mum of two.',
  'music producer 🎧',
];

/** A deterministic pseudo-random stream (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An index skewed to the front of a list (a few names are very common, most are rare). */
function skewed(rand: () => number, length: number): number {
  return Math.min(length - 1, Math.floor(length * rand() ** 1.5));
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

interface Person {
  type: 'Contact' | 'Lead';
  first: string;
  last: string;
  email: string;
  company: string;
  handle: { network: Network; handle: string } | null;
}

interface Population {
  accounts: { name: string; website: string }[];
  people: Person[];
}

function population(people: number, seed: number): Population {
  const rand = random(seed);
  const accounts = Array.from({ length: people / 10 }, (_, i) => {
    const name =
      `${WORDS_A[i % WORDS_A.length]} ${WORDS_B[Math.floor(i / WORDS_A.length) % WORDS_B.length]} ${Math.floor(i / (WORDS_A.length * WORDS_B.length)) || ''}`.trim();
    return { name, website: `https://www.${slug(name)}.com` };
  });
  const list: Person[] = [];
  for (let i = 0; i < people; i++) {
    const type = i % 4 === 3 ? 'Lead' : 'Contact';
    const first = FIRST[skewed(rand, FIRST.length)]!;
    const last = LAST[skewed(rand, LAST.length)]!;
    const account = accounts[Math.floor(rand() * accounts.length)]!;
    const local = `${slug(first)}.${slug(last)}${i}`;
    const work = type === 'Contact' ? rand() < 0.7 : rand() < 0.2;
    const email = work ? `${local}@${slug(account.name)}.com` : `${local}@${MAIL[i % MAIL.length]}`;
    const network = NETWORKS[i % NETWORKS.length]!;
    const user = `${slug(first)}_${slug(last)}${i}`;
    const handle =
      rand() < 1 / 3
        ? {
            network,
            handle:
              network === 'bluesky'
                ? `${user.replace(/_/g, '')}.bsky.social`
                : network === 'mastodon'
                  ? `${user}@mastodon.social`
                  : user,
          }
        : null;
    list.push({ type, first, last, email, company: account.name, handle });
  }
  return { accounts, people: list };
}

/** Writes the population into the dev org's store in one transaction. */
function fill(org: DevOrg, pop: Population): void {
  const store = org.store;
  store.transaction(() => {
    const accountIds = new Map<string, string>();
    for (const a of pop.accounts) {
      accountIds.set(a.name, store.create('Account', { Name: a.name, Website: a.website }));
    }
    for (const p of pop.people) {
      const handles = p.handle === null ? null : `${p.handle.network}:@${p.handle.handle}`;
      if (p.type === 'Contact') {
        store.create('Contact', {
          FirstName: p.first,
          LastName: p.last,
          Email: p.email,
          AccountId: accountIds.get(p.company),
          Social_Handles__c: handles,
        });
      } else {
        store.create('Lead', {
          FirstName: p.first,
          LastName: p.last,
          Email: p.email,
          Company: p.company,
          Social_Handles__c: handles,
        });
      }
    }
  });
}

interface Persona {
  author: Author;
  network: Network;
}

function personas(pop: Population, count: number, seed: number): Persona[] {
  const rand = random(seed);
  const out: Persona[] = [];
  const pick = (): Person => pop.people[Math.floor(rand() * pop.people.length)]!;
  for (let i = 0; i < count; i++) {
    const bucket = i % 20;
    const network = NETWORKS[i % NETWORKS.length]!;
    let handle = `persona_${i}`;
    let displayName: string;
    let bio = STRANGER_BIOS[i % STRANGER_BIOS.length]!;
    let on = network;
    if (bucket < 3) {
      let p = pick();
      while (p.handle === null) p = pick();
      on = p.handle.network;
      handle = p.handle.handle;
      displayName = p.first;
    } else if (bucket < 4) {
      const p = pick();
      displayName = `${p.first} ${p.last[0]}.`;
      bio = `write me: ${p.email}`;
    } else if (bucket < 7) {
      const p = pick();
      displayName = `${p.first} ${p.last}`;
      bio = `Engineer at ${p.company}`;
    } else if (bucket < 10) {
      const p = pick();
      displayName = `${p.first} ${p.last}`;
      bio = `love my ${p.company} gear`;
    } else {
      displayName = `${FIRST[skewed(rand, FIRST.length)]} ${LAST[skewed(rand, LAST.length)]}`;
    }
    if (on === 'bluesky' && !handle.includes('.')) handle = `${handle.replace(/_/g, '-')}.bsky.social`;
    if (on === 'mastodon' && !handle.includes('@')) handle = `${handle}@mastodon.social`;
    out.push({ network: on, author: Author.parse({ id: `${on}-${i}`, handle, displayName, bio }) });
  }
  return out;
}

function candidate(person: PersonRecord): PersonCandidate {
  return {
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
  };
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1_048_576;
}

interface Measured {
  people: number;
  loadMs: number;
  loadCalls: number;
  buildMs: number;
  heapMb: number;
  perSecond: number;
  callsPer1000: number;
  linked: number;
  suggested: number;
}

async function measure(size: number, seed: number): Promise<Measured> {
  const org = await startDevOrg({ seed: false });
  try {
    const pop = population(size, seed);
    fill(org, pop);
    const gateway = new SalesforceGateway({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      apiVersion: org.apiVersion,
      metrics: createMetrics(),
      logger: silentLogger(),
    });
    const crm = new SalesforceCrmAdapter(gateway);

    const callsBefore = org.usage.used;
    const t0 = performance.now();
    const records = await crm.loadPeople(null);
    const loaded = new PeopleDirectory(records.map(candidate));
    const loadMs = performance.now() - t0;
    const loadCalls = org.usage.used - callsBefore;
    if (loaded.size !== size) throw new Error(`identity benchmark: loaded ${loaded.size} of ${size} people`);

    const heapBefore = heapMb();
    const t1 = performance.now();
    const directory = new PeopleDirectory(records.map(candidate));
    const buildMs = performance.now() - t1;
    const heap = heapMb() - heapBefore;

    const all = personas(pop, PERSONAS, seed + 1);
    for (const p of all.slice(0, 2_000)) resolvePerson(p.author, p.network, directory);
    const resolveCalls = org.usage.used;
    let linked = 0;
    let suggested = 0;
    const t2 = performance.now();
    for (const p of all) {
      const r = resolvePerson(p.author, p.network, directory);
      if (r.link !== null) linked++;
      else if (r.suggestion !== null) suggested++;
    }
    const resolveMs = performance.now() - t2;
    const calls = org.usage.used - resolveCalls;
    // Keep both directories alive until the heap was read.
    if (directory.size !== loaded.size) throw new Error('identity benchmark: directories differ');
    return {
      people: size,
      loadMs,
      loadCalls,
      buildMs,
      heapMb: heap,
      perSecond: (PERSONAS / resolveMs) * 1000,
      callsPer1000: (calls / PERSONAS) * 1000,
      linked: linked / PERSONAS,
      suggested: suggested / PERSONAS,
    };
  } finally {
    await org.close();
  }
}

export const identityBenchmark: Benchmark = {
  name: 'identity resolution',
  async run() {
    const small = await measure(20_000, 7);
    const large = await measure(200_000, 7);
    for (const m of [small, large]) {
      console.log(
        `identity: ${m.people} people loaded in ${m.loadMs.toFixed(0)} ms with ${m.loadCalls} calls ` +
          `(directory alone ${m.buildMs.toFixed(0)} ms, ${m.heapMb.toFixed(1)} MB); ${PERSONAS} personas at ` +
          `${m.perSecond.toFixed(0)}/s, ${m.callsPer1000} calls per 1,000; linked ${(100 * m.linked).toFixed(1)} %, ` +
          `suggested ${(100 * m.suggested).toFixed(1)} %`,
      );
    }
    const results: Record<string, BenchResult> = {
      identity_resolve_per_s: result(large.perSecond, 'personas/s', small.perSecond),
      identity_calls_per_1000: result(large.callsPer1000, 'calls', small.callsPer1000),
      identity_load_200k_ms: result(large.loadMs, 'ms', small.loadMs),
      identity_load_calls_200k: result(large.loadCalls, 'calls', small.loadCalls),
      identity_directory_build_200k_ms: result(large.buildMs, 'ms', small.buildMs),
      identity_directory_heap_200k_mb: result(large.heapMb, 'MB', small.heapMb),
      identity_linked_share: result(100 * large.linked, '%', 100 * small.linked),
      identity_suggested_share: result(100 * large.suggested, '%', 100 * small.suggested),
    };
    return results;
  },
};
