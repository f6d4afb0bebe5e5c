/**
 * The engagement refresher against the X and Mastodon stand-ins, the real local Bluesky network and the dev
 * org: posts read again in the networks' batches, authors re-scored and their personas written; the
 * networks' rate limits (remaining/reset headers, 429) and our hourly budget honoured; a network that is
 * down reported, and its posts read on a later pass (nothing lost).
 */
import { expect } from 'chai';
import jsforce from 'jsforce';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import {
  startMastodonStandIn,
  startXStandIn,
  type MastodonStandIn,
  type XStandIn,
} from '@socialcrm/stand-ins';
import { analyze } from '../../src/analysis/index.ts';
import { BlueskyEngagementReader } from '../../src/connectors/bluesky/bluesky-engagement.ts';
import { MastodonEngagementReader } from '../../src/connectors/mastodon/mastodon-engagement.ts';
import { XEngagementReader } from '../../src/connectors/x/x-engagement.ts';
import { Mention, type MentionInput } from '../../src/domain/mention.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { SalesforceCrmAdapter } from '../../src/salesforce/crm-adapter.ts';
import { SalesforceGateway } from '../../src/salesforce/gateway.ts';
import {
  EngagementRefreshConfig,
  EngagementRefresher,
  type EngagementReader,
} from '../../src/sync/engagement-refresh.ts';
import { StreamingScores } from '../../src/sync/scores.ts';
import { startLocalBluesky, type LocalBluesky } from '../connectors/bluesky/local-network.ts';

const BEARER = 'dev-x-bearer';
const HOUR = 3_600_000;

