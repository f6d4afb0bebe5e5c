/**
 * Bad input in a signed webhook delivery is refused item by item, never answered 5xx: a tweet or comment
 * nested 5,000 levels deep (JSON.stringify overflows the stack near there), or whose author handle its
 * network would not allow, is refused and reported while the rest of the delivery is durably queued,
 * on every retry. Real routes, the real SQLite queue behind the real sink.
 */
import { expect } from 'chai';
import { IntakeRejections } from '../../src/connectors/rejections.ts';
import { signMetaPayload } from '../../src/connectors/meta/signature.ts';
import { signXPayload } from '../../src/connectors/x/signature.ts';
import { createMetaWebhookRouter } from '../../src/http/routes/webhooks-meta.ts';
import { createXWebhookRouter } from '../../src/http/routes/webhooks-x.ts';
import type { RunningServer } from '../../src/http/server.ts';
import { openIntakeStore, type IntakeStore } from '../../src/intake/sqlite-queue.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { QueueSink } from '../../src/sync/queue-sink.ts';
import { ownAccounts, startApp } from './x/fakes.ts';
import { activity, v1Tweet, v1User } from './x/fixtures.ts';

const X_SECRET = 'dev-x-secret';
const META_SECRET = 'dev-meta-secret';
const PAGE = '104123456789012';
const IG = '17841400000000001';
/** Stands for the deep value in a fixture; `withDeep` puts the nesting in its place. */
const DEEP = '@@deep@@';

