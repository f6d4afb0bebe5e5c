import { Agent as HttpAgent } from 'node:http';
import { expect } from 'chai';
import { ApiResponseError, TwitterApi, TwitterApiv2 } from 'twitter-api-v2';
import { startXStandIn, xDate } from '../src/index.ts';
import type { XStandIn } from '../src/index.ts';

const APP = 'app-only-bearer';
const USER = 'user-context-token';

/** twitter-api-v2's v2 client pointed at the stand-in (its own `cloneWithPrefix` cannot construct ES classes). */
class StandInClient extends TwitterApiv2 {
  constructor(token: string, baseUrl: string) {
    // twitter-api-v2 always calls https.request; an http.Agent lets it reach an http: URL.
    super(new TwitterApi(token, { httpAgent: new HttpAgent() }));
    this.setPrefix(`${baseUrl}/2/`);
  }
}

/** What X answered, for a call that must fail. */
async function refusal(call: Promise<unknown>): Promise<{ code: number; data: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiResponseError) return { code: error.code, data: error.data };
    throw error;
  }
  throw new Error('the call succeeded');
}

const APP_ONLY_FORBIDDEN = {
  title: 'Unsupported Authentication',
  detail:
    'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
  type: 'https://api.twitter.com/2/problems/unsupported-authentication',
  status: 403,
};

