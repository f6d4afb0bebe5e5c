/**
 * The demo as data: the cast built from the dev org's seed, and the demo week it plays. Every person
 * is one identity, every mention from a known person's account would resolve to that person (checked
 * with the sync server's own identity resolution, read-only), strangers resolve to nobody, and the week
 * looks like a real brand's.
 */
import { expect } from 'chai';
import { isRef, seedData } from '../../dev-org/src/seed/seed-data.ts';
import type { SeedRecord, SeedValue } from '../../dev-org/src/seed/seed-data.ts';
import { PeopleDirectory, resolvePerson } from '../../server/src/identity/index.ts';
import type { PersonCandidate } from '../../server/src/identity/index.ts';
import type { Author, Network } from '../../server/src/domain/mention.ts';
import {
  STRANGERS,
  castProblems,
  demoCast,
  findAccount,
  knownCast,
  type DemoAccount,
  type DemoPerson,
  type OrgPerson,
  type OrgPersona,
} from '../src/demo-cast.ts';
import { DEMO_WEEK } from '../src/demo-week.ts';

const seed = seedData(new Date('2025-06-02T15:30:00.000Z'));
const refOf = (value: SeedValue | undefined): string | null => (isRef(value) ? value.ref : null);
const str = (value: SeedValue | undefined): string | null => (typeof value === 'string' ? value : null);
const fullName = (r: SeedRecord): string => `${str(r['FirstName']) ?? ''} ${str(r['LastName']) ?? ''}`.trim();
const byRef = new Map([...seed.accounts, ...seed.contacts, ...seed.leads].map((r) => [r.ref, r]));

/** The seed as the networks process reads it from the org (refs stand in for Ids). */
const orgPeople: OrgPerson[] = [
  ...seed.contacts.map((c) => ({
    id: c.ref,
    type: 'Contact' as const,
    name: fullName(c),
    socialHandles: str(c['Social_Handles__c']),
    country: str(c['MailingCountry']),
  })),
  ...seed.leads.map((l) => ({
    id: l.ref,
    type: 'Lead' as const,
    name: fullName(l),
    socialHandles: str(l['Social_Handles__c']),
    country: str(l['Country']),
  })),
].filter((p) => p.socialHandles !== null);

const orgPersonas: OrgPersona[] = seed.personas.map((p) => ({
  id: p.ref,
  externalId: String(p['External_Id__c']),
  network: String(p['Network__c']),
  handle: str(p['Handle__c']),
  displayName: str(p['Display_Name__c']),
  followers: typeof p['Followers__c'] === 'number' ? p['Followers__c'] : null,
  verified: p['Verified__c'] === true,
  bio: str(p['Bio__c']),
  personId: refOf(p['Contact__c']) ?? refOf(p['Lead__c']),
  suggestedId: refOf(p['Suggested_Contact__c']) ?? refOf(p['Suggested_Lead__c']),
}));

/** The sync server's directory of the seed's people, as it loads it from the org. */
const directory = new PeopleDirectory(
  [...seed.contacts, ...seed.leads].map((r): PersonCandidate => {
    const account = byRef.get(refOf(r['AccountId']) ?? '');
    return {
      id: r.ref,
      type: r.ref.startsWith('lead-') ? 'Lead' : 'Contact',
      firstName: str(r['FirstName']),
      lastName: str(r['LastName']),
      email: str(r['Email']),
      ...(account ? { accountName: str(account['Name']) } : { company: str(r['Company']) }),
      website: str(r['Website']) ?? (account ? str(account['Website']) : null),
      socialHandles: str(r['Social_Handles__c']),
    };
  }),
);

/** The author a connector makes of a post by `account` (Facebook gives a name, never a username). */
function authorOf(account: DemoAccount): Author {
  const profile: Record<DemoAccount['network'], string> = {
    x: `https://x.com/${account.handle}`,
    bluesky: `https://bsky.app/profile/${account.handle}`,
    mastodon: `https://${account.handle.split('@')[1] ?? 'mastodon.social'}/@${account.handle.split('@')[0]}`,
    instagram: `https://www.instagram.com/${account.handle}/`,
    facebook: `https://www.facebook.com/${account.userId ?? ''}`,
  };
  return {
    id: account.userId ?? `did:plc:${account.handle.replace(/[^a-z]/g, '').slice(0, 24)}`,
    handle: account.network === 'facebook' ? account.displayName : account.handle,
    displayName: account.displayName,
    followers: account.followers,
    following: null,
    verified: account.verified,
    profileUrl: profile[account.network],
    bio: account.bio,
    avatarUrl: null,
  };
}

