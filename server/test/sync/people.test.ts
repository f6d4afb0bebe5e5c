import { expect } from 'chai';
import { Mention } from '../../src/domain/mention.ts';
import { socialHandleProblems } from '../../src/identity/handle-problems.ts';
import type { CrmPort, PersonaLink, PersonRecord } from '../../src/sync/crm-port.ts';
import { OrgPeople, type PersonChange } from '../../src/sync/people.ts';

const ANN = '003Dv0000000001AAA';

function person(over: Partial<PersonRecord> = {}): PersonRecord {
  return {
    id: ANN,
    type: 'Contact',
    firstName: 'Dorotea',
    lastName: 'Vanterpool',
    name: 'Dorotea Vanterpool',
    email: null,
    company: 'Quillfeather',
    website: null,
    socialHandles: null,
    accountId: '001Dv0000000001AAA',
    ownerId: null,
    isConverted: false,
    influence: null,
    sentiment: null,
    lastActivity: null,
    lastModified: '2026-11-01T00:00:00.000Z',
    ...over,
  };
}

/** The org's people as the refresh reads them: what changed since the last look. */
class ScriptedOrg {
  people: PersonRecord[] = [];
  links: PersonaLink[] = [];
  reads: (Date | null)[] = [];
  crm(): CrmPort {
    return {
      loadPeople: async (since: Date | null) => {
        this.reads.push(since);
        return this.people;
      },
      loadPersonaLinks: async () => this.links,
    } as unknown as CrmPort;
  }
}

const mention = (handle: string) =>
  Mention.parse({
    network: 'x',
    id: '1',
    author: { id: '42', handle, displayName: 'Q. S.' },
    text: 'hello',
    createdAt: '2026-11-25T10:00:00.000Z',
  });

