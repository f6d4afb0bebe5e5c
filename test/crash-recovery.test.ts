/**
 * `kill -9` of the sync server mid-sync loses and duplicates nothing: the dev org and the X stand-in run
 * in-process, the sync server as a process of its own on a DATA_DIR; it is killed while a slow org has
 * taken part of 500 mentions, and a new process on the same DATA_DIR finishes the job.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'jsforce';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { DEFAULT_SYNC_OPTIONS } from '@socialcrm/server';
import { startXStandIn, type XStandIn } from '@socialcrm/stand-ins';
import { eventually, X_SECRET } from './support/embedded.ts';
import {
  countPosts,
  inParallel,
  postKeys,
  renewingConnection,
  syncStatus,
  type SyncStatus,
} from './support/sync-probes.ts';
import { freePort, startSyncProcess, type SyncProcess } from './support/sync-process.ts';

/** How long a claimed batch stays leased (the sync worker's default `leaseMs`). */
const LEASE_MS = DEFAULT_SYNC_OPTIONS.leaseMs;

describe('kill -9 of the sync server mid-sync', function () {
  // A batch the killed process held comes back when its lease runs out.
  this.timeout(LEASE_MS + 60_000);
  let org: DevOrg;
  let x: XStandIn;
  let conn: Connection;
  let dataDir: string;
  let env: Record<string, string>;
  const servers: SyncProcess[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'socialcrm-crash-'));
    org = await startDevOrg({ seed: true });
    x = await startXStandIn({ consumerSecret: X_SECRET, bearerToken: 'e2e-x-bearer' });
    conn = renewingConnection(org);
    env = {
      PORT: String(await freePort()),
      SF_INSTANCE_URL: org.url,
      SF_ACCESS_TOKEN: org.accessToken,
      SF_CLIENT_ID: org.client.clientId,
      SF_CLIENT_SECRET: org.client.clientSecret,
      X_CONSUMER_SECRET: X_SECRET,
      X_USER_ID: x.ownUser.id,
      DATA_DIR: dataDir,
    };
  });
  after(async () => {
    for (const server of servers) await server.kill9();
    await x.close();
    await org.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lands each of 500 acknowledged mentions exactly once after a restart on the same DATA_DIR', async () => {
    const first = await startSyncProcess(env);
    servers.push(first);
    await x.registerWebhook(`${first.url}/webhooks/x`);
    // A slow org: every API call takes 200 ms more, so a sync of 500 mentions takes several calls' time.
    org.faults.set({ latencyMs: 200 });

    const added = await inParallel(
      Array.from({ length: 500 }, (_, i) => i),
      25,
      (i) => x.addMention({ author: `crash_${i % 100}`, text: `Just saw your ad on the subway #${i}` }),
    );
    expect(added.every((a) => a.delivery?.status === 200)).to.equal(true);
    const sent = added.map((a) => `x:${a.tweet.id}`);

    const partial = await eventually(
      () => countPosts(conn, 'crash_'),
      (n) => n > 0,
      { what: 'the first posts', timeoutMs: 60_000, intervalMs: 50 },
    );
    await first.kill9();
    expect(partial, 'posts when the server was killed').to.be.below(500);
    const atKill = await countPosts(conn, 'crash_');
    expect(atKill, `posts after the kill (server output:\n${first.output()})`).to.be.below(500);

    const second = await startSyncProcess(env);
    servers.push(second);
    await x.registerWebhook(`${second.url}/webhooks/x`);
    const restarted = await syncStatus(second.url);
    // Everything acknowledged and not yet in the org is still queued; part of it is leased by the dead
    // process (it was mid-sync), which hands it back to the new one when the lease runs out.
    expect(restarted.queue.depth + atKill).to.be.at.least(500);
    expect(restarted.queue.inFlight, 'mentions the killed process held').to.be.above(0);
    expect(restarted.queue.deadLetters).to.equal(0);

    await eventually(
      () => countPosts(conn, 'crash_'),
      (n) => n >= 500,
      { what: '500 posts after the restart', timeoutMs: LEASE_MS + 30_000, intervalMs: 500 },
    );
    const keys = await postKeys(conn, 'crash_');
    expect(keys, 'posts').to.have.length(500);
    expect(new Set(keys).size, 'distinct External_Id__c').to.equal(500);
    expect([...keys].sort()).to.deep.equal([...sent].sort());
    const personas = await conn.query("SELECT COUNT() FROM Social_Persona__c WHERE Handle__c LIKE 'crash_%'");
    expect(personas.totalSize, 'one persona per author').to.equal(100);

    const drained: SyncStatus = await eventually(
      () => syncStatus(second.url),
      (s) => s.queue.depth === 0,
      { what: 'an empty queue' },
    );
    expect(drained.queue.deadLetters).to.equal(0);
  });
});
