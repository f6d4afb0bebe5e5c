/** What `sf social status` calls a problem, and what it tells the admin to do about it. */
import { expect } from 'chai';
import { findProblems, type StatusFacts } from '../../src/status/problems.ts';
import type { ConnectorHealth } from '../../src/sync-server/schemas.ts';

const NOW = new Date('2025-06-01T12:00:00Z');

function connector(overrides: Partial<ConnectorHealth> = {}): ConnectorHealth {
  return {
    network: 'x',
    name: 'x-poll',
    status: 'ok',
    lastEventAt: '2025-06-01T11:59:00Z',
    cursor: '1800000000000000000',
    tokenValid: true,
    tokenExpiresAt: null,
    errorStreak: 0,
    lastError: null,
    hint: null,
    ...overrides,
  };
}

function facts(overrides: Partial<StatusFacts> = {}): StatusFacts {
  return {
    org: 'my-org',
    serverUrl: 'http://localhost:8787',
    components: [{ type: 'CustomObject', present: 4, total: 4, missing: [] }],
    permissionSets: [{ permissionSet: 'Social_CRM_Admin', exists: true, assignees: ['admin@example.com'] }],
    apiUsage: { used: 100, max: 100_000, ratio: 0.001 },
    apiBudget: 0.9,
    server: {
      reachable: true,
      readiness: { status: 'ready', checks: { org: { ok: true }, queue: { ok: true } } },
      status: {
        sync: { status: 'running', reason: null, hint: null, lastSyncAt: null, consecutiveFailures: 0 },
        queue: { depth: 0, inFlight: 0, deadLetters: 0, oldestAgeSeconds: 0 },
        connectors: [connector()],
        problems: [],
      },
    },
    now: NOW,
    ...overrides,
  };
}

function withServer(patch: (f: StatusFacts) => void): StatusFacts {
  const f = facts();
  patch(f);
  return f;
}

describe('status problems', () => {
  it('finds none when everything is in place', () => {
    expect(findProblems(facts())).to.deep.equal([]);
  });

  it('missing components: an error naming some of them, fixed by setup', () => {
    const [p] = findProblems(
      facts({
        components: [
          { type: 'CustomTab', present: 1, total: 3, missing: ['Social_Post__c', 'Social_Persona__c'] },
        ],
      }),
    );
    expect(p).to.include({ severity: 'error', area: 'package' });
    expect(p!.problem).to.contain('2 component(s)').and.contain('CustomTab Social_Post__c');
    expect(p!.action).to.equal('deploy the package: sf social setup --target-org my-org');
  });

  it('a permission set nobody has: a warning saying how to assign it', () => {
    const [p] = findProblems(
      facts({ permissionSets: [{ permissionSet: 'Social_CRM_Agent', exists: true, assignees: [] }] }),
    );
    expect(p).to.include({ severity: 'warning', area: 'permissions' });
    expect(p!.action).to.contain('--agent-user <username>');
  });

  it('API usage: a warning near the sync budget, an error at it', () => {
    const near = findProblems(facts({ apiUsage: { used: 75_000, max: 100_000, ratio: 0.75 } }));
    expect(near.map((p) => [p.severity, p.area])).to.deep.equal([['warning', 'api']]);
    const over = findProblems(facts({ apiUsage: { used: 95_000, max: 100_000, ratio: 0.95 } }));
    expect(over[0]).to.include({ severity: 'error', area: 'api' });
    expect(over[0]!.problem).to.contain('95%').and.contain('pauses above 90%');
  });

  it('a sync server that does not answer: start it with sf social serve', () => {
    const [p] = findProblems(
      facts({ server: { reachable: false, reason: 'connect ECONNREFUSED 127.0.0.1:8787' } }),
    );
    expect(p).to.include({ severity: 'error', area: 'server' });
    expect(p!.problem).to.contain('ECONNREFUSED');
    expect(p!.action).to.contain('sf social serve --target-org my-org');
  });

  it('a sync server that refuses our token: set OPS_TOKEN, not "start it"', () => {
    const [p, ...rest] = findProblems(
      facts({
        server: {
          reachable: false,
          reason: 'operator routes need the OPS_TOKEN bearer token',
          refused: { actions: ['Set OPS_TOKEN in this shell to the OPS_TOKEN the server runs with.'] },
        },
      }),
    );
    expect(rest).to.deep.equal([]);
    expect(p).to.include({ severity: 'error', area: 'server' });
    expect(p!.problem).to.contain('answers but refuses this CLI').and.contain('OPS_TOKEN');
    expect(p!.action).to.contain('Set OPS_TOKEN').and.not.contain('sf social serve');
  });

  it('a failing readiness check and a paused sync carry the server’s own hint', () => {
    const problems = findProblems(
      withServer((f) => {
        if (!f.server.reachable) return;
        f.server.readiness = {
          status: 'not_ready',
          checks: { org: { ok: false, detail: 'INVALID_SESSION_ID' } },
        };
        f.server.status.sync = {
          ...f.server.status.sync,
          status: 'paused',
          reason: 'API allowance spent',
          hint: 'wait for the daily reset',
        };
      }),
    );
    expect(problems.map((p) => p.problem)).to.deep.equal([
      'the sync server is not ready: org (INVALID_SESSION_ID)',
      'the sync is paused: API allowance spent',
    ]);
    expect(problems[1]!.action).to.equal('wait for the daily reset');
  });

  it('connectors: a rejected token is an error, one expiring within a week a warning, a degraded stream a warning', () => {
    const problems = findProblems(
      withServer((f) => {
        if (!f.server.reachable) return;
        f.server.status.connectors = [
          connector({
            name: 'x-poll',
            tokenValid: false,
            status: 'down',
            hint: 'issue a new X bearer token',
          }),
          connector({ name: 'mastodon-stream', network: 'mastodon', tokenExpiresAt: '2025-06-04T00:00:00Z' }),
          connector({
            name: 'bluesky-firehose',
            network: 'bluesky',
            status: 'degraded',
            lastError: 'reconnecting',
          }),
        ];
      }),
    );
    expect(problems.map((p) => [p.severity, p.problem])).to.deep.equal([
      ['error', 'x connector x-poll: the network rejects its token'],
      ['warning', 'mastodon connector mastodon-stream: its token expires on 2025-06-04'],
      ['warning', 'bluesky connector bluesky-firehose is degraded: reconnecting'],
    ]);
    expect(problems[0]!.action).to.equal('issue a new X bearer token');
  });

  it('dead letters and a lagging queue are warnings with the commands to look into them', () => {
    const problems = findProblems(
      withServer((f) => {
        if (!f.server.reachable) return;
        f.server.status.queue = { depth: 40, inFlight: 0, deadLetters: 2, oldestAgeSeconds: 900 };
      }),
    );
    expect(problems.map((p) => [p.severity, p.area])).to.deep.equal([
      ['warning', 'queue'],
      ['warning', 'queue'],
    ]);
    expect(problems[0]!.action).to.contain('/api/dead-letters/redrive');
    expect(problems[1]!.problem).to.contain('15 minute(s) behind');
  });
});
