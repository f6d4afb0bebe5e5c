/**
 * The plugin's client against a sync server that listens beyond loopback with an OPS_TOKEN: it sends the
 * token of its environment (or the one it is given), and says how to fix a missing or wrong one.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SfError } from '@salesforce/core';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { loadConfig, startSyncServer, type SyncServer } from '@socialcrm/server';
import { SyncServerClient } from '../../src/sync-server/client.ts';

const TOKEN = 'plugin-test-ops-token-0123456789abcdef';

describe('sync server client: the operator token', function () {
  this.timeout(60_000);
  let org: DevOrg;
  let server: SyncServer;
  let dataDir: string;
  let base: string;
  const saved = process.env['OPS_TOKEN'];

  before(async () => {
    org = await startDevOrg({ seed: true });
    dataDir = mkdtempSync(join(tmpdir(), 'plugin-ops-token-'));
    server = await startSyncServer(
      loadConfig({
        HOST: '0.0.0.0',
        PORT: '0',
        OPS_TOKEN: TOKEN,
        SF_INSTANCE_URL: org.url,
        SF_ACCESS_TOKEN: org.accessToken,
        DATA_DIR: dataDir,
      }),
    );
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server?.close();
    await org?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    if (saved === undefined) delete process.env['OPS_TOKEN'];
    else process.env['OPS_TOKEN'] = saved;
  });

  async function refusal(client: SyncServerClient): Promise<SfError> {
    try {
      await client.status();
    } catch (error) {
      expect(error).to.be.instanceOf(SfError);
      return error as SfError;
    }
    return expect.fail('expected the server to refuse');
  }

  it('sends OPS_TOKEN from its environment to every operator route', async () => {
    process.env['OPS_TOKEN'] = TOKEN;
    const client = new SyncServerClient(base);
    expect((await client.status()).queue.depth).to.equal(0);
    expect(Object.keys((await client.readiness()).checks)).to.include('org');
    expect((await client.metrics()).some((s) => s.name === 'socialcrm_queue_depth')).to.equal(true);
  });

  it('says to set OPS_TOKEN when it has none, and to fix it when it is wrong', async () => {
    delete process.env['OPS_TOKEN'];
    const missing = await refusal(new SyncServerClient(base));
    expect(missing.message).to.include('/api/status').and.include('OPS_TOKEN');
    expect(missing.actions?.join(' ')).to.include('export OPS_TOKEN');

    const wrong = await refusal(new SyncServerClient(base, { token: `${TOKEN}-old` }));
    expect(wrong.message).to.include('with the OPS_TOKEN of this shell');
    expect(wrong.actions?.join(' ')).to.include('exact OPS_TOKEN');
  });

  it('reads a status-only /readyz (a caller without the token) as an answer', async () => {
    delete process.env['OPS_TOKEN'];
    const readiness = await new SyncServerClient(base).readiness();
    expect(readiness).to.deep.equal({ status: 'ready', checks: {} });
  });
});
