import { expect } from 'chai';
import { startXStandIn } from '../../../../stand-ins/src/index.ts';
import type { XStandIn } from '../../../../stand-ins/src/index.ts';
import { XMentionsPoller } from '../../../src/connectors/x/x-poller.ts';
import type { XMentionsPollerOptions } from '../../../src/connectors/x/x-poller.ts';
import { FakeSink, MemoryCursorStore, ownAccounts } from './fakes.ts';

const BEARER = 'AAAAAAAAAAAAAAAAAAAAAstandin';

describe('XMentionsPoller against the X stand-in', () => {
  let x: XStandIn;
  let cursors: MemoryCursorStore;
  let sink: FakeSink;
  let poller: XMentionsPoller | undefined;

  beforeEach(async () => {
    x = await startXStandIn({ consumerSecret: 's', bearerToken: BEARER });
    cursors = new MemoryCursorStore();
    sink = new FakeSink();
  });

  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
    await x.close();
  });

  function makePoller(options: Partial<XMentionsPollerOptions> = {}): XMentionsPoller {
    poller = new XMentionsPoller({
      userId: x.ownUser.id,
      bearerToken: BEARER,
      cursors,
      ownAccounts: ownAccounts({}),
      baseUrl: x.url,
      intervalMs: 60_000,
      ...options,
    });
    return poller;
  }

  const mentionRequests = (): URLSearchParams[] =>
    x.requests.filter((r) => r.path.endsWith('/mentions')).map((r) => new URLSearchParams(r.query));

  it('reads the latest page first, persists since_id, and then reads only newer mentions', async () => {
    await x.addMention({ author: 'ann_lee', text: 'first' });
    const second = await x.addMention({ author: 'bob', text: 'second #help https://shop.example/a' });
    const p = makePoller();

    expect(await p.pollOnce(sink)).to.equal(2);
    expect(sink.accepted.map((m) => m.text)).to.deep.equal(['@socialcrm_demo first', second.tweet.text]);
    expect(await cursors.get(XMentionsPoller.cursorKey(x.ownUser.id))).to.equal(second.tweet.id);

    const [, bob] = sink.accepted;
    expect(bob).to.deep.include({
      network: 'x',
      id: second.tweet.id,
      hashtags: ['help'],
      urls: ['https://shop.example/a'],
      mentionedHandles: ['socialcrm_demo'],
      languageHint: 'en',
      threadRootId: second.tweet.id,
    });
    expect(bob?.author).to.deep.include({ id: second.author.id, handle: 'bob' });
    expect(bob?.author.followers).to.be.a('number');

    const third = await x.addMention({ author: 'carol', text: 'third' });
    expect(await p.pollOnce(sink)).to.equal(1);
    expect(sink.accepted.at(-1)?.id).to.equal(third.tweet.id);
    expect(mentionRequests().at(-1)?.get('since_id')).to.equal(second.tweet.id);
    expect(p.health()).to.deep.include({
      cursor: third.tweet.id,
      tokenValid: true,
      errorStreak: 0,
      status: 'ok',
    });
  });

  it('resumes from a persisted cursor after a restart', async () => {
    const old = await x.addMention({ author: 'ann_lee', text: 'seen before the restart' });
    await cursors.set(XMentionsPoller.cursorKey(x.ownUser.id), old.tweet.id);
    const fresh = await x.addMention({ author: 'ann_lee', text: 'new' });
    const p = makePoller();
    await p.start(sink);
    await p.stop();
    expect(sink.accepted.map((m) => m.id)).to.deep.equal([fresh.tweet.id]);
  });

  it('follows next_token through all pages and hands mentions over oldest first', async () => {
    const first = await x.addMention({ author: 'ann_lee', text: 'before' });
    const p = makePoller({ maxResults: 5 });
    await p.pollOnce(sink);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push((await x.addMention({ author: `user${i % 3}`, text: `n${i}` })).tweet.id);

    expect(await p.pollOnce(sink)).to.equal(12);
    expect(sink.accepted.slice(1).map((m) => m.id)).to.deep.equal(ids);
    const pages = mentionRequests().slice(1);
    expect(pages).to.have.length(3);
    expect(pages.every((q) => q.get('since_id') === first.tweet.id)).to.equal(true);
    expect(pages[0]?.get('pagination_token')).to.equal(null);
    expect(pages[1]?.get('pagination_token')).to.be.a('string');
    expect(await cursors.get(XMentionsPoller.cursorKey(x.ownUser.id))).to.equal(ids.at(-1));
  });

  it('does not move the cursor when the sink fails, and counts the error', async () => {
    await x.addMention({ author: 'ann_lee', text: 'hello' });
    const p = makePoller();
    sink.failWith = new Error('queue closed');
    const failure = await p.pollOnce(sink).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(Error);
    expect(await cursors.get(XMentionsPoller.cursorKey(x.ownUser.id))).to.equal(null);
    expect(p.health()).to.deep.include({ errorStreak: 1, status: 'degraded' });
    expect(p.health().lastError).to.include('queue closed');
    sink.failWith = null;
    expect(await p.pollOnce(sink)).to.equal(1);
    expect(p.health().errorStreak).to.equal(0);
  });

  it('refuses a tweet whose author handle X would not allow, queues the others and moves the cursor past it', async () => {
    const before = await x.addMention({ author: 'ann_lee', text: 'first' });
    const bad = await x.addMention({ author: 'not-an-x-handle', text: 'odd one' });
    const after = await x.addMention({ author: 'bob', text: 'last' });
    const refused: { source: string; id: string | null; kind: string; reason: string }[] = [];
    const p = makePoller({
      rejections: { record: (source, list) => refused.push(...list.map((r) => ({ source, ...r }))) },
    });
    expect(await p.pollOnce(sink)).to.equal(2);
    expect(sink.accepted.map((m) => m.id)).to.deep.equal([before.tweet.id, after.tweet.id]);
    expect(refused).to.have.length(1);
    expect(refused[0]).to.include({ source: 'x-poll', id: bad.tweet.id, kind: 'invalid_handle' });
    expect(refused[0]?.reason).to.include('not-an-x-handle');
    expect(await cursors.get(XMentionsPoller.cursorKey(x.ownUser.id))).to.equal(after.tweet.id);
    expect(p.health().errorStreak).to.equal(0);
  });

  it('skips our own posts and retweets', async () => {
    await x.addMention({ author: x.ownUser.username, text: 'we mention ourselves' });
    const theirs = await x.addMention({ author: 'ann_lee', text: 'hi' });
    const p = makePoller();
    await p.pollOnce(sink);
    expect(sink.accepted.map((m) => m.id)).to.deep.equal([theirs.tweet.id]);
  });

  it('backfills since a date with start_time, leaving the cursor alone', async () => {
    const hour = 3_600_000;
    await x.addMention({
      author: 'ann_lee',
      text: 'two days ago',
      createdAt: new Date(Date.now() - 48 * hour),
    });
    const recent = await x.addMention({
      author: 'bob',
      text: 'a day ago',
      createdAt: new Date(Date.now() - 24 * hour),
    });
    const latest = await x.addMention({
      author: 'carol',
      text: 'an hour ago',
      createdAt: new Date(Date.now() - hour),
    });
    const p = makePoller({ maxResults: 5 });

    const since = new Date(Date.now() - 30 * hour);
    expect(await p.backfill(since, sink)).to.equal(2);
    expect(sink.accepted.map((m) => m.id)).to.deep.equal([recent.tweet.id, latest.tweet.id]);
    expect(mentionRequests()[0]?.get('start_time')).to.equal(since.toISOString());
    expect(await cursors.get(XMentionsPoller.cursorKey(x.ownUser.id))).to.equal(null);
  });

  it('waits for the rate-limit window to reset after a 429, showing degraded meanwhile', async () => {
    await x.addMention({ author: 'ann_lee', text: 'hello' });
    x.exhaustRateLimit('mentions', 2);
    const p = makePoller();
    const started = Date.now();
    const polled = p.pollOnce(sink);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = p.health();
    expect(during.status).to.equal('degraded');
    expect(during.hint).to.match(/rate limit/i);
    expect(await polled).to.equal(1);
    expect(Date.now() - started).to.be.greaterThan(900);
    expect(x.requests.map((r) => r.status)).to.deep.equal([429, 200]);
    expect(p.health().status).to.equal('ok');
  });

  it('honours x-rate-limit-remaining: waits for the reset instead of running into a 429', async () => {
    await x.close();
    x = await startXStandIn({
      consumerSecret: 's',
      bearerToken: BEARER,
      rateLimits: { mentions: { limit: 2, windowSeconds: 2 } },
    });
    for (let i = 0; i < 12; i++) await x.addMention({ author: 'ann_lee', text: `n${i}` });
    const p = makePoller({ maxResults: 5 });
    await cursors.set(XMentionsPoller.cursorKey(x.ownUser.id), '1');
    expect(await p.pollOnce(sink)).to.equal(12);
    expect(x.requests.map((r) => r.status)).to.deep.equal([200, 200, 200]);
  });

  it('reports an invalid token (401) with tokenValid false and a hint to renew the bearer token', async () => {
    await x.setFaults({ tokenRevoked: true });
    const p = makePoller();
    let failure: unknown;
    await p.pollOnce(sink).catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(Error);
    const health = p.health();
    expect(health).to.deep.include({
      network: 'x',
      name: 'x-poll',
      tokenValid: false,
      status: 'down',
      errorStreak: 1,
    });
    expect(health.lastError).to.include('401');
    expect(health.hint).to.match(/bearer token/i);
  });

  it('reports an unreachable API, and recovers when it is back', async () => {
    const p = makePoller();
    await x.setFaults({ down: 'refused' });
    await p.pollOnce(sink).catch(() => undefined);
    expect(p.health().lastError).to.match(/unreachable/);
    expect(p.health().hint).to.include(x.url);
    await x.setFaults({ down: 'unavailable' });
    await p.pollOnce(sink).catch(() => undefined);
    expect(p.health().lastError).to.include('503');
    expect(p.health().errorStreak).to.equal(2);
    await x.setFaults({ down: false });
    await x.addMention({ author: 'ann_lee', text: 'back' });
    expect(await p.pollOnce(sink)).to.equal(1);
    expect(p.health()).to.deep.include({ errorStreak: 0, status: 'ok', lastError: null });
  });

  it('polls on an interval after start() until stop()', async () => {
    const p = makePoller({ intervalMs: 50 });
    expect(p.health().status).to.equal('idle');
    await p.start(sink);
    const m = await x.addMention({ author: 'ann_lee', text: 'while running' });
    const deadline = Date.now() + 5000;
    while (!sink.accepted.some((a) => a.id === m.tweet.id) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(sink.accepted.map((a) => a.id)).to.include(m.tweet.id);
    await p.stop();
    const count = x.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(x.requests.length).to.equal(count);
  });
});