describe('X stand-in', () => {
  let x: XStandIn;

  beforeEach(async () => {
    x = await startXStandIn({ consumerSecret: 'secret', bearerToken: APP, userAccessToken: USER });
  });

  afterEach(async () => {
    await x.close();
  });

  const get = (path: string, token = APP): Promise<Response> =>
    fetch(`${x.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const tweet = (body: unknown, token = USER): Promise<Response> =>
    fetch(`${x.url}/2/tweets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('formats v1.1 dates as X does', () => {
    expect(xDate(new Date('2018-10-10T20:19:24Z'))).to.equal('Wed Oct 10 20:19:24 +0000 2018');
  });

  it('never repeats an id: more than 4,096 users made in one millisecond get distinct, increasing ids', () => {
    const made = Array.from({ length: 5000 }, (_, i) => x.addUser({ username: `many_${i}` }));
    expect(new Set(made.map((u) => u.id)).size).to.equal(5000);
    expect(BigInt(made.at(-1)!.id) > BigInt(made[0]!.id)).to.equal(true);
    // Found again by name, whatever its case, and kept as one user.
    expect(x.addUser({ username: 'MANY_42', name: 'Renamed' }).id).to.equal(made[42]!.id);
  });

  it('answers 401 with X problem body for a wrong or missing token', async () => {
    for (const res of [
      await get(`/2/users/${x.ownUser.id}/mentions`, 'wrong'),
      await fetch(`${x.url}/2/users/1/mentions`),
    ]) {
      expect(res.status).to.equal(401);
      expect(await res.json()).to.deep.equal({
        title: 'Unauthorized',
        type: 'about:blank',
        status: 401,
        detail: 'Unauthorized',
      });
    }
  });

  it('serves the mentions timeline with default fields, includes and meta, newest first', async () => {
    const a = await x.addMention({ author: 'ann_lee', text: 'one' });
    const b = await x.addMention({ author: 'bob', text: 'two #tag' });
    expect(BigInt(b.tweet.id) > BigInt(a.tweet.id)).to.equal(true);

    const plain = (await (await get(`/2/users/${x.ownUser.id}/mentions`)).json()) as Record<string, unknown>;
    expect(plain).to.deep.equal({
      data: [
        { id: b.tweet.id, text: '@socialcrm_demo two #tag', edit_history_tweet_ids: [b.tweet.id] },
        { id: a.tweet.id, text: '@socialcrm_demo one', edit_history_tweet_ids: [a.tweet.id] },
      ],
      meta: { newest_id: b.tweet.id, oldest_id: a.tweet.id, result_count: 2 },
    });

    const res = await get(
      `/2/users/${x.ownUser.id}/mentions?expansions=author_id&tweet.fields=created_at,author_id,entities&user.fields=public_metrics`,
    );
    expect(res.headers.get('x-rate-limit-limit')).to.equal('450');
    expect(res.headers.get('x-rate-limit-remaining')).to.equal('448');
    expect(Number(res.headers.get('x-rate-limit-reset'))).to.be.greaterThan(Date.now() / 1000);
    const full = (await res.json()) as {
      data: Record<string, unknown>[];
      includes: { users: Record<string, unknown>[] };
    };
    expect(full.data[0]).to.include({ author_id: b.author.id, created_at: b.tweet.created_at });
    expect(full.data[0]?.['entities']).to.deep.include({ hashtags: [{ start: 20, end: 24, tag: 'tag' }] });
    expect(full.includes.users.map((u) => u['username'])).to.have.members(['ann_lee', 'bob']);
    expect(full.includes.users[0]).to.have.keys(['id', 'name', 'username', 'public_metrics']);
  });

  it('paginates with next_token and filters with since_id', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await x.addMention({ author: 'ann_lee', text: `n${i}` })).tweet.id);
    const first = (await (await get(`/2/users/${x.ownUser.id}/mentions?max_results=5`)).json()) as {
      data: { id: string }[];
      meta: { next_token?: string; result_count: number };
    };
    expect(first.meta.result_count).to.equal(5);
    expect(first.meta.next_token).to.be.a('string');
    const second = (await (
      await get(`/2/users/${x.ownUser.id}/mentions?max_results=5&pagination_token=${first.meta.next_token}`)
    ).json()) as { data: { id: string }[]; meta: Record<string, unknown> };
    expect([...first.data, ...second.data].map((t) => t.id)).to.deep.equal([...ids].reverse());
    expect(second.meta).to.not.have.property('next_token');

    const since = (await (await get(`/2/users/${x.ownUser.id}/mentions?since_id=${ids[5]}`)).json()) as {
      data: { id: string }[];
    };
    expect(since.data.map((t) => t.id)).to.deep.equal([ids[6]]);
    const none = await (await get(`/2/users/${x.ownUser.id}/mentions?since_id=${ids[6]}`)).json();
    expect(none).to.deep.equal({ meta: { result_count: 0 } });
  });

  it('validates max_results as X does', async () => {
    const res = await get(`/2/users/${x.ownUser.id}/mentions?max_results=1`);
    expect(res.status).to.equal(400);
    const body = (await res.json()) as { title: string; errors: { message: string }[] };
    expect(body.title).to.equal('Invalid Request');
    expect(body.errors[0]?.message).to.include('between 5 and 100');
  });

  it('rate limits with 429 and X headers once the window is used up', async () => {
    x.exhaustRateLimit('mentions', 60);
    const res = await get(`/2/users/${x.ownUser.id}/mentions`);
    expect(res.status).to.equal(429);
    expect(res.headers.get('x-rate-limit-remaining')).to.equal('0');
    expect(await res.json()).to.deep.equal({
      title: 'Too Many Requests',
      detail: 'Too Many Requests',
      type: 'about:blank',
      status: 429,
    });
  });

  it('creates replies to posts that mention us (201) and records them', async () => {
    const mention = await x.addMention({ author: 'ann_lee', text: 'help please' });
    const res = await tweet({
      text: '@ann_lee we are on it',
      reply: { in_reply_to_tweet_id: mention.tweet.id },
    });
    expect(res.status).to.equal(201);
    const { data } = (await res.json()) as {
      data: { id: string; text: string; edit_history_tweet_ids: string[] };
    };
    expect(data).to.deep.equal({
      id: data.id,
      text: '@ann_lee we are on it',
      edit_history_tweet_ids: [data.id],
    });
    expect(x.sentTweets().map((t) => [t.id, t.in_reply_to_user_id, t.conversation_id])).to.deep.equal([
      [data.id, mention.author.id, mention.tweet.id],
    ]);
  });

  it("enforces X's reply restriction: 403 unless the author mentioned or quoted us", async () => {
    expect((await tweet({ text: 'our launch post' })).status).to.equal(201);
    const ours = x.sentTweets()[0]?.id ?? '';

    // Quoting our post engages us, even without an @mention.
    const quote = await x.addMention({ author: 'dave', text: 'so true', quoteTweetId: ours });
    expect(quote.tweet.text).to.equal('so true');
    expect(
      (await tweet({ text: 'thanks Dave', reply: { in_reply_to_tweet_id: quote.tweet.id } })).status,
    ).to.equal(201);

    // Quoting someone else's post without mentioning us does not.
    const erin = await x.addMention({ author: 'erin', text: 'hello' });
    const frank = await x.addMention({ author: 'frank', text: 'lol', quoteTweetId: erin.tweet.id });
    const res = await tweet({ text: 'hi Frank', reply: { in_reply_to_tweet_id: frank.tweet.id } });
    expect(res.status).to.equal(403);
    expect(await res.json()).to.deep.equal({
      detail:
        'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.',
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
    });

    const missing = await tweet({ text: 'hello?', reply: { in_reply_to_tweet_id: '1' } });
    expect(missing.status).to.equal(403);
  });

  it('refuses post creation with the app-only token, duplicates and overlong text', async () => {
    const appOnly = await tweet({ text: 'hello' }, APP);
    expect(appOnly.status).to.equal(403);
    expect(((await appOnly.json()) as { title: string }).title).to.equal('Unsupported Authentication');
    expect((await tweet({ text: 'same' })).status).to.equal(201);
    expect((await tweet({ text: 'same' })).status).to.equal(403);
    expect((await tweet({ text: 'x'.repeat(281) })).status).to.equal(403);
    expect((await tweet({})).status).to.equal(400);
  });

  describe('token kinds, as X checks them (through twitter-api-v2)', () => {
    it('posts and answers users/me only with the user-context token: 403 Unsupported Authentication with the app-only one', async () => {
      const app = new StandInClient(APP, x.url);
      const user = new StandInClient(USER, x.url);
      const mention = await x.addMention({ author: 'ann_lee', text: 'is the Seattle store open Sunday?' });

      expect(
        await refusal(app.tweet('@ann_lee yes, 10–6', { reply: { in_reply_to_tweet_id: mention.tweet.id } })),
      ).to.deep.equal({ code: 403, data: APP_ONLY_FORBIDDEN });
      expect(await refusal(app.me())).to.deep.equal({ code: 403, data: APP_ONLY_FORBIDDEN });
      expect(x.sentTweets()).to.deep.equal([]);

      const sent = await user.tweet('@ann_lee yes, 10–6', {
        reply: { in_reply_to_tweet_id: mention.tweet.id },
      });
      expect(x.sentTweets().map((t) => t.id)).to.deep.equal([sent.data.id]);
      expect((await user.me()).data).to.include({ id: x.ownUser.id, username: x.ownUser.username });
    });

    it('reads timelines, posts and users with either token', async () => {
      const mention = await x.addMention({ author: 'ann_lee', text: 'hello' });
      for (const token of [APP, USER]) {
        const client = new StandInClient(token, x.url);
        const timeline = await client.userMentionTimeline(x.ownUser.id);
        expect(
          timeline.tweets.map((t) => t.id),
          token,
        ).to.deep.equal([mention.tweet.id]);
        expect((await client.singleTweet(mention.tweet.id)).data.id, token).to.equal(mention.tweet.id);
        expect((await client.userByUsername('ann_lee')).data.id, token).to.equal(mention.author.id);
        expect((await client.user(mention.author.id)).data.username, token).to.equal('ann_lee');
      }
    });

    it('registers webhooks only with the app-only token', async () => {
      const user = new StandInClient(USER, x.url);
      expect(await refusal(user.post('webhooks', { url: 'http://127.0.0.1:1/webhooks/x' }))).to.deep.equal({
        code: 403,
        data: {
          title: 'Unsupported Authentication',
          detail:
            'Authenticating with OAuth 2.0 User Context is forbidden for this endpoint.  Supported authentication types are [OAuth 2.0 Application-Only].',
          type: 'https://api.twitter.com/2/problems/unsupported-authentication',
          status: 403,
        },
      });
      // Past authentication, the CRC check of an address nobody answers fails.
      const app = new StandInClient(APP, x.url);
      expect((await refusal(app.post('webhooks', { url: 'http://127.0.0.1:1/webhooks/x' }))).code).to.equal(
        400,
      );
    });

    it('makes up a user-context token when none is given: the app-only token never posts', async () => {
      const own = await startXStandIn({ consumerSecret: 'secret', bearerToken: APP });
      try {
        expect(own.userAccessToken).to.be.a('string').and.not.equal(APP);
        const app = new StandInClient(APP, own.url);
        expect(await refusal(app.tweet('hello'))).to.deep.equal({ code: 403, data: APP_ONLY_FORBIDDEN });
        const user = new StandInClient(own.userAccessToken, own.url);
        expect((await user.tweet('hello')).data.text).to.equal('hello');
      } finally {
        await own.close();
      }
    });

    it('refuses to be configured with one token for both kinds', async () => {
      let error: unknown;
      await startXStandIn({ consumerSecret: 's', bearerToken: APP, userAccessToken: APP }).catch(
        (e: unknown) => (error = e),
      );
      expect(String(error)).to.match(/userAccessToken must differ from bearerToken/);
    });
  });

  it('plays outages: 503 and connection refused, then recovers', async () => {
    await x.setFaults({ down: 'unavailable' });
    expect((await get(`/2/users/${x.ownUser.id}/mentions`)).status).to.equal(503);
    await x.setFaults({ down: 'refused' });
    let error: unknown;
    await get(`/2/users/${x.ownUser.id}/mentions`).catch((e: unknown) => (error = e));
    expect((error as { cause?: { code?: string } }).cause?.code).to.equal('ECONNREFUSED');
    await x.setFaults({ down: false });
    expect((await get(`/2/users/${x.ownUser.id}/mentions`)).status).to.equal(200);
  });

  it('accepts test control over HTTP for demo traffic', async () => {
    const res = await fetch(`${x.url}/_standin/mentions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ author: 'demo_user', text: 'hello from the demo' }),
    });
    expect(res.status).to.equal(201);
    const timeline = (await (await get(`/2/users/${x.ownUser.id}/mentions`)).json()) as {
      data: { text: string }[];
    };
    expect(timeline.data[0]?.text).to.equal('@socialcrm_demo hello from the demo');
  });
});
