/**
 * The commands against small fakes: the org behind TestContext (`MockTestOrgData` auth, a typed fake
 * answering the REST calls), the sync server as a local HTTP fake. Output is stubbed with
 * `stubSfCommandUx`; what the tests read is what the commands return, throw and print.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import type { SfError } from '@salesforce/core';
import { Progress, stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import { backfill, type BackfillProgress } from '../../src/backfill/backfill.ts';
import Backfill from '../../src/commands/social/backfill.ts';
import Setup from '../../src/commands/social/setup.ts';
import Status from '../../src/commands/social/status.ts';
import { SyncServerClient } from '../../src/sync-server/client.ts';
import { SocialCrmSettings } from '../../src/sync-server/settings.ts';
import { FakeOrg, success } from '../support/fake-org.ts';
import { snapshotSignalListeners } from '../support/signal-listeners.ts';

async function rejection(promise: Promise<unknown>): Promise<SfError> {
  try {
    await promise;
  } catch (error) {
    return error as SfError;
  }
  throw new Error('expected the command to fail');
}

/** A sync server fake: `/metrics` counts synced mentions, `/api/backfill` "pulls", `/api/status` drains. */
async function fakeSyncServer(): Promise<{ url: string; backfills: unknown[]; close(): Promise<void> }> {
  let synced = 0;
  let waiting = 0;
  let pulling = false;
  const backfills: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.url === '/metrics') {
      send(
        200,
        [
          '# TYPE socialcrm_mentions_synced_total counter',
          `socialcrm_mentions_synced_total{network="x"} ${synced}`,
          'socialcrm_mentions_synced_total{network="bluesky"} 7',
          // Two calls per mention synced, and one Bulk job once all three are written.
          '# TYPE socialcrm_crm_api_calls_total counter',
          `socialcrm_crm_api_calls_total{operation="composite",outcome="success"} ${10 + synced}`,
          `socialcrm_crm_api_calls_total{operation="bulk",outcome="success"} ${synced}`,
          '# TYPE socialcrm_crm_bulk_jobs_total counter',
          `socialcrm_crm_bulk_jobs_total{object="Social_Post__c",state="JobComplete"} ${synced === 3 ? 1 : 0}`,
          '',
        ].join('\n'),
        'text/plain',
      );
    } else if (req.url === '/api/status') {
      // Each look at the status finds the sync one mention further along.
      if (waiting > 0) {
        waiting -= 1;
        synced += 1;
      }
      send(200, {
        sync: { status: 'running', reason: null, hint: null, lastSyncAt: null, consecutiveFailures: 0 },
        queue: { depth: waiting, inFlight: 0, deadLetters: 0, oldestAgeSeconds: 0 },
        connectors: [],
        backfills: pulling ? [{ network: 'x', since: '2025-01-01T00:00:00.000Z', pulled: 2 }] : [],
        problems: [],
      });
    } else if (req.url === '/api/backfill' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        backfills.push(JSON.parse(body));
        // The pull takes a while; meanwhile the status shows how far it got.
        pulling = true;
        setTimeout(() => {
          pulling = false;
          waiting = 3;
          send(200, { network: 'x', since: '2025-01-01T00:00:00.000Z', pulled: 5 });
        }, 400);
      });
    } else send(404, { error: { code: 'not_found', message: 'no such route' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    backfills,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('sf social commands (unit)', () => {
  const $$ = new TestContext();
  let ux: ReturnType<typeof stubSfCommandUx>;
  let dropSignalListeners: () => void;

  beforeEach(() => {
    dropSignalListeners = snapshotSignalListeners();
    ux = stubSfCommandUx($$.SANDBOX);
    stubSpinner($$.SANDBOX);
    for (const method of ['start', 'update', 'setTotal', 'finish', 'stop'] as const) {
      $$.SANDBOX.stub(Progress.prototype, method);
    }
  });

  afterEach(() => {
    dropSignalListeners();
    // A failed command sets the exit code, as `sf` would; that is the command's answer, not the test run's.
    process.exitCode = undefined;
  });

  describe('without an org', () => {
    it('status says how to log in and name an org, in --json too', async () => {
      const error = await rejection(Status.run(['--json']));
      expect(error.name).to.equal('NoOrgError');
      expect(error.message).to.contain('--target-org');
      expect(error.actions?.join('\n')).to.contain('sf org login web --alias my-org');
      const json = ux.logJson.firstCall.args[0] as { status: number; name: string; actions: string[] };
      expect(json).to.include({ status: 1, name: 'NoOrgError' });
      expect(json.actions).to.have.length(2);
      // For scripts: no stack trace of ours, and no "cause": "undefined" when there is none.
      expect(json).not.to.have.any.keys('stack', 'cause');
    });
  });

  describe('setup', () => {
    let testOrg: MockTestOrgData;

    beforeEach(async () => {
      testOrg = new MockTestOrgData();
      await $$.stubAuths(testOrg);
    });

    it('shows the components the org refused in a table and fails with what to do, assigning nothing', async () => {
      const org = new FakeOrg({
        deploy: {
          successes: [success('CustomTab', 'Social_Post__c')],
          failures: [
            {
              ...success('PermissionSet', 'Social_CRM_Agent'),
              success: false,
              created: false,
              problem: 'In field: field - no CustomField named Social_Post__c.Gone__c found',
              fileName: 'permissionsets/Social_CRM_Agent.permissionset',
              lineNumber: 12,
            },
          ],
        },
      });
      $$.fakeConnectionRequest = org.handle;
      const error = await rejection(Setup.run(['--target-org', testOrg.username]));
      expect(error.name).to.equal('DeployFailedError');
      expect(error.actions?.[0]).to.contain('Fix each problem listed above');
      const table = ux.table.args
        .map((a) => a[0])
        .find((t) => String(t.title).startsWith('Component failures'));
      expect(table?.data).to.deep.equal([
        {
          type: 'PermissionSet',
          name: 'Social_CRM_Agent',
          problem: 'In field: field - no CustomField named Social_Post__c.Gone__c found',
          file: 'permissionsets/Social_CRM_Agent.permissionset:12',
        },
      ]);
      expect(org.created).to.deep.equal([]);
    });

    it('assigns what is missing, writes the settings, and on a second run changes nothing', async () => {
      const org = new FakeOrg({
        users: [{ Id: '005FAKE0000000001AAA', Username: testOrg.username }],
        permissionSets: [
          { Id: '0PSFAKE0000000001AAA', Name: 'Social_CRM_Admin' },
          { Id: '0PSFAKE0000000002AAA', Name: 'Social_CRM_Agent' },
        ],
        deploy: { successes: [success('PermissionSet', 'Social_CRM_Admin')], failures: [] },
      });
      $$.fakeConnectionRequest = org.handle;

      const first = await Setup.run([
        '--target-org',
        testOrg.username,
        '--server-url',
        'http://sync.test:9000',
      ]);
      expect(first.assignments).to.deep.equal([
        { username: testOrg.username, permissionSet: 'Social_CRM_Admin', status: 'assigned' },
      ]);
      expect(org.created).to.deep.equal([
        {
          type: 'PermissionSetAssignment',
          records: [{ AssigneeId: '005FAKE0000000001AAA', PermissionSetId: '0PSFAKE0000000001AAA' }],
        },
      ]);
      expect(first.settings.changed).to.include.members(['serverUrl', 'dataDir', 'orgId']);
      const settings = await SocialCrmSettings.create(SocialCrmSettings.getDefaultOptions());
      expect(settings.forOrg(testOrg.orgId)).to.include({ serverUrl: 'http://sync.test:9000' });
      expect(first.changed).to.equal(true);

      org.data.assignments.push({
        AssigneeId: '005FAKE0000000001AAA',
        PermissionSetId: '0PSFAKE0000000001AAA',
      });
      org.data.deploy.successes = [success('PermissionSet', 'Social_CRM_Admin', false)];
      const second = await Setup.run(['--target-org', testOrg.username]);
      expect(second.assignments.map((a) => a.status)).to.deep.equal(['already-assigned']);
      expect(second.settings.changed).to.deep.equal([]);
      expect(second.changed).to.equal(false);
      expect(org.created).to.have.length(1);
      expect(ux.logSuccess.args.flat()).to.include('Everything was already set up: nothing changed.');
    });

    it('refuses an unknown user before assigning anything, saying how to find the right name', async () => {
      const org = new FakeOrg({
        permissionSets: [{ Id: '0PSFAKE0000000001AAA', Name: 'Social_CRM_Admin' }],
        deploy: { successes: [], failures: [] },
      });
      $$.fakeConnectionRequest = org.handle;
      const error = await rejection(
        Setup.run(['--target-org', testOrg.username, '--admin-user', 'nobody@example.com']),
      );
      expect(error.name).to.equal('UnknownUserError');
      expect(error.message).to.contain('nobody@example.com');
      expect(error.actions?.join(' ')).to.contain('SELECT Username FROM User');
      expect(org.created).to.deep.equal([]);
    });
  });

  describe('backfill', () => {
    it('pulls through the sync server and follows the sync until the queue drains', async () => {
      const server = await fakeSyncServer();
      try {
        const result = await Backfill.run(['--network', 'x', '--since', '7d', '--server-url', server.url]);
        expect(server.backfills).to.deep.equal([{ network: 'x', since: '7d' }]);
        expect(result).to.deep.include({
          network: 'x',
          pulled: 5,
          added: 3,
          drained: true,
          waiting: 0,
          apiCalls: 6,
          bulkJobs: 1,
        });
        const logged = ux.log.args.flat().join('\n');
        expect(logged).to.contain('Pulled 5 mention(s) from x');
        expect(logged).to.contain(
          'The sync server spent 6 Salesforce API call(s) meanwhile, with 1 Bulk API 2.0 job(s).',
        );
      } finally {
        await server.close();
      }
    });

    it('shows how many mentions the server has pulled while the pull is under way', async () => {
      const server = await fakeSyncServer();
      try {
        const seen: BackfillProgress[] = [];
        const result = await backfill(new SyncServerClient(server.url), {
          network: 'x',
          since: '7d',
          waitMs: 10_000,
          pollMs: 50,
          onProgress: (p) => seen.push(p),
        });
        expect(result.pulled).to.equal(5);
        expect(seen[0]).to.deep.equal({ phase: 'pulling', pulled: 0, synced: 0, waiting: 0 });
        expect(seen.some((p) => p.phase === 'pulling' && p.pulled === 2)).to.equal(true);
        expect(seen.at(-1)).to.deep.include({ phase: 'syncing', pulled: 5, synced: 3, waiting: 0 });
      } finally {
        await server.close();
      }
    });

    it('says how to start the sync server when none answers', async () => {
      const error = await rejection(
        Backfill.run(['--network', 'x', '--since', '7d', '--server-url', 'http://127.0.0.1:9']),
      );
      expect(error.name).to.equal('SyncServerUnreachableError');
      expect(error.actions?.[0]).to.contain('sf social serve --target-org');
    });

    it('refuses a --since it cannot read, before calling the server', async () => {
      const error = await rejection(
        Backfill.run(['--network', 'x', '--since', 'last tuesday', '--server-url', 'http://127.0.0.1:9']),
      );
      expect(error.name).to.equal('BadSinceError');
    });
  });
});
