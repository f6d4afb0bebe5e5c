import { expect } from 'chai';
import { signXPayload } from '../../../src/connectors/x/signature.ts';
import { crcResponse } from '../../../src/connectors/x/crc.ts';
import { createXWebhookRouter } from '../../../src/http/routes/webhooks-x.ts';
import type { RunningServer } from '../../../src/http/server.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { FakeSink, ownAccounts, startApp } from './fakes.ts';
import { activity, v1Tweet } from './fixtures.ts';

const SECRET = 'dev-x-secret';

describe('POST/GET /webhooks/x', () => {
  let server: RunningServer | undefined;
  let sink: FakeSink;
  const metrics = createMetrics({ defaultMetrics: false });

  beforeEach(async () => {
    sink = new FakeSink();
    const router = createXWebhookRouter({
      consumerSecret: SECRET,
      ownAccounts: ownAccounts({}),
      sink,
      metrics,
      logger: silentLogger(),
    });
    server = await startApp([router], metrics);
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function post(body: string, signature: string | null = signXPayload(SECRET, body)): Promise<Response> {
    return fetch(`${server?.url}/webhooks/x`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature === null ? {} : { 'x-twitter-webhooks-signature': signature }),
      },
      body,
    });
  }

  it('answers the CRC check', async () => {
    const res = await fetch(`${server?.url}/webhooks/x?crc_token=abc%2B123`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal(crcResponse(SECRET, 'abc+123'));
  });

  it('answers 400 JSON when the crc_token is missing', async () => {
    const res = await fetch(`${server?.url}/webhooks/x`);
    expect(res.status).to.equal(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).to.equal('bad_request');
    expect(body.error.message).to.include('crc_token');
  });

  it('queues the mentions of a signed payload, then answers 200 {}', async () => {
    const res = await post(JSON.stringify(activity([v1Tweet()])));
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({});
    expect(sink.accepted.map((m) => m.id)).to.deep.equal(['1050118621198921728']);
    const text = await metrics.registry.getSingleMetricAsString('socialcrm_mentions_received_total');
    expect(text).to.match(/socialcrm_mentions_received_total\{network="x"\} 1/);
  });

  it('verifies over the raw bytes: pretty-printed, non-ASCII JSON verifies as sent', async () => {
    const body = JSON.stringify(
      activity([v1Tweet({ text: '@socialcrm_demo ¿dónde está mi pedido? 📦' })]),
      null,
      2,
    );
    const res = await post(body);
    expect(res.status).to.equal(200);
    expect(sink.accepted[0]?.text).to.equal('@socialcrm_demo ¿dónde está mi pedido? 📦');
  });

  it('answers 401 unauthorized for a missing, wrong or tampered signature and queues nothing', async () => {
    const body = JSON.stringify(activity([v1Tweet()]));
    for (const res of [
      await post(body, null),
      await post(body, signXPayload('wrong', body)),
      await post(body.replace('never', 'finally'), signXPayload(SECRET, body)),
    ]) {
      expect(res.status).to.equal(401);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).to.equal('unauthorized');
      expect(json.error.message).to.include('x-twitter-webhooks-signature');
    }
    expect(sink.calls).to.equal(0);
  });

  it('answers 400 validation_failed naming what is wrong', async () => {
    const res = await post(JSON.stringify(activity([v1Tweet({ user: { id_str: '1' } })])));
    expect(res.status).to.equal(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).to.equal('validation_failed');
    expect(json.error.message).to.include('tweet_create_events.0.user.screen_name');
    expect(sink.calls).to.equal(0);
  });

  it('answers 200 and queues nothing for events without tweets', async () => {
    const res = await post(JSON.stringify({ for_user_id: '1', favorite_events: [{ id: 'x' }] }));
    expect(res.status).to.equal(200);
    expect(sink.calls).to.equal(0);
  });

  it('answers 503 when the sink fails, so X retries', async () => {
    sink.failWith = new Error('disk full');
    const res = await post(JSON.stringify(activity([v1Tweet()])));
    expect(res.status).to.equal(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('unavailable');
  });

  it('answers only after the sink has resolved', async () => {
    const entered = sink.hold();
    let answered = false;
    const response = post(JSON.stringify(activity([v1Tweet()]))).then((res) => {
      answered = true;
      return res;
    });
    await entered;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered, 'answered before the sink resolved').to.equal(false);
    sink.release();
    expect((await response).status).to.equal(200);
    expect(sink.accepted).to.have.length(1);
  });
});
