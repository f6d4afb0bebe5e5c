/**
 * Resilience of the sync from X webhooks into the CRM, on the embedded default: whatever the org does —
 * go down, spend its API allowance, expire sessions, reject a record for its data — every acknowledged
 * mention ends up in the CRM exactly once, and what is wrong meanwhile shows in `GET /api/status`.
 */
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import { eventually, startEmbedded, type Embedded } from './support/embedded.ts';
import {
  countPosts,
  crmApiCalls,
  deadLetters,
  inParallel,
  metricSum,
  postKeys,
  renewingConnection,
  syncStatus,
  type SyncStatus,
} from './support/sync-probes.ts';

/** Texts the analysis reads as intent `other`: no case, lead or alert, only a persona and a post. */
const PLAIN = 'Just saw your ad on the subway';

/** Delivers `count` mentions by distinct authors `<prefix><i>`; returns their post keys (`x:<tweet id>`). */
async function deliver(e: Embedded, prefix: string, count: number, text = PLAIN): Promise<string[]> {
  const added = await inParallel(
    Array.from({ length: count }, (_, i) => i),
    20,
    (i) => e.x.addMention({ author: `${prefix}${i}`, text: `${text} #${i}` }),
  );
  // X's delivery is done once we answer 200: from here on the mention is ours to keep.
  expect(added.map((a) => a.delivery?.status)).to.deep.equal(added.map(() => 200));
  return added.map((a) => `x:${a.tweet.id}`);
}

/** Every delivered key is in the org exactly once, and nothing else under the prefix is. */
async function expectExactlyOnce(conn: Connection, prefix: string, sent: readonly string[]): Promise<void> {
  const keys = await postKeys(conn, prefix);
  expect(keys).to.have.length(sent.length);
  expect([...keys].sort()).to.deep.equal([...sent].sort());
}

async function expectDrained(e: Embedded): Promise<SyncStatus> {
  const status = await eventually(
    () => syncStatus(e.server.url),
    (s) => s.queue.depth === 0 && s.sync.status === 'running',
    { what: 'an empty queue and a running sync' },
  );
  expect(status.queue.deadLetters).to.equal(0);
  expect(status.problems).to.deep.equal([]);
  return status;
}

async function warmUp(e: Embedded, conn: Connection): Promise<void> {
  // The first batch also reads the org's schema and people once; the faults below meet a steady state.
  await e.x.addMention({ author: 'warmup_author', text: PLAIN });
  await eventually(
    () => countPosts(conn, 'warmup_'),
    (n) => n === 1,
    { what: 'the warm-up post' },
  );
}

