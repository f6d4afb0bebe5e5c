import { DatabaseSync } from 'node:sqlite';
import { expect } from 'chai';
import { loadSchema } from '../src/schema/load-schema.ts';
import type { FieldDef, ObjectDef } from '../src/schema/model.ts';
import { standardObjects } from '../src/schema/standard-objects.ts';
import { SeedError, applySeed } from '../src/seed/apply-seed.ts';
import type { SeedSink } from '../src/seed/apply-seed.ts';
import { ADMIN_USER_REF, DEMO_BRAND, SEED_COLLECTIONS, isRef, ref, seedData } from '../src/seed/seed-data.ts';
import type { SeedData, SeedRecord, SeedValue } from '../src/seed/seed-data.ts';
import { RecordStore } from '../src/store/record-store.ts';
import { applyPost, emptyRollupState, influenceScore, rollupFields } from '../../server/src/scoring/index.ts';
import { createTables } from '../src/store/tables.ts';

const NOW = new Date('2025-06-02T15:30:00.000Z');
const HANDLE_LINE = /^(x|bluesky|mastodon|facebook|instagram):\S+$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function allRecords(data: SeedData): SeedRecord[] {
  return SEED_COLLECTIONS.flatMap(({ key }) => data[key]);
}

function refOf(value: SeedValue | undefined): string | undefined {
  return isRef(value) ? value.ref : undefined;
}

function text(record: SeedRecord, name: string): string {
  const value = record[name];
  if (typeof value !== 'string') throw new Error(`${record.ref}.${name} is not text: ${String(value)}`);
  return value;
}

function byRef(data: SeedData): Map<string, SeedRecord> {
  return new Map(allRecords(data).map((r) => [r.ref, r]));
}

/** A sink that hands out Ids like the org's (key prefix + counter) and remembers what it got. */
class FakeSink implements SeedSink {
  readonly inserted: { objectName: string; fields: Record<string, unknown>; id: string }[] = [];
  readonly #prefixes = new Map([
    ['User', '005'],
    ['Group', '00G'],
    ['QueueSobject', '03g'],
    ['GroupMember', '011'],
    ['BusinessHours', '01m'],
    ['Account', '001'],
    ['Contact', '003'],
    ['Lead', '00Q'],
    ['Case', '500'],
    ['Task', '00T'],
    ['Social_Persona__c', 'a00'],
    ['Social_Post__c', 'a01'],
    ['Social_Saved_Reply__c', 'a02'],
  ]);
  canSet?: SeedSink['canSet'];

  constructor(canSet?: SeedSink['canSet']) {
    if (canSet) this.canSet = canSet;
  }

  insert(objectName: string, fields: Record<string, unknown>): string {
    const prefix = this.#prefixes.get(objectName);
    if (!prefix) throw new Error(`unknown object ${objectName}`);
    const id = `${prefix}Fk${String(this.inserted.length + 1).padStart(13, '0')}`;
    this.inserted.push({ objectName, fields, id });
    return id;
  }
}

