import { expect } from 'chai';
import type { OwnAccounts } from '../../../src/connectors/connector.ts';
import { htmlToText } from '../../../src/connectors/mastodon/html-text.ts';
import {
  MastodonNotification,
  compareIds,
  normalizeAcct,
  toMention,
} from '../../../src/connectors/mastodon/status.ts';

const HOST = 'mastodon.example';
const OUR_ID = '109000000000000001';

const ownAccounts = (...ids: string[]): OwnAccounts => ({
  isOwn: (network, authorId) => network === 'mastodon' && [OUR_ID, ...ids].includes(authorId),
});

/** A mention notification as Mastodon 4.x sends it (REST and streaming alike). */
function notification(
  overrides: { status?: Record<string, unknown>; account?: Record<string, unknown> } = {},
) {
  const account = {
    id: '110000000000000042',
    username: 'ann',
    acct: 'ann@Fosstodon.ORG',
    display_name: 'Ann Lee 🌻',
    locked: false,
    bot: false,
    created_at: '2023-01-15T00:00:00.000Z',
    note: '<p>Coffee &amp; code. <a href="https://ann.dev" rel="me nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="">ann.dev</span><span class="invisible"></span></a></p>',
    url: 'https://fosstodon.org/@ann',
    uri: 'https://fosstodon.org/users/ann',
    avatar: 'https://files.fosstodon.org/accounts/avatars/ann.png',
    followers_count: 1234,
    following_count: 56,
    statuses_count: 789,
    emojis: [],
    fields: [],
    ...overrides.account,
  };
  return MastodonNotification.parse({
    id: '1001',
    type: 'mention',
    created_at: '2026-03-01T10:00:00.123Z',
    account,
    status: {
      id: '112233445566778899',
      uri: 'https://fosstodon.org/users/ann/statuses/112233445566778899',
      url: 'https://fosstodon.org/@ann/112233445566778899',
      created_at: '2026-03-01T10:00:00.000Z',
      content:
        '<p><span class="h-card" translate="no"><a href="https://mastodon.example/@acme" class="u-url mention">@<span>acme</span></a></span> it&#39;s down again &amp; I&#39;m 😡 <a href="https://fosstodon.org/tags/outage" class="mention hashtag" rel="tag">#<span>outage</span></a></p>',
      spoiler_text: '',
      visibility: 'public',
      language: 'en',
      in_reply_to_id: null,
      in_reply_to_account_id: null,
      sensitive: false,
      account,
      mentions: [{ id: OUR_ID, username: 'acme', acct: 'acme', url: 'https://mastodon.example/@acme' }],
      tags: [{ name: 'outage', url: 'https://fosstodon.org/tags/outage' }],
      emojis: [],
      media_attachments: [],
      replies_count: 2,
      reblogs_count: 3,
      favourites_count: 4,
      reblog: null,
      card: null,
      poll: null,
      ...overrides.status,
    },
  });
}

describe('Mastodon HTML to text', () => {
  it('reads mentions, hashtags and entities as people see them, and never keeps a tag', () => {
    const { text, links } = htmlToText(
      '<p><span class="h-card" translate="no"><a href="https://mastodon.example/@acme" class="u-url mention">@<span>acme</span></a></span> Tom &amp; Jerry&#39;s &quot;deal&quot; &lt;script&gt;alert(1)&lt;/script&gt; 🎉👍🏽 <a href="https://mastodon.example/tags/Sale" class="mention hashtag" rel="tag">#<span>Sale</span></a></p>',
    );
    expect(text).to.equal('@acme Tom & Jerry\'s "deal" <script>alert(1)</script> 🎉👍🏽 #Sale');
    expect(links).to.deep.equal([]);
  });

  it('writes ordinary links out in full, though Mastodon hides parts of them, and collects them', () => {
    const { text, links } = htmlToText(
      '<p>read <a href="https://www.example.com/a/very/long/path/that/keeps/going?x=1&amp;y=2" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">https://www.</span><span class="ellipsis">example.com/a/very/long/path/t</span><span class="invisible">hat/keeps/going?x=1&amp;y=2</span></a> now</p>',
    );
    expect(text).to.equal('read https://www.example.com/a/very/long/path/that/keeps/going?x=1&y=2 now');
    expect(links).to.deep.equal(['https://www.example.com/a/very/long/path/that/keeps/going?x=1&y=2']);
  });

  it('keeps line breaks and paragraphs', () => {
    expect(htmlToText('<p>one<br />two<br>three</p><p>second paragraph</p>').text).to.equal(
      'one\ntwo\nthree\n\nsecond paragraph',
    );
  });

  it('drops markup that is not content (scripts, images, styles) from foreign HTML', () => {
    const { text } = htmlToText(
      '<p>hi<script>steal()</script><img src="x.png" alt="an image"><style>p{}</style> there</p>',
    );
    expect(text).to.equal('hi there');
    expect(text).not.to.match(/[<>]/);
  });
});

