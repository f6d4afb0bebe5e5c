import { expect } from 'chai';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { createApp } from '../src/http/app.ts';
import type { AppDeps } from '../src/http/app.ts';
import { rawBodyOf } from '../src/http/raw-body.ts';
import type { RunningServer } from '../src/http/server.ts';
import { silentLogger } from '../src/observability/logger.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import type { ReadinessCheck } from '../src/readiness/readiness.ts';
import { listen } from './helpers/listen.ts';

const passing = (name: string, detail?: string): ReadinessCheck => ({
  name,
  check: async () => (detail === undefined ? { ok: true } : { ok: true, detail }),
});

describe('createApp', () => {
  let server: RunningServer | undefined;

  async function start(deps: Partial<AppDeps> = {}): Promise<string> {
    const app = createApp({ logger: silentLogger(), metrics: createMetrics(), ...deps });
    server = await listen(app);
    return server.url;
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe('GET /healthz', () => {
    it('answers 200 {"status":"ok"} even when readiness fails', async () => {
      const url = await start({
        readinessChecks: [{ name: 'org', check: async () => ({ ok: false, detail: 'down' }) }],
      });
      const res = await fetch(`${url}/healthz`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(await res.json()).to.deep.equal({ status: 'ok' });
    });
  });

  describe('GET /readyz', () => {
    it('answers 200 ready with each check when all pass', async () => {
      const url = await start({ readinessChecks: [passing('org', 'API v62.0 reachable'), passing('queue')] });
      const res = await fetch(`${url}/readyz`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({
        status: 'ready',
        checks: { org: { ok: true, detail: 'API v62.0 reachable' }, queue: { ok: true } },
      });
    });

    it('answers 503 not_ready naming the failing check and why', async () => {
      const url = await start({
        readinessChecks: [
          passing('queue'),
          { name: 'org', check: async () => ({ ok: false, detail: 'Salesforce rejected the access token' }) },
        ],
      });
      const res = await fetch(`${url}/readyz`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({
        status: 'not_ready',
        checks: { queue: { ok: true }, org: { ok: false, detail: 'Salesforce rejected the access token' } },
      });
    });

    it('counts a check that throws as failed, with its message', async () => {
      const url = await start({
        readinessChecks: [
          {
            name: 'org',
            check: () => Promise.reject(new Error('boom')),
          },
        ],
      });
      const res = await fetch(`${url}/readyz`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({
        status: 'not_ready',
        checks: { org: { ok: false, detail: 'boom' } },
      });
    });

    it('fails a check that does not answer within the timeout, without waiting for it', async () => {
      const url = await start({
        readinessTimeoutMs: 100,
        readinessChecks: [passing('queue'), { name: 'org', check: () => new Promise(() => {}) }],
      });
      const started = Date.now();
      const res = await fetch(`${url}/readyz`);
      const elapsed = Date.now() - started;
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({
        status: 'not_ready',
        checks: { queue: { ok: true }, org: { ok: false, detail: 'timed out after 100 ms' } },
      });
      expect(elapsed).to.be.within(90, 2000);
    });

    it('is ready with no checks', async () => {
      const url = await start();
      const res = await fetch(`${url}/readyz`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ status: 'ready', checks: {} });
    });
  });

  describe('GET /metrics', () => {
    it('serves the contract metric names in Prometheus text format', async () => {
      const metrics = createMetrics();
      metrics.mentionsReceived.inc({ network: 'x' }, 3);
      metrics.queueDepth.set(7);
      const url = await start({ metrics });
      await fetch(`${url}/healthz`);
      const res = await fetch(`${url}/metrics`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/plain; version=0.0.4; charset=utf-8');
      const text = await res.text();
      for (const name of [
        'socialcrm_mentions_received_total',
        'socialcrm_mentions_synced_total',
        'socialcrm_crm_api_calls_total',
        'socialcrm_crm_api_usage_ratio',
        'socialcrm_queue_depth',
        'socialcrm_sync_lag_seconds',
      ]) {
        expect(text).to.include(`# TYPE ${name} `);
      }
      expect(text).to.include('socialcrm_mentions_received_total{network="x"} 3');
      expect(text).to.include('socialcrm_mentions_synced_total{network="bluesky"} 0');
      expect(text).to.include('socialcrm_queue_depth 7');
      expect(text).to.include('process_cpu_user_seconds_total');
      expect(text).to.match(
        /socialcrm_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/,
      );
    });

    it('keeps each app’s numbers apart', async () => {
      const a = createMetrics();
      const b = createMetrics();
      a.queueDepth.set(1);
      b.queueDepth.set(2);
      expect(await a.registry.getSingleMetricAsString('socialcrm_queue_depth')).to.match(
        /socialcrm_queue_depth 1$/,
      );
      expect(await b.registry.getSingleMetricAsString('socialcrm_queue_depth')).to.match(
        /socialcrm_queue_depth 2$/,
      );
    });
  });

  describe('request bodies and errors', () => {
    const echo = Router();
    echo.post('/echo', (req, res) => {
      res.json({ parsed: req.body as unknown, raw: rawBodyOf(req).toString('base64') });
    });
    echo.post('/validate', (req, res) => {
      const body = z.object({ texts: z.array(z.string()).max(2) }).parse(req.body);
      res.json({ count: body.texts.length });
    });
    echo.get('/missing', () => {
      throw new AppError('not_found', 'No such post', {
        hint: 'Check the Social_Post__c Id',
        details: { id: 'a00' },
      });
    });
    echo.get('/crash', () => {
      throw new Error('secret internals at /srv/app.ts:12');
    });
    echo.get('/async-crash', async () => {
      await Promise.resolve();
      throw new AppError('unavailable', 'Org is down');
    });

    it('mounts routers handed in and keeps the raw body bytes beside the parsed JSON', async () => {
      const url = await start({ routers: [echo] });
      const raw = '{ "text" : "caf\u00e9",\n "n": 1 }';
      const res = await fetch(`${url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: raw,
      });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { parsed: unknown; raw: string };
      expect(body.parsed).to.deep.equal({ text: 'café', n: 1 });
      expect(Buffer.from(body.raw, 'base64').equals(Buffer.from(raw, 'utf8'))).to.equal(true);
    });

    it('answers malformed JSON with 400 invalid_json and no stack trace', async () => {
      const url = await start({ routers: [echo] });
      const res = await fetch(`${url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"text": ',
      });
      expect(res.status).to.equal(400);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      const text = await res.text();
      expect(text).not.to.match(/at .*\.(js|ts):\d+/);
      const body = JSON.parse(text) as { error: Record<string, unknown> };
      expect(body.error.code).to.equal('invalid_json');
      expect(body.error.message).to.equal('Request body is not valid JSON');
      expect(body.error.hint).to.be.a('string');
    });

    it('answers a too large body with 413 payload_too_large', async () => {
      const url = await start({ routers: [echo], jsonLimit: 100 });
      const res = await fetch(`${url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'x'.repeat(200) }),
      });
      expect(res.status).to.equal(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('payload_too_large');
    });

    it('answers a zod validation failure with 400 validation_failed and the failing paths', async () => {
      const url = await start({ routers: [echo] });
      const res = await fetch(`${url}/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts: ['a', 2] }),
      });
      expect(res.status).to.equal(400);
      const body = (await res.json()) as {
        error: { code: string; message: string; details: { path: string }[] };
      };
      expect(body.error.code).to.equal('validation_failed');
      expect(body.error.message).to.include('texts.1');
      expect(body.error.details.map((d) => d.path)).to.deep.equal(['texts.1']);
    });

    it('maps an AppError to its status with code, message, hint and details', async () => {
      const url = await start({ routers: [echo] });
      const res = await fetch(`${url}/missing`);
      expect(res.status).to.equal(404);
      expect(await res.json()).to.deep.equal({
        error: {
          code: 'not_found',
          message: 'No such post',
          hint: 'Check the Social_Post__c Id',
          details: { id: 'a00' },
        },
      });
    });

    it('maps a rejected async handler too', async () => {
      const url = await start({ routers: [echo] });
      const res = await fetch(`${url}/async-crash`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({ error: { code: 'unavailable', message: 'Org is down' } });
    });

    it('hides unexpected errors behind 500 internal', async () => {
      const url = await start({ routers: [echo] });
      const res = await fetch(`${url}/crash`);
      expect(res.status).to.equal(500);
      const text = await res.text();
      expect(text).not.to.include('secret internals');
      expect(JSON.parse(text)).to.deep.equal({
        error: { code: 'internal', message: 'Internal server error' },
      });
    });

    it('answers unknown routes with 404 JSON', async () => {
      const url = await start({ routers: [echo] });
      const res = await fetch(`${url}/api/nope?token=x`, { method: 'POST' });
      expect(res.status).to.equal(404);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(await res.json()).to.deep.equal({
        error: { code: 'not_found', message: 'No route for POST /api/nope' },
      });
    });

    it('does not advertise express', async () => {
      const url = await start();
      const res = await fetch(`${url}/healthz`);
      expect(res.headers.get('x-powered-by')).to.equal(null);
    });
  });
});
