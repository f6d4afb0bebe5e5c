import { expect } from 'chai';
import { silentLogger } from '../src/observability/logger.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import type { Metrics } from '../src/observability/metrics.ts';
import { createOrgReadinessCheck } from '../src/readiness/org-check.ts';
import { SalesforceGateway } from '../src/salesforce/gateway.ts';
import { closedPort, stubServer } from './helpers/listen.ts';
import type { StubServer } from './helpers/listen.ts';

const TOKEN = '00Dtest!secret-token';

function gatewayFor(instanceUrl: string, metrics: Metrics): SalesforceGateway {
  return new SalesforceGateway({
    instanceUrl,
    accessToken: TOKEN,
    apiVersion: '62.0',
    metrics,
    logger: silentLogger(),
  });
}

async function apiCalls(metrics: Metrics, outcome: 'success' | 'error'): Promise<number> {
  const { values } = await metrics.crmApiCalls.get();
  return values
    .filter((v) => v.labels.operation === 'limits' && v.labels.outcome === outcome)
    .reduce((sum, v) => sum + v.value, 0);
}

describe('SalesforceGateway.ping', () => {
  let org: StubServer | undefined;

  afterEach(async () => {
    await org?.close();
    org = undefined;
  });

  it('reaches a Salesforce-like org, sends the bearer token and records API usage', async () => {
    org = await stubServer((req, res) => {
      if (req.url === '/services/data/v62.0/limits' && req.headers.authorization === `Bearer ${TOKEN}`) {
        res.writeHead(200, { 'content-type': 'application/json', 'sforce-limit-info': 'api-usage=5/15000' });
        res.end(JSON.stringify({ DailyApiRequests: { Max: 15000, Remaining: 14995 } }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]),
        );
      }
    });
    const metrics = createMetrics();
    const result = await gatewayFor(org.url, metrics).ping();

    expect(result).to.deep.equal({ ok: true, detail: 'API v62.0 reachable; API usage 5/15000' });
    expect(org.requests).to.deep.equal([
      { method: 'GET', url: '/services/data/v62.0/limits', authorization: `Bearer ${TOKEN}` },
    ]);
    expect(await apiCalls(metrics, 'success')).to.equal(1);
    expect(await apiCalls(metrics, 'error')).to.equal(0);
    const usage = await metrics.crmApiUsageRatio.get();
    expect(usage.values[0]?.value).to.be.closeTo(5 / 15000, 1e-12);
  });

  it('reports an expired session as not ok with what to do, without retrying or leaking the token', async () => {
    org = await stubServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]));
    });
    const metrics = createMetrics();
    const result = await gatewayFor(org.url, metrics).ping();

    expect(result.ok).to.equal(false);
    expect(result.detail).to.include('INVALID_SESSION_ID');
    expect(result.detail).to.include('Session expired or invalid');
    expect(result.detail).to.include('Set SF_ACCESS_TOKEN');
    expect(result.detail).to.include(org.url);
    expect(result.detail).not.to.include(TOKEN);
    expect(org.requests).to.have.length(1);
    expect(await apiCalls(metrics, 'error')).to.equal(1);
    expect(await apiCalls(metrics, 'success')).to.equal(0);
  });

  it('reports an unreachable org as not ok, telling how to start the dev org', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const metrics = createMetrics();
    const result = await gatewayFor(url, metrics).ping();

    expect(result.ok).to.equal(false);
    expect(result.detail).to.include(`Cannot reach Salesforce at ${url} (ECONNREFUSED)`);
    expect(result.detail).to.include('SF_INSTANCE_URL');
    expect(await apiCalls(metrics, 'error')).to.equal(1);
  });

  it('reports a server error without jsforce retrying for seconds', async () => {
    org = await stubServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('Service Unavailable');
    });
    const started = Date.now();
    const result = await gatewayFor(org.url, createMetrics()).ping();
    expect(Date.now() - started).to.be.lessThan(400);
    expect(result.ok).to.equal(false);
    expect(result.detail).to.include('Salesforce answered 503');
    expect(org.requests).to.have.length(1);
  });

  it('backs the "org" readiness check', async () => {
    org = await stubServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const check = createOrgReadinessCheck(gatewayFor(org.url, createMetrics()));
    expect(check.name).to.equal('org');
    expect(await check.check()).to.deep.equal({ ok: true, detail: 'API v62.0 reachable' });
  });
});
