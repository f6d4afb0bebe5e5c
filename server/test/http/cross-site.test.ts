/**
 * The cross-site guard in front of every state-changing route, as browsers and other clients call it:
 * headers as Chromium sends them (the browser itself is in test/cross-site.test.ts).
 */
import { expect } from 'chai';
import { Router } from 'express';
import { createApp } from '../../src/http/app.ts';
import type { RunningServer } from '../../src/http/server.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { listen } from '../helpers/listen.ts';

describe('cross-site guard', () => {
  let server: RunningServer;
  let base: string;
  let done: string[];

  before(async () => {
    done = [];
    const router = Router();
    for (const path of ['/api/change', '/webhooks/x', '/oauth/sign-out']) {
      router.post(path, (req, res) => {
        done.push(`POST ${path}`);
        res.json({ ok: true, body: req.body as unknown });
      });
    }
    router.put('/api/change', (_req, res) => {
      done.push('PUT /api/change');
      res.status(204).end();
    });
    router.get('/api/change', (_req, res) => res.json({ read: true }));
    server = await listen(
      createApp({
        logger: silentLogger(),
        metrics: createMetrics({ defaultMetrics: false }),
        routers: [router],
        ownOrigins: ['https://social.example.com'],
      }),
    );
    base = server.url;
  });
  after(async () => server.close());
  beforeEach(() => (done = []));

  async function send(
    headers: Record<string, string>,
    body?: string,
    path = '/api/change',
    method = 'POST',
  ): Promise<{ status: number; code: string | undefined }> {
    const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const json = (await res.json().catch(() => undefined)) as { error?: { code: string } } | undefined;
    return { status: res.status, code: json?.error?.code };
  }

  const json = { 'content-type': 'application/json' };

  it('lets clients that are not browsers through with a JSON body or none', async () => {
    expect((await send(json, '{"a":1}')).status).to.equal(200);
    expect((await send({})).status).to.equal(200);
    expect((await send({ 'content-type': 'application/json; charset=utf-8' }, '{}')).status).to.equal(200);
    expect((await send(json, '{}', '/api/change', 'PUT')).status).to.equal(204);
    expect(done).to.deep.equal([
      'POST /api/change',
      'POST /api/change',
      'POST /api/change',
      'PUT /api/change',
    ]);
  });

  it('answers 415 unsupported_media_type to a body that is not JSON, unread', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      expect(await send({ 'content-type': type }, '{"a":1}')).to.deep.equal({
        status: 415,
        code: 'unsupported_media_type',
      });
    }
    expect(done).to.deep.equal([]);
  });

  it('lets the server’s own pages through: Origin of the Host it was addressed to, or RECORD_PAGE_URL', async () => {
    const own = { ...json, origin: base, 'sec-fetch-site': 'same-origin' };
    expect((await send(own, '{}')).status).to.equal(200);
    const published = { ...json, origin: 'https://social.example.com', 'sec-fetch-site': 'same-site' };
    expect((await send(published, '{}')).status).to.equal(200);
    expect(done).to.have.length(2);
  });

  it('refuses with 403 forbidden another origin, a null origin, and what the browser calls cross-site', async () => {
    const cases: Record<string, string>[] = [
      { ...json, origin: 'https://evil.example' },
      { ...json, origin: 'null' },
      { ...json, origin: base.replace('127.0.0.1', 'localhost') },
      { ...json, origin: 'https://social.example.com.evil.example' },
      { ...json, 'sec-fetch-site': 'cross-site' },
      { ...json, 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:1' },
      { 'content-type': 'text/plain', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of cases) {
      expect(await send(headers, '{}'), JSON.stringify(headers)).to.deep.equal({
        status: 403,
        code: 'forbidden',
      });
    }
    expect(done).to.deep.equal([]);
  });

  it('leaves reads and the signed webhooks alone', async () => {
    const cross = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    expect((await send(cross, undefined, '/api/change', 'GET')).status).to.equal(200);
    expect(
      (await send({ ...cross, 'content-type': 'application/json' }, '{}', '/webhooks/x')).status,
    ).to.equal(200);
  });

  it('takes a sign-out button’s empty form from its own origin only', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(
      (await send({ ...form, origin: base, 'sec-fetch-site': 'same-origin' }, '', '/oauth/sign-out')).status,
    ).to.equal(200);
    expect((await send({ ...form, origin: 'https://evil.example' }, '', '/oauth/sign-out')).status).to.equal(
      403,
    );
    expect((await send(form, '', '/oauth/sign-out')).status).to.equal(415);
    expect(done).to.deep.equal(['POST /oauth/sign-out']);
  });
});
