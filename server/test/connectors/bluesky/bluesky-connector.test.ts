import { expect } from 'chai';
import { RichText } from '@atproto/api';
import type { AtpAgent } from '@atproto/api';
import { BlueskyConnector } from '../../../src/connectors/bluesky/bluesky-connector.ts';
import type { BlueskyConnectorOptions } from '../../../src/connectors/bluesky/bluesky-connector.ts';
import type { MentionSink } from '../../../src/connectors/connector.ts';
import { Mention } from '../../../src/domain/mention.ts';
import type { CursorStore } from '../../../src/intake/mention-queue.ts';
import { startLocalBluesky } from './local-network.ts';
import type { LocalAccount, LocalBluesky } from './local-network.ts';

class MemoryCursorStore implements CursorStore {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
}

/** Keeps every accepted mention; `failNext` makes the next calls reject, as a full queue would. */
class RecordingSink implements MentionSink {
  readonly accepted: Mention[] = [];
  calls = 0;
  failNext = 0;
  /** Runs at the start of every call, e.g. to look at the connector at that moment. */
  onCall: () => void = () => undefined;
  async accept(mentions: readonly Mention[]): Promise<void> {
    this.calls += 1;
    this.onCall();
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

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function post(agent: AtpAgent, text: string, extra: Record<string, unknown> = {}) {
  const rt = new RichText({ text });
  await rt.detectFacets(agent);
  return agent.post({ text: rt.text, facets: rt.facets, langs: ['en'], ...extra });
}

describe('Bluesky connector against a local AT Protocol network', function () {
  let local: LocalBluesky;
  let brand: LocalAccount;
  let alice: LocalAccount;
  let bob: LocalAccount;
  let appPassword: string;
  const startedAt = new Date();
  const running: BlueskyConnector[] = [];

  before(async function () {
    local = await startLocalBluesky();
    brand = await local.createAccount('brand.test');
    alice = await local.createAccount('alice.test');
    bob = await local.createAccount('bob.test');
    const created = await brand.agent.com.atproto.server.createAppPassword({ name: 'socialcrm' });
    appPassword = created.data.password;
    await alice.agent.com.atproto.repo.putRecord({
      repo: alice.did,
      collection: 'app.bsky.actor.profile',
      rkey: 'self',
      record: { $type: 'app.bsky.actor.profile', displayName: 'Alice Liddell', description: 'Curious.' },
    });
  });

  afterEach(async function () {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  after(async function () {
    await local?.close();
  });

  function connector(store: CursorStore, overrides: Partial<BlueskyConnectorOptions> = {}): BlueskyConnector {
    return new BlueskyConnector({
      serviceUrl: local.pdsUrl,
      pdsUrl: local.pdsUrl,
      plcUrl: local.plcUrl,
      handle: 'brand.test',
      appPassword,
      cursorStore: store,
      allowPrivateHosts: true,
      backoff: { minMs: 20, maxMs: 200 },
      ...overrides,
    });
  }

  async function started(
    store: CursorStore,
    sink: MentionSink,
    overrides: Partial<BlueskyConnectorOptions> = {},
  ) {
    const c = connector(store, overrides);
    running.push(c);
    await c.start(sink);
    return c;
  }

  /** Resolves once the connector has handled every event the PDS has sequenced so far. */
  async function caughtUp(c: BlueskyConnector) {
    const latest = await local.net.pds.ctx.sequencer.curr();
    await waitFor('the connector to catch up', () => Number(c.health().cursor ?? -1) >= (latest ?? 0));
  }

  it('delivers a mention of the brand once, with every field mapped', async function () {
    const sink = new RecordingSink();
    const c = await started(new MemoryCursorStore(), sink);
    const res = await post(alice.agent, 'Hey @brand.test, love the #coffee https://example.com/menu');
    await caughtUp(c);

    expect(sink.accepted).to.have.length(1);
    const m = sink.accepted[0]!;
    expect(() => Mention.parse(m)).not.to.throw();
    const rkey = res.uri.split('/').pop();
    expect(m).to.deep.include({
      network: 'bluesky',
      id: res.uri,
      text: 'Hey @brand.test, love the #coffee https://example.com/menu',
      url: `https://bsky.app/profile/alice.test/post/${rkey}`,
      inReplyToId: null,
      threadRootId: res.uri,
      inReplyToAuthorId: null,
      languageHint: 'en',
      kind: 'mention',
    });
    expect(m.mentionedHandles).to.deep.equal(['brand.test']);
    expect(m.hashtags).to.deep.equal(['coffee']);
    expect(m.urls).to.deep.equal(['https://example.com/menu']);
    expect(m.author).to.deep.include({
      id: alice.did,
      handle: 'alice.test',
      displayName: 'Alice Liddell',
      bio: 'Curious.',
      followers: null,
      profileUrl: 'https://bsky.app/profile/alice.test',
    });
    const record = await alice.agent.com.atproto.repo.getRecord({
      repo: alice.did,
      collection: 'app.bsky.feed.post',
      rkey: rkey!,
    });
    expect(m.createdAt).to.equal((record.data.value as { createdAt: string }).createdAt);
    expect(m.raw).to.have.property('cid', res.cid);
  });

  it('maps replies to brand posts, ignores the brand’s own posts and posts not about it', async function () {
    const sink = new RecordingSink();
    const c = await started(new MemoryCursorStore(), sink);
    // The brand mentions itself and replies in its own thread: own echo, never a mention.
    const root = await post(brand.agent, 'New seasonal menu from @brand.test');
    await post(alice.agent, 'Lunch with @bob.test, no brand here #coffee');
    const rootRef = { uri: root.uri, cid: root.cid };
    const bobReply = await post(bob.agent, 'Looks great!', { reply: { root: rootRef, parent: rootRef } });
    await post(brand.agent, 'Thanks @bob.test!', {
      reply: { root: rootRef, parent: { uri: bobReply.uri, cid: bobReply.cid } },
    });
    const aliceReply = await post(alice.agent, 'Agreed with bob', {
      reply: { root: rootRef, parent: { uri: bobReply.uri, cid: bobReply.cid } },
    });
    const quote = await post(bob.agent, 'Look at this', {
      embed: { $type: 'app.bsky.embed.record', record: rootRef },
    });
    await caughtUp(c);

    expect(sink.ids()).to.deep.equal([bobReply.uri, aliceReply.uri, quote.uri]);
    const [direct, nested, quoted] = sink.accepted;
    expect(direct).to.deep.include({
      kind: 'reply',
      inReplyToId: root.uri,
      threadRootId: root.uri,
      inReplyToAuthorId: brand.did,
    });
    expect(direct!.author).to.deep.include({ id: bob.did, handle: 'bob.test', displayName: '' });
    expect(nested).to.deep.include({
      kind: 'reply',
      inReplyToId: bobReply.uri,
      threadRootId: root.uri,
      inReplyToAuthorId: bob.did,
    });
    expect(quoted).to.deep.include({ kind: 'quote', inReplyToId: null, threadRootId: quote.uri });
  });

  it('resumes from the stored cursor after a restart: nothing lost, nothing twice', async function () {
    const store = new MemoryCursorStore();
    const first = new RecordingSink();
    const c1 = await started(store, first);
    const before = await post(alice.agent, 'First @brand.test');
    await caughtUp(c1);
    expect(first.ids()).to.deep.equal([before.uri]);
    await c1.stop();
    expect(store.values.get(c1.cursorKey)).to.equal(c1.health().cursor);

    const while1 = await post(alice.agent, 'While you were away @brand.test (1)');
    const while2 = await post(alice.agent, 'While you were away @brand.test (2)');

    const second = new RecordingSink();
    const c2 = await started(store, second);
    await caughtUp(c2);
    expect(second.ids()).to.deep.equal([while1.uri, while2.uri]);
  });

  it('does not move the cursor past a batch the sink refused, and delivers it again', async function () {
    const store = new MemoryCursorStore();
    const sink = new RecordingSink();
    const c = await started(store, sink, { cursorFlushMs: 60_000 });
    const warmup = await post(alice.agent, 'Warm-up @brand.test');
    await caughtUp(c);
    expect(sink.ids()).to.deep.equal([warmup.uri]);
    const storedBefore = store.values.get(c.cursorKey);
    expect(storedBefore).to.be.a('string');

    // What the connector looks like when the retry arrives (before it is handled).
    const atRetry: { stored: string | undefined; errorStreak: number; lastError: string | null }[] = [];
    sink.onCall = () => {
      const { errorStreak, lastError } = c.health();
      atRetry.push({ stored: store.values.get(c.cursorKey), errorStreak, lastError });
    };
    sink.failNext = 1;
    const res = await post(alice.agent, 'Are you there @brand.test?');
    await waitFor('the retried delivery', () => sink.ids().includes(res.uri));

    expect(sink.calls).to.equal(3);
    expect(atRetry[1]).to.deep.equal({
      stored: storedBefore,
      errorStreak: 1,
      lastError: 'queue unavailable',
    });
    expect(sink.ids()).to.deep.equal([warmup.uri, res.uri]);
    const seq = (sink.accepted[1]!.raw as { seq: number }).seq;
    expect(store.values.get(c.cursorKey)).to.equal(String(seq));
    expect(c.health()).to.deep.include({ status: 'ok', errorStreak: 0, lastError: null, hint: null });
  });

  it('reports health: a valid app-password session and the cursor', async function () {
    const c = await started(new MemoryCursorStore(), new RecordingSink());
    await post(bob.agent, 'unrelated');
    await caughtUp(c);
    const health = c.health();
    expect(health).to.deep.include({
      network: 'bluesky',
      name: 'bluesky-firehose',
      status: 'ok',
      tokenValid: true,
      errorStreak: 0,
    });
    // The app password does not expire and the session is renewed here: nothing for an admin to renew.
    expect(health.tokenExpiresAt).to.equal(null);
    expect(Date.parse(health.sessionExpiresAt!)).to.be.greaterThan(Date.now());
    expect(health.lastEventAt).to.be.a('string');
    expect(c.did).to.equal(brand.did);
    expect(c.session.agent.session?.did).to.equal(brand.did);
  });

  it('keeps streaming read-only when the app password is refused, and says what to do', async function () {
    const sink = new RecordingSink();
    const c = await started(new MemoryCursorStore(), sink, { appPassword: 'wrong-wrong-wrong-wrong' });
    const res = await post(alice.agent, 'Still listening @brand.test?');
    await caughtUp(c);
    expect(sink.ids()).to.deep.equal([res.uri]);
    const health = c.health();
    expect(health).to.deep.include({ status: 'degraded', tokenValid: false });
    expect(health.hint).to.include('BLUESKY_APP_PASSWORD');
  });

  it('backfills mentions and replies of known authors, newest first, never the brand’s own', async function () {
    const since = new Date();
    const carol = await local.createAccount('carol.test');
    const root = await post(brand.agent, 'Backfill root by @brand.test');
    const rootRef = { uri: root.uri, cid: root.cid };
    const mention = await post(carol.agent, 'Heard of @brand.test?');
    await post(carol.agent, 'Nothing to see');
    const reply = await post(carol.agent, 'Nice one', { reply: { root: rootRef, parent: rootRef } });

    const byAuthor = new RecordingSink();
    const c = connector(new MemoryCursorStore(), { backfill: { authors: [carol.did, brand.did] } });
    expect(await c.backfill(since, byAuthor)).to.equal(2);
    expect(byAuthor.ids()).to.deep.equal([reply.uri, mention.uri]);
    expect(byAuthor.accepted.map((m) => m.kind)).to.deep.equal(['reply', 'mention']);
    expect(byAuthor.accepted[0]).to.deep.include({ inReplyToId: root.uri, threadRootId: root.uri });
    expect(byAuthor.accepted[0]!.raw).to.deep.include({ backfill: true });

    const byService = new RecordingSink();
    const all = connector(new MemoryCursorStore(), { backfill: { serviceRepos: true } });
    const count = await all.backfill(startedAt, byService);
    expect(count).to.equal(byService.accepted.length);
    expect(byService.ids()).to.include.members([reply.uri, mention.uri]);
    expect(byService.accepted.some((m) => m.author.id === brand.did)).to.equal(false);
    expect(new Set(byService.ids()).size).to.equal(count);
  });

  it('backfill skips posts older than `since`', async function () {
    const sink = new RecordingSink();
    const c = connector(new MemoryCursorStore(), { backfill: { authors: [alice.did] } });
    expect(await c.backfill(new Date(Date.now() + 60_000), sink)).to.equal(0);
    expect(sink.accepted).to.have.length(0);
  });
});