/** `{"a":{"a":…1…}}` `levels` deep, as text: building it as an object would overflow JSON.stringify here too. */
function deepJson(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** The JSON of `body` with the `DEEP` marker replaced by 5,000 levels of nesting. */
function withDeep(body: unknown): string {
  const text = JSON.stringify(body);
  expect(text).to.include(JSON.stringify(DEEP));
  return text.replace(JSON.stringify(DEEP), deepJson(5000));
}

describe('webhook deliveries with bad items', function () {
  this.timeout(30_000);
  let intake: IntakeStore;
  let metrics: Metrics;
  let rejections: IntakeRejections;
  let server: RunningServer | undefined;

  beforeEach(async () => {
    intake = openIntakeStore({ path: ':memory:' });
    metrics = createMetrics({ defaultMetrics: false });
    rejections = new IntakeRejections({ logger: silentLogger(), metrics });
    const own = ownAccounts({});
    const sink = new QueueSink(intake.queue, metrics, own);
    server = await startApp(
      [
        createXWebhookRouter({
          consumerSecret: X_SECRET,
          ownAccounts: own,
          sink,
          logger: silentLogger(),
          rejections,
        }),
        createMetaWebhookRouter({
          appSecret: META_SECRET,
          verifyToken: 'v',
          ownAccounts: own,
          sink,
          logger: silentLogger(),
          rejections,
        }),
      ],
      metrics,
    );
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await intake.close();
  });

  async function queuedKeys(): Promise<string[]> {
    const claimed = await intake.queue.claim(100, 60_000);
    await intake.queue.release(
      claimed.map((c) => c.seq),
      0,
    );
    return claimed.map((c) => c.key).sort();
  }

  async function rejectedCount(network: string, reason: string): Promise<number> {
    const metric = await metrics.registry.getSingleMetric('socialcrm_mentions_rejected_total')!.get();
    return (
      metric.values.find((v) => v.labels['network'] === network && v.labels['reason'] === reason)?.value ?? 0
    );
  }

  function postX(body: string): Promise<Response> {
    return fetch(`${server!.url}/webhooks/x`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-twitter-webhooks-signature': signXPayload(X_SECRET, body),
      },
      body,
    });
  }

  function postMeta(body: string): Promise<Response> {
    return fetch(`${server!.url}/webhooks/meta`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signMetaPayload(META_SECRET, body),
      },
      body,
    });
  }

  it('X: queues the two good tweets of a delivery whose third is nested 5,000 deep, and refuses that one, on every retry', async () => {
    const body = withDeep(
      activity([
        v1Tweet({ id_str: '1001', user: v1User({ id_str: '11', screen_name: 'ann_lee' }) }),
        v1Tweet({ id_str: '1002', user: v1User({ id_str: '12', screen_name: 'deep_one' }), extra: DEEP }),
        v1Tweet({ id_str: '1003', user: v1User({ id_str: '13', screen_name: 'bob' }) }),
      ]),
    );
    for (let attempt = 1; attempt <= 3; attempt++) {
      const res = await postX(body);
      expect(res.status, `attempt ${attempt}`).to.equal(200);
      expect(await queuedKeys()).to.deep.equal(['x:1001', 'x:1003']);
      expect(await rejectedCount('x', 'too_deep')).to.equal(attempt);
    }
    const { total, recent } = rejections.summary();
    expect(total).to.equal(3);
    expect(recent[0]).to.include({ network: 'x', id: '1002', kind: 'too_deep', source: 'x-webhook' });
    expect(recent[0]?.reason).to.include('tweet_create_events.1.raw');
    expect(recent[0]?.reason).to.include('levels deep');
  });

  it('X: refuses a tweet whose author handle X would not allow, with the rule, and queues the rest', async () => {
    const body = JSON.stringify(
      activity([
        v1Tweet({ id_str: '2001', user: v1User({ id_str: '21', screen_name: 'a_handle_longer_than_15' }) }),
        v1Tweet({ id_str: '2002', user: v1User({ id_str: '22', screen_name: 'ann_lee' }) }),
      ]),
    );
    expect((await postX(body)).status).to.equal(200);
    expect(await queuedKeys()).to.deep.equal(['x:2002']);
    const [refused] = rejections.summary().recent;
    expect(refused).to.include({ id: '2001', kind: 'invalid_handle' });
    expect(refused?.reason).to.include('tweet_create_events.0.author.handle');
    expect(refused?.reason).to.include('1–15 letters, digits or underscores');
    expect(await rejectedCount('x', 'invalid_handle')).to.equal(1);
  });

  it('X: answers 400 naming the problem when every tweet is refused, and 413 for a body over 1 MB', async () => {
    const onlyDeep = withDeep(activity([v1Tweet({ id_str: '3001', extra: DEEP })]));
    const res = await postX(onlyDeep);
    expect(res.status).to.equal(400);
    const error = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).to.equal('validation_failed');
    expect(error.message).to.include('tweet_create_events.0.raw');
    expect(await rejectedCount('x', 'too_deep')).to.equal(1);

    const huge = JSON.stringify(activity([v1Tweet({ id_str: '3002', text: 'x'.repeat(1_100_000) })]));
    const tooLarge = await postX(huge);
    expect(tooLarge.status).to.equal(413);
    expect(((await tooLarge.json()) as { error: { code: string } }).error.code).to.equal('payload_too_large');
    expect(await queuedKeys()).to.deep.equal([]);
  });

  it('Meta: queues the good comments of a batch with one nested 5,000 deep and one with a bad Instagram username, on every retry', async () => {
    const feed = (commentId: string, from: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      field: 'feed',
      value: {
        from,
        message: 'Où est ma commande ?',
        post_id: `${PAGE}_1`,
        comment_id: commentId,
        parent_id: `${PAGE}_1`,
        created_time: 1717000000,
        item: 'comment',
        verb: 'add',
        ...extra,
      },
    });
    const page = withDeep({
      object: 'page',
      entry: [
        {
          id: PAGE,
          time: 1717000000,
          changes: [
            feed('1_1', { id: '6789', name: 'Zoë' }),
            feed('1_2', { id: '6790', name: 'Deep' }, { nested: DEEP }),
            feed('1_3', { id: '6791', name: 'Al' }),
          ],
        },
      ],
    });
    const instagram = JSON.stringify({
      object: 'instagram',
      entry: [
        {
          id: IG,
          time: 1717000400,
          changes: [
            {
              field: 'comments',
              value: {
                from: { id: '31', username: 'joão.silva' },
                media: { id: '9' },
                id: '1790002',
                text: 'Oi',
              },
            },
            {
              field: 'comments',
              value: {
                from: { id: '32', username: 'ana_b' },
                media: { id: '9' },
                id: '1790003',
                text: 'Olá',
              },
            },
          ],
        },
      ],
    });
    for (let attempt = 1; attempt <= 2; attempt++) {
      const pageAnswer = await postMeta(page);
      expect(pageAnswer.status, `attempt ${attempt}`).to.equal(200);
      expect(await pageAnswer.text()).to.equal('EVENT_RECEIVED');
      expect((await postMeta(instagram)).status).to.equal(200);
      expect(await queuedKeys()).to.deep.equal(['facebook:1_1', 'facebook:1_3', 'instagram:1790003']);
      expect(await rejectedCount('facebook', 'too_deep')).to.equal(attempt);
      expect(await rejectedCount('instagram', 'invalid_handle')).to.equal(attempt);
    }
    const reasons = rejections.summary().recent.map((r) => `${r.network} ${r.id}: ${r.reason}`);
    expect(reasons.some((r) => r.startsWith('facebook 1_2: entry.0.changes.1.raw'))).to.equal(true);
    expect(reasons.some((r) => r.startsWith('instagram 1790002: entry.0.changes.0.author.handle'))).to.equal(
      true,
    );
  });
});
