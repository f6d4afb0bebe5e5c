/**
 * The customer value job as the sync server runs it against the seeded dev org: refreshed on
 * `POST /api/customer-value/refresh`, its last run and problems on `GET /api/status`, and the values
 * it writes equal to what the formula gives for the records it read.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsforce from 'jsforce';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { loadConfig } from '../../src/config.ts';
import { startSyncServer, type SyncServer } from '../../src/sync-server.ts';

describe('customer value in the sync server (seeded dev org)', function () {
  this.timeout(60_000);
  let org: DevOrg;
  let server: SyncServer;

  before(async () => {
    org = await startDevOrg({ seed: true });
    server = await startSyncServer(
      loadConfig({
        PORT: '0',
        SF_INSTANCE_URL: org.url,
        SF_ACCESS_TOKEN: org.accessToken,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'socialcrm-cv-')),
        CUSTOMER_VALUE_REFRESH_MINUTES: '600',
      }),
    );
  });

  after(async () => {
    await server?.close();
    await org?.close();
  });

  it('refreshes on demand, shows the run on /api/status, and writes each Contact its value', async () => {
    const refreshed = await fetch(`${server.url}/api/customer-value/refresh`, { method: 'POST' });
    expect(refreshed.status).to.equal(200);
    const { run } = (await refreshed.json()) as {
      run: { contacts: number; failed: number; currency: string };
    };
    expect(run.contacts).to.be.greaterThan(0);
    expect(run).to.include({ failed: 0, currency: 'USD' });

    const status = (await (await fetch(`${server.url}/api/status`)).json()) as {
      customerValue: { lastRun: { contacts: number }; lastError: string | null };
      problems: { what: string }[];
    };
    expect(status.customerValue.lastRun.contacts).to.equal(run.contacts);
    expect(status.customerValue.lastError).to.equal(null);
    expect(status.problems.some((p) => p.what.includes('customer values'))).to.equal(false);

    const conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
    const rows = await conn.query<{ Id: string; Social_Customer_Value__c: number | null }>(
      'SELECT Id, Social_Customer_Value__c FROM Contact WHERE Last_Social_Activity__c != null',
    );
    expect(rows.records).to.have.length(run.contacts);
    for (const row of rows.records) {
      expect(row.Social_Customer_Value__c, row.Id).to.equal(server.customerValue.valueOf(row.Id)?.total);
    }
  });
});
