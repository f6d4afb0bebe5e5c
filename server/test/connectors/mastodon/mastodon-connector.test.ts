import { expect } from 'chai';
import { startMastodonStandIn } from '../../../../stand-ins/src/mastodon.ts';
import type { MastodonStandIn } from '../../../../stand-ins/src/mastodon.ts';
import type { MentionSink, OwnAccounts } from '../../../src/connectors/connector.ts';
import { MastodonConnector } from '../../../src/connectors/mastodon/mastodon-connector.ts';
import type { MastodonConnectorOptions } from '../../../src/connectors/mastodon/mastodon-connector.ts';
import type { Mention } from '../../../src/domain/mention.ts';
import type { CursorStore } from '../../../src/intake/mention-queue.ts';

const TOKEN = 'mastodon-test-token';
const OUR = { id: '109000000000000001', username: 'acme' };
const CURSOR_KEY = `mastodon:mastodon.example:${OUR.id}:notifications`;

class MemoryCursorStore implements CursorStore {
  readonly values = new Map<string, string>();
  readonly writes: string[] = [];
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.writes.push(value);
  }
}

/** Records what it accepted; can be told to fail the next calls. */
class RecordingSink implements MentionSink {
  readonly accepted: Mention[] = [];
  calls = 0;
  failNext = 0;
  async accept(mentions: readonly Mention[]): Promise<void> {
    this.calls += 1;
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('queue unavailable');
    }
    this.accepted.push(...mentions);
  }
  ids(): string[] {
    return this.accepted.map((m) => m.id);
  }
}

