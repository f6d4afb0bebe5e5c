/**
 * The engagement refresher as the sync server runs it: a mention from X synced to the dev org, its likes
 * growing on X afterwards, `engagement.refreshNow()` reading them back (one `GET /2/tweets`), the author's
 * persona re-scored in the org, and the run on `GET /api/status` and `/metrics`.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import jsforce from 'jsforce';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { startXStandIn, type XStandIn } from '@socialcrm/stand-ins';
import { loadConfig } from '../../src/config.ts';
import { startSyncServer, type SyncServer } from '../../src/sync-server.ts';

describe('engagement refresh in the sync server (dev org, X stand-in)', function () {
  this.timeout(60_000);
  let org: DevOrg;
  let x: XStandIn;
  let server: SyncServer;
  let conn: jsforce.Connection;

  before(async () => {
    org = await startDevOrg({ seed: false });
    x = await startXStandIn({ consumerSecret: 'dev-x-secret', bearerToken: 'dev-x-bearer' });
    server = await startSyncServer(
      loadConfig({
        PORT: '0',
        SF_INSTANCE_URL: org.url,
        SF_ACCESS_TOKEN: org.accessToken,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'socialcrm-engagement-')),
        X_API_URL: x.url,
        X_BEARER_TOKEN: 'dev-x-bearer',
        X_USER_ID: x.ownUser.id,
        ENGAGEMENT_REFRESH: '{"everyMinutes":0,"callsPerHour":10}',
      }),
      { sync: { flushWindowMs: 20, maxFlushMs: 50 } },
    );
    await x.registerWebhook(`${server.url}/webhooks/x`);
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
  });

  after(async () => {
    await server?.close();
    await x?.close();
    await org?.close();
  });

  async function persona(key: string): Promise<{ Influence_Score__c: number } | undefined> {
    const rows = await conn.query<{ Influence_Score__c: number }>(
      `SELECT Influence_Score__c FROM Social_Persona__c WHERE External_Id__c = '${key}'`,
    );
    return rows.records[0];
  }

  it('reads the likes a synced post earned, re-scores its author in the org, and reports the run', async () => {
    const author = x.addUser({ username: 'engaged_ed', followers_count: 3_000, following_count: 400 });
    const posted = new Date(Date.now() - 3 * 3_600_000);
    const tweets = [];
    for (let i = 0; i < 3; i++) {
      tweets.push(
        (
          await x.addMention({
            author: author.username,
            text: `the new stove is great ${i}`,
            createdAt: posted,
          })
        ).tweet,
      );
    }
    const key = `x:${author.id}`;
    // Wait for the state: all three posts in the org.
    for (let i = 0; i < 200; i++) {
      const posts = await conn.query(
        `SELECT Id FROM Social_Post__c WHERE Persona__r.External_Id__c = '${key}'`,
      );
      if (posts.records.length === 3) break;
      await sleep(50);
    }
    const before = (await persona(key))?.Influence_Score__c;
    expect(before, 'the mentions reached the org').to.be.a('number');

    for (const t of tweets) x.setMetrics(t.id, { like_count: 70, retweet_count: 9, reply_count: 4 });
    const report = await server.engagement.refreshNow();
    expect(report).to.deep.include({ calls: 1, postsRead: 3, personasRescored: 1, failed: [] });
    const after = (await persona(key))!.Influence_Score__c;
    expect(after).to.be.above(before! + 5);

    const status = (await (await fetch(`${server.url}/api/status`)).json()) as {
      engagement: {
        enabled: boolean;
        lastRunCalls: number;
        networks: { network: string; budgetLeft: number; lastError: string | null }[];
      };
    };
    expect(status.engagement.enabled).to.equal(false);
    expect(status.engagement.lastRunCalls).to.equal(1);
    expect(status.engagement.networks).to.deep.equal([
      { ...status.engagement.networks[0], network: 'x', budgetLeft: 9, lastError: null },
    ]);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).to.match(/socialcrm_engagement_refresh_calls_total\{network="x",outcome="ok"\} 1/);
    expect(metrics).to.match(/socialcrm_engagement_budget_remaining\{network="x"\} 9/);
  });
});