describe('sync/EngagementRefresher', function () {
  this.timeout(60_000);
  let org: DevOrg;
  let conn: jsforce.Connection;
  let x: XStandIn;
  let now: number;

  const crm = () =>
    new SalesforceCrmAdapter(
      new SalesforceGateway({
        instanceUrl: org.url,
        accessToken: org.accessToken,
        apiVersion: org.apiVersion,
        metrics: createMetrics({ defaultMetrics: false }),
        logger: silentLogger(),
      }),
    );

  /** Personas in the org, as the sync writes them before their posts. */
  async function personas(keys: readonly string[]): Promise<void> {
    const results = await crm().write(
      keys.map((key) => ({
        role: 'persona' as const,
        type: 'Social_Persona__c',
        op: 'upsert' as const,
        externalIdField: 'External_Id__c',
        seqs: [],
        fields: {
          External_Id__c: key,
          Name: key,
          Network__c: key.split(':')[0],
          Handle__c: key.split(':')[1],
        },
      })),
    );
    expect(results.every((r) => r.ok)).to.equal(true);
  }

  async function scoresInOrg(keys: readonly string[]): Promise<Map<string, number>> {
    const list = keys.map((k) => `'${k}'`).join(',');
    const rows = await conn.query<{ External_Id__c: string; Influence_Score__c: number }>(
      `SELECT External_Id__c, Influence_Score__c FROM Social_Persona__c WHERE External_Id__c IN (${list})`,
    );
    return new Map(rows.records.map((r) => [r.External_Id__c, r.Influence_Score__c]));
  }

  function observe(
    scores: StreamingScores,
    input: Partial<MentionInput> & Pick<MentionInput, 'id' | 'author'>,
  ): void {
    const mention = Mention.parse({
      network: 'x',
      text: 'about @socialcrm_demo',
      createdAt: new Date(now - 3 * HOUR).toISOString(),
      ...input,
    });
    scores.observe([{ mention, analysis: analyze(mention.text, {}) }]);
  }

  function refresher(
    scores: StreamingScores,
    readers: readonly EngagementReader[],
    config: Partial<EngagementRefreshConfig> = {},
  ): EngagementRefresher {
    return new EngagementRefresher({
      scores,
      readers,
      crm: crm(),
      config: EngagementRefreshConfig.parse({ everyMinutes: 15, ...config }),
      logger: silentLogger(),
      now: () => now,
    });
  }

  /** `count` authors on X with `perAuthor` posts each, three hours old, observed by `scores`. */
  async function xAuthors(
    scores: StreamingScores,
    count: number,
    perAuthor: number,
    user: (i: number) => { followers_count: number; following_count: number; verified: boolean },
  ): Promise<{ key: string; tweetIds: string[] }[]> {
    const out = [];
    for (let i = 0; i < count; i++) {
      const author = x.addUser({
        username: `author_${i}_${Math.random().toString(36).slice(2, 8)}`,
        ...user(i),
      });
      const tweetIds: string[] = [];
      for (let p = 0; p < perAuthor; p++) {
        const { tweet } = await x.addMention({
          author: author.username,
          text: `post ${p}`,
          createdAt: new Date(now - 3 * HOUR),
          deliver: false,
        });
        tweetIds.push(tweet.id);
        observe(scores, {
          id: tweet.id,
          author: {
            id: author.id,
            handle: author.username,
            followers: author.followers_count,
            following: author.following_count,
            verified: author.verified,
          },
        });
      }
      out.push({ key: `x:${author.id}`, tweetIds });
    }
    return out;
  }

  const tweetLookups = () => x.requests.filter((r) => r.method === 'GET' && r.path === '/2/tweets');

  before(async () => {
    org = await startDevOrg({ seed: false });
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
  });
  after(async () => org?.close());
  beforeEach(() => {
    now = Date.now();
  });
  afterEach(async () => x?.close());

  it('takes a Bluesky AppView URL or "off" (a network without one), and refuses anything else', () => {
    expect(EngagementRefreshConfig.parse({}).blueskyAppView).to.equal('https://public.api.bsky.app');
    expect(
      EngagementRefreshConfig.parse({ blueskyAppView: 'http://127.0.0.1:2584/' }).blueskyAppView,
    ).to.equal('http://127.0.0.1:2584');
    expect(EngagementRefreshConfig.parse({ blueskyAppView: 'off' }).blueskyAppView).to.equal('off');
    for (const bad of ['', 'no', 'ftp://appview.example']) {
      expect(EngagementRefreshConfig.safeParse({ blueskyAppView: bad }).success, bad).to.equal(false);
    }
  });

  it('reads X posts 100 per call, re-scores the authors and writes their personas: bought reach below engaged reach', async () => {
    x = await startXStandIn({ consumerSecret: 's', bearerToken: BEARER });
    const scores = new StreamingScores(
      () => false,
      () => now,
    );
    const [bought] = await xAuthors(scores, 1, 6, () => ({
      followers_count: 2_000_000,
      following_count: 900,
      verified: true,
    }));
    const [engaged] = await xAuthors(scores, 1, 6, () => ({
      followers_count: 3_000,
      following_count: 500,
      verified: false,
    }));
    for (const id of engaged!.tweetIds)
      x.setMetrics(id, { like_count: 40, retweet_count: 6, reply_count: 5, quote_count: 1 });
    for (const id of bought!.tweetIds.slice(0, 1)) x.setMetrics(id, { like_count: 1 });
    await personas([bought!.key, engaged!.key]);

    const r = refresher(scores, [new XEngagementReader({ baseUrl: x.url, bearerToken: BEARER })]);
    const report = await r.refreshNow();
    expect(report).to.deep.include({ calls: 1, postsRead: 12, personasRescored: 2, pending: 0 });
    expect(tweetLookups()).to.have.length(1);
    expect(tweetLookups()[0]!.query).to.include('tweet.fields=public_metrics');

    const inOrg = await scoresInOrg([bought!.key, engaged!.key]);
    expect(inOrg.get(bought!.key)).to.be.below(40);
    expect(inOrg.get(engaged!.key)).to.be.above(inOrg.get(bought!.key)! + 10);
    expect(r.state.networks[0]).to.deep.include({
      network: 'x',
      callsLastHour: 1,
      lastError: null,
      postsRead: 12,
    });
    expect(r.state.lastRunCalls).to.equal(1);
  });

  it('stops at 0 remaining calls until the reset, and waits out a 429', async () => {
    x = await startXStandIn({
      consumerSecret: 's',
      bearerToken: BEARER,
      rateLimits: { 'tweets:lookup': { limit: 1, windowSeconds: 900 } },
    });
    const scores = new StreamingScores(
      () => false,
      () => now,
    );
    await xAuthors(scores, 15, 10, () => ({ followers_count: 800, following_count: 100, verified: false }));
    const r = refresher(scores, [new XEngagementReader({ baseUrl: x.url, bearerToken: BEARER })]);

    const first = await r.refreshNow();
    // 150 posts: a full batch of 100, then the header said 0 left: no second call, no 429.
    expect(first).to.deep.include({ calls: 1, postsRead: 100, pending: 50, rateLimited: ['x'] });
    expect(tweetLookups().map((q) => q.status)).to.deep.equal([200]);
    const state = r.state.networks[0]!;
    expect(state.rateLimitRemaining).to.equal(0);
    expect(Date.parse(state.pausedUntil!)).to.be.above(now + 800_000);

    const second = await r.refreshNow();
    expect(second.calls).to.equal(0);
    expect(tweetLookups()).to.have.length(1);

    // Past the reset the remaining 50 (least recently read first) are read.
    now = Date.parse(state.rateLimitResetAt!) + 1000;
    x.exhaustRateLimit('tweets:lookup', 1800); // but X says no anyway: a 429 with its reset
    const third = await r.refreshNow();
    expect(third).to.deep.include({ calls: 1, postsRead: 0, rateLimited: ['x'] });
    expect(tweetLookups().at(-1)!.status).to.equal(429);
    expect(r.state.networks[0]!.lastError).to.match(/rate limit/);
    expect(Date.parse(r.state.networks[0]!.pausedUntil!)).to.be.above(now);
    expect((await r.refreshNow()).calls).to.equal(0);
  });

  it('spends at most the hourly budget, and carries on the next hour', async () => {
    x = await startXStandIn({ consumerSecret: 's', bearerToken: BEARER });
    const scores = new StreamingScores(
      () => false,
      () => now,
    );
    await xAuthors(scores, 15, 10, () => ({ followers_count: 800, following_count: 100, verified: false }));
    const r = refresher(scores, [new XEngagementReader({ baseUrl: x.url, bearerToken: BEARER })], {
      callsPerHour: 1,
    });
    const first = await r.refreshNow();
    expect(first).to.deep.include({ calls: 1, postsRead: 100, pending: 50, budgetExhausted: ['x'] });
    expect(r.state.networks[0]).to.deep.include({ budgetLeft: 0, callsLastHour: 1 });
    expect((await r.refreshNow()).calls).to.equal(0);
    now += HOUR + 1000;
    const later = await r.refreshNow();
    expect(later.calls).to.equal(1);
    expect(later.postsRead).to.equal(100); // the 50 not read yet come first, then the oldest readings
  });

  it('reports a network that is down, pauses it, and reads its posts once it is back', async () => {
    x = await startXStandIn({ consumerSecret: 's', bearerToken: BEARER });
    const scores = new StreamingScores(
      () => false,
      () => now,
    );
    const [author] = await xAuthors(scores, 1, 5, () => ({
      followers_count: 3_000,
      following_count: 100,
      verified: false,
    }));
    for (const id of author!.tweetIds) x.setMetrics(id, { like_count: 60 });
    await personas([author!.key]);
    const before = (await scoresInOrg([author!.key])).get(author!.key);
    const r = refresher(scores, [new XEngagementReader({ baseUrl: x.url, bearerToken: BEARER })]);

    await x.setFaults({ down: 'unavailable' });
    const failed = await r.refreshNow();
    expect(failed).to.deep.include({ calls: 1, postsRead: 0, pending: 5, failed: ['x'] });
    expect(r.state.networks[0]!.lastError).to.match(/503/);
    expect(r.state.networks[0]!.consecutiveFailures).to.equal(1);
    expect((await r.refreshNow()).calls).to.equal(0); // paused, not hammered

    await x.setFaults({ down: 'refused' });
    now += 16 * 60_000;
    expect((await r.refreshNow()).failed).to.deep.equal(['x']);
    expect(r.state.networks[0]!.lastError).to.match(/unreachable/);

    await x.setFaults({ down: false });
    now += 61 * 60_000;
    const back = await r.refreshNow();
    expect(back).to.deep.include({ calls: 1, postsRead: 5, pending: 0, failed: [] });
    expect(r.state.networks[0]).to.deep.include({ lastError: null, consecutiveFailures: 0 });
    const after = (await scoresInOrg([author!.key])).get(author!.key);
    expect(after).to.not.equal(before);
    expect(after).to.be.a('number').and.above(30);
  });

  describe('Mastodon', () => {
    let mastodon: MastodonStandIn;
    afterEach(async () => mastodon?.close());

    it('reads each status, honours X-RateLimit-Remaining, and picks up the rest after the reset', async () => {
      mastodon = await startMastodonStandIn({
        accessToken: 'tok',
        ownAccount: { id: '1', username: 'acme' },
      });
      const scores = new StreamingScores(
        () => false,
        () => now,
      );
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const status = mastodon.addMention({
          author: { username: 'fan', followers_count: 2_000, following_count: 150 },
          text: `post ${i}`,
          createdAt: new Date(now - 3 * HOUR),
        });
        mastodon.setCounts(status.id, { favourites: 30 + i, reblogs: 4 });
        ids.push(status.id);
        const mention = Mention.parse({
          network: 'mastodon',
          id: status.id,
          text: `post ${i}`,
          createdAt: status.created_at,
          author: { id: status.account.id, handle: `fan@mastodon.example`, followers: 2_000, following: 150 },
        });
        scores.observe([{ mention, analysis: analyze(mention.text, {}) }]);
      }
      const key = `mastodon:${mastodon.notifications()[0]!.account.id}`;
      await personas([key]);
      const reader = new MastodonEngagementReader({ instanceUrl: mastodon.url, accessToken: 'tok' });
      const r = refresher(scores, [reader]);
      mastodon.faults.rateLimit(2, 1_000);
      const lookups = () => mastodon.requests().filter((q) => q.path.startsWith('/api/v1/statuses/'));

      const first = await r.refreshNow();
      expect(first).to.deep.include({ calls: 2, postsRead: 2, pending: 2, rateLimited: ['mastodon'] });
      expect(lookups().map((q) => q.status)).to.deep.equal([200, 200]);
      expect(Date.parse(r.state.networks[0]!.pausedUntil!)).to.be.above(now);

      now = Date.parse(r.state.networks[0]!.rateLimitResetAt!) + 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, now - Date.now())));
      const second = await r.refreshNow();
      expect(second.calls).to.be.at.least(2);
      expect(r.state.networks[0]!.pending).to.equal(0);
      expect((await scoresInOrg([key])).get(key)).to.be.above(30);
    });
  });

  describe('Bluesky (the real local network)', function () {
    let bsky: LocalBluesky;
    before(async () => {
      bsky = await startLocalBluesky();
    });
    after(async () => bsky?.close());

    it('reports that the network serves no counts without an AppView, and keeps the posts for later', async () => {
      const ann = await bsky.createAccount('ann-engage.test', { displayName: 'Ann' });
      const scores = new StreamingScores(
        () => false,
        () => now,
      );
      const uris: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { uri } = await ann.agent.post({
          text: `hello ${i}`,
          createdAt: new Date(now - 3 * HOUR).toISOString(),
        });
        uris.push(uri);
        const mention = Mention.parse({
          network: 'bluesky',
          id: uri,
          text: `hello ${i}`,
          createdAt: new Date(now - 3 * HOUR).toISOString(),
          author: { id: ann.did, handle: ann.handle, followers: 500 },
        });
        scores.observe([{ mention, analysis: analyze(mention.text, {}) }]);
      }
      const r = refresher(scores, [new BlueskyEngagementReader({ appViewUrl: bsky.pdsUrl })]);
      const report = await r.refreshNow();
      expect(report).to.deep.include({ calls: 1, postsRead: 0, pending: 3, failed: ['bluesky'] });
      expect(r.state.networks[0]!.lastError).to.match(/getPosts/);
      // The posts stay due: the next pass after the pause asks for all three again.
      now += 2 * HOUR;
      const again = await r.refreshNow();
      expect(again).to.deep.include({ calls: 1, pending: 3 });
    });
  });
});