describe('OrgPeople: who changed, and malformed handle lines', () => {
  it('reports handles added and removed after the first load, and nothing for roll-up-only changes', async () => {
    const org = new ScriptedOrg();
    const told: PersonChange[][] = [];
    let now = 0;
    const people = new OrgPeople(
      org.crm(),
      { refreshMs: 60_000, onChanges: (c) => told.push([...c]) },
      () => new Date(now),
    );
    org.people = [person()];
    expect(await people.refreshNow()).to.deep.equal([]); // first load: nothing to compare with
    expect(people.resolve(mention('quiet_strngr42')).link).to.equal(null);

    org.people = [person({ socialHandles: 'x:@quiet_strngr42' })];
    now = 1000;
    const [added] = await people.refreshNow();
    expect(added!.addedHandles).to.deep.equal([{ network: 'x', handle: 'quiet_strngr42' }]);
    expect(added!.removedHandles).to.deep.equal([]);
    expect(told).to.have.length(1);
    // The directory knows at once: the next post links.
    expect(people.resolve(mention('Quiet_Strngr42')).link?.person.id).to.equal(ANN);
    // Looked back a little from the last look, never from scratch again.
    expect(org.reads[1]).to.deep.equal(new Date(0 - 5000));

    org.people = [person({ socialHandles: 'x:@quiet_strngr42', influence: 40, sentiment: -0.2 })];
    expect(await people.refreshNow()).to.deep.equal([]);
    expect(told).to.have.length(1);

    org.people = [person({ socialHandles: '' })];
    const [removed] = await people.refreshNow();
    expect(removed!.removedHandles).to.deep.equal([{ network: 'x', handle: 'quiet_strngr42' }]);
    expect(people.resolveAuthor('x:42', mention('quiet_strngr42').author, 'x').link).to.equal(null);
  });

  it('a converted or deleted person is gone from the directory, with all their handles', async () => {
    const org = new ScriptedOrg();
    const people = new OrgPeople(org.crm(), { refreshMs: 60_000 });
    org.people = [person({ socialHandles: 'x:@quiet_strngr42' })];
    await people.refreshNow();
    const [gone] = people.forget([ANN]);
    expect(gone!.after).to.equal(null);
    expect(gone!.removedHandles).to.have.length(1);
    expect(people.person(ANN)).to.equal(null);
    expect(people.forget([ANN])).to.deep.equal([]);
  });

  it('a rejected person is neither linked nor suggested again for that persona; a link by hand stands', async () => {
    const org = new ScriptedOrg();
    const people = new OrgPeople(org.crm(), { refreshMs: 60_000 });
    org.people = [person({ socialHandles: 'x:@quiet_strngr42' })];
    await people.refreshNow();
    people.reject('x:42', ANN);
    expect(people.resolve(mention('quiet_strngr42'))).to.deep.equal({ link: null, suggestion: null });
    people.setLink('x:42', { id: ANN, type: 'Contact' });
    expect(people.resolve(mention('quiet_strngr42')).link?.person.id).to.equal(ANN);
    people.setLink('x:42', null);
    people.unreject('x:42', ANN);
    expect(people.resolve(mention('quiet_strngr42')).link?.person.id).to.equal(ANN);
  });

  it('lists malformed lines with the record, the line and what to write; the valid lines still match', async () => {
    const org = new ScriptedOrg();
    const people = new OrgPeople(org.crm(), { refreshMs: 60_000 });
    org.people = [
      person({
        socialHandles: [
          'x:',
          '@@',
          'https://quillfeather.example/about',
          '  \t ',
          'myspace:dorotea',
          'x:@ann lee',
          'x:@quiet_strngr42',
        ].join('\n'),
      }),
    ];
    await people.refreshNow();
    const { total, records, warnings } = people.handleWarnings();
    expect([total, records]).to.deep.equal([5, 1]);
    expect(warnings.map((w) => w.message)).to.deep.equal([
      `Contact ${ANN} line 1 "x:" has no handle: write one handle a line as network:handle, e.g. x:@ann_lee`,
      `Contact ${ANN} line 2 "@@" names no network: write one handle a line as network:handle, e.g. x:@ann_lee`,
      `Contact ${ANN} line 3 "https://quillfeather.example/about" is a link, not a social profile: write the person's handle instead, e.g. x:@ann_lee (a website belongs in Website)`,
      `Contact ${ANN} line 5 "myspace:dorotea" names an unknown network "myspace": start the line with one of x, bluesky, mastodon, facebook, instagram, e.g. x:@ann_lee`,
      `Contact ${ANN} line 6 "x:@ann lee" has a space in the handle: write the handle without spaces, one a line, e.g. x:@ann_lee`,
    ]);
    expect(people.resolve(mention('quiet_strngr42')).link?.person.id).to.equal(ANN);
    for (const handle of ['ann', 'annlee', 'ann_lee'])
      expect(people.resolve(mention(handle)).link, handle).to.equal(null);

    org.people = [person({ socialHandles: 'x:@quiet_strngr42' })];
    await people.refreshNow();
    expect(people.handleWarnings().total).to.equal(0);
  });

  it('handle problems: each entry judged as parseSocialHandles reads it', () => {
    expect(
      socialHandleProblems('x:@ann_lee\nbsky: ann.bsky.social, mastodon:@ann@mastodon.social\n# note\n\n'),
    ).to.deep.equal([]);
    expect(socialHandleProblems(null)).to.deep.equal([]);
    const [bad] = socialHandleProblems(
      'x:@ann_lee; x:@this_handle_is_way_too_long_for_x_really_it_is_not_valid_no',
    );
    expect(bad).to.include({ line: 1 });
    expect(bad!.problem).to.match(/is not a valid X handle$/);
    expect(socialHandleProblems('bluesky: https://acme.example/team')[0]!.problem).to.match(
      /is a link, not a Bluesky profile$/,
    );
    expect(socialHandleProblems('instagram:')[0]!.hint).to.equal(
      'write one handle a line as network:handle, e.g. instagram:@ann.lee',
    );
  });
});
