import { expect } from 'chai';
import {
  formatHandleLine,
  handleFromUrl,
  mergeSocialHandles,
  normalizeHandle,
  parseHandleLine,
  parseSocialHandles,
  parseSocialHandlesDetailed,
} from '../../src/identity/handles.ts';
import type { SocialHandle } from '../../src/identity/handles.ts';

describe('identity/handles', () => {
  describe('normalizeHandle', () => {
    it('makes X handles case-insensitive and drops the @', () => {
      expect(normalizeHandle('x', '@Ann_Lee')).to.equal('ann_lee');
      expect(normalizeHandle('x', '  ann_lee ')).to.equal('ann_lee');
      expect(normalizeHandle('x', 'ann lee')).to.equal(null);
    });

    it('lowercases Bluesky handles, defaults bare names to .bsky.social and keeps DIDs', () => {
      expect(normalizeHandle('bluesky', '@Ann.BSKY.social')).to.equal('ann.bsky.social');
      expect(normalizeHandle('bluesky', 'ann')).to.equal('ann.bsky.social');
      expect(normalizeHandle('bluesky', 'Ann.Dev.')).to.equal('ann.dev');
      expect(normalizeHandle('bluesky', 'handle.invalid')).to.equal(null);
      expect(normalizeHandle('bluesky', 'did:plc:z72i7hdynmk6r22z27h6tvur')).to.equal(
        'did:plc:z72i7hdynmk6r22z27h6tvur',
      );
    });

    it('qualifies bare Mastodon users only when the instance is known', () => {
      expect(normalizeHandle('mastodon', '@Ann@Mastodon.Social')).to.equal('ann@mastodon.social');
      expect(normalizeHandle('mastodon', '@ann', { mastodonInstance: 'brand.social' })).to.equal(
        'ann@brand.social',
      );
      expect(normalizeHandle('mastodon', '@ann')).to.equal('ann');
      expect(normalizeHandle('mastodon', '@ann@')).to.equal(null);
    });
  });

  describe('handleFromUrl', () => {
    const cases: [string, SocialHandle | null][] = [
      ['https://x.com/ann_lee', { network: 'x', handle: 'ann_lee' }],
      ['https://twitter.com/Ann_Lee/status/123', { network: 'x', handle: 'ann_lee' }],
      ['x.com/ann_lee', { network: 'x', handle: 'ann_lee' }],
      ['https://x.com/search?q=ann', null],
      ['https://bsky.app/profile/ann.bsky.social', { network: 'bluesky', handle: 'ann.bsky.social' }],
      ['https://bsky.app/profile/did:plc:abc123', { network: 'bluesky', handle: 'did:plc:abc123' }],
      ['https://mastodon.social/@ann', { network: 'mastodon', handle: 'ann@mastodon.social' }],
      ['https://mastodon.social/@ann@hachyderm.io', { network: 'mastodon', handle: 'ann@hachyderm.io' }],
      ['https://social.acme.com/users/ann', { network: 'mastodon', handle: 'ann@social.acme.com' }],
      ['https://www.instagram.com/ann.lee/', { network: 'instagram', handle: 'ann.lee' }],
      ['https://facebook.com/profile.php?id=10001', { network: 'facebook', handle: '10001' }],
      ['https://acme.com/about', null],
      ['not a url', null],
    ];
    for (const [url, expected] of cases) {
      it(`reads ${url}`, () => {
        expect(handleFromUrl(url)).to.deep.equal(expected);
      });
    }
  });

  describe('parseSocialHandles', () => {
    it('reads every variant reps type, normalized and deduplicated', () => {
      const text = [
        'x:@Ann_Lee',
        '',
        '   Twitter :  ann_lee  ',
        'X: https://x.com/ann_lee',
        'bsky: @Ann.bsky.social',
        'https://bsky.app/profile/ann.dev',
        'mastodon:https://mastodon.social/@ann',
        'instagram:@Ann.Lee ; facebook:ann.lee',
        '@carl@hachyderm.io',
        '# a comment',
        '\r',
      ].join('\n');
      expect(parseSocialHandles(text)).to.deep.equal([
        { network: 'x', handle: 'ann_lee' },
        { network: 'bluesky', handle: 'ann.bsky.social' },
        { network: 'bluesky', handle: 'ann.dev' },
        { network: 'mastodon', handle: 'ann@mastodon.social' },
        { network: 'instagram', handle: 'ann.lee' },
        { network: 'facebook', handle: 'ann.lee' },
        { network: 'mastodon', handle: 'carl@hachyderm.io' },
      ]);
    });

    it('reports what it could not read and tolerates empty input', () => {
      const { handles, invalid } = parseSocialHandlesDetailed('x:@ann\nlinkedin:ann\njust words\n');
      expect(handles).to.deep.equal([{ network: 'x', handle: 'ann' }]);
      expect(invalid).to.deep.equal(['linkedin:ann', 'just words']);
      expect(parseSocialHandles(null)).to.deep.equal([]);
      expect(parseSocialHandles('\n\n  \n')).to.deep.equal([]);
    });

    it('qualifies a bare Mastodon line with the known instance', () => {
      expect(parseSocialHandles('mastodon:@ann', { mastodonInstance: 'brand.social' })).to.deep.equal([
        { network: 'mastodon', handle: 'ann@brand.social' },
      ]);
      expect(parseSocialHandles('mastodon:@ann')).to.deep.equal([{ network: 'mastodon', handle: 'ann' }]);
    });
  });

  describe('formatHandleLine', () => {
    it('writes the contract format and reads back to the same handle', () => {
      const handles: SocialHandle[] = [
        { network: 'x', handle: 'ann_lee' },
        { network: 'bluesky', handle: 'ann.bsky.social' },
        { network: 'mastodon', handle: 'ann@mastodon.social' },
        { network: 'instagram', handle: 'ann.lee' },
        { network: 'facebook', handle: 'ann.lee' },
      ];
      expect(handles.map(formatHandleLine)).to.deep.equal([
        'x:@ann_lee',
        'bluesky:ann.bsky.social',
        'mastodon:@ann@mastodon.social',
        'instagram:@ann.lee',
        'facebook:ann.lee',
      ]);
      for (const h of handles) expect(parseHandleLine(formatHandleLine(h))).to.deep.equal(h);
    });

    it('merges new handles under the rep’s lines without repeating known ones', () => {
      const merged = mergeSocialHandles('X: @Ann_Lee\n', [
        { network: 'x', handle: 'ann_lee' },
        { network: 'bluesky', handle: 'ann.dev' },
      ]);
      expect(merged).to.equal('X: @Ann_Lee\nbluesky:ann.dev');
      expect(mergeSocialHandles('x:@a', [{ network: 'x', handle: 'a' }])).to.equal('x:@a');
      expect(mergeSocialHandles(null, [{ network: 'x', handle: 'a' }])).to.equal('x:@a');
    });
  });
});