describe('seed data', () => {
  const data = seedData(NOW);
  const records = byRef(data);

  it('is the same for the same now, and uses no Math.random', () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error('the seed must not use Math.random');
    };
    try {
      expect(seedData(new Date(NOW.getTime()))).to.deep.equal(data);
    } finally {
      Math.random = original;
    }
  });

  it('moves every timestamp with now and keeps everything else, ids included', () => {
    const later = new Date(NOW.getTime() + 3 * 86_400_000 + 12_345);
    const shifted = seedData(later);
    const pairs = SEED_COLLECTIONS.flatMap(({ key }) =>
      data[key].map((r, i) => [r, shifted[key][i]] as const),
    );
    for (const [a, b] of pairs) {
      expect(b?.ref).to.equal(a.ref);
      for (const [name, value] of Object.entries(a)) {
        const other = b?.[name];
        if (typeof value === 'string' && DATETIME.test(value)) {
          expect(Date.parse(String(other)) - Date.parse(value), `${a.ref}.${name}`).to.equal(
            later.getTime() - NOW.getTime(),
          );
        } else if (typeof value === 'string' && DATE.test(value)) {
          expect(other, `${a.ref}.${name}`).to.match(DATE);
        } else {
          expect(other, `${a.ref}.${name}`).to.deep.equal(value);
        }
      }
    }
  });

  it('has the expected amount of each kind of record', () => {
    expect(data.users).to.have.length(3);
    expect(data.groups.length).to.be.within(1, 6);
    expect(data.queueSobjects.length).to.be.at.least(data.groups.length);
    expect(data.groupMembers.length).to.be.within(4, 12);
    expect(data.businessHours).to.have.length(1);
    expect(data.accounts.length).to.be.within(20, 30);
    expect(data.contacts.length).to.be.within(35, 45);
    expect(data.leads.length).to.be.within(12, 18);
    expect(data.cases.length).to.be.within(15, 25);
    expect(data.tasks.length).to.be.within(3, 12);
    expect(data.personas.length).to.be.within(15, 45);
    expect(data.posts.filter((p) => p['Is_Outbound__c'] === false).length).to.be.within(25, 60);
    expect(data.posts.filter((p) => p['Is_Outbound__c'] === true).length).to.be.within(5, 20);
    expect(data.savedReplies.length).to.be.within(2, 10);
  });

  it('has an admin named Dev Admin and two agents', () => {
    const admin = records.get(ADMIN_USER_REF);
    expect(admin).to.include({ FirstName: 'Dev', LastName: 'Admin' });
    expect(
      data.users.filter((u) => u.ref !== ADMIN_USER_REF).every((u) => /Agent/.test(text(u, 'Title'))),
    ).to.equal(true);
  });

  it('defines every ref once and points only at defined refs', () => {
    const refs = allRecords(data).map((r) => r.ref);
    expect(new Set(refs).size).to.equal(refs.length);
    for (const record of allRecords(data)) {
      for (const [name, value] of Object.entries(record)) {
        if (isRef(value))
          expect(records.has(value.ref), `${record.ref}.${name} → ${value.ref}`).to.equal(true);
      }
    }
  });

  it('points each lookup at a record of the right object', () => {
    const collectionOf = new Map<string, string>();
    for (const { key, objectName } of SEED_COLLECTIONS) {
      for (const r of data[key]) collectionOf.set(r.ref, objectName);
    }
    const targets: Record<string, string[]> = {
      AccountId: ['Account'],
      ParentId: ['Account'],
      ContactId: ['Contact'],
      OwnerId: ['User', 'Group'],
      QueueId: ['Group'],
      GroupId: ['Group'],
      UserOrGroupId: ['User', 'Group'],
      Done_By__c: ['User'],
      WhoId: ['Contact', 'Lead'],
      WhatId: ['Account', 'Case'],
      Contact__c: ['Contact'],
      Suggested_Contact__c: ['Contact'],
      Lead__c: ['Lead'],
      Account__c: ['Account'],
      Case__c: ['Case'],
      Persona__c: ['Social_Persona__c'],
      In_Reply_To__c: ['Social_Post__c'],
      Replied_By__c: ['User'],
    };
    for (const record of allRecords(data)) {
      for (const [name, value] of Object.entries(record)) {
        if (!isRef(value)) continue;
        expect(targets[name], `${record.ref}.${name}`).to.include(collectionOf.get(value.ref));
      }
    }
  });

  it('writes Social_Handles__c as network:handle lines, for most contacts but not all', () => {
    const withHandles = data.contacts.filter((c) => c['Social_Handles__c'] !== null);
    const share = 1 - withHandles.length / data.contacts.length;
    expect(share, 'share of contacts without handles').to.be.within(0.15, 0.35);
    for (const person of [...data.contacts, ...data.leads]) {
      const handles = person['Social_Handles__c'];
      if (handles === null || handles === undefined) continue;
      const lines = String(handles).split('\n');
      expect(lines.length, person.ref).to.be.within(1, 3);
      for (const line of lines) expect(line, person.ref).to.match(HANDLE_LINE);
    }
    expect(data.leads.filter((l) => l['Social_Handles__c'] !== null).length).to.be.at.least(4);
  });

  it('gives contacts emails on their company domain, and uses .example domains throughout', () => {
    for (const contact of data.contacts) {
      const account = records.get(refOf(contact['AccountId']) ?? '');
      expect(account, contact.ref).to.not.equal(undefined);
      const domain = new URL(text(account as SeedRecord, 'Website')).hostname.replace(/^www\./, '');
      expect(text(contact, 'Email'), contact.ref).to.match(
        new RegExp(`^[^@\\s]+@${domain.replaceAll('.', '\\.')}$`),
      );
    }
    for (const record of allRecords(data)) {
      for (const name of ['Email', 'SuppliedEmail', 'Username']) {
        const value = record[name];
        if (typeof value === 'string') expect(value, `${record.ref}.${name}`).to.match(/@[\w.-]+\.example$/);
      }
      if (typeof record['Website'] === 'string')
        expect(new URL(record['Website']).hostname).to.match(/\.example$/);
    }
  });

  it('has open and closed cases, several origins including Social, linked to contacts and their accounts', () => {
    const statuses = new Set(data.cases.map((c) => c['Status']));
    expect([...statuses]).to.include.members(['New', 'Working', 'Escalated', 'Closed']);
    expect(new Set(data.cases.map((c) => c['Priority']))).to.deep.equal(new Set(['High', 'Medium', 'Low']));
    expect([...new Set(data.cases.map((c) => c['Origin']))]).to.include.members([
      'Social',
      'Email',
      'Web',
      'Phone',
    ]);
    expect(data.cases.some((c) => c['Subject'] === 'Order #48213 arrived damaged')).to.equal(true);
    for (const c of data.cases) {
      const contactRef = refOf(c['ContactId']);
      if (contactRef === undefined) {
        expect(c['SuppliedEmail'], c.ref).to.be.a('string');
        continue;
      }
      expect(refOf(c['AccountId']), c.ref).to.equal(refOf(records.get(contactRef)?.['AccountId']));
    }
  });

  it('has posts on every network, in several languages, with every sentiment and intent', () => {
    const inbound = data.posts.filter((p) => p['Is_Outbound__c'] === false);
    expect(new Set(inbound.map((p) => p['Network__c']))).to.deep.equal(
      new Set(['x', 'bluesky', 'mastodon', 'facebook', 'instagram']),
    );
    expect([...new Set(inbound.map((p) => p['Language__c']))]).to.include.members([
      'en',
      'es',
      'fr',
      'de',
      'pt',
      'it',
    ]);
    expect(new Set(inbound.map((p) => p['Sentiment__c']))).to.deep.equal(
      new Set(['positive', 'neutral', 'negative']),
    );
    expect(new Set(inbound.map((p) => p['Intent__c']))).to.deep.equal(
      new Set(['complaint', 'question', 'praise', 'purchase_intent', 'other']),
    );
    expect(inbound.some((p) => p['Needs_Reply__c'] === true)).to.equal(true);
    expect(inbound.some((p) => p['Case__c'] !== null)).to.equal(true);
    expect(inbound.some((p) => p['Lead__c'] !== null)).to.equal(true);
    expect(inbound.some((p) => p['Contact__c'] === null && p['Lead__c'] === null)).to.equal(true);
  });

  it('keeps post fields consistent with each other and the contract', () => {
    const externalIds = data.posts.map((p) => text(p, 'External_Id__c'));
    expect(new Set(externalIds).size).to.equal(externalIds.length);
    for (const post of data.posts) {
      const network = text(post, 'Network__c');
      expect(text(post, 'External_Id__c'), post.ref).to.equal(
        `${network}:${text(post, 'Network_Post_Id__c')}`,
      );
      expect(text(post, 'External_Id__c'), post.ref).to.match(
        /^(x|bluesky|mastodon|facebook|instagram):\S+$/,
      );
      expect(text(post, 'Posted_At__c'), post.ref).to.match(DATETIME);
      expect(Date.parse(text(post, 'Posted_At__c')), post.ref).to.be.at.most(NOW.getTime());
      expect(() => new URL(text(post, 'Url__c')), post.ref).to.not.throw();
      expect(text(post, 'Body__c').length, post.ref).to.be.within(1, 32768);
      if (post['Is_Outbound__c'] === true) continue;
      const score = post['Sentiment_Score__c'];
      expect(score, post.ref).to.be.a('number').within(-1, 1);
      const sentiment = text(post, 'Sentiment__c');
      if (sentiment === 'positive') expect(score).to.be.above(0);
      if (sentiment === 'negative') expect(score).to.be.below(0);
      const persona = records.get(refOf(post['Persona__c']) ?? '');
      expect(persona, post.ref).to.not.equal(undefined);
      expect(post['Author_Handle__c'], post.ref).to.equal(persona?.['Handle__c']);
      expect(post['Network__c'], post.ref).to.equal(persona?.['Network__c']);
      expect(refOf(post['Contact__c']), post.ref).to.equal(refOf(persona?.['Contact__c']));
      expect(refOf(post['Lead__c']), post.ref).to.equal(refOf(persona?.['Lead__c']));
    }
  });

  it('gives X, Mastodon and Bluesky posts time-ordered ids, as those networks do', () => {
    for (const network of ['x', 'mastodon', 'bluesky']) {
      const keys = data.posts
        .filter((p) => p['Network__c'] === network)
        .sort((a, b) => text(a, 'Posted_At__c').localeCompare(text(b, 'Posted_At__c')))
        .map((p) => text(p, 'Network_Post_Id__c'));
      expect(keys.length, network).to.be.at.least(3);
      const sortable = network === 'bluesky' ? keys.map((k) => k.split('/').pop() ?? '') : keys;
      const ordered = [...sortable].sort((a, b) =>
        network === 'bluesky' ? a.localeCompare(b) : Number(BigInt(a) - BigInt(b)),
      );
      expect(sortable, network).to.deep.equal(ordered);
    }
    for (const post of data.posts.filter((p) => p['Network__c'] === 'bluesky')) {
      expect(text(post, 'Network_Post_Id__c')).to.match(
        /^at:\/\/did:plc:[a-z2-7]{24}\/app\.bsky\.feed\.post\/[2-7a-z]{13}$/,
      );
    }
  });

  it('has sent replies from the brand, after the post they answer and in its language', () => {
    const outbound = data.posts.filter((p) => p['Is_Outbound__c'] === true);
    for (const reply of outbound) {
      expect(reply['Status__c'], reply.ref).to.equal('Sent');
      const parent = records.get(refOf(reply['In_Reply_To__c']) ?? '');
      expect(parent, reply.ref).to.not.equal(undefined);
      if (!parent) continue;
      expect(parent['Is_Outbound__c']).to.equal(false);
      expect(parent['Needs_Reply__c'], parent.ref).to.equal(false);
      expect(parent['Replied_At__c']).to.equal(reply['Posted_At__c']);
      expect(Date.parse(text(reply, 'Posted_At__c'))).to.be.above(Date.parse(text(parent, 'Posted_At__c')));
      expect(reply['Network__c']).to.equal(parent['Network__c']);
      expect(reply['Language__c']).to.equal(parent['Language__c']);
      expect(reply['Author_Handle__c']).to.equal(DEMO_BRAND.handles[text(reply, 'Network__c') as 'x']);
      expect(reply['Thread_Root__c']).to.equal(parent['External_Id__c']);
    }
    const keys = outbound.map((r) => r['Idempotency_Key__c']);
    expect(new Set(keys).size).to.equal(keys.length);
  });

  it('keeps personas unique per network identity, with scores in range', () => {
    const externalIds = data.personas.map((p) => text(p, 'External_Id__c'));
    expect(new Set(externalIds).size).to.equal(externalIds.length);
    for (const persona of data.personas) {
      expect(
        text(persona, 'External_Id__c').startsWith(`${text(persona, 'Network__c')}:`),
        persona.ref,
      ).to.equal(true);
      expect(persona['Influence_Score__c'], persona.ref).to.be.within(0, 100);
      expect(persona['Advocacy_Score__c'], persona.ref).to.be.within(0, 100);
      const handleLine = `${text(persona, 'Network__c')}:${text(persona, 'Handle__c')}`;
      expect(handleLine).to.match(HANDLE_LINE);
      const contact = records.get(refOf(persona['Contact__c']) ?? refOf(persona['Lead__c']) ?? '');
      // A linked persona's handle is one the rep recorded on the contact or lead.
      if (contact)
        expect(String(contact['Social_Handles__c']).split('\n'), persona.ref).to.include(handleLine);
    }
    expect(data.personas.some((p) => p['Suggested_Contact__c'] !== null)).to.equal(true);
  });

  describe('every person is one identity', () => {
    const fold = (value: string): string =>
      value
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
    const handleKey = (network: string, handle: string): string =>
      `${network}:${handle.replace(/^@/, '').toLowerCase()}`;
    const people = [...data.contacts, ...data.leads];
    const personName = (person: SeedRecord): string =>
      `${text(person, 'FirstName')} ${text(person, 'LastName')}`;

    it('lists each handle for one person, and never for someone else than its persona’s person', () => {
      const owner = new Map<string, string>();
      for (const person of people) {
        for (const line of String(person['Social_Handles__c'] ?? '')
          .split('\n')
          .filter(Boolean)) {
          const [network = '', ...rest] = line.split(':');
          const key = handleKey(network, rest.join(':'));
          expect(owner.get(key) ?? person.ref, `${key} listed twice`).to.equal(person.ref);
          owner.set(key, person.ref);
        }
      }
      const personas = new Set<string>();
      for (const persona of data.personas) {
        const key = handleKey(text(persona, 'Network__c'), text(persona, 'Handle__c'));
        expect(personas.has(key), `two personas for ${key}`).to.equal(false);
        personas.add(key);
        const linked = refOf(persona['Contact__c']) ?? refOf(persona['Lead__c']);
        // An unlinked persona is a stranger, or someone a rep has yet to confirm: no one lists its handle.
        expect(owner.get(key), persona.ref).to.equal(linked);
      }
    });

    it('gives no two people one name, and no stranger the name of someone the CRM knows', () => {
      const names = [...people.map(personName), ...data.users.map(personName)].map(fold);
      expect(new Set(names).size, 'people and users with the same name').to.equal(names.length);
      const known = new Map(people.map((p) => [fold(personName(p)), p.ref]));
      const nameOwner = new Map<string, string>();
      for (const persona of data.personas) {
        const who =
          refOf(persona['Contact__c']) ??
          refOf(persona['Lead__c']) ??
          refOf(persona['Suggested_Contact__c']) ??
          persona.ref;
        const display = fold(text(persona, 'Display_Name__c'));
        expect(nameOwner.get(display) ?? who, `${display} shown by two people`).to.equal(who);
        nameOwner.set(display, who);
        const namesake = known.get(display);
        if (namesake !== undefined)
          expect(who, `${persona.ref} is named like ${namesake}`).to.equal(namesake);
      }
    });

    it('uses handles each network would hand out (X: 15 characters at most)', () => {
      const rules: Record<string, RegExp> = {
        x: /^@?[A-Za-z0-9_]{1,15}$/,
        instagram: /^@?[A-Za-z0-9._]{1,30}$/,
        facebook: /^(?=[A-Za-z0-9.]*[A-Za-z])[A-Za-z0-9.]{5,50}$/,
        mastodon: /^@?[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?@[a-z0-9.-]+\.[a-z]+$/,
        bluesky: /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*$/,
      };
      const lines = [
        ...people.flatMap((p) =>
          String(p['Social_Handles__c'] ?? '')
            .split('\n')
            .filter(Boolean),
        ),
        ...data.personas.map((p) => `${text(p, 'Network__c')}:${text(p, 'Handle__c')}`),
      ];
      for (const line of lines) {
        const [network = '', ...rest] = line.split(':');
        expect(rest.join(':'), line).to.match(rules[network] ?? /^$/);
      }
    });

    it('has customers answering each other in threads', () => {
      const replies = data.posts.filter((p) => p['Is_Outbound__c'] === false && refOf(p['In_Reply_To__c']));
      expect(replies.length).to.be.at.least(2);
      for (const reply of replies) {
        const parent = records.get(refOf(reply['In_Reply_To__c']) ?? '');
        expect(parent?.['Is_Outbound__c'], reply.ref).to.equal(false);
        expect(parent?.['Network__c'], reply.ref).to.equal(reply['Network__c']);
        expect(refOf(parent?.['Persona__c']), reply.ref).to.not.equal(refOf(reply['Persona__c']));
        expect(reply['Thread_Root__c'], reply.ref).to.equal(parent?.['Thread_Root__c']);
        expect(Date.parse(text(reply, 'Posted_At__c'))).to.be.above(
          Date.parse(text(parent!, 'Posted_At__c')),
        );
      }
    });

    it('links every Facebook handle a rep recorded to a persona (Facebook mentions carry no username)', () => {
      for (const person of people) {
        const lines = String(person['Social_Handles__c'] ?? '').split('\n');
        for (const line of lines.filter((l) => l.startsWith('facebook:'))) {
          const persona = data.personas.find(
            (p) =>
              p['Network__c'] === 'facebook' &&
              `facebook:${text(p, 'Handle__c')}` === line &&
              (refOf(p['Contact__c']) ?? refOf(p['Lead__c'])) === person.ref,
          );
          expect(persona, `${person.ref} ${line}`).to.not.equal(undefined);
        }
      }
    });
  });

  it('rolls social activity up onto contacts, leads and cases', () => {
    const ann = records.get('con-ann-lee');
    expect(ann?.['Last_Social_Activity__c']).to.match(DATETIME);
    expect(ann?.['Social_Sentiment__c']).to.be.a('number').below(0);
    expect(ann?.['Social_Influence__c']).to.be.a('number').within(0, 100);
    expect(records.get('con-david-cohen')?.['Last_Social_Activity__c']).to.equal(null);
    expect(records.get('lead-hana-sato')?.['Social_Influence__c']).to.be.a('number');
    expect(records.get('case-tent-pole')).to.include({
      Social_Network__c: 'x',
      Social_First_Response_Minutes__c: 22,
    });
    expect(records.get('case-damaged-48213')).to.include({
      Social_Network__c: 'x',
      Social_First_Response_Minutes__c: null,
    });
  });

  it("holds the product's own scores: what the sync's formulas make of the seeded posts, a detractor's advocacy 0", () => {
    const personas = data.personas;
    for (const persona of personas) {
      const followers = persona['Followers__c'] as number;
      expect(persona['Influence_Score__c'], persona.ref).to.equal(
        influenceScore({ followers, verified: persona['Verified__c'] === true }),
      );
      const own = data.posts.filter(
        (p) => refOf(p['Persona__c']) === persona.ref && p['Is_Outbound__c'] === false,
      );
      const negative = own.filter((p) => p['Sentiment__c'] === 'negative').length;
      const positive = own.filter((p) => p['Sentiment__c'] === 'positive').length;
      // Complaints and no kind word: a detractor, whatever the audience.
      if (negative > 0 && positive === 0) {
        expect(persona['Advocacy_Score__c'], `${persona.ref}: ${negative} negative`).to.equal(0);
      }
    }
    // Ann Lee complains (the damaged order): no advocate.
    expect(records.get('per-ann-lee-x')?.['Advocacy_Score__c']).to.equal(0);
    // A person's influence is the highest of their profiles; the sentiment the decayed average of their posts.
    for (const contact of data.contacts) {
      const theirs = personas.filter((p) => refOf(p['Contact__c']) === contact.ref);
      if (theirs.length === 0) continue;
      expect(contact['Social_Influence__c'], contact.ref).to.equal(
        Math.max(...theirs.map((p) => p['Influence_Score__c'] as number)),
      );
    }
    const annPosts = data.posts.filter(
      (p) => refOf(p['Contact__c']) === 'con-ann-lee' && p['Is_Outbound__c'] === false,
    );
    let state = emptyRollupState();
    for (const p of annPosts)
      state = applyPost(state, { score: p['Sentiment_Score__c'] as number, at: text(p, 'Posted_At__c') });
    expect(records.get('con-ann-lee')?.['Social_Sentiment__c']).to.equal(
      rollupFields(state, NOW).Social_Sentiment__c,
    );
  });

  it('has saved replies with {first_name} placeholders, active and not', () => {
    for (const reply of data.savedReplies) {
      expect(text(reply, 'Name').length).to.be.within(1, 80);
      expect(text(reply, 'Body__c')).to.include('{first_name}');
    }
    expect(new Set(data.savedReplies.map((r) => r['Active__c']))).to.deep.equal(new Set([true, false]));
  });

  describe('against the standard objects', () => {
    const objects = new Map(standardObjects().map((o) => [o.name, o]));
    const auditFields = new Set(['CreatedDate', 'LastModifiedDate']);

    function check(record: SeedRecord, object: ObjectDef): void {
      const fields = new Map(object.fields.map((f) => [f.name, f]));
      for (const [name, value] of Object.entries(record)) {
        // Custom fields come from manifests/; audit fields are sent only where the org allows them.
        if (name === 'ref' || name.endsWith('__c') || auditFields.has(name)) continue;
        const f: FieldDef | undefined = fields.get(name);
        expect(f, `${object.name}.${name} (${record.ref})`).to.not.equal(undefined);
        if (!f) continue;
        expect(f.createable, `${object.name}.${name} is createable`).to.equal(true);
        if (value === null) continue;
        // Queues take custom objects too: the schema from manifests/ lists them (checked below).
        const customObject = object.name === 'QueueSobject' && String(value).endsWith('__c');
        if (f.type === 'picklist' && !customObject) {
          expect(
            f.picklistValues.map((p) => p.value),
            `${record.ref}.${name}`,
          ).to.include(value);
        }
        if (typeof value === 'string' && f.length > 0) {
          expect(value.length, `${record.ref}.${name}`).to.be.at.most(f.length);
        }
        if (f.type === 'boolean') expect(value, `${record.ref}.${name}`).to.be.a('boolean');
        if (['int', 'currency', 'double'].includes(f.type)) expect(value).to.be.a('number');
        if (f.type === 'date') expect(value, `${record.ref}.${name}`).to.match(DATE);
      }
      for (const f of object.fields) {
        const required =
          !f.nillable &&
          f.createable &&
          f.type !== 'boolean' &&
          f.name !== 'OwnerId' &&
          f.defaultValue === null;
        if (required)
          expect(record[f.name], `${record.ref} needs ${f.name}`).to.not.equal(null).and.not.equal(undefined);
      }
    }

    for (const { key, objectName } of SEED_COLLECTIONS) {
      if (objectName.endsWith('__c')) continue;
      it(`uses only createable ${objectName} fields, with valid values`, () => {
        const object = objects.get(objectName);
        expect(object).to.not.equal(undefined);
        for (const record of data[key]) if (object) check(record, object);
      });
    }
  });
});