describe('the sync through org trouble: nothing lost, nothing duplicated', function () {
  this.timeout(60_000);
  let e: Embedded;
  let conn: Connection;

  before(async () => {
    // Short backoff, so that an outage spans many failed cycles within a test. Bulk API from 1,000
    // mentions waiting (5,000 by default), so that a backlog test needs fewer deliveries.
    e = await startEmbedded({
      sync: { pauseMaxMs: 300 },
      bulk: { pollMs: 20 },
      env: { SYNC_BULK_THRESHOLD: '1000' },
    });
    conn = renewingConnection(e.org);
    await warmUp(e, conn);
  });
  afterEach(() => {
    e.org.faults.clear();
  });
  after(async () => {
    await e.close();
  });

  it('keeps 100 mentions through an org outage (503s and dropped connections), then lands each once', async () => {
    e.org.faults.set({ unavailable: 100_000, drop: 5 });
    const sent = await deliver(e, 'outage_', 100);

    const paused = await eventually(
      () => syncStatus(e.server.url),
      (s) => s.sync.status === 'paused',
      { what: 'the sync to pause' },
    );
    expect(paused.sync.reason).to.match(/Salesforce|reach/);
    expect(paused.sync.hint).to.be.a('string').and.not.equal('');
    expect(paused.problems.map((p) => p.what)).to.satisfy((w: string[]) =>
      w.some((x) => x.startsWith('sync paused')),
    );

    // More failed cycles than the queue's delivery limit (12, the 13th claim would dead-letter): a batch
    // released because the org failed is not a counted delivery.
    const during = await eventually(
      () => syncStatus(e.server.url),
      (s) => s.sync.consecutiveFailures > 13,
      { what: 'more than 13 failed cycles', timeoutMs: 30_000 },
    );
    // The drops are spent by now: the org answers 503, and the status says so with what to do.
    expect(during.sync.reason).to.match(/Salesforce is unavailable \(SERVER_UNAVAILABLE/);
    expect(during.sync.hint).to.match(/retried later/);
    expect(during.queue.deadLetters).to.equal(0);
    expect(during.queue.depth).to.equal(100);
    expect(await deadLetters(e.server.url)).to.deep.equal([]);

    e.org.faults.clear();
    await eventually(
      () => countPosts(conn, 'outage_'),
      (n) => n === 100,
      { what: '100 posts after the outage' },
    );
    await expectExactlyOnce(conn, 'outage_', sent);
    await expectDrained(e);
  });

  it('works off the backlog an outage leaves with Bulk API 2.0 jobs: each of 2,500 mentions once, in a few calls', async () => {
    e.org.faults.set({ unavailable: 1_000_000 });
    const sent = await deliver(e, 'backlog_', 2500);
    await eventually(
      () => syncStatus(e.server.url),
      (s) => s.sync.status === 'paused' && s.queue.depth === 2500,
      { what: 'the sync paused with 2,500 mentions waiting' },
    );
    const callsBefore = await crmApiCalls(e.server.url, 'success');

    e.org.faults.clear();
    await eventually(
      () => countPosts(conn, 'backlog_'),
      (n) => n === 2500,
      { what: '2,500 posts after the outage', timeoutMs: 60_000 },
    );
    await expectExactlyOnce(conn, 'backlog_', sent);
    await expectDrained(e);
    const jobs = await metricSum(e.server.url, 'socialcrm_crm_bulk_jobs_total', { state: 'JobComplete' });
    const posts = await metricSum(e.server.url, 'socialcrm_crm_bulk_records_total', {
      object: 'Social_Post__c',
      outcome: 'saved',
    });
    // One job for the personas and one for the posts, per batch; most of the backlog went that way.
    expect(jobs).to.be.at.least(2);
    expect(posts).to.be.at.least(1000);
    // Collections would need a call per 1,000 records (5,000 here) plus the reads; Bulk costs about six per job.
    const spent = (await crmApiCalls(e.server.url, 'success')) - callsBefore;
    expect(spent).to.be.at.most(30);
  });

  it('holds mentions while the org answers REQUEST_LIMIT_EXCEEDED, says why, and syncs them once the allowance is back', async () => {
    e.org.faults.set({ exhaustApiLimit: true });
    const refusedBefore = await crmApiCalls(e.server.url, 'error');
    const sent = await deliver(e, 'limit_', 30);

    const paused = await eventually(
      () => syncStatus(e.server.url),
      (s) => s.sync.status === 'paused' && /API/.test(s.sync.reason ?? ''),
      { what: 'the sync to pause for the API limit' },
    );
    expect(paused.sync.hint).to.be.a('string').and.not.equal('');
    // While it waits, the server keeps asking the org (and keeps being refused): still nothing dead-lettered.
    await eventually(
      () => crmApiCalls(e.server.url, 'error'),
      (n) => n >= refusedBefore + 4,
      { what: 'a few more refused calls' },
    );
    const during = await syncStatus(e.server.url);
    expect(during.queue).to.include({ depth: 30, deadLetters: 0 });

    e.org.faults.clear();
    await eventually(
      () => countPosts(conn, 'limit_'),
      (n) => n === 30,
      { what: '30 posts once the allowance is back' },
    );
    await expectExactlyOnce(conn, 'limit_', sent);
    await expectDrained(e);
  });

  it('keeps syncing when the org expires every session mid-stream (renewed by client credentials)', async () => {
    const sent: string[] = [];
    for (const part of [0, 1, 2]) {
      sent.push(...(await deliver(e, `session_${part}_`, 20)));
      e.org.faults.set({ expireSessions: true });
    }
    await eventually(
      () => countPosts(conn, 'session_'),
      (n) => n === 60,
      { what: '60 posts across expired sessions' },
    );
    await expectExactlyOnce(conn, 'session_', sent);
    // The token the server started with is dead: the posts above came through sessions it renewed.
    const stale = new jsforce.Connection({
      instanceUrl: e.org.url,
      accessToken: e.org.accessToken,
      version: e.org.apiVersion,
    });
    const refusal = await stale.query('SELECT Id FROM Contact LIMIT 1').then(
      () => 'accepted',
      (error: { errorCode?: string; name?: string }) => error.errorCode ?? error.name,
    );
    expect(refusal).to.equal('INVALID_SESSION_ID');
    await expectDrained(e);
  });

  it('dead-letters the one post the org rejects for its data, with the org’s reason, lands the rest, and re-drives it after the fix', async () => {
    // An admin retires the "praise" value of the restricted picklist Intent__c after the server read the schema.
    const intent = e.org.store.schema.field('Social_Post__c', 'Intent__c')!;
    const praise = intent.picklistValues.find((v) => v.value === 'praise')!;
    praise.active = false;
    // In one go, so that the praise and the others share a batch.
    const [rejected, sent] = await Promise.all([
      deliver(e, 'retired_', 1, 'Love my new boots, best purchase this year 😍'),
      deliver(e, 'accepted_', 20),
    ]);
    const letters = await eventually(
      () => deadLetters(e.server.url),
      (d) => d.length === 1,
      { what: 'one dead letter' },
    );
    expect(letters[0]!.key).to.equal(rejected[0]);
    expect(letters[0]!.reason).to.match(/INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST/);
    expect(letters[0]!.reason).to.include('praise');

    await eventually(
      () => countPosts(conn, 'accepted_'),
      (n) => n === 20,
      { what: 'the 20 accepted posts' },
    );
    await expectExactlyOnce(conn, 'accepted_', sent);
    expect(await countPosts(conn, 'retired_')).to.equal(0);
    const status = await syncStatus(e.server.url);
    expect(status.queue).to.include({ depth: 0, deadLetters: 1 });
    expect(status.problems).to.have.length(1);
    expect(status.problems[0]!.hint).to.include('/api/dead-letters/redrive');

    // The admin puts the value back, then re-drives the dead letters.
    praise.active = true;
    const redrive = await fetch(`${e.server.url}/api/dead-letters/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await redrive.json()).to.deep.equal({ redriven: 1 });
    await eventually(
      () => countPosts(conn, 'retired_'),
      (n) => n === 1,
      { what: 'the re-driven post' },
    );
    await expectExactlyOnce(conn, 'retired_', rejected);
    await expectDrained(e);
  });
});

describe('the sync within its API budget (SYNC_API_BUDGET=0.5)', function () {
  this.timeout(60_000);
  let e: Embedded;
  let conn: Connection;

  before(async () => {
    // Over budget the worker checks the org's usage every pauseMaxMs: 2 s keeps those checks countable.
    e = await startEmbedded({ env: { SYNC_API_BUDGET: '0.5' }, sync: { pauseMaxMs: 2000 } });
    conn = renewingConnection(e.org);
    await warmUp(e, conn);
  });
  after(async () => {
    await e.close();
  });

  it('pauses before the org’s limit is reached (never refused) and resumes when the allowance grows', async () => {
    const refusedBefore = await crmApiCalls(e.server.url, 'error');
    // Other integrations have spent 600 of today's 1,000 requests: over the sync's 50 %, under the limit.
    e.org.faults.set({ apiLimit: 1000 });
    while (e.org.usage.used < 600) e.org.usage.consume();
    // The server learns the org's usage from any response; its readiness probe makes one.
    expect((await fetch(`${e.server.url}/readyz`)).status).to.equal(200);
    const paused = await eventually(
      () => syncStatus(e.server.url),
      (s) => s.sync.status === 'paused',
      { what: 'the budget pause' },
    );
    expect(paused.sync.reason).to.match(
      /used \d+ of 1000 API requests today .* over the sync's budget of 50 %/,
    );
    expect(paused.sync.hint).to.be.a('string').and.not.equal('');

    const callsBefore = await crmApiCalls(e.server.url);
    const startedAt = Date.now();
    // Mentions keep coming one by one, as they do on a busy day.
    const sent: string[] = [];
    for (let i = 0; i < 40; i++) sent.push(...(await deliver(e, `budget_${i}_`, 1)));
    // Then the worker's next usage check: the mentions still wait in the queue, and the org never said no.
    await eventually(
      () => crmApiCalls(e.server.url),
      (n) => n > callsBefore,
      { what: 'a usage check' },
    );
    const during = await syncStatus(e.server.url);
    expect(during.sync.status).to.equal('paused');
    expect(during.queue).to.include({ depth: 40, deadLetters: 0 });
    expect(await countPosts(conn, 'budget_')).to.equal(0);
    // Waiting is cheap: a usage check per pause, not one per arriving mention (that would spend the
    // allowance the pause is there to keep).
    const checks = (await crmApiCalls(e.server.url)) - callsBefore;
    expect(checks, 'usage checks while paused').to.be.at.most(Math.ceil((Date.now() - startedAt) / 2000) + 1);

    e.org.faults.set({ apiLimit: 100_000 });
    await eventually(
      () => countPosts(conn, 'budget_'),
      (n) => n === 40,
      { what: '40 posts once the allowance grew' },
    );
    await expectExactlyOnce(conn, 'budget_', sent);
    await expectDrained(e);
    expect(await crmApiCalls(e.server.url, 'error'), 'calls the org refused').to.equal(refusedBefore);
  });
});
