import { expect } from 'chai';
import { createRestAPIClient, createStreamingAPIClient, type mastodon as Masto } from 'masto';
import { startMastodonStandIn } from '../src/mastodon.ts';
import type { MastodonNotificationJson, MastodonStandIn, MastodonStatusJson } from '../src/mastodon.ts';

const TOKEN = 'stand-in-token';
const OUR = { id: '109000000000000001', username: 'acme' };
const auth = { authorization: `Bearer ${TOKEN}` };

async function getJson<T>(
  url: string,
  headers: Record<string, string> = auth,
): Promise<{ status: number; body: T; res: Response }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as T, res };
}

async function post(
  base: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: MastodonStatusJson & { error?: string } }> {
  const res = await fetch(`${base}/api/v1/statuses`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as MastodonStatusJson & { error?: string } };
}

/** Reads an SSE response until `until` holds for the text so far (or the stream ends). */
async function readUntil(res: Response, until: (text: string) => boolean, timeoutMs = 3000): Promise<string> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const timer = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    while (!until(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
  return text;
}

/** Polls `probe` until it holds (tests wait for states, not for time). */
async function until(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The next `count` events of a masto subscription. */
async function take(
  subscription: Masto.streaming.Subscription,
  count: number,
): Promise<Masto.streaming.Event[]> {
  const events: Masto.streaming.Event[] = [];
  for await (const event of subscription) {
    events.push(event);
    if (events.length === count) break;
  }
  return events;
}

/** A raw WebSocket's next messages, parsed. */
function messages(ws: WebSocket, count: number): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const got: unknown[] = [];
    ws.addEventListener('error', () => reject(new Error('websocket error')));
    ws.addEventListener('message', (e) => {
      got.push(JSON.parse(String(e.data)));
      if (got.length === count) resolve(got);
    });
  });
}