describe('applySeed', () => {
  const data = seedData(NOW);

  it('inserts every record once, parents before children, with refs turned into Ids', () => {
    const sink = new FakeSink();
    const ids = applySeed(data, sink);
    expect(sink.inserted).to.have.length(allRecords(data).length);
    expect(ids.size).to.equal(allRecords(data).length);

    const seen = new Set<string>();
    for (const { objectName, fields, id } of sink.inserted) {
      for (const [name, value] of Object.entries(fields)) {
        expect(value, `${objectName}.${name}`).to.not.equal(null).and.not.equal(undefined);
        expect(isRef(value), `${objectName}.${name}`).to.equal(false);
        if (typeof value === 'string' && /^[0-9a-zA-Z]{3}Fk\d{13}$/.test(value)) {
          expect(seen.has(value), `${objectName}.${name} points at a record inserted earlier`).to.equal(true);
        }
      }
      seen.add(id);
    }
  });

  it('inserts the collections in dependency order', () => {
    const sink = new FakeSink();
    applySeed(data, sink);
    const order = [...new Set(sink.inserted.map((i) => i.objectName))];
    expect(order).to.deep.equal(SEED_COLLECTIONS.map((c) => c.objectName));
  });

  it('maps every ref to the Id the sink returned for it', () => {
    const sink = new FakeSink();
    const ids = applySeed(data, sink);
    const reply = data.posts.find((p) => p['Is_Outbound__c'] === true);
    const replyId = ids.get(reply?.ref ?? '');
    const inserted = sink.inserted.find((i) => i.id === replyId);
    expect(inserted?.fields['In_Reply_To__c']).to.equal(ids.get(refOf(reply?.['In_Reply_To__c']) ?? ''));
    expect(inserted?.fields['Body__c']).to.equal(reply?.['Body__c']);
  });

  it('leaves audit fields out unless the sink allows them, and drops fields it refuses', () => {
    const plain = new FakeSink();
    applySeed(data, plain);
    expect(plain.inserted.some((i) => 'CreatedDate' in i.fields)).to.equal(false);

    const permissive = new FakeSink(
      (objectName, fieldName) => !(objectName === 'Social_Persona__c' && fieldName === 'Name'),
    );
    applySeed(data, permissive);
    const cases = permissive.inserted.filter((i) => i.objectName === 'Case');
    expect(cases.every((c) => typeof c.fields['CreatedDate'] === 'string')).to.equal(true);
    const personas = permissive.inserted.filter((i) => i.objectName === 'Social_Persona__c');
    expect(personas.some((p) => 'Name' in p.fields)).to.equal(false);
    expect(personas.every((p) => typeof p.fields['Handle__c'] === 'string')).to.equal(true);
  });

  it('reuses records that already exist instead of inserting them', () => {
    const sink = new FakeSink();
    const adminId = '005000000000001AAA';
    const ids = applySeed(data, sink, { existing: new Map([[ADMIN_USER_REF, adminId]]) });
    expect(ids.get(ADMIN_USER_REF)).to.equal(adminId);
    expect(sink.inserted.filter((i) => i.objectName === 'User')).to.have.length(data.users.length - 1);
    expect(sink.inserted.some((i) => i.fields['OwnerId'] === adminId)).to.equal(true);
  });

  it('orders records of one collection that point at each other', () => {
    const small: SeedData = {
      ...emptyData(),
      accounts: [
        { ref: 'child', Name: 'Child', ParentId: ref('parent') },
        { ref: 'parent', Name: 'Parent' },
      ],
    };
    const sink = new FakeSink();
    const ids = applySeed(small, sink);
    expect(sink.inserted.map((i) => i.fields['Name'])).to.deep.equal(['Parent', 'Child']);
    expect(sink.inserted[1]?.fields['ParentId']).to.equal(ids.get('parent'));
  });

  it('refuses unknown refs, duplicates, cycles and refs to later collections', () => {
    const cases: [string, Partial<SeedData>][] = [
      ['unknown ref', { accounts: [{ ref: 'a', Name: 'A', ParentId: ref('nope') }] }],
      [
        'defined twice',
        {
          accounts: [{ ref: 'a', Name: 'A' }],
          contacts: [{ ref: 'a', LastName: 'A' }],
        },
      ],
      [
        'cycle',
        {
          accounts: [
            { ref: 'a', Name: 'A', ParentId: ref('b') },
            { ref: 'b', Name: 'B', ParentId: ref('a') },
          ],
        },
      ],
      [
        'inserted later',
        {
          accounts: [{ ref: 'a', Name: 'A' }],
          contacts: [{ ref: 'c', LastName: 'C', AccountId: ref('a'), Case__c: ref('k') }],
          cases: [{ ref: 'k', Subject: 'K' }],
        },
      ],
    ];
    for (const [label, partial] of cases) {
      expect(() => applySeed({ ...emptyData(), ...partial }, new FakeSink()), label).to.throw(SeedError);
    }
  });
});