/** Who the sync server would link a mention by `account` to. */
function resolve(account: DemoAccount) {
  const persona = orgPersonas.find(
    (p) => account.userId !== null && p.externalId === `${account.network}:${account.userId}`,
  );
  const existingLink =
    persona?.personId == null
      ? null
      : {
          id: persona.personId,
          type: persona.personId.startsWith('lead-') ? ('Lead' as const) : ('Contact' as const),
        };
  return resolvePerson(authorOf(account), account.network as Network, directory, {
    existingLink,
    mastodonInstance: 'mastodon.social',
  });
}

describe('the demo cast and its week', () => {
  const cast = demoCast(knownCast(orgPeople, orgPersonas));
  const known = cast.filter((p) => p.kind !== 'stranger');
  const strangers = cast.filter((p) => p.kind === 'stranger');
  const authorOfBeat = (by: string): { person: DemoPerson; account: DemoAccount } => {
    const found = findAccount(cast, by);
    if (!found) throw new Error(`no one in the cast posts as ${by}`);
    return found;
  };

  it('makes every person one identity: no shared handle, display name or user id', () => {
    expect(castProblems(cast)).to.deep.equal([]);
    // Every stranger made it into the cast: none collides with someone the CRM knows.
    for (const stranger of STRANGERS)
      expect(
        cast.map((p) => p.key),
        stranger.name,
      ).to.include(stranger.key);
  });

  it('posts as the persona the CRM already has for an account (same id, same name)', () => {
    for (const person of known) {
      for (const account of person.accounts) {
        const persona = orgPersonas.find(
          (p) => p.personId === person.key && p.network === account.network && account.network !== 'bluesky',
        );
        if (!persona) continue;
        expect(`${account.network}:${account.userId}`, `${person.name} ${account.handle}`).to.equal(
          persona.externalId,
        );
        expect(account.displayName, `${person.name} ${account.handle}`).to.equal(persona.displayName);
      }
    }
  });

  it('resolves every known person’s mention to that person, with the sync server’s identity code', () => {
    let checked = 0;
    for (const person of known) {
      for (const account of person.accounts) {
        const resolution = resolve(account);
        expect(resolution.link?.id, `${person.name} on ${account.network} as ${account.handle}`).to.equal(
          person.key,
        );
        checked += 1;
      }
    }
    expect(checked).to.be.at.least(40);
  });

  it('resolves strangers to nobody: no link, and no suggestion that they might be a customer', () => {
    for (const person of strangers) {
      for (const account of person.accounts) {
        const resolution = resolve(account);
        expect(resolution.link, `${person.name} (${account.handle})`).to.equal(null);
        expect(resolution.suggestion, `${person.name} (${account.handle})`).to.equal(null);
      }
      // One account each: purchase intent makes at most one Lead of a stranger.
      expect(person.accounts, person.name).to.have.length(1);
    }
  });

  it('has every author of the week in the cast, writing in a language of theirs', () => {
    for (const beat of DEMO_WEEK) {
      const { person } = authorOfBeat(beat.by);
      expect(person.languages, `${beat.id} by ${person.name}`).to.include(beat.lang);
    }
  });

  it('is mostly customers the CRM knows, some strangers, on every network, in six languages', () => {
    const kinds = DEMO_WEEK.map((b) => authorOfBeat(b.by).person.kind);
    const knownShare = kinds.filter((k) => k !== 'stranger').length / kinds.length;
    expect(knownShare).to.be.within(0.55, 0.8);
    expect(new Set(DEMO_WEEK.map((b) => b.by.split(':')[0]))).to.have.property('size', 5);
    expect(new Set(DEMO_WEEK.map((b) => b.lang))).to.have.property('size', 6);
    expect(new Set(DEMO_WEEK.map((b) => b.intent))).to.deep.equal(
      new Set(['complaint', 'question', 'praise', 'purchase_intent', 'other']),
    );
    const people = new Set(DEMO_WEEK.map((b) => authorOfBeat(b.by).person.key));
    expect(people.size).to.be.at.least(35);
    const influential = new Set(
      DEMO_WEEK.map((b) => authorOfBeat(b.by))
        .filter((a) => a.account.followers >= 20_000)
        .map((a) => a.person.key),
    );
    expect(influential.size).to.be.at.least(3);
  });

  it('has threads where people answer each other on the same network', () => {
    const replies = DEMO_WEEK.filter((b) => b.replyTo !== undefined);
    const between = replies.filter((reply) => {
      const index = DEMO_WEEK.indexOf(reply);
      const parent = DEMO_WEEK.findIndex((b) => b.id === reply.replyTo);
      expect(parent, reply.id).to.be.within(0, index - 1);
      const other = DEMO_WEEK[parent]!;
      expect(other.by.split(':')[0], reply.id).to.equal(reply.by.split(':')[0]);
      return authorOfBeat(other.by).person.key !== authorOfBeat(reply.by).person.key;
    });
    expect(between.length).to.be.at.least(4);
    expect(new Set(DEMO_WEEK.map((b) => b.id)).size).to.equal(DEMO_WEEK.length);
  });
});
