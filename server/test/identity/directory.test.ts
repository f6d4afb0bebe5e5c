import { expect } from 'chai';
import { PeopleDirectory } from '../../src/identity/directory.ts';
import { contact, lead } from './fixtures.ts';

describe('identity/PeopleDirectory', () => {
  const ann = contact({
    id: '003ANN',
    firstName: 'Ann',
    lastName: 'Lee',
    email: ' Ann.Lee@ACME.com ',
    accountName: 'Acme',
    website: 'https://www.acme.co.uk/about',
    socialHandles: 'x:@Ann_Lee\nhttps://bsky.app/profile/ann.dev',
  });

  it('indexes by normalized handle, email, identifying domain and surname', () => {
    const directory = new PeopleDirectory([ann]);
    const ids = (list: { id: string }[]): string[] => list.map((e) => e.id);
    expect(ids(directory.findByHandle({ network: 'x', handle: 'ann_lee' }))).to.deep.equal(['003ANN']);
    expect(ids(directory.findByHandle({ network: 'bluesky', handle: 'ann.dev' }))).to.deep.equal(['003ANN']);
    expect(ids(directory.findByEmail('ann.lee@acme.com'))).to.deep.equal(['003ANN']);
    expect(ids(directory.findByDomain('acme.com'))).to.deep.equal(['003ANN']);
    expect(ids(directory.findByDomain('acme.co.uk'))).to.deep.equal(['003ANN']);
    expect(ids(directory.findByHost('acme.co.uk'))).to.deep.equal(['003ANN']);
    expect(ids(directory.findBySurnameTokens(['lee']))).to.deep.equal(['003ANN']);
    expect(directory.get('003ANN')?.company).to.equal('acme');
  });

  it('does not index personal-mail or social-network domains', () => {
    const directory = new PeopleDirectory([
      contact({ id: '003G', lastName: 'G', email: 'g@gmail.com', website: 'https://linkedin.com/in/g' }),
    ]);
    expect(directory.get('003G')?.domains).to.deep.equal([]);
    expect(directory.findByDomain('gmail.com')).to.deep.equal([]);
    expect(directory.findByDomain('linkedin.com')).to.deep.equal([]);
  });

  it('updates its indexes on upsert and remove', () => {
    const directory = new PeopleDirectory([ann]);
    directory.upsert({ ...ann, socialHandles: 'x:@ann_new', email: 'ann@globex.com' });
    expect(directory.size).to.equal(1);
    expect(directory.findByHandle({ network: 'x', handle: 'ann_lee' })).to.deep.equal([]);
    expect(directory.findByHandle({ network: 'x', handle: 'ann_new' })).to.have.length(1);
    expect(directory.findByEmail('ann.lee@acme.com')).to.deep.equal([]);
    expect(directory.findByDomain('globex.com')).to.have.length(1);
    expect(directory.remove('003ANN')).to.equal(true);
    expect(directory.remove('003ANN')).to.equal(false);
    expect(directory.findByHandle({ network: 'x', handle: 'ann_new' })).to.deep.equal([]);
    expect(directory.findBySurnameTokens(['lee'])).to.deep.equal([]);
  });

  it('drops a Lead once it is converted', () => {
    const l = lead({ id: '00QL', lastName: 'Park', socialHandles: 'x:@kimp' });
    const directory = new PeopleDirectory([l]);
    expect(directory.size).to.equal(1);
    directory.upsert({ ...l, isConverted: true });
    expect(directory.size).to.equal(0);
    expect(directory.findByHandle({ network: 'x', handle: 'kimp' })).to.deep.equal([]);
  });

  it('falls back to Name when FirstName/LastName are empty', () => {
    const directory = new PeopleDirectory([contact({ id: '003N', name: 'Dr. Zoë Ødegaard' })]);
    expect(directory.get('003N')?.name).to.deep.equal({ first: ['zoe'], last: ['odegaard'] });
  });
});