describe('Mastodon stand-in', () => {
  let mastodon: MastodonStandIn;

  beforeEach(async () => {
    mastodon = await startMastodonStandIn({ accessToken: TOKEN, ownAccount: OUR, heartbeatMs: 100 });
  });

  afterEach(async () => {
    await mastodon.close();
  });

  describe('authentication', () => {
    it('answers verify_credentials for the token and Mastodon’s 401 bodies otherwise', async () => {
      const ok = await getJson<{ id: string; acct: string; source: unknown }>(
        `${mastodon.url}/api/v1/accounts/verify_credentials`,
      );
      expect(ok.status).to.equal(200);
      expect(ok.body).to.deep.include({ id: OUR.id, acct: 'acme' });
      expect(ok.body.source).to.be.an('object');

      const wrong = await getJson(`${mastodon.url}/api/v1/accounts/verify_credentials`, {
        authorization: 'Bearer nope',
      });
      expect(wrong).to.deep.include({ status: 401, body: { error: 'The access token is invalid' } });
      const missing = await getJson(`${mastodon.url}/api/v1/notifications`, {});
      expect(missing).to.deep.include({
        status: 401,
        body: { error: 'This method requires an authenticated user' },
      });
    });

    it('expireToken() revokes the token: 401 on REST and on the stream', async () => {
      mastodon.faults.expireToken();
      const rest = await getJson(`${mastodon.url}/api/v1/notifications`);
      expect(rest).to.deep.include({ status: 401, body: { error: 'The access token is invalid' } });
      const stream = await getJson(`${mastodon.url}/api/v1/streaming/user/notification`);
      expect(stream).to.deep.include({ status: 401, body: { error: 'Invalid access token' } });
      mastodon.faults.restoreToken();
      expect((await getJson(`${mastodon.url}/api/v1/notifications`)).status).to.equal(200);
    });
  });

  describe('statuses as Mastodon renders them', () => {
    it('renders text to Mastodon HTML: paragraphs, escaped entities, mention and hashtag links, shortened links', () => {
      const status = mastodon.addMention({
        author: { username: 'ann', display_name: 'Ann' },
        text: "@acme it's <b>down</b> & @bob@Fosstodon.org agrees #Outage\nhttps://www.example.com/a/very/long/path/that/keeps/going.\n\nthanks",
        language: 'en',
      });
      expect(status.content).to.equal(
        '<p><span class="h-card" translate="no"><a href="https://mastodon.example/@acme" class="u-url mention">@<span>acme</span></a></span>' +
          ' it&#39;s &lt;b&gt;down&lt;/b&gt; &amp; ' +
          '<span class="h-card" translate="no"><a href="https://fosstodon.org/@bob" class="u-url mention">@<span>bob</span></a></span>' +
          ' agrees <a href="https://mastodon.example/tags/outage" class="mention hashtag" rel="tag">#<span>Outage</span></a><br />' +
          '<a href="https://www.example.com/a/very/long/path/that/keeps/going" target="_blank" rel="nofollow noopener" translate="no">' +
          '<span class="invisible">https://www.</span><span class="ellipsis">example.com/a/very/long/path/t</span>' +
          '<span class="invisible">hat/keeps/going</span></a>.</p><p>thanks</p>',
      );
      expect(status.mentions.map((m) => m.acct)).to.deep.equal(['acme', 'bob@fosstodon.org']);
      expect(status.tags).to.deep.equal([{ name: 'outage', url: 'https://mastodon.example/tags/outage' }]);
      expect(status).to.deep.include({ language: 'en', visibility: 'public', in_reply_to_id: null });
      expect(status.account).to.deep.include({ username: 'ann', acct: 'ann', display_name: 'Ann' });
      expect(status.url).to.equal(`https://mastodon.example/@ann/${status.id}`);
    });

    it('mentions our account when the text does not, as a reply box does', () => {
      const status = mastodon.addMention({
        author: { username: 'zoe', domain: 'hachyderm.io' },
        text: 'hello',
      });
      expect(status.content).to.match(
        /^<p><span class="h-card".*@<span>acme<\/span><\/a><\/span> hello<\/p>$/,
      );
      expect(status.account.acct).to.equal('zoe@hachyderm.io');
    });

    it('hands out increasing numeric ids: snowflake-like for statuses, a sequence for notifications', () => {
      const a = mastodon.addMention({ author: { username: 'ann' }, text: 'one' });
      const b = mastodon.addMention({ author: { username: 'ann' }, text: 'two' });
      expect(a.id).to.match(/^\d{15,}$/);
      expect(BigInt(b.id) > BigInt(a.id)).to.equal(true);
      // Time in the high bits, as in Mastodon.
      expect(Number(BigInt(a.id) >> 16n)).to.be.closeTo(Date.parse(a.created_at), 1000);
      const ids = mastodon.notifications().map((n) => BigInt(n.id));
      expect(ids).to.deep.equal([990n, 991n]);
    });

    it('serves a status and its thread; unknown ids are Mastodon 404s', async () => {
      const root = mastodon.addMention({ author: { username: 'ann' }, text: 'root' });
      const reply = await post(mastodon.url, { status: '@ann on it', in_reply_to_id: root.id });
      const again = mastodon.addMention({
        author: { username: 'ann' },
        text: 'thanks',
        inReplyToId: reply.body.id,
      });

      const single = await getJson<MastodonStatusJson>(`${mastodon.url}/api/v1/statuses/${root.id}`);
      expect(single.body).to.deep.include({ id: root.id, replies_count: 1 });
      const ctx = await getJson<{ ancestors: MastodonStatusJson[]; descendants: MastodonStatusJson[] }>(
        `${mastodon.url}/api/v1/statuses/${reply.body.id}/context`,
      );
      expect(ctx.body.ancestors.map((s) => s.id)).to.deep.equal([root.id]);
      expect(ctx.body.descendants.map((s) => s.id)).to.deep.equal([again.id]);
      expect(again).to.deep.include({ in_reply_to_id: reply.body.id, in_reply_to_account_id: OUR.id });

      const missing = await getJson(`${mastodon.url}/api/v1/statuses/123`);
      expect(missing).to.deep.include({ status: 404, body: { error: 'Record not found' } });
    });
  });

  describe('GET /api/v1/notifications', () => {
    let all: MastodonNotificationJson[];

    beforeEach(() => {
      for (const n of [1, 2, 3, 4, 5]) mastodon.addMention({ author: { username: 'ann' }, text: `n${n}` });
      all = mastodon.notifications();
    });

    const ids = (list: MastodonNotificationJson[]): string[] => list.map((n) => n.id);

    it('pages newest first with a Link header (next: max_id, prev: min_id) carrying types[] and limit', async () => {
      const first = await getJson<MastodonNotificationJson[]>(
        `${mastodon.url}/api/v1/notifications?types[]=mention&limit=2`,
      );
      expect(ids(first.body)).to.deep.equal(['994', '993']);
      expect(first.body[0]).to.deep.include({ type: 'mention' });
      const link = first.res.headers.get('link') ?? '';
      expect(link).to.equal(
        `<${mastodon.url}/api/v1/notifications?types%5B%5D=mention&limit=2&max_id=993>; rel="next", ` +
          `<${mastodon.url}/api/v1/notifications?types%5B%5D=mention&limit=2&min_id=994>; rel="prev"`,
      );
      const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
      expect(ids((await getJson<MastodonNotificationJson[]>(next)).body)).to.deep.equal(['992', '991']);
    });

    it('since_id gives the newest page above it, min_id the page immediately above it', async () => {
      const since = await getJson<MastodonNotificationJson[]>(
        `${mastodon.url}/api/v1/notifications?since_id=990&limit=2`,
      );
      expect(ids(since.body)).to.deep.equal(['994', '993']);
      const min = await getJson<MastodonNotificationJson[]>(
        `${mastodon.url}/api/v1/notifications?min_id=990&limit=2`,
      );
      expect(ids(min.body)).to.deep.equal(['992', '991']);
      const none = await getJson<MastodonNotificationJson[]>(
        `${mastodon.url}/api/v1/notifications?min_id=994`,
      );
      expect(none.body).to.deep.equal([]);
      expect(none.res.headers.get('link')).to.equal(null);
      expect(all).to.have.length(5);
    });

    it('filters by types[] and exclude_types[]', async () => {
      const follows = await getJson<unknown[]>(`${mastodon.url}/api/v1/notifications?types[]=follow`);
      expect(follows.body).to.deep.equal([]);
      const noMentions = await getJson<unknown[]>(
        `${mastodon.url}/api/v1/notifications?exclude_types[]=mention`,
      );
      expect(noMentions.body).to.deep.equal([]);
    });
  });

  describe('POST /api/v1/statuses', () => {
    it('posts a reply; the same Idempotency-Key gives the same status, not a new one', async () => {
      const root = mastodon.addMention({ author: { username: 'ann' }, text: 'help' });
      const first = await post(
        mastodon.url,
        { status: '@ann sorry!', in_reply_to_id: root.id },
        { 'idempotency-key': 'k1' },
      );
      const again = await post(
        mastodon.url,
        { status: '@ann sorry!', in_reply_to_id: root.id },
        { 'idempotency-key': 'k1' },
      );
      const other = await post(
        mastodon.url,
        { status: '@ann sorry!', in_reply_to_id: root.id },
        { 'idempotency-key': 'k2' },
      );

      expect(first.status).to.equal(200);
      expect(first.body).to.deep.include({
        in_reply_to_id: root.id,
        in_reply_to_account_id: root.account.id,
      });
      expect(first.body.account.id).to.equal(OUR.id);
      expect(again.body.id).to.equal(first.body.id);
      expect(other.body.id).to.not.equal(first.body.id);
      expect(mastodon.postedStatuses().map((s) => s.id)).to.deep.equal([first.body.id, other.body.id]);
    });

    it('accepts form-encoded bodies, as most Mastodon clients send', async () => {
      const res = await fetch(`${mastodon.url}/api/v1/statuses`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ status: 'hello fediverse', visibility: 'unlisted' }),
      });
      const body = (await res.json()) as MastodonStatusJson;
      expect(res.status).to.equal(200);
      expect(body).to.deep.include({ visibility: 'unlisted', content: '<p>hello fediverse</p>' });
    });

    it('enforces the 500-character limit as Mastodon counts (a link weighs 23)', async () => {
      const tooLong = await post(mastodon.url, { status: 'x'.repeat(501) });
      expect(tooLong).to.deep.equal({
        status: 422,
        body: { error: 'Validation failed: Text character limit of 500 exceeded' },
      });
      const exactly = await post(mastodon.url, { status: 'é'.repeat(500) });
      expect(exactly.status).to.equal(200);
      const longLink = await post(mastodon.url, {
        status: `${'y'.repeat(470)} https://example.com/${'p'.repeat(300)}`,
      });
      expect(longLink.status).to.equal(200);
      expect(mastodon.postedStatuses()).to.have.length(2);
    });

    it('rejects a blank status and a reply to a status that does not exist', async () => {
      expect(await post(mastodon.url, { status: '  ' })).to.deep.equal({
        status: 422,
        body: { error: "Validation failed: Text can't be blank" },
      });
      const orphan = await post(mastodon.url, { status: 'hi', in_reply_to_id: '42' });
      expect(orphan.status).to.equal(404);
      expect(orphan.body.error).to.be.a('string');
    });
  });

  describe('streaming (server-sent events)', () => {
    it('pushes new mention notifications live, with heartbeats', async () => {
      const res = await fetch(`${mastodon.url}/api/v1/streaming/user/notification`, { headers: auth });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/event-stream');
      setTimeout(() => mastodon.addMention({ author: { username: 'ann' }, text: 'live!' }), 150);
      const text = await readUntil(res, (t) => t.includes('\n\n') && t.includes('event: notification'));
      expect(text.startsWith(':)\n')).to.equal(true);
      expect(text).to.include(':thump\n');
      const frame = /event: notification\ndata: (.*)\n\n/.exec(text);
      const payload = JSON.parse(frame?.[1] ?? '{}') as MastodonNotificationJson;
      expect(payload).to.deep.include({ id: '990', type: 'mention' });
      expect(payload.status.content).to.include('live!');
    });

    it('serves the other streams too: a hashtag stream gets public posts with the tag as update events', async () => {
      const res = await fetch(`${mastodon.url}/api/v1/streaming/hashtag?tag=Ridgeline`, { headers: auth });
      expect(res.status).to.equal(200);
      await until(() => mastodon.streamingConnections().length === 1, 'the stream to open');
      mastodon.addMention({ author: { username: 'ann' }, text: 'no tag here' });
      const tagged = mastodon.addMention({
        author: { username: 'ann' },
        text: 'pitched the #ridgeline in a storm',
      });
      const text = await readUntil(res, (t) => t.includes('event: update'));
      const frame = /event: update\ndata: (.*)\n\n/.exec(text);
      expect((JSON.parse(frame?.[1] ?? '{}') as MastodonStatusJson).id).to.equal(tagged.id);
      const unknown = await getJson(`${mastodon.url}/api/v1/streaming/nonsense`);
      expect(unknown).to.deep.include({ status: 404, body: { error: 'Unknown stream type' } });
    });

    it('accepts the token as access_token, and refuses a stream without one', async () => {
      const viaQuery = await fetch(
        `${mastodon.url}/api/v1/streaming/user/notification?access_token=${TOKEN}`,
      );
      expect(viaQuery.status).to.equal(200);
      await viaQuery.body?.cancel();
      const without = await getJson(`${mastodon.url}/api/v1/streaming/user/notification`, {});
      expect(without).to.deep.include({ status: 401, body: { error: 'Missing access token' } });
    });

    it('down() cuts open streams and answers 502 until up()', async () => {
      const res = await fetch(`${mastodon.url}/api/v1/streaming/user/notification`, { headers: auth });
      const started = Date.now();
      const reading = readUntil(res, () => false, 5000).catch((err: unknown) => `failed: ${String(err)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      mastodon.faults.down();
      await reading;
      // Cut at once, not left to our 5 s read timeout.
      expect(Date.now() - started).to.be.lessThan(2000);
      const during = await fetch(`${mastodon.url}/api/v1/notifications`, { headers: auth });
      expect(during.status).to.equal(502);
      await during.body?.cancel();
      mastodon.addMention({ author: { username: 'ann' }, text: 'while down' });
      mastodon.faults.up();
      const after = await getJson<unknown[]>(`${mastodon.url}/api/v1/notifications`);
      expect(after.status).to.equal(200);
      expect(after.body).to.have.length(1);
    });

    it('closes streams when the token is revoked', async () => {
      const res = await fetch(`${mastodon.url}/api/v1/streaming/user/notification`, { headers: auth });
      const started = Date.now();
      const reading = readUntil(res, () => false, 5000);
      setTimeout(() => mastodon.faults.expireToken(), 50);
      await reading;
      expect(Date.now() - started).to.be.lessThan(2000);
    });
  });

  describe('streaming (WebSocket, through masto.js)', () => {
    let clients: Masto.streaming.Client[];

    beforeEach(() => {
      clients = [];
    });
    afterEach(() => {
      for (const client of clients) client.close();
    });

    /** masto's streaming client at the URL the instance announces, as apps find it. */
    async function streamingClient(options: { useInsecureAccessToken?: boolean } = {}) {
      const rest = createRestAPIClient({ url: mastodon.url, accessToken: TOKEN });
      const instance = await rest.v2.instance.fetch();
      const client = createStreamingAPIClient({
        streamingApiUrl: instance.configuration.urls.streaming,
        accessToken: TOKEN,
        retry: false,
        ...options,
      });
      clients.push(client);
      return client;
    }

    const subscribed = (stream: string, count = 1): Promise<void> =>
      until(
        () =>
          mastodon
            .streamingConnections()
            .filter((c) => c.transport === 'websocket' && c.streams.includes(stream)).length >= count,
        `a WebSocket subscribed to ${stream}`,
      );

    it('delivers a mention to the user:notification stream (token as Sec-WebSocket-Protocol)', async () => {
      const client = await streamingClient();
      const notifications = client.user.notification.subscribe();
      const received = take(notifications, 1);
      await subscribed('user:notification');
      const status = mastodon.addMention({
        author: { username: 'ann', domain: 'hachyderm.io', display_name: 'Ann Lee' },
        text: 'is the Ridgeline 2P in stock?',
      });
      const [event] = await received;
      expect(event?.event).to.equal('notification');
      expect(event?.stream).to.deep.equal(['user:notification']);
      const payload = event?.payload as Masto.v1.Notification;
      expect(payload).to.deep.include({ type: 'mention' });
      expect(payload.status?.id).to.equal(status.id);
      expect(payload.account.acct).to.equal('ann@hachyderm.io');
      expect(payload.status?.content).to.include('is the Ridgeline 2P in stock?');
    });

    it('accepts the token as access_token, and serves several streams on one socket', async () => {
      const client = await streamingClient({ useInsecureAccessToken: true });
      const user = client.user.subscribe();
      const tagged = client.hashtag.subscribe({ tag: 'Trail' });
      const onUser = take(user, 2);
      const onTag = take(tagged, 1);
      await subscribed('user');
      await subscribed('hashtag:trail');
      expect(mastodon.streamingConnections().filter((c) => c.transport === 'websocket')).to.have.length(1);

      const mention = mastodon.addMention({ author: { username: 'bob' }, text: 'loving the #trail mix' });
      const reply = await post(mastodon.url, { status: '@bob thanks!', in_reply_to_id: mention.id });

      // user: our notification, then our own reply on our home timeline; the hashtag: bob's public post.
      const userEvents = await onUser;
      expect(userEvents.map((e) => [e.event, e.stream])).to.deep.equal([
        ['notification', ['user']],
        ['update', ['user']],
      ]);
      expect((userEvents[1]?.payload as Masto.v1.Status).id).to.equal(reply.body.id);
      const [tagEvent] = await onTag;
      expect(tagEvent?.stream).to.deep.equal(['hashtag', 'Trail']);
      expect((tagEvent?.payload as Masto.v1.Status).id).to.equal(mention.id);
    });

    it('streams public updates, edits and deletes; a deleted status is gone', async () => {
      const client = await streamingClient();
      const events = take(client.public.subscribe(), 3);
      await subscribed('public');
      const status = mastodon.addMention({ author: { username: 'cleo' }, text: 'first draft' });
      mastodon.editStatus(status.id, '@acme second draft');
      mastodon.deleteStatus(status.id);
      const [update, edit, deletion] = await events;
      expect(update).to.deep.include({ event: 'update', stream: ['public'] });
      expect(edit?.event).to.equal('status.update');
      expect((edit?.payload as Masto.v1.Status).content).to.include('second draft');
      expect((edit?.payload as Masto.v1.Status).editedAt).to.be.a('string');
      expect(deletion).to.deep.equal({ event: 'delete', stream: ['public'], payload: status.id });
      const gone = await getJson(`${mastodon.url}/api/v1/statuses/${status.id}`);
      expect(gone.status).to.equal(404);
      expect(mastodon.notifications()).to.deep.equal([]);
    });

    it('keeps unlisted posts off the public stream', async () => {
      const client = await streamingClient();
      const events = take(client.public.subscribe(), 1);
      await subscribed('public');
      mastodon.addMention({ author: { username: 'dan' }, text: 'quiet one', visibility: 'unlisted' });
      const loud = mastodon.addMention({ author: { username: 'dan' }, text: 'loud one' });
      const [event] = await events;
      expect((event?.payload as Masto.v1.Status).id).to.equal(loud.id);
    });

    it('unsubscribes, answers Mastodon errors on the socket, and refuses an upgrade without a valid token', async () => {
      const wsUrl = `${mastodon.url.replace(/^http/, 'ws')}/api/v1/streaming`;
      const ws = new WebSocket(`${wsUrl}?access_token=${TOKEN}&stream=public`);
      await new Promise((resolve) => ws.addEventListener('open', resolve));
      await subscribed('public');
      const answers = messages(ws, 2);
      ws.send(JSON.stringify({ type: 'subscribe', stream: 'nonsense' }));
      ws.send(JSON.stringify({ type: 'subscribe', stream: 'hashtag' }));
      expect(await answers).to.deep.equal([
        { error: 'Unknown stream type', status: 400 },
        { error: 'No tag for stream provided', status: 400 },
      ]);
      ws.send(JSON.stringify({ type: 'unsubscribe', stream: 'public' }));
      await until(
        () => mastodon.streamingConnections().every((c) => c.streams.length === 0),
        'the public subscription to end',
      );
      ws.close();

      for (const url of [wsUrl, `${wsUrl}?access_token=nope`]) {
        const refused = new WebSocket(url);
        const outcome = await new Promise<string>((resolve) => {
          refused.addEventListener('open', () => resolve('open'));
          refused.addEventListener('error', () => resolve('error'));
        });
        expect(outcome, url).to.equal('error');
      }
      const sse = await fetch(`${mastodon.url}/api/v1/streaming/user`);
      expect(sse.status).to.equal(401);
    });

    it('closes WebSockets when the token is revoked', async () => {
      const ws = new WebSocket(`${mastodon.url.replace(/^http/, 'ws')}/api/v1/streaming?stream=user`, [
        TOKEN,
      ]);
      await new Promise((resolve) => ws.addEventListener('open', resolve));
      expect(ws.protocol).to.equal(TOKEN);
      const closed = new Promise((resolve) => ws.addEventListener('close', resolve));
      mastodon.faults.expireToken();
      await closed;
      expect(mastodon.streamingConnections()).to.deep.equal([]);
    });
  });

  describe('rate limit', () => {
    it('sends X-RateLimit headers and 429 "Too many requests" when the window is spent, until it resets', async () => {
      const first = await getJson(`${mastodon.url}/api/v1/notifications`);
      expect(first.res.headers.get('x-ratelimit-limit')).to.equal('300');
      expect(first.res.headers.get('x-ratelimit-remaining')).to.equal('299');
      expect(Date.parse(first.res.headers.get('x-ratelimit-reset') ?? '')).to.be.greaterThan(Date.now());

      mastodon.faults.rateLimit(1, 300);
      const last = await getJson(`${mastodon.url}/api/v1/notifications`);
      expect(last.status).to.equal(200);
      expect(last.res.headers.get('x-ratelimit-remaining')).to.equal('0');
      const limited = await getJson(`${mastodon.url}/api/v1/notifications`);
      expect(limited).to.deep.include({ status: 429, body: { error: 'Too many requests' } });

      await new Promise((resolve) => setTimeout(resolve, 320));
      const reset = await getJson(`${mastodon.url}/api/v1/notifications`);
      expect(reset.status).to.equal(200);
      expect(reset.res.headers.get('x-ratelimit-remaining')).to.equal('299');
    });
  });
});