describe('normalizeAcct', () => {
  it('gives local accounts the instance domain and keeps remote ones, lower-casing domains only', () => {
    expect(normalizeAcct('Ann', 'Mastodon.Example')).to.equal('Ann@mastodon.example');
    expect(normalizeAcct('ann@Fosstodon.ORG', HOST)).to.equal('ann@fosstodon.org');
    expect(normalizeAcct('@bob@hachyderm.io', HOST)).to.equal('bob@hachyderm.io');
  });
});

describe('compareIds', () => {
  it('compares numeric ids as integers, not as text or floats', () => {
    expect(compareIds('999', '1000')).to.equal(-1);
    // Beyond 2^53 a float comparison would call these equal.
    expect(compareIds('112233445566778899', '112233445566778898')).to.equal(1);
    expect(compareIds('42', '42')).to.equal(0);
  });
});

describe('toMention (Mastodon)', () => {
  it('maps a mention notification onto a Mention', () => {
    const mention = toMention(notification(), ownAccounts(), HOST);
    expect(mention).to.not.equal(null);
    expect(mention).to.deep.include({
      network: 'mastodon',
      id: '112233445566778899',
      text: "@acme it's down again & I'm 😡 #outage",
      createdAt: '2026-03-01T10:00:00.000Z',
      url: 'https://fosstodon.org/@ann/112233445566778899',
      inReplyToId: null,
      threadRootId: '112233445566778899',
      inReplyToAuthorId: null,
      mentionedHandles: ['acme@mastodon.example'],
      hashtags: ['outage'],
      urls: [],
      languageHint: 'en',
      kind: 'mention',
    });
    expect(mention?.author).to.deep.equal({
      id: '110000000000000042',
      handle: 'ann@fosstodon.org',
      displayName: 'Ann Lee 🌻',
      followers: 1234,
      following: 56,
      verified: false,
      profileUrl: 'https://fosstodon.org/@ann',
      bio: 'Coffee & code. https://ann.dev',
      avatarUrl: 'https://files.fosstodon.org/accounts/avatars/ann.png',
    });
    expect(mention?.engagement).to.deep.equal({ likes: 4, reposts: 3, replies: 2, quotes: 0 });
    expect(mention?.raw).to.have.property('id', '1001');
  });

  it('gives a local author the instance domain', () => {
    const mention = toMention(
      notification({ account: { acct: 'zoe', username: 'zoe' } }),
      ownAccounts(),
      HOST,
    );
    expect(mention?.author.handle).to.equal('zoe@mastodon.example');
  });

  it('calls a reply to one of our posts a reply, and leaves the thread root unknown', () => {
    const mention = toMention(
      notification({ status: { in_reply_to_id: '111', in_reply_to_account_id: OUR_ID } }),
      ownAccounts(),
      HOST,
    );
    expect(mention).to.deep.include({
      kind: 'reply',
      inReplyToId: '111',
      inReplyToAuthorId: OUR_ID,
      threadRootId: null,
    });
  });

  it('keeps a reply in someone else’s thread a mention', () => {
    const mention = toMention(
      notification({ status: { in_reply_to_id: '222', in_reply_to_account_id: '333' } }),
      ownAccounts(),
      HOST,
    );
    expect(mention?.kind).to.equal('mention');
    expect(mention?.threadRootId).to.equal(null);
  });

  it('calls a direct post a direct message and reads its content warning first', () => {
    const mention = toMention(
      notification({ status: { visibility: 'direct', spoiler_text: 'billing' } }),
      ownAccounts(),
      HOST,
    );
    expect(mention?.kind).to.equal('direct_message');
    expect(mention?.text).to.equal("billing\n\n@acme it's down again & I'm 😡 #outage");
  });

  it('skips posts by our own accounts (our replies coming back)', () => {
    const echo = notification();
    expect(toMention(echo, ownAccounts('110000000000000042'), HOST)).to.equal(null);
  });

  it('skips notifications that are not mentions', () => {
    const favourite = MastodonNotification.parse({ ...notification(), type: 'favourite' });
    const follow = MastodonNotification.parse({ ...notification(), type: 'follow', status: undefined });
    expect(toMention(favourite, ownAccounts(), HOST)).to.equal(null);
    expect(toMention(follow, ownAccounts(), HOST)).to.equal(null);
  });

  it('rejects notification ids that are not numeric', () => {
    expect(() => MastodonNotification.parse({ ...notification(), id: 'abc' })).to.throw(/numeric/);
  });
});
