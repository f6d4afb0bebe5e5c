import { expect } from 'chai';
import { PeopleDirectory } from '../../src/identity/directory.ts';
import { resolvePerson } from '../../src/identity/resolve.ts';
import { author, contact, lead } from './fixtures.ts';

describe('identity/resolvePerson', () => {
  const ann = contact({
    id: '003ANN',
    firstName: 'Ann',
    lastName: 'Lee',
    email: 'ann.lee@acme.com',
    accountName: 'Acme, Inc.',
    website: 'https://www.acme.com',
    socialHandles: 'x:@Ann_Lee\nbluesky:ann.bsky.social',
  });
  const jose = contact({
    id: '003JOSE',
    firstName: 'José',
    lastName: 'Álvarez',
    email: 'jose@globex.com',
    accountName: 'Globex Corporation',
  });
  const bob = contact({ id: '003BOB', firstName: 'Robert', lastName: 'Stone', email: 'bob@gmail.com' });

  it('links a handle listed in Social_Handles__c with full confidence, whatever its case', () => {
    const directory = new PeopleDirectory([ann, jose, bob]);
    const result = resolvePerson(author({ handle: 'ANN_LEE', displayName: 'Someone' }), 'x', directory);
    expect(result.link).to.deep.include({ id: '003ANN', type: 'Contact', confidence: 1 });
    expect(result.link?.reason).to.contain('x:@ann_lee');
    expect(result.suggestion).to.equal(null);
  });

  it('keeps an existing persona link', () => {
    const directory = new PeopleDirectory([ann, bob]);
    const result = resolvePerson(author({ handle: 'nobody' }), 'x', directory, {
      existingLink: { id: '003BOB', type: 'Contact' },
    });
    expect(result.link).to.deep.equal({
      id: '003BOB',
      type: 'Contact',
      confidence: 1,
      reason: 'existing persona link',
    });
  });

  it('re-resolves when the linked person is gone', () => {
    const directory = new PeopleDirectory([ann]);
    const result = resolvePerson(author({ handle: 'ann_lee' }), 'x', directory, {
      existingLink: { id: '00QGONE', type: 'Lead' },
    });
    expect(result.link?.id).to.equal('003ANN');
  });

  it('links an email written in the bio', () => {
    const directory = new PeopleDirectory([ann, jose, bob]);
    const result = resolvePerson(
      author({ handle: 'stoner', displayName: 'R.', bio: 'Write me: Bob@Gmail.com' }),
      'bluesky',
      directory,
    );
    expect(result.link).to.deep.include({ id: '003BOB', confidence: 0.95 });
    expect(result.link?.reason).to.equal('email bob@gmail.com in bio');
  });

  it('links a company domain in the bio when the name matches too', () => {
    const directory = new PeopleDirectory([ann, jose, bob]);
    const result = resolvePerson(
      author({ handle: 'al', displayName: 'Ann Lee', bio: 'Building things at acme.com/team' }),
      'mastodon',
      directory,
    );
    expect(result.link).to.deep.include({ id: '003ANN', confidence: 0.9 });
    expect(result.link?.reason).to.contain('domain acme.com');
  });

  it('links a Bluesky custom-domain handle on the person’s domain with a name match', () => {
    const directory = new PeopleDirectory([ann, jose]);
    const result = resolvePerson(
      author({ handle: 'ann.acme.com', displayName: 'Ann Lee' }),
      'bluesky',
      directory,
    );
    expect(result.link?.id).to.equal('003ANN');
  });

  it('does not link on a domain alone, nor on a personal-mail domain', () => {
    const directory = new PeopleDirectory([ann, bob]);
    const domainOnly = resolvePerson(
      author({ handle: 'x1', displayName: 'Chris Doe', bio: 'acme.com' }),
      'x',
      directory,
    );
    expect(domainOnly).to.deep.equal({ link: null, suggestion: null, alternatives: [] });
    const gmail = resolvePerson(
      author({ handle: 'x2', displayName: 'Rob Stone', bio: 'gmail.com' }),
      'x',
      directory,
    );
    expect(gmail.link).to.equal(null);
  });

  it('matches names across diacritics and case ("José Álvarez" is "jose alvarez")', () => {
    const directory = new PeopleDirectory([ann, jose, bob]);
    const result = resolvePerson(
      author({ handle: 'jalv', displayName: 'jose ALVAREZ', bio: 'Ingeniero en Globex' }),
      'x',
      directory,
    );
    expect(result.link).to.deep.include({ id: '003JOSE', confidence: 0.9 });
    expect(result.link?.reason).to.contain('company');
  });

  it('matches the other way round too (CRM without accents, profile with)', () => {
    const plain = contact({ id: '003P', firstName: 'Jose', lastName: 'Alvarez', accountName: 'Globex' });
    const result = resolvePerson(
      author({ handle: 'j', displayName: 'José Álvarez | Globex' }),
      'x',
      new PeopleDirectory([plain]),
    );
    expect(result.link?.id).to.equal('003P');
  });

  it('suggests but does not link a name without other evidence', () => {
    const directory = new PeopleDirectory([ann, jose, bob]);
    const result = resolvePerson(author({ handle: 'xyz', displayName: 'Bob Stone' }), 'x', directory);
    expect(result.link).to.equal(null);
    expect(result.suggestion).to.deep.include({ id: '003BOB', type: 'Contact' });
    expect(result.suggestion?.confidence).to.be.within(0.5, 0.85);
  });

  it('returns nothing below the suggestion threshold', () => {
    const directory = new PeopleDirectory([ann, jose, bob]);
    const onlyFirstName = resolvePerson(author({ handle: 'q', displayName: 'Ann Smith' }), 'x', directory);
    expect(onlyFirstName).to.deep.equal({ link: null, suggestion: null, alternatives: [] });
    const stranger = resolvePerson(author({ handle: 'zz_top', displayName: 'Zed' }), 'x', directory);
    expect(stranger).to.deep.equal({ link: null, suggestion: null, alternatives: [] });
  });

  it('never links when two different people tie: a suggestion at most', () => {
    const a1 = contact({ id: '003A1', firstName: 'Maria', lastName: 'Garcia', accountName: 'Initech' });
    const a2 = contact({ id: '003A2', firstName: 'María', lastName: 'García', accountName: 'Initech' });
    const directory = new PeopleDirectory([a1, a2]);
    const result = resolvePerson(
      author({ handle: 'mg', displayName: 'Maria Garcia', bio: 'Support lead @ Initech' }),
      'x',
      directory,
    );
    expect(result.link).to.equal(null);
    expect(result.suggestion?.reason).to.contain('ambiguous');
    expect(result.alternatives.map((a) => a.id)).to.have.members([
      result.suggestion?.id === '003A1' ? '003A2' : '003A1',
    ]);
  });

  it('treats a handle listed on two Contacts as ambiguous', () => {
    const c1 = contact({ id: '003C1', lastName: 'One', socialHandles: 'x:@shared' });
    const c2 = contact({ id: '003C2', lastName: 'Two', socialHandles: 'x:@shared' });
    const result = resolvePerson(author({ handle: 'shared' }), 'x', new PeopleDirectory([c1, c2]));
    expect(result.link).to.equal(null);
    expect(result.suggestion?.confidence).to.equal(1);
  });

  it('prefers the Contact over a Lead for the same person', () => {
    const annLead = lead({
      id: '00QANN',
      firstName: 'Ann',
      lastName: 'Lee',
      email: 'ann.lee@acme.com',
      company: 'Acme',
      socialHandles: 'x:@ann_lee',
    });
    const viaHandle = resolvePerson(author({ handle: 'ann_lee' }), 'x', new PeopleDirectory([annLead, ann]));
    expect(viaHandle.link).to.deep.include({ id: '003ANN', type: 'Contact', confidence: 1 });

    const contactOnlyName = contact({ id: '003N', firstName: 'Ann', lastName: 'Lee', accountName: 'Acme' });
    const leadWithEmail = lead({
      id: '00QN',
      firstName: 'Ann',
      lastName: 'Lee',
      company: 'Acme',
      email: 'a@acme.com',
    });
    const viaEmail = resolvePerson(
      author({ handle: 'al', displayName: 'Ann Lee', bio: 'a@acme.com' }),
      'x',
      new PeopleDirectory([leadWithEmail, contactOnlyName]),
    );
    expect(viaEmail.link).to.deep.include({ id: '003N', type: 'Contact', confidence: 0.95 });
    expect(viaEmail.link?.reason).to.contain('same person');
  });

  it('links a Lead when no Contact matches', () => {
    const l = lead({
      id: '00QL',
      firstName: 'Kim',
      lastName: 'Park',
      company: 'Hooli',
      socialHandles: 'x:@kimp',
    });
    const result = resolvePerson(author({ handle: 'kimp' }), 'x', new PeopleDirectory([l]));
    expect(result.link).to.deep.include({ id: '00QL', type: 'Lead' });
  });

  it('skips converted Leads', () => {
    const converted = lead({ id: '00QC', lastName: 'Park', socialHandles: 'x:@kimp', isConverted: true });
    const directory = new PeopleDirectory([converted]);
    expect(directory.size).to.equal(0);
    expect(resolvePerson(author({ handle: 'kimp' }), 'x', directory).link).to.equal(null);
  });

  it('matches Mastodon handles on the same instance only', () => {
    const c = contact({ id: '003M', lastName: 'Mast', socialHandles: 'mastodon:@ann@mastodon.social' });
    const directory = new PeopleDirectory([c]);
    expect(resolvePerson(author({ handle: 'ann@mastodon.social' }), 'mastodon', directory).link?.id).to.equal(
      '003M',
    );
    expect(resolvePerson(author({ handle: 'ann@hachyderm.io' }), 'mastodon', directory).link).to.equal(null);
    // A local account shown without its domain, read through the connector's home instance.
    expect(
      resolvePerson(author({ handle: 'ann' }), 'mastodon', directory, { mastodonInstance: 'mastodon.social' })
        .link?.id,
    ).to.equal('003M');
  });

  it('only suggests a bare Mastodon line whose instance was unknown', () => {
    const c = contact({ id: '003B', firstName: 'Ann', lastName: 'Quinn', socialHandles: 'mastodon:@annq' });
    const result = resolvePerson(
      author({ handle: 'annq@fosstodon.org' }),
      'mastodon',
      new PeopleDirectory([c]),
    );
    expect(result.link).to.equal(null);
    expect(result.suggestion).to.deep.include({ id: '003B', confidence: 0.6 });
  });

  it('honours custom thresholds', () => {
    const directory = new PeopleDirectory([bob]);
    const who = author({ handle: 'xyz', displayName: 'Bob Stone' });
    expect(resolvePerson(who, 'x', directory, { threshold: 0.5 }).link?.id).to.equal('003BOB');
    expect(resolvePerson(who, 'x', directory, { suggestThreshold: 0.9 }).suggestion).to.equal(null);
  });

  describe('a company named in a profile (issue 13: names.ts took any mention as employment)', () => {
    const jsmith = contact({
      id: '003JS',
      firstName: 'John',
      lastName: 'Smith',
      email: 'john.smith@initech.com',
      accountName: 'Initech',
    });
    const maria = contact({ id: '003MG', firstName: 'Maria', lastName: 'Garcia', accountName: 'Apple Inc.' });
    const directory = new PeopleDirectory([jsmith, maria]);

    it('does not link a namesake who complains about the company; the suggestion says why', () => {
      const result = resolvePerson(
        author({
          handle: 'js82',
          displayName: 'John Smith',
          bio: 'Dad. Runner. Initech printers ruined my life.',
        }),
        'x',
        directory,
      );
      expect(result.link).to.equal(null);
      expect(result.suggestion?.id).to.equal('003JS');
      expect(result.suggestion?.confidence).to.be.below(0.85);
      expect(result.suggestion?.reason).to.contain(
        "name match; company named only as a customer: 'Initech printers ruined my life'",
      );
    });

    it('does not link fans, users and customers', () => {
      for (const [displayName, bio] of [
        ['Maria Garcia, Apple fan', ''],
        ['Maria Garcia', 'Apple user since 2009'],
        ['Maria Garcia', 'love my Apple watch'],
        ['Maria Garcia', '#apple customer'],
        ['Maria Garcia', 'ex-Apple, now freelancing'],
      ] as const) {
        const result = resolvePerson(author({ handle: 'mg', displayName, bio }), 'instagram', directory);
        expect(result.link, `${displayName} / ${bio}`).to.equal(null);
        expect(result.suggestion?.id, `${displayName} / ${bio}`).to.equal('003MG');
      }
    });

    it('links a name with the company stated as employer', () => {
      for (const [displayName, bio] of [
        ['Maria Garcia | Apple', ''],
        ['Maria Garcia', 'People partner at Apple'],
        ['Maria Garcia', 'CTO @ Apple'],
        ['Maria Garcia', 'Apple engineer. Views my own.'],
        ['Maria Garcia (Apple)', ''],
        ['Maria Garcia', 'Customer success manager at Apple'],
      ] as const) {
        const result = resolvePerson(author({ handle: 'mg', displayName, bio }), 'x', directory);
        expect(result.link?.id, `${displayName} / ${bio}`).to.equal('003MG');
        expect(result.link?.reason).to.contain('as employer');
      }
    });
  });

  it('only suggests a bio email when the profile shows another person’s name, or a shared mailbox', () => {
    const paul = contact({
      id: '003PC',
      firstName: 'Paul',
      lastName: 'Costa',
      email: 'paul.costa@gmail.com',
    });
    const shop = contact({ id: '003GF', firstName: 'Gus', lastName: 'Ferreira', email: 'support@lumen.com' });
    const directory = new PeopleDirectory([paul, shop]);
    const wife = resolvePerson(
      author({ handle: 'mc', displayName: 'Maria Costa', bio: 'rentals: paul.costa@gmail.com' }),
      'facebook',
      directory,
    );
    expect(wife.link).to.equal(null);
    expect(wife.suggestion?.id).to.equal('003PC');
    const brand = resolvePerson(
      author({ handle: 'lumen', displayName: 'Lumen', bio: 'Help: support@lumen.com' }),
      'x',
      directory,
    );
    expect(brand.link).to.equal(null);
    expect(brand.suggestion?.reason).to.contain('shared mailbox');
  });

  it('suggests, never links, a handle one character off a listed one', () => {
    const directory = new PeopleDirectory([ann]);
    for (const handle of ['ann_le', 'ann_lee_', 'ann_lex']) {
      const result = resolvePerson(author({ handle, displayName: 'A' }), 'x', directory);
      expect(result.link, handle).to.equal(null);
      expect(result.suggestion?.reason, handle).to.contain('one character off x:@ann_lee');
    }
  });

  it('links a Bluesky handle on the person’s own domain unless it shows another name', () => {
    const hannah = contact({
      id: '003HS',
      firstName: 'Hannah',
      lastName: 'Schmidt',
      email: 'hannah@hannahschmidt.photo',
      website: 'https://hannahschmidt.photo',
    });
    const directory = new PeopleDirectory([hannah]);
    const own = resolvePerson(
      author({ handle: 'hannahschmidt.photo', displayName: 'Hannah' }),
      'bluesky',
      directory,
    );
    expect(own.link?.id).to.equal('003HS');
    const brand = resolvePerson(
      author({ handle: 'hannahschmidt.photo', displayName: 'Klaus Weber' }),
      'bluesky',
      directory,
    );
    expect(brand.link).to.equal(null);
  });
});
