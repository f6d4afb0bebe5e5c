import { expect } from 'chai';
import { checkReply, outgoingText, replyLength } from '../../src/replies/network-rules.ts';
import type { ReplyTarget } from '../../src/replies/reply.ts';
import { replyTarget } from './fixtures.ts';

const target = (network: ReplyTarget['network'], overrides: Partial<ReplyTarget> = {}): ReplyTarget =>
  replyTarget(network, { authorHandle: 'ann', body: '@brand hello', ...overrides });

describe('reply rules per network', () => {
  it('counts as each network does', () => {
    expect(replyLength('x', 'see https://example.com/a/very/long/path/indeed')).to.equal(4 + 23);
    expect(replyLength('x', '日本語')).to.equal(6);
    expect(replyLength('bluesky', '👨‍👩‍👧‍👦 family')).to.equal(8);
    expect(
      replyLength('mastodon', '@ann@mastodon.social see https://example.com/' + 'x'.repeat(80)),
    ).to.equal(4 + 5 + 23);
    expect(replyLength('instagram', 'é'.repeat(10))).to.equal(10);
  });

  it('refuses a reply over the limit, saying by how much', () => {
    const verdict = checkReply(target('bluesky'), 'a'.repeat(301), {});
    expect(verdict).to.deep.equal({
      ok: false,
      reason: 'Bluesky allows 300 characters in a reply; this one has 301. Shorten it by 1.',
    });
    expect(checkReply(target('bluesky'), '👍'.repeat(300), {}).ok).to.equal(true);
  });

  it('on X, answers only posts that mention us', () => {
    expect(checkReply(target('x', { body: 'hey @brand!' }), 'hi', { x: 'brand' }).ok).to.equal(true);
    expect(checkReply(target('x', { body: 'hey @brandfan' }), 'hi', { x: 'brand' })).to.deep.include({
      ok: false,
    });
    expect(checkReply(target('x', { body: 'mail me at a@brand.com' }), 'hi', { x: 'brand' }).ok).to.equal(
      false,
    );
  });

  it('on Mastodon, puts the author’s @acct in front when the reply does not mention them', () => {
    const t = target('mastodon', { authorHandle: 'ann@mastodon.social' });
    expect(outgoingText(t, 'thanks!')).to.equal('@ann@mastodon.social thanks!');
    expect(outgoingText(t, '@ann@mastodon.social thanks!')).to.equal('@ann@mastodon.social thanks!');
    expect(checkReply(t, 'thanks!', {})).to.deep.equal({
      ok: true,
      notes: ['@ann@mastodon.social is put in front so the author is notified.'],
    });
  });

  it('never answers our own posts, and Instagram caps hashtags', () => {
    expect(checkReply(target('facebook', { isOutbound: true }), 'hi', {}).ok).to.equal(false);
    const tags = Array.from({ length: 31 }, (_, i) => `#t${i}`).join(' ');
    expect(checkReply(target('instagram'), tags, {})).to.deep.equal({
      ok: false,
      reason: 'Instagram allows 30 hashtags in a comment; this one has 31.',
    });
  });
});
