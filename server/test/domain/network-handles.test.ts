import { isValidHandle } from '@atproto/syntax';
import { expect } from 'chai';
import { IncomingMention, Mention } from '../../src/domain/mention.ts';
import type { Network } from '../../src/domain/mention.ts';
import { handleProblem } from '../../src/domain/network-handles.ts';

const VALID: Record<Network, string[]> = {
  x: ['ann_lee', 'A', 'a23456789012345', '__', 'socialcrm_demo'],
  bluesky: [
    'ann.bsky.social',
    'alice.test',
    'xn--ls8h.test',
    'john.t',
    'a.b.c.d.example.com',
    `${'a'.repeat(63)}.com`,
    'did:plc:z72i7hdynmk6r22z27h6tvur',
    'did:web:example.com',
  ],
  mastodon: ['ann@mastodon.social', 'ann.lee@fosstodon.org', 'a_b-c.d@social.example', 'dev@localhost:3000'],
  facebook: ['6789012345678', 'jake.thompson.rafting', 'zuck5'],
  instagram: ['liv.outdoors', 'ana_b', 'a', 'a'.repeat(30), '_._'],
};

const INVALID: Record<Network, string[]> = {
  x: ['', 'a234567890123456', 'ann-lee', 'ann lee', 'ann.lee', '@ann', 'josé', 'a\nb'],
  bluesky: [
    'ann',
    'ann.',
    '.ann.test',
    'ann..test',
    '-ann.test',
    'ann-.test',
    'ann.123',
    'ann_lee.test',
    'ann.bsky.social ',
    `${'a'.repeat(64)}.com`,
    `${'abcdefghi.'.repeat(26)}com`,
    'did:PLC:abc',
    'did:plc:',
  ],
  mastodon: [
    'ann',
    '@ann',
    'ann@',
    '@mastodon.social',
    'ann@mas todon.social',
    'an n@mastodon.social',
    'ann@-x.social',
    '.ann@x.social',
  ],
  facebook: ['Zoë Müller', 'Ann Lee', 'abcd', 'ann_lee', 'a'.repeat(51), '1'.repeat(21)],
  instagram: ['joão.silva', 'ann lee', 'ann-lee', 'a'.repeat(31), '', '@ann'],
};

describe('author handles per network', () => {
  for (const network of Object.keys(VALID) as Network[]) {
    it(`accepts ${network} handles the network allows`, () => {
      for (const handle of VALID[network]) expect(handleProblem(network, handle), handle).to.equal(null);
    });

    it(`refuses ${network} handles the network would not allow, naming the rule and the handle`, () => {
      for (const handle of INVALID[network]) {
        const problem = handleProblem(network, handle);
        expect(problem, JSON.stringify(handle)).to.be.a('string');
        expect(problem).to.include(JSON.stringify(handle.length > 40 ? `${handle.slice(0, 40)}…` : handle));
      }
    });
  }

  it('judges Bluesky domain handles as the AT Protocol library does', () => {
    const handles = [...VALID.bluesky, ...INVALID.bluesky].filter((h) => !h.startsWith('did:'));
    for (const handle of handles) {
      expect(handleProblem('bluesky', handle) === null, handle).to.equal(isValidHandle(handle));
    }
  });

  it('is checked by IncomingMention, and not by Mention (what is already queued is read back as is)', () => {
    const input = {
      network: 'x',
      id: '1',
      author: { id: '42', handle: 'not-an-x-handle' },
      text: 'hi',
      createdAt: '2025-01-02T03:04:05.000Z',
    } as const;
    expect(Mention.safeParse(input).success).to.equal(true);
    const parsed = IncomingMention.safeParse(input);
    expect(parsed.success).to.equal(false);
    const issue = parsed.error!.issues[0]!;
    expect(issue.path).to.deep.equal(['author', 'handle']);
    expect(issue.message).to.include('1–15 letters, digits or underscores');
  });
});
