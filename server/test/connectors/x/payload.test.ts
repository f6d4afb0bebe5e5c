import { expect } from 'chai';
import { parseXDate, toMentions } from '../../../src/connectors/x/payload.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { ownAccounts } from './fakes.ts';
import { BRAND_ID, activity, v1Tweet, v1User } from './fixtures.ts';

const none = ownAccounts({});

function validationError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    expect((error as AppError).code).to.equal('validation_failed');
    return error as AppError;
  }
  expect.fail('expected a validation error');
}

describe('X payload → Mention', () => {
  it('parses X dates (with offsets) into ISO 8601', () => {
    expect(parseXDate('Wed Oct 10 20:19:24 +0000 2018')).to.equal('2018-10-10T20:19:24.000Z');
    expect(parseXDate('Sun Jan 01 00:30:00 +0100 2023')).to.equal('2022-12-31T23:30:00.000Z');
    expect(parseXDate('2018-10-10T20:19:24Z')).to.equal(null);
  });

  it('maps a mention with author, entities, engagement, language and raw', () => {
    const payload = activity([v1Tweet()]);
    const [mention, ...rest] = toMentions(payload, none);
    expect(rest).to.have.length(0);
    expect(mention).to.deep.include({
      network: 'x',
      id: '1050118621198921728',
      text: '@socialcrm_demo my order #A123 never arrived 😞 https://t.co/abcdefghij #fail',
      createdAt: '2018-10-10T20:19:24.000Z',
      url: 'https://x.com/ann_lee/status/1050118621198921728',
      inReplyToId: null,
      threadRootId: '1050118621198921728',
      inReplyToAuthorId: null,
      mentionedHandles: ['socialcrm_demo'],
      hashtags: ['A123', 'fail'],
      urls: ['https://shop.example/orders/A123'],
      languageHint: 'en',
      kind: 'mention',
    });
    expect(mention?.author).to.deep.equal({
      id: '6253282',
      handle: 'ann_lee',
      displayName: 'Ann Lee',
      followers: 1520,
      following: 310,
      verified: false,
      profileUrl: 'https://x.com/ann_lee',
      bio: 'Coffee first. Opinions my own.',
      avatarUrl: 'https://pbs.twimg.com/profile_images/1/ann_normal.jpg',
    });
    expect(mention?.engagement).to.deep.equal({ likes: 4, reposts: 3, replies: 2, quotes: 1 });
    expect(mention?.raw).to.deep.equal((payload['tweet_create_events'] as unknown[])[0]);
  });

  it('marks replies to our posts as replies, with the reply fields', () => {
    const reply = v1Tweet({
      in_reply_to_status_id_str: '1050000000000000000',
      in_reply_to_user_id_str: BRAND_ID,
      in_reply_to_screen_name: 'socialcrm_demo',
    });
    const [mention] = toMentions(activity([reply]), none);
    expect(mention?.kind).to.equal('reply');
    expect(mention?.inReplyToId).to.equal('1050000000000000000');
    expect(mention?.inReplyToAuthorId).to.equal(BRAND_ID);
    expect(mention?.threadRootId).to.equal(null);
  });

  it('keeps a reply to someone else that mentions us as a mention', () => {
    const reply = v1Tweet({ in_reply_to_status_id_str: '1049', in_reply_to_user_id_str: '777' });
    expect(toMentions(activity([reply]), none)[0]?.kind).to.equal('mention');
  });

  it('marks quotes of our posts as quotes', () => {
    const quote = v1Tweet({
      is_quote_status: true,
      quoted_status: { id_str: '1', user: { id_str: BRAND_ID } },
    });
    expect(toMentions(activity([quote]), none)[0]?.kind).to.equal('quote');
  });

  it('uses extended_tweet.full_text and its entities for long posts', () => {
    const full = `@socialcrm_demo ${'really '.repeat(30)}long story #longread`;
    const tweet = v1Tweet({
      text: `${full.slice(0, 139)}…`,
      truncated: true,
      extended_tweet: {
        full_text: full,
        display_text_range: [0, full.length],
        entities: { hashtags: [{ text: 'longread', indices: [0, 0] }], urls: [], user_mentions: [] },
      },
      entities: { hashtags: [], urls: [], user_mentions: [] },
    });
    const [mention] = toMentions(activity([tweet]), none);
    expect(mention?.text).to.equal(full);
    expect(mention?.hashtags).to.deep.equal(['longread']);
  });

  it('accepts full_text when text is absent (tweet_mode=extended objects)', () => {
    const tweet = v1Tweet({ full_text: 'Full text here @socialcrm_demo' });
    delete tweet['text'];
    expect(toMentions(activity([tweet]), none)[0]?.text).to.equal('Full text here @socialcrm_demo');
  });

  it('drops X language tags that mean "undetermined"', () => {
    expect(toMentions(activity([v1Tweet({ lang: 'und' })]), none)[0]?.languageHint).to.equal(null);
    expect(toMentions(activity([v1Tweet({ lang: 'pt' })]), none)[0]?.languageHint).to.equal('pt');
  });

  it('skips retweets', () => {
    const retweet = v1Tweet({ id_str: '2', text: 'RT @socialcrm_demo: hello', retweeted_status: v1Tweet() });
    expect(toMentions(activity([retweet]), none)).to.deep.equal([]);
  });

  it('skips our own posts: by for_user_id and by the other own accounts', () => {
    const echo = v1Tweet({ user: v1User({ id_str: BRAND_ID, screen_name: 'socialcrm_demo' }) });
    const fromSupport = v1Tweet({
      id_str: '3',
      user: v1User({ id_str: '555', screen_name: 'socialcrm_help' }),
    });
    const mentions = toMentions(
      activity([echo, fromSupport, v1Tweet({ id_str: '4' })]),
      ownAccounts({ x: ['555'] }),
    );
    expect(mentions.map((m) => m.id)).to.deep.equal(['4']);
  });

  it('returns no mentions for events without tweets (favorites, follows)', () => {
    const favorite = {
      for_user_id: BRAND_ID,
      favorite_events: [{ id: 'a', favorited_status: v1Tweet(), user: v1User() }],
    };
    expect(toMentions(favorite, none)).to.deep.equal([]);
    expect(toMentions({ for_user_id: BRAND_ID, follow_events: [{ type: 'follow' }] }, none)).to.deep.equal(
      [],
    );
  });

  it('keeps a missing avatar or an unparseable profile image as null rather than failing', () => {
    const tweet = v1Tweet({ user: v1User({ profile_image_url_https: '' }) });
    expect(toMentions(activity([tweet]), none)[0]?.author.avatarUrl).to.equal(null);
  });

  it('names every problem of a malformed payload', () => {
    const broken = activity([v1Tweet({ id_str: 12, created_at: '2018-10-10', user: { screen_name: 'x' } })]);
    const error = validationError(() => toMentions(broken, none));
    expect(error.message).to.match(/^X webhook payload is invalid: /);
    expect(error.message).to.include('tweet_create_events.0.id_str');
    expect(error.message).to.include('tweet_create_events.0.created_at');
    expect(error.message).to.include('tweet_create_events.0.user.id_str');
    const details = error.details as { path: string }[];
    expect(details.map((d) => d.path)).to.include('tweet_create_events.0.user.id_str');
  });

  it('requires for_user_id and an object body', () => {
    expect(validationError(() => toMentions({ tweet_create_events: [] }, none)).message).to.include(
      'for_user_id',
    );
    validationError(() => toMentions('nope', none));
    validationError(() => toMentions(null, none));
  });

  it('requires some text', () => {
    const tweet = v1Tweet();
    delete tweet['text'];
    expect(validationError(() => toMentions(activity([tweet]), none)).message).to.include('text');
  });

  describe('v2 shape (filtered-stream webhooks)', () => {
    const v2 = {
      data: {
        id: '1800000000000000001',
        text: '@socialcrm_demo thanks, works now #happy',
        author_id: '42',
        created_at: '2024-06-10T12:00:00.000Z',
        conversation_id: '1799999999999999999',
        in_reply_to_user_id: BRAND_ID,
        referenced_tweets: [{ type: 'replied_to', id: '1799999999999999999' }],
        entities: {
          mentions: [{ start: 0, end: 15, username: 'socialcrm_demo', id: BRAND_ID }],
          hashtags: [{ start: 34, end: 40, tag: 'happy' }],
        },
        lang: 'en',
        public_metrics: { like_count: 5, retweet_count: 0, reply_count: 0, quote_count: 0 },
        edit_history_tweet_ids: ['1800000000000000001'],
      },
      includes: {
        users: [{ id: '42', username: 'bob', name: 'Bob', public_metrics: { followers_count: 9 } }],
      },
      matching_rules: [{ id: '1', tag: 'brand mentions' }],
      for_user_id: BRAND_ID,
    };

    it('maps data + includes.users, with conversation and reply fields', () => {
      const [mention] = toMentions(v2, none);
      expect(mention).to.deep.include({
        id: '1800000000000000001',
        kind: 'reply',
        inReplyToId: '1799999999999999999',
        threadRootId: '1799999999999999999',
        inReplyToAuthorId: BRAND_ID,
        hashtags: ['happy'],
        mentionedHandles: ['socialcrm_demo'],
      });
      expect(mention?.author).to.deep.include({ id: '42', handle: 'bob', followers: 9 });
      expect(mention?.engagement.likes).to.equal(5);
    });

    it('names what is wrong in a malformed v2 body', () => {
      const error = validationError(() => toMentions({ data: { id: 'abc' } }, none));
      expect(error.message).to.include('data');
    });
  });
});
