/**
 * The commands for real, in process, against the dev org over HTTP with the Salesforce CLI's stored auth
 * (an `AuthInfo` saved in a HOME of the test's own, alias `dev`): setup deploys the package with SDR's
 * Metadata REST deploy, serve runs the sync server with that auth, status sees it all, backfill pulls X
 * history from the X stand-in through the server twice and the org gets each post once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import jsforce, { type Connection } from 'jsforce';
import { Progress, stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import {
  startMastodonStandIn,
  startXStandIn,
  type MastodonStandIn,
  type XStandIn,
} from '@socialcrm/stand-ins';
import Backfill from '../../src/commands/social/backfill.ts';
import ScoresRecompute from '../../src/commands/social/scores/recompute.ts';
import Serve, { type ServeResult } from '../../src/commands/social/serve.ts';
import Setup from '../../src/commands/social/setup.ts';
import Status from '../../src/commands/social/status.ts';
import { SyncServerClient } from '../../src/sync-server/client.ts';
import { isolatedCliHome, loginToDevOrg, type CliHome } from '../support/cli-auth.ts';
import { snapshotSignalListeners } from '../support/signal-listeners.ts';

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('sf social against the dev org (integration)', function () {
  this.timeout(60_000);
  let org: DevOrg;
  let home: CliHome;
  let x: XStandIn;
  let mastodon: MastodonStandIn;
  let conn: Connection;
  let sandbox: sinon.SinonSandbox;
  let ux: ReturnType<typeof stubSfCommandUx>;

  before(async () => {
    org = await startDevOrg({ seed: true });
    home = await isolatedCliHome();
    await loginToDevOrg(org, 'dev');
    x = await startXStandIn({ consumerSecret: 'plugin-x-secret', bearerToken: 'plugin-x-bearer' });
    mastodon = await startMastodonStandIn({
      accessToken: 'plugin-mastodon-token',
      ownAccount: { id: '1', username: 'acme' },
    });
    // History from before the sync server first runs: its first poll starts from now, so only a backfill
    // brings these in. Enough of them for the sync to write them with Bulk API jobs (threshold 1,000 below).
    const dayAgo = new Date(Date.now() - 24 * 3_600_000);
    for (let i = 0; i < 1200; i++) {
      mastodon.addMention({
        author: { username: `camper${i}`, display_name: `Camper ${i}` },
        text: `the new stove works great on trip ${i}`,
        createdAt: new Date(dayAgo.getTime() + i * 1000),
      });
    }
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
  });

  after(async () => {
    await x.close();
    await mastodon.close();
    await org.close();
    await home.restore();
  });

  let dropSignalListeners: () => void;

  beforeEach(() => {
    dropSignalListeners = snapshotSignalListeners();
    sandbox = sinon.createSandbox();
    ux = stubSfCommandUx(sandbox);
    stubSpinner(sandbox);
    for (const method of ['start', 'update', 'setTotal', 'finish', 'stop'] as const)
      sandbox.stub(Progress.prototype, method);
  });

  afterEach(() => {
    dropSignalListeners();
    sandbox.restore();
    // Status exits 1 while something is wrong; that is the command's answer, not the test run's.
    process.exitCode = undefined;
  });

  it('status before setup: the package is missing, with setup as the next step, and the exit code says so', async () => {
    const result = await Status.run(['--target-org', 'dev', '--server-url', 'http://127.0.0.1:9']);
    expect(result.healthy).to.equal(false);
    expect(process.exitCode).to.equal(1);
    expect(result.components.present).to.be.lessThan(result.components.total);
    expect(result.permissionSets.every((p) => !p.exists)).to.equal(true);
    const areas = result.problems.filter((p) => p.severity === 'error').map((p) => p.area);
    expect(areas).to.deep.equal(['package', 'server']);
    expect(result.problems[0]!.action).to.equal(`deploy the package: sf social setup --target-org dev`);
  });

  it('setup deploys the package into the dev org, assigns the admin permission set and writes the settings; again, it changes nothing', async () => {
    const first = await Setup.run(['--target-org', 'dev']);
    expect(first.deploy).to.include({ status: 'Succeeded', success: true, checkOnly: false });
    expect(first.deploy.failures).to.deep.equal([]);
    expect(first.deploy.created.map((c) => `${c.type} ${c.fullName}`)).to.include.members([
      'PermissionSet Social_CRM_Admin',
      'CustomTab Social_Post__c',
      'LightningComponentBundle socialPanel',
      'StaticResource socialComponents',
    ]);
    expect(first.assignments).to.deep.equal([
      { username: org.adminUsername, permissionSet: 'Social_CRM_Admin', status: 'assigned' },
    ]);
    expect(first.settings.values).to.include({ instanceUrl: org.url, username: org.adminUsername });
    expect(first.settings.path.startsWith(home.home)).to.equal(true);
    const assigned = await conn.query(
      "SELECT Id FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Social_CRM_Admin'",
    );
    expect(assigned.totalSize).to.equal(1);

    const second = await Setup.run(['--target-org', 'dev']);
    expect(second.changed).to.equal(false);
    expect(second.deploy.created).to.deep.equal([]);
    expect(second.deploy.changed).to.deep.equal([]);
    expect(second.assignments.map((a) => a.status)).to.deep.equal(['already-assigned']);
    expect(second.settings.changed).to.deep.equal([]);
    expect((await conn.query('SELECT Id FROM PermissionSetAssignment')).totalSize).to.equal(1);
    expect(ux.logSuccess.args.flat()).to.include('Everything was already set up: nothing changed.');
  });

  it('scores recompute writes the roll-ups once: a second run writes nothing', async () => {
    const first = await ScoresRecompute.run(['--target-org', 'dev']);
    const changed = first.writes.reduce((n, w) => n + w.changed, 0);
    expect(changed).to.be.greaterThan(0);
    expect(first.writes.every((w) => w.failures.length === 0 && w.api !== 'bulk2')).to.equal(true);
    // A contact's influence is the highest of its personas'.
    const personas = await conn.query<{ Contact__c: string; Influence_Score__c: number }>(
      'SELECT Contact__c, Influence_Score__c FROM Social_Persona__c WHERE Contact__c != null AND Influence_Score__c != null',
    );
    const [sample] = personas.records;
    const highest = Math.max(
      ...personas.records.filter((p) => p.Contact__c === sample!.Contact__c).map((p) => p.Influence_Score__c),
    );
    const contact = await conn.sobject('Contact').retrieve(sample!.Contact__c);
    expect(contact['Social_Influence__c']).to.equal(Math.round(highest * 100) / 100);

    const second = await ScoresRecompute.run(['--target-org', 'dev']);
    expect(second.writes.map((w) => [w.object, w.changed, w.api])).to.deep.equal([
      ['Social_Persona__c', 0, 'none'],
      ['Contact', 0, 'none'],
      ['Lead', 0, 'none'],
    ]);
  });

  it('scores recompute writes through a Bulk API 2.0 job above --bulk-threshold', async () => {
    const contacts = await conn.query<{ Id: string; Social_Influence__c: number }>(
      'SELECT Id, Social_Influence__c FROM Contact WHERE Social_Influence__c != null ORDER BY Id LIMIT 3',
    );
    expect(contacts.records).to.have.length(3);
    await conn.sobject('Contact').update(contacts.records.map((c) => ({ Id: c.Id, Social_Influence__c: 1 })));
    const result = await ScoresRecompute.run(['--target-org', 'dev', '--bulk-threshold', '2']);
    const contactWrite = result.writes.find((w) => w.object === 'Contact')!;
    expect(contactWrite).to.deep.include({ changed: 3, api: 'bulk2', failures: [] });
    expect(contactWrite.bulkJobId).to.match(/^750/);
    const after = await conn.query<{ Id: string; Social_Influence__c: number }>(
      `SELECT Id, Social_Influence__c FROM Contact WHERE Id IN ('${contacts.records.map((c) => c.Id).join("','")}') ORDER BY Id`,
    );
    expect(after.records.map((c) => c.Social_Influence__c)).to.deep.equal(
      contacts.records.map((c) => c.Social_Influence__c),
    );
  });

  describe('with the sync server running (sf social serve)', () => {
    let serving: Promise<unknown>;
    let serverUrl: string;
    let dataDir: string;
    let serveListeners: NodeJS.SignalsListener[] = [];
    let serveSandbox: sinon.SinonSandbox;
    const savedEnv = { ...process.env };

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'socialcrm-serve-'));
      // The server's usual environment: X polling (and so backfill) against the stand-in.
      Object.assign(process.env, {
        X_API_URL: x.url,
        X_BEARER_TOKEN: 'plugin-x-bearer',
        X_USER_ID: x.ownUser.id,
        X_CONSUMER_SECRET: 'plugin-x-secret',
        MASTODON_URL: mastodon.url,
        MASTODON_ACCESS_TOKEN: 'plugin-mastodon-token',
        SYNC_BULK_THRESHOLD: '1000',
      });
      serveSandbox = sinon.createSandbox();
      const serveUx = stubSfCommandUx(serveSandbox);
      serving = Serve.run([
        '--target-org',
        'dev',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--log-level',
        'silent',
      ]);
      const line = await eventually(
        async () => serveUx.log.args.flat().find((l) => typeof l === 'string' && l.includes('listening on')),
        (l) => l !== undefined,
        'the sync server to listen',
      );
      serverUrl = /listening on (http:\/\/\S+)/.exec(line!)![1]!;
      serveSandbox.restore();
      serveListeners = process.listeners('SIGTERM');
    });

    after(async () => {
      // Every SfCommand run in this process since (status, backfill) left its exit-at-once handler behind;
      // in a real `sf` there is one command per process. Only serve's own handler should hear this SIGTERM.
      for (const listener of process.listeners('SIGTERM')) {
        if (!serveListeners.includes(listener)) process.off('SIGTERM', listener);
      }
      // Ctrl-C: serve drains and returns (what it prints is stubbed, as during the tests).
      serveSandbox = sinon.createSandbox();
      stubSfCommandUx(serveSandbox);
      process.emit('SIGTERM');
      const result = (await serving) as ServeResult;
      serveSandbox.restore();
      expect(result).to.include({ stoppedBy: 'SIGTERM', url: serverUrl, dataDir });
      for (const name of [
        'X_API_URL',
        'X_BEARER_TOKEN',
        'X_USER_ID',
        'X_CONSUMER_SECRET',
        'MASTODON_URL',
        'MASTODON_ACCESS_TOKEN',
        'SYNC_BULK_THRESHOLD',
      ]) {
        if (savedEnv[name] === undefined) delete process.env[name];
        else process.env[name] = savedEnv[name];
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('status sees every component present, the admin assigned, and the sync server healthy', async () => {
      const result = await Status.run(['--target-org', 'dev', '--server-url', serverUrl]);
      expect(result.components.present).to.equal(result.components.total);
      expect(result.components.byType.every((t) => t.missing.length === 0)).to.equal(true);
      expect(
        result.permissionSets.find((p) => p.permissionSet === 'Social_CRM_Admin')?.assignees,
      ).to.deep.equal([org.adminUsername]);
      expect(result.server).to.include({ reachable: true, ready: true });
      expect(result.server.sync?.status).to.equal('running');
      expect(result.server.connectors?.map((c) => c.name).sort()).to.deep.equal([
        'mastodon-stream',
        'x-poll',
      ]);
      expect(result.apiUsage?.max).to.equal(100_000);
      expect(result.problems.filter((p) => p.severity === 'error')).to.deep.equal([]);
      expect(result.healthy).to.equal(true);
      expect(process.exitCode).to.equal(undefined);
    });

    it('backfill twice adds each post once', async () => {
      const client = new SyncServerClient(serverUrl);
      // The poller's first poll reads only the newest page; history is left to backfill.
      await eventually(
        () => client.status(),
        (s) => s.connectors.some((c) => c.name === 'x-poll' && c.status === 'ok'),
        'the X poller to poll once',
      );
      const hoursAgo = (h: number): Date => new Date(Date.now() - h * 3_600_000);
      for (const [i, author] of ['hist_ann', 'hist_bo', 'hist_cy', 'hist_di'].entries()) {
        await x.addMention({
          author,
          text: `loving the new tent, trip ${i} was great`,
          createdAt: hoursAgo(30 - i),
        });
      }
      const xPosts = async (): Promise<number> =>
        (await conn.query("SELECT Id FROM Social_Post__c WHERE Network__c = 'x'")).totalSize;
      const before = await xPosts();

      const first = await Backfill.run(['--network', 'x', '--since', '2d', '--server-url', serverUrl]);
      expect(first).to.include({ network: 'x', pulled: 4, added: 4, drained: true });
      expect(await xPosts()).to.equal(before + 4);

      const second = await Backfill.run(['--network', 'x', '--since', '2d', '--server-url', serverUrl]);
      expect(second).to.include({ pulled: 4, added: 0, drained: true });
      expect(await xPosts()).to.equal(before + 4);
      expect(ux.log.args.flat()).to.include(
        'Nothing new: every mention since then is already in the queue or the org.',
      );
    });

    it('a large backfill is written with Bulk API 2.0 jobs, and says what it cost in API calls; again, it adds nothing', async () => {
      const mastodonPosts = async (): Promise<number> =>
        (await conn.query("SELECT COUNT() FROM Social_Post__c WHERE Network__c = 'mastodon'")).totalSize;
      const before = await mastodonPosts();

      // While it pulls, the server's status shows how far it got (what the command's spinner shows).
      const client = new SyncServerClient(serverUrl);
      const seen: number[] = [];
      let pulling = true;
      const watching = (async () => {
        while (pulling) {
          const mine = (await client.status()).backfills?.find((b) => b.network === 'mastodon');
          if (mine) seen.push(mine.pulled);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const first = await Backfill.run(['--network', 'mastodon', '--since', '2d', '--server-url', serverUrl]);
      pulling = false;
      await watching;
      expect(first).to.include({ network: 'mastodon', pulled: 1200, added: 1200, drained: true });
      expect(seen.length).to.be.greaterThan(0);
      expect(seen).to.deep.equal([...seen].sort((a, b) => a - b));
      expect((await client.status()).backfills).to.deep.equal([]);
      // A job for the personas and one for the posts; the whole backfill in a few dozen calls at most
      // (sObject Collections alone would need a call per 1,000 records, plus polls of the pages here).
      expect(first.bulkJobs).to.be.at.least(2);
      expect(first.apiCalls).to.be.within(1, 30);
      expect(await mastodonPosts()).to.equal(before + 1200);
      expect(ux.log.args.flat().join('\n')).to.match(
        /The sync server spent \d+ Salesforce API call\(s\) meanwhile, with \d+ Bulk API 2\.0 job\(s\)\./,
      );

      const second = await Backfill.run([
        '--network',
        'mastodon',
        '--since',
        '2d',
        '--server-url',
        serverUrl,
      ]);
      expect(second).to.include({ pulled: 1200, added: 0, drained: true, bulkJobs: 0 });
      expect(await mastodonPosts()).to.equal(before + 1200);
    });
  });
});