describe('seed data in the dev org', () => {
  const schema = loadSchema();
  const data = seedData(NOW);

  it('uses only createable fields of the schema built from manifests/, with valid picklist values', () => {
    for (const { key, objectName } of SEED_COLLECTIONS) {
      for (const record of data[key]) {
        for (const [name, value] of Object.entries(record)) {
          if (name === 'ref' || name === 'CreatedDate') continue;
          const f = schema.field(objectName, name);
          expect(f, `${objectName}.${name}`).to.not.equal(undefined);
          expect(f?.createable, `${objectName}.${name} is createable`).to.equal(true);
          if (!f || typeof value !== 'string' || f.picklistValues.length === 0) continue;
          const allowed = f.picklistValues.map((p) => p.value);
          for (const v of f.type === 'multipicklist' ? value.split(';') : [value]) {
            expect(allowed, `${record.ref}.${name}`).to.include(v);
          }
        }
      }
    }
  });

  it('loads into the record store, which derives names and closed flags', () => {
    const db = new DatabaseSync(':memory:');
    try {
      createTables(db, schema);
      const store = new RecordStore(db, schema, { now: () => NOW, userId: () => '005000000000001AAA' });
      const ids = applySeed(data, {
        insert: (objectName, fields) => store.create(objectName, fields),
        canSet: (objectName, fieldName) => schema.field(objectName, fieldName)?.createable === true,
      });
      for (const { key, objectName } of SEED_COLLECTIONS)
        expect(store.count(objectName)).to.equal(data[key].length);

      const object = (name: string) => {
        const found = schema.object(name);
        if (!found) throw new Error(`no ${name}`);
        return found;
      };
      const ann = store.getStored(object('Contact'), ids.get('con-ann-lee') ?? '');
      expect(ann?.['Name']).to.equal('Ann Lee');
      const closed = store.getStored(object('Case'), ids.get('case-wrong-size') ?? '');
      expect(closed?.['IsClosed']).to.equal(1);
      const open = store.getStored(object('Case'), ids.get('case-damaged-48213') ?? '');
      expect(open?.['IsClosed']).to.equal(0);
      expect(open?.['OwnerId']).to.equal(ids.get('grp-social-care'));
    } finally {
      db.close();
    }
  });
});

function emptyData(): SeedData {
  return {
    users: [],
    groups: [],
    queueSobjects: [],
    groupMembers: [],
    businessHours: [],
    accounts: [],
    contacts: [],
    leads: [],
    cases: [],
    tasks: [],
    personas: [],
    posts: [],
    savedReplies: [],
  };
}
