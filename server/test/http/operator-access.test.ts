/**
 * The operator routes (/api/status, /api/dead-letters and its redrive, /api/backfill, /api/analyze,
 * /metrics, /readyz details) where the sync server listens: open on loopback as before; off loopback
 * never open — OPS_TOKEN as a bearer token, and a start-up warning when nothing can let anyone in.
 * Real sync servers in-process against a dev org.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startSyncServer, type SyncServer } from '../../src/sync-server.ts';

const TOKEN = 'ops-token-0123456789abcdef0123456789abcdef';

interface Started {
  server: SyncServer;
  base: string;
  warnings: string[];
}

interface Call {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Each operator route with a request that would succeed when allowed. */
const OPERATOR_CALLS: [string, Call][] = [
  ['/api/status', {}],
  ['/api/dead-letters', {}],
  ['/api/dead-letters/redrive', { method: 'POST', body: '{}' }],
  ['/api/backfill', { method: 'POST', body: '{"network":"x","since":"1d"}' }],
  ['/api/analyze', { method: 'POST', body: '{"texts":["love it"]}' }],
  ['/metrics', {}],
];

describe('operator routes by binding and OPS_TOKEN', function () {
  this.timeout(60_000);
  let org: DevOrg;
  const dirs: string[] = [];
  const servers: SyncServer[] = [];

  before(async () => {
    org = await startDevOrg({ seed: true });
  });
  after(async function () {
    // Each server drains and stops its jobs; on a loaded machine that takes a while, so all at once.
    this.timeout(180_000);
    await Promise.all(servers.map((server) => server.close()));
    await org?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>): Promise<Started> {
    const dataDir = mkdtempSync(join(tmpdir(), 'operator-access-'));
    dirs.push(dataDir);
    const warnings: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line) continue;
          const entry = JSON.parse(line) as { level: number; msg: string };
          if (entry.level === 40) warnings.push(entry.msg);
        }
        callback();
      },
    });
    const server = await startSyncServer(
      loadConfig({
        PORT: '0',
        SF_INSTANCE_URL: org.url,
        SF_ACCESS_TOKEN: org.accessToken,
        DATA_DIR: dataDir,
        ...env,
      }),
      { logger: createLogger({ level: 'warn', destination }) },
    );
    servers.push(server);
    return { server, base: `http://127.0.0.1:${server.port}`, warnings };
  }

  function call(base: string, path: string, options: Call = {}): Promise<Response> {
    return fetch(`${base}${path}`, {
      method: options.method ?? 'GET',
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: options.body }),
    });
  }

  it('off loopback without OPS_TOKEN: refuses every operator route with 403 naming OPS_TOKEN, warns once, keeps /healthz, /readyz status and webhooks', async () => {
    const { base, warnings } = await start({ HOST: '0.0.0.0' });
    for (const [path, options] of OPERATOR_CALLS) {
      const res = await call(base, path, options);
      expect(res.status, path).to.equal(403);
      const { error } = (await res.json()) as { error: { code: string; message: string; hint: string } };
      expect(error.code, path).to.equal('forbidden');
      expect(error.message).to.include('HOST=0.0.0.0');
      expect(error.hint).to.include('OPS_TOKEN');
    }
    // Nothing was done: the redrive and the backfill did not run.
    expect(warnings.filter((w) => w.includes('OPS_TOKEN'))).to.have.length(1);
    expect(warnings.find((w) => w.includes('OPS_TOKEN'))).to.match(
      /^bound to 0\.0\.0\.0 with no OPS_TOKEN: operator routes .* refuse every request; set OPS_TOKEN/,
    );

    expect(await (await call(base, '/healthz')).json()).to.deep.equal({ status: 'ok' });
    const ready = await call(base, '/readyz');
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.equal({ status: 'ready' });
    expect((await call(base, '/webhooks/x?crc_token=abc')).status).to.equal(200);
  });

  it('off loopback with OPS_TOKEN: 401 without or with a wrong bearer token, the route with the right one', async () => {
    const { base, warnings } = await start({ HOST: '0.0.0.0', OPS_TOKEN: TOKEN });
    expect(warnings.filter((w) => w.includes('OPS_TOKEN'))).to.deep.equal([]);
    for (const [path, options] of OPERATOR_CALLS) {
      const missing = await call(base, path, options);
      expect(missing.status, path).to.equal(401);
      expect(missing.headers.get('www-authenticate')).to.match(/^Bearer/);
      const wrong = await call(base, path, { ...options, headers: { authorization: `Bearer ${TOKEN}x` } });
      expect(wrong.status, path).to.equal(401);
      expect(((await wrong.json()) as { error: { message: string } }).error.message).to.include('wrong');
    }
    const auth = { authorization: `Bearer ${TOKEN}` };
    const status = await call(base, '/api/status', { headers: auth });
    expect(status.status).to.equal(200);
    expect(await status.json()).to.have.property('queue');
    const metrics = await call(base, '/metrics', { headers: { authorization: `bearer ${TOKEN}` } });
    expect(metrics.status).to.equal(200);
    expect(await metrics.text()).to.include('socialcrm_mentions_received_total');
    const analyze = await call(base, '/api/analyze', {
      method: 'POST',
      body: '{"texts":["love it"]}',
      headers: auth,
    });
    expect(analyze.status).to.equal(200);
    const redrive = await call(base, '/api/dead-letters/redrive', {
      method: 'POST',
      body: '{}',
      headers: auth,
    });
    expect(await redrive.json()).to.deep.equal({ redriven: 0 });

    expect(await (await call(base, '/readyz')).json()).to.deep.equal({ status: 'ready' });
    const detailed = (await (await call(base, '/readyz', { headers: auth })).json()) as {
      checks: Record<string, unknown>;
    };
    expect(detailed.checks).to.have.keys('org', 'queue');
  });

  it('on loopback: open as before to loopback host names, refused to another Host (DNS rebinding), 401 to a wrong token', async () => {
    const { base, warnings, server } = await start({ HOST: '127.0.0.1', OPS_TOKEN: TOKEN });
    expect(warnings.filter((w) => w.includes('OPS_TOKEN'))).to.deep.equal([]);
    for (const [path, options] of OPERATOR_CALLS.filter(([p]) => p !== '/api/backfill')) {
      expect((await call(base, path, options)).status, path).to.equal(200);
    }
    const readyz = (await (await call(base, '/readyz')).json()) as { checks?: unknown };
    expect(readyz.checks).to.be.an('object');
    const rebound = await rawGet(server.port, '/api/status', 'attacker.example:8787');
    expect(rebound.status).to.equal(403);
    expect(rebound.body).to.include('localhost');
    const wrong = await call(base, '/api/status', { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).to.equal(401);
  });
});

/** A GET with a Host header of our choosing (fetch does not let one set Host). */
function rawGet(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