const ownAccounts = (...others: string[]): OwnAccounts => ({
  isOwn: (network, id) => network === 'mastodon' && [OUR.id, ...others].includes(id),
});

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('MastodonConnector against the Mastodon stand-in', () => {
  let mastodon: MastodonStandIn;
  let store: MemoryCursorStore;
  let sink: RecordingSink;
  const running: MastodonConnector[] = [];

  const connector = (options: Partial<MastodonConnectorOptions> = {}): MastodonConnector => {
    const c = new MastodonConnector({
      instanceUrl: mastodon.url,
      accessToken: TOKEN,
      ownAccounts: ownAccounts(),
      cursorStore: store,
      backoff: { initialMs: 20, maxMs: 150 },
      idleTimeoutMs: 3000,
      ...options,
    });
    running.push(c);
    return c;
  };

  /** Notification id (what the cursor holds) of the mention status `statusId`. */
  const notificationIdOf = (statusId: string): string => {
    const n = mastodon.notifications().find((x) => x.status.id === statusId);
    if (!n) throw new Error(`no notification for status ${statusId}`);
    return n.id;
  };

  beforeEach(async () => {
    mastodon = await startMastodonStandIn({ accessToken: TOKEN, ownAccount: OUR, heartbeatMs: 200 });
    store = new MemoryCursorStore();
    sink = new RecordingSink();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
    await mastodon.close();
  });

  it('delivers a mention live from the stream and persists the cursor after the sink took it', async () => {
    // A stall (no heartbeat for idleTimeoutMs) would reconnect and catch up over REST, which this test rules
    // out: on a machine busy enough to starve the 200 ms heartbeats for 3 s it would fail for the wrong reason.
    const c = connector({ idleTimeoutMs: 60_000 });
    await c.start(sink);
    expect(c.health()).to.deep.include({ status: 'ok', tokenValid: true, errorStreak: 0 });

    const status = mastodon.addMention({
      author: { username: 'ann', display_name: 'Ann Lee', followers_count: 321 },
      text: "your app ate my invoice & I'm not happy 😡 https://example.com/bug?id=1",
      language: 'en',
    });
    await waitFor('the live mention', () => sink.accepted.length === 1);
    const deliveredAt = Date.now();

    const [mention] = sink.accepted;
    expect(mention).to.deep.include({
      network: 'mastodon',
      id: status.id,
      text: "@acme your app ate my invoice & I'm not happy 😡 https://example.com/bug?id=1",
      threadRootId: status.id,
      languageHint: 'en',
      kind: 'mention',
      urls: ['https://example.com/bug?id=1'],
    });
    expect(mention?.author).to.deep.include({
      handle: 'ann@mastodon.example',
      displayName: 'Ann Lee',
      followers: 321,
    });
    await waitFor('the cursor', () => store.values.get(CURSOR_KEY) === notificationIdOf(status.id));
    expect(c.health().cursor).to.equal(notificationIdOf(status.id));
    expect(c.health().lastEventAt).to.be.a('string');
    // The live path really was the stream: no REST call between the mention and its delivery (a stream
    // that a busy machine drops later reconnects and catches up over REST, which says nothing of this one).
    const rest = mastodon.requests().filter((r) => r.path === '/api/v1/notifications');
    const created = Date.parse(status.created_at);
    expect(rest.filter((r) => r.at >= created && r.at <= deliveredAt)).to.deep.equal([]);
  });

  it('marks a reply to one of our posts as a reply', async () => {
    const c = connector();
    await c.start(sink);
    const ann = mastodon.addMention({ author: { username: 'ann' }, text: 'where is my order?' });
    await waitFor('first mention', () => sink.accepted.length === 1);
    const res = await fetch(`${mastodon.url}/api/v1/statuses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: '@ann it ships today', in_reply_to_id: ann.id }),
    });
    const ours = (await res.json()) as { id: string };
    mastodon.addMention({ author: { username: 'ann' }, text: 'thanks!', inReplyToId: ours.id });
    await waitFor('the reply', () => sink.accepted.length === 2);
    expect(sink.accepted[1]).to.deep.include({
      kind: 'reply',
      inReplyToId: ours.id,
      inReplyToAuthorId: OUR.id,
    });
  });

  it('after an outage reconnects and backfills exactly the mentions it missed, without duplicates', async () => {
    const c = connector({ pageLimit: 2 });
    await c.start(sink);
    const before = mastodon.addMention({ author: { username: 'ann' }, text: 'one' });
    await waitFor('the first mention', () => sink.accepted.length === 1);

    mastodon.faults.down();
    // Five mentions while we cannot see the instance: more than two pages of catch-up.
    const missed = ['two', 'three', 'four', 'five', 'six'].map((text) =>
      mastodon.addMention({ author: { username: 'bob', domain: 'fosstodon.org' }, text }),
    );
    await waitFor('the connector to notice', () => c.health().errorStreak > 0);
    expect(c.health().status).to.be.oneOf(['degraded', 'down']);
    expect(c.health().lastError).to.be.a('string');
    mastodon.faults.up();

    await waitFor('the missed mentions', () => sink.accepted.length === 6);
    await waitFor('recovery', () => c.health().status === 'ok');
    const after = mastodon.addMention({ author: { username: 'ann' }, text: 'seven' });
    await waitFor('the live mention after recovery', () => sink.accepted.length === 7);

    expect(sink.ids()).to.deep.equal([before.id, ...missed.map((s) => s.id), after.id]);
    expect(new Set(sink.ids()).size).to.equal(7);
    expect(sink.accepted[1]?.author.handle).to.equal('bob@fosstodon.org');
    await waitFor('the cursor', () => store.values.get(CURSOR_KEY) === notificationIdOf(after.id));
    expect(c.health()).to.deep.include({ errorStreak: 0, lastError: null, hint: null });
    // The catch-up paged forward from the cursor (min_id), following rel="prev".
    const pages = mastodon
      .requests()
      .filter((r) => r.path === '/api/v1/notifications' && r.query.includes('min_id'));
    expect(pages.length).to.be.at.least(3);
  });

  it('delivers once a mention that arrives both on the new stream and in the catch-up', async () => {
    let overlap: { id: string } | null = null;
    // Posts a mention just as the catch-up asks: the open stream pushes it, and the REST page has it too.
    const racingFetch: typeof fetch = async (input, init) => {
      const url = input instanceof URL ? input.href : String(input);
      if (url.includes('/api/v1/notifications') && url.includes('min_id') && overlap === null) {
        overlap = mastodon.addMention({ author: { username: 'ann' }, text: 'right in between' });
      }
      return fetch(input, init);
    };
    store.values.set(CURSOR_KEY, '0');
    const c = connector({ fetch: racingFetch });
    await c.start(sink);
    const next = mastodon.addMention({ author: { username: 'bob' }, text: 'after' });
    await waitFor('both', () => sink.accepted.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sink.ids()).to.deep.equal([overlap!.id, next.id]);
  });

  it('compares cursor ids as integers (ids cross from 3 to 4 digits)', async () => {
    const c = connector({ pageLimit: 3 });
    await c.start(sink);
    mastodon.faults.down();
    // The stand-in's notification ids start at 990: these cross 999 → 1000.
    const statuses = Array.from({ length: 15 }, (_, i) =>
      mastodon.addMention({ author: { username: 'ann' }, text: `m${i}` }),
    );
    mastodon.faults.up();
    await waitFor('all of them', () => sink.accepted.length === 15);
    expect(sink.ids()).to.deep.equal(statuses.map((s) => s.id));
    await waitFor('the cursor', () => store.values.get(CURSOR_KEY) === '1004');
  });

  it('a restarted connector resumes from the persisted cursor', async () => {
    const first = connector();
    await first.start(sink);
    const seen = mastodon.addMention({ author: { username: 'ann' }, text: 'before the restart' });
    await waitFor('the first mention', () => sink.accepted.length === 1);
    await waitFor('the cursor', () => store.values.get(CURSOR_KEY) === notificationIdOf(seen.id));
    await first.stop();
    expect(first.health().status).to.equal('idle');

    const whileStopped = [
      mastodon.addMention({ author: { username: 'bob' }, text: 'while you were out' }),
      mastodon.addMention({ author: { username: 'cy' }, text: 'me too' }),
    ];
    const second = connector();
    const fresh = new RecordingSink();
    await second.start(fresh);
    await waitFor('the catch-up', () => fresh.accepted.length === 2);
    expect(fresh.ids()).to.deep.equal(whileStopped.map((s) => s.id));
    expect(second.health().cursor).to.equal(notificationIdOf(whileStopped[1]?.id ?? ''));
  });

  it('on its very first run starts from now; history is left to backfill', async () => {
    mastodon.addMention({ author: { username: 'ann' }, text: 'old news' });
    const c = connector();
    await c.start(sink);
    const live = mastodon.addMention({ author: { username: 'bob' }, text: 'new' });
    await waitFor('the live mention', () => sink.accepted.length === 1);
    expect(sink.ids()).to.deep.equal([live.id]);
  });

  it('does not advance the cursor when the sink fails, and redelivers', async () => {
    const c = connector();
    await c.start(sink);
    const cursorBefore = c.health().cursor;
    sink.failNext = 1;
    const status = mastodon.addMention({ author: { username: 'ann' }, text: 'please retry me' });
    await waitFor('the failure', () => sink.calls >= 1 && c.health().errorStreak >= 1);
    expect(store.values.get(CURSOR_KEY)).to.equal(cursorBefore);
    await waitFor('the redelivery', () => sink.accepted.length === 1);
    expect(sink.ids()).to.deep.equal([status.id]);
    await waitFor('the cursor', () => store.values.get(CURSOR_KEY) === notificationIdOf(status.id));
  });

  it('skips our own accounts’ posts but moves the cursor past them', async () => {
    // A second brand account of ours, known to OwnAccounts, mentions the main one.
    const earlier = mastodon.addMention({ author: { username: 'acme_support' }, text: 'hi team' });
    const c = connector({ ownAccounts: ownAccounts(earlier.account.id) });
    await c.start(sink);
    const customer = mastodon.addMention({ author: { username: 'ann' }, text: 'hello?' });
    const echo = mastodon.addMention({ author: { username: 'acme_support' }, text: 'on it' });
    await waitFor(
      'the cursor past the echo',
      () => store.values.get(CURSOR_KEY) === notificationIdOf(echo.id),
    );
    expect(sink.ids()).to.deep.equal([customer.id]);
  });

  it('backfill(since) walks max_id pages back to `since` and stops there', async () => {
    const now = Date.now();
    const hoursAgo = (h: number): Date => new Date(now - h * 3600_000);
    const old = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((h) =>
      mastodon.addMention({ author: { username: 'ann' }, text: `${h}h ago`, createdAt: hoursAgo(h) }),
    );
    const c = connector({ pageLimit: 2 });
    const count = await c.backfill(hoursAgo(4.5), sink);

    const expected = old.slice(6).map((s) => s.id); // 4h, 3h, 2h, 1h ago
    expect(count).to.equal(4);
    expect([...sink.ids()].sort()).to.deep.equal([...expected].sort());
    const pages = mastodon.requests().filter((r) => r.path === '/api/v1/notifications');
    // Newest page, then max_id pages until the first item older than `since`: 3 pages, not all 5.
    expect(pages).to.have.length(3);
    expect(pages.slice(1).every((p) => p.query.includes('max_id='))).to.equal(true);
    // History is not the live cursor's business.
    expect(store.values.size).to.equal(0);
  });

  it('reports an expired token in health, with a hint, and recovers when it is valid again', async () => {
    const c = connector();
    await c.start(sink);
    mastodon.faults.expireToken();
    await waitFor('the token to show as invalid', () => c.health().tokenValid === false);
    const health = c.health();
    expect(health.status).to.equal('down');
    expect(health.lastError).to.match(/401/);
    expect(health.hint)
      .to.match(/access token/i)
      .and.match(/read:notifications/);

    mastodon.faults.restoreToken();
    await waitFor('recovery', () => c.health().status === 'ok', 8000);
    expect(c.health()).to.deep.include({ tokenValid: true, hint: null });
  });

  it('fails start-up visibly with a bad token instead of hanging', async () => {
    const c = connector({ accessToken: 'wrong' });
    await c.start(sink);
    expect(c.health()).to.deep.include({ tokenValid: false, status: 'down' });
    const verify = mastodon.requests().find((r) => r.path === '/api/v1/accounts/verify_credentials');
    expect(verify?.status).to.equal(401);
  });

  it('waits for the rate-limit reset instead of running into 429s', async () => {
    store.values.set(CURSOR_KEY, '0');
    const statuses = Array.from({ length: 6 }, (_, i) =>
      mastodon.addMention({ author: { username: 'ann' }, text: `n${i}` }),
    );
    // Three calls left (verify_credentials, instance, first page); the rest must wait ~600 ms.
    mastodon.faults.rateLimit(3, 600);
    const started = Date.now();
    const c = connector({ pageLimit: 2 });
    await c.start(sink);
    await waitFor('all mentions', () => sink.accepted.length === 6);

    expect(sink.ids()).to.deep.equal(statuses.map((s) => s.id));
    const rest = mastodon.requests().filter((r) => !r.path.startsWith('/api/v1/streaming'));
    expect(rest.filter((r) => r.status === 429)).to.have.length(0);
    const afterBudget = rest.slice(3);
    expect(afterBudget.length).to.be.greaterThan(0);
    expect(Math.min(...afterBudget.map((r) => r.at)) - started).to.be.at.least(550);
  });

  it('backs off on a 429 until the announced reset, then continues', async () => {
    store.values.set(CURSOR_KEY, '0');
    const status = mastodon.addMention({ author: { username: 'ann' }, text: 'rate me' });
    mastodon.faults.rateLimit(0, 500);
    const c = connector();
    const startPromise = c.start(sink);
    await waitFor(
      'the rate limit to show',
      () => c.health().status === 'degraded' && c.health().hint !== null,
    );
    expect(c.health().hint).to.match(/rate limit/);
    await startPromise;
    await waitFor('the mention', () => sink.accepted.length === 1);
    expect(sink.ids()).to.deep.equal([status.id]);
    // One 429, then it waited for the reset rather than hammering.
    expect(mastodon.requests().filter((r) => r.status === 429)).to.have.length(1);
  });

  it('counts a silent stream (no heartbeats) as dead and reconnects', async () => {
    await mastodon.close();
    mastodon = await startMastodonStandIn({ accessToken: TOKEN, ownAccount: OUR, heartbeatMs: 60_000 });
    const c = connector({ idleTimeoutMs: 300 });
    await c.start(sink);
    const closedStreams = (): number =>
      mastodon.requests().filter((r) => r.path === '/api/v1/streaming/user/notification').length;
    // The stand-in records a stream when it closes: only the connector's watchdog closes these.
    await waitFor('the silent stream to be dropped', () => closedStreams() >= 2);
    const status = mastodon.addMention({ author: { username: 'ann' }, text: 'still there?' });
    await waitFor('the mention', () => sink.accepted.length === 1);
    expect(sink.ids()).to.deep.equal([status.id]);
  });
});
