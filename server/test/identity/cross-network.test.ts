import { expect } from 'chai';
import { linkAcrossNetworks } from '../../src/identity/cross-network.ts';
import { PeopleDirectory } from '../../src/identity/directory.ts';
import { author, contact } from './fixtures.ts';

describe('identity/linkAcrossNetworks', () => {
  const ann = contact({
    id: '003ANN',
    firstName: 'Ann',
    lastName: 'Lee',
    email: 'ann@annlee.dev',
    accountName: 'Acme',
    socialHandles: 'x:@ann_lee',
  });
  const directory = new PeopleDirectory([
    ann,
    contact({ id: '003OTHER', firstName: 'Ben', lastName: 'Ode' }),
  ]);

  it('links a Bluesky custom-domain handle through the Contact’s email domain', () => {
    const result = linkAcrossNetworks(
      [
        { key: 'x:1', network: 'x', author: author({ id: '1', handle: 'ann_lee', displayName: 'Ann' }) },
        {
          key: 'bluesky:did:plc:ann',
          network: 'bluesky',
          author: author({ id: 'did:plc:ann', handle: 'annlee.dev', displayName: 'Ann Lee' }),
        },
      ],
      directory,
    );
    expect(result.get('x:1')?.link?.id).to.equal('003ANN');
    expect(result.get('bluesky:did:plc:ann')?.link).to.deep.include({ id: '003ANN', confidence: 0.9 });
  });

  it('follows a citation from a linked persona to its other profile', () => {
    const personas = [
      {
        key: 'x:1',
        network: 'x' as const,
        author: author({ id: '1', handle: 'ann_lee', bio: 'also at https://mastodon.social/@annl' }),
      },
      {
        key: 'mastodon:9',
        network: 'mastodon' as const,
        author: author({ id: '9', handle: 'annl@mastodon.social', displayName: 'Ann L.' }),
      },
    ];
    const alone = linkAcrossNetworks([personas[1]!], directory);
    expect(alone.get('mastodon:9')?.link).to.equal(null);
    const together = linkAcrossNetworks(personas, directory);
    const link = together.get('mastodon:9')?.link;
    expect(link).to.deep.include({ id: '003ANN', type: 'Contact', confidence: 0.95 });
    expect(link?.reason).to.contain('cross-network: x:1');
  });

  it('works from an existing persona link and along chains', () => {
    const result = linkAcrossNetworks(
      [
        {
          key: 'x:7',
          network: 'x',
          author: author({ id: '7', handle: 'unlisted', bio: '🦋 ann-lee.bsky.social' }),
          existingLink: { id: '003ANN', type: 'Contact' },
        },
        {
          key: 'bluesky:b',
          network: 'bluesky',
          author: author({
            id: 'did:plc:b',
            handle: 'ann-lee.bsky.social',
            displayName: 'Ann Lee',
            bio: 'https://instagram.com/ann.lee.photos',
          }),
        },
        {
          key: 'instagram:c',
          network: 'instagram',
          author: author({ id: 'c', handle: 'ann.lee.photos', displayName: 'Ann Lee' }),
        },
      ],
      directory,
    );
    expect(result.get('bluesky:b')?.link?.id).to.equal('003ANN');
    expect(result.get('instagram:c')?.link?.id).to.equal('003ANN');
  });

  it('only suggests when an unlinked profile claims a linked one', () => {
    const result = linkAcrossNetworks(
      [
        { key: 'x:1', network: 'x', author: author({ id: '1', handle: 'ann_lee', displayName: 'Ann Lee' }) },
        {
          key: 'bluesky:imp',
          network: 'bluesky',
          author: author({
            id: 'did:plc:imp',
            handle: 'realann.bsky.social',
            displayName: 'Ann Lee',
            bio: 'x.com/ann_lee',
          }),
        },
      ],
      directory,
    );
    expect(result.get('bluesky:imp')?.link).to.equal(null);
    expect(result.get('bluesky:imp')?.suggestion?.id).to.equal('003ANN');
  });

  it('caps a cited profile whose name is not the person’s (a company account)', () => {
    const result = linkAcrossNetworks(
      [
        {
          key: 'x:1',
          network: 'x',
          author: author({ id: '1', handle: 'ann_lee', bio: 'PM at bsky.app/profile/acme.com' }),
        },
        {
          key: 'bluesky:acme',
          network: 'bluesky',
          author: author({ id: 'did:plc:acme', handle: 'acme.com', displayName: 'Acme' }),
        },
      ],
      directory,
    );
    expect(result.get('bluesky:acme')?.link).to.equal(null);
    expect(result.get('bluesky:acme')?.suggestion?.confidence ?? 0).to.be.at.most(0.6);
  });
});

describe('identity/linkAcrossNetworks: joins precision first', () => {
  const rosa = contact({ id: '003ROSA', firstName: 'Rosa', lastName: 'Kim', socialHandles: 'x:@rosakim' });
  const directory = new PeopleDirectory([rosa]);
  const linkedX = (bio: string) => ({
    key: 'x:1',
    network: 'x' as const,
    author: author({ id: '1', handle: 'rosakim', displayName: 'Rosa Kim', bio }),
  });
  const bluesky = (handle: string, displayName: string, bio: string) => ({
    key: `bluesky:${handle}`,
    network: 'bluesky' as const,
    author: author({ id: `did:plc:${handle.split('.')[0]}`, handle, displayName, bio }),
  });

  it('links a profile and the linked one citing each other at 0.97', () => {
    const result = linkAcrossNetworks(
      [
        linkedX('also https://bsky.app/profile/rosa.bsky.social'),
        bluesky('rosa.bsky.social', 'Rosa Kim', 'x.com/rosakim'),
      ],
      directory,
    );
    expect(result.get('bluesky:rosa.bsky.social')?.link).to.deep.include({ id: '003ROSA', confidence: 0.97 });
    expect(result.get('bluesky:rosa.bsky.social')?.link?.reason).to.contain('cite each other');
  });

  it('never links a one-way claim, even under the same name: a 0.7 suggestion', () => {
    const result = linkAcrossNetworks(
      [linkedX('PM'), bluesky('rosa-real.bsky.social', 'Rosa Kim', 'https://x.com/rosakim')],
      directory,
    );
    expect(result.get('bluesky:rosa-real.bsky.social')?.link).to.equal(null);
    expect(result.get('bluesky:rosa-real.bsky.social')?.suggestion).to.deep.include({ confidence: 0.7 });
  });

  it('links the same email under the same name, not under another name', () => {
    const same = linkAcrossNetworks(
      [linkedX('write me: rosa@kim.example'), bluesky('rk.bsky.social', 'Rosa Kim', 'rosa@kim.example')],
      directory,
    );
    expect(same.get('bluesky:rk.bsky.social')?.link).to.deep.include({ id: '003ROSA', confidence: 0.9 });
    expect(same.get('bluesky:rk.bsky.social')?.link?.reason).to.contain('both show rosa@kim.example');
    const shared = linkAcrossNetworks(
      [linkedX('team: help@kim.example'), bluesky('bo.bsky.social', 'Bo Park', 'help@kim.example')],
      directory,
    );
    expect(shared.get('bluesky:bo.bsky.social')?.link).to.equal(null);
  });
});
