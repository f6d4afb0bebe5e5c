/**
 * `npm start` as a newcomer runs it: the supervisor starts the dev org and the sync server, prints each
 * URL, and jsforce can work against the dev org it started; Ctrl-C (SIGINT) stops everything cleanly; a
 * second start, a bad setting or a supervisor killed with SIGKILL leaves nothing running or half-started.
 */
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsforce from 'jsforce';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The Salesforce error code a jsforce call failed with (jsforce puts it in `errorCode`, or `name` for 401s). */
async function errorCodeOf(call: PromiseLike<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const e = error as { errorCode?: string; name?: string };
    return e.errorCode ?? e.name ?? 'unknown';
  }
  throw new Error('expected the call to fail');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start` (its script) with these settings; output collected as it comes. */
function startSupervisor(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['scripts/start.ts'], {
    cwd: root,
    // HOME too: npm start registers the dev org in the Salesforce CLI's auth store, which lives under it.
    env: { ...process.env, DEMO_TRAFFIC: '0', HOME: env['DATA_DIR'] ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Until the supervisor says it is up, or exits (a failure, with its output). No clock: mocha's timeout is the net. */
async function untilUp(started: Started): Promise<void> {
  let exited = false;
  void started.exited.then(() => (exited = true));
  while (!started.output().includes('Press Ctrl-C to stop')) {
    if (exited) throw new Error(`npm start did not come up:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function untilGone(pids: readonly number[]): Promise<void> {
  while (pids.some(isAlive)) await new Promise((r) => setTimeout(r, 100));
}

function childPids(dataDir: string): Record<string, number> {
  return (
    JSON.parse(readFileSync(join(dataDir, 'processes.json'), 'utf8')) as { children: Record<string, number> }
  ).children;
}

describe('npm start (the embedded default)', function () {
  // A safety net only: every wait below is for a state (a line printed, a process gone), however slow.
  this.timeout(300_000);
  let started: Started;
  let dataDir: string;
  let devOrgPort: number;
  let serverPort: number;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'socialcrm-start-'));
    devOrgPort = await freePort();
    serverPort = await freePort();
    started = startSupervisor({
      PORT: String(serverPort),
      DEV_ORG_PORT: String(devOrgPort),
      DATA_DIR: dataDir,
    });
    await untilUp(started);
  });

  after(() => {
    if (started.child.exitCode === null) started.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URL of each part', () => {
    const output = started.output();
    expect(output).to.include(`http://localhost:${serverPort}/`);
    expect(output).to.include(`http://localhost:${devOrgPort}/services/data/v62.0/`);
  });

  it('serves a sync server that is healthy and ready against the dev org', async () => {
    const health = await fetch(`http://localhost:${serverPort}/healthz`);
    expect(await health.json()).to.deep.equal({ status: 'ok' });
    const ready = await fetch(`http://localhost:${serverPort}/readyz`);
    expect(ready.status).to.equal(200);
  });

  it('serves a seeded dev org to jsforce: describe, 200-record upsert, re-upsert, relationship query, errors', async () => {
    const conn = new jsforce.Connection({
      instanceUrl: `http://localhost:${devOrgPort}`,
      accessToken: '00Ddev0000000000!local',
      version: '62.0',
    });
    const describe = await conn.describe('Social_Post__c');
    expect(describe.fields.some((f) => f.name === 'External_Id__c' && f.externalId)).to.equal(true);

    const contacts = await conn.query<{ Id: string; Name: string }>(
      'SELECT Id, Name FROM Contact WHERE AccountId != null LIMIT 1',
    );
    const contact = contacts.records[0]!;
    const records = Array.from({ length: 200 }, (_, i) => ({
      External_Id__c: `x:start-${i}`,
      Network__c: 'x',
      Body__c: `mention ${i}`,
      Contact__c: contact.Id,
    }));
    const first = await conn.sobject('Social_Post__c').upsert(records, 'External_Id__c');
    expect(first.filter((r) => r.success)).to.have.length(200);
    const second = await conn.sobject('Social_Post__c').upsert(records, 'External_Id__c');
    expect(second.every((r) => r.success && r.created === false)).to.equal(true);
    const back = await conn.query<{ Contact__r: { Name: string } }>(
      "SELECT Id, Contact__r.Name FROM Social_Post__c WHERE External_Id__c LIKE 'x:start-%'",
    );
    expect(back.totalSize).to.equal(200);
    expect(back.records.every((r) => r.Contact__r.Name === contact.Name)).to.equal(true);

    expect(await errorCodeOf(conn.query('SELECT Nope__c FROM Contact'))).to.equal('INVALID_FIELD');
    expect(
      await errorCodeOf(
        conn.sobject('Social_Post__c').create({ External_Id__c: 'x:start-0', Network__c: 'x' }),
      ),
    ).to.equal('DUPLICATE_VALUE');
    const stranger = new jsforce.Connection({
      instanceUrl: `http://localhost:${devOrgPort}`,
      accessToken: 'bad',
      version: '62.0',
    });
    expect(await errorCodeOf(stranger.query('SELECT Id FROM Contact'))).to.equal('INVALID_SESSION_ID');
  });

  it('is an org as sf social setup leaves one, which sf social status reaches by its alias after npm ci alone', async () => {
    expect(started.output()).to.include('org alias socialcrm-dev');
    const social = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['plugin/bin/run.js', 'social', ...args, '--target-org', 'socialcrm-dev', '--json'],
        {
          cwd: root,
          encoding: 'utf8',
          env: {
            ...process.env,
            HOME: dataDir,
            SF_DISABLE_TELEMETRY: 'true',
            SF_AUTOUPDATE_DISABLE: 'true',
            SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
          },
        },
      );
    // Setting it up again changes nothing: every component and assignment is already there.
    const setup = JSON.parse(social('setup').stdout) as {
      status: number;
      result: { changed: boolean; deploy: { created: unknown[]; changed: unknown[] } };
    };
    expect(setup.status).to.equal(0);
    expect(setup.result.deploy.created).to.deep.equal([]);
    expect(setup.result.deploy.changed).to.deep.equal([]);
    expect(setup.result.changed).to.equal(false);
    const status = social('status');
    const body = JSON.parse(status.stdout) as {
      status: number;
      warnings: string[];
      result: { healthy: boolean; components: { present: number; total: number }; problems?: unknown[] };
    };
    expect(body.status, status.stdout).to.equal(0);
    expect(body.result.components.present).to.equal(body.result.components.total);
    expect(body.result.healthy).to.equal(true);
    expect(body.warnings).to.deep.equal([]);
  });

  it('refuses a second npm start on the same ports before starting anything, naming who holds them', async () => {
    const otherData = mkdtempSync(join(tmpdir(), 'socialcrm-start-twice-'));
    try {
      const second = startSupervisor({
        PORT: String(serverPort),
        DEV_ORG_PORT: String(devOrgPort),
        DATA_DIR: otherData,
      });
      expect(await second.exited).to.equal(1);
      const pids = childPids(dataDir);
      expect(second.output()).to.include(
        `port ${devOrgPort} is in use by process ${pids['dev-org']} (node dev-org/src/main.ts)`,
      );
      expect(second.output()).to.include(`port ${serverPort} is in use by process ${pids['server']}`);
      expect(second.output()).to.include('Another npm start is running');
      // Nothing of its own started: no part printed a line, and the first stack still serves.
      expect(second.output()).not.to.match(/\[(dev-org|networks|server)\]/);
      expect((await fetch(`http://localhost:${serverPort}/healthz`)).status).to.equal(200);
    } finally {
      rmSync(otherData, { recursive: true, force: true });
    }
  });

  it('refuses a second npm start on the same data folder, whatever its ports', async () => {
    const second = startSupervisor({
      PORT: String(await freePort()),
      DEV_ORG_PORT: String(await freePort()),
      DATA_DIR: dataDir,
    });
    expect(await second.exited).to.equal(1);
    expect(second.output()).to.include(
      `npm start is already running on ${dataDir} (process ${started.child.pid})`,
    );
    expect(second.output()).not.to.match(/\[(dev-org|networks|server)\]/);
  });

  it('stops every part cleanly on Ctrl-C, the sync server first: no part reports a peer that went away', async () => {
    const pids = Object.values(childPids(dataDir));
    const before = started.output().length;
    started.child.kill('SIGINT');
    expect(await started.exited).to.equal(0);
    const shutdown = started.output().slice(before);
    expect(shutdown).not.to.match(/"level":(40|50)|Warning|\n\s+at /);
    expect(pids.filter(isAlive)).to.deep.equal([]);
    expect(existsSync(join(dataDir, 'processes.json'))).to.equal(false);
    const refused = await fetch(`http://localhost:${devOrgPort}/services/data`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).to.equal('refused');
  });
});

describe('npm start: bad settings, and a supervisor that dies', function () {
  this.timeout(300_000);

  it('reports every bad setting at once, before starting anything', async () => {
    const dataDir = join(tmpdir(), `socialcrm-never-${process.pid}`);
    const started = startSupervisor({
      PORT: 'abc',
      DEV_ORG_API_LIMIT: '-3',
      SYNC_API_BUDGET: '7',
      DATA_DIR: dataDir,
    });
    expect(await started.exited).to.equal(1);
    const output = started.output();
    expect(output).to.include('PORT must be an integer between 0 and 65535 (got "abc")');
    expect(output).to.include('DEV_ORG_API_LIMIT must be');
    expect(output).to.include('SYNC_API_BUDGET must be');
    expect(output).not.to.match(/\[(dev-org|networks|server)\]/);
    expect(existsSync(dataDir)).to.equal(false);
  });

  /** Starts a stack, SIGKILLs its supervisor once `ready` says so, and waits until no part of it is left. */
  async function killNineWhen(ready: (started: Started, dataDir: string) => boolean): Promise<void> {
    const dataDir = mkdtempSync(join(tmpdir(), 'socialcrm-kill9-'));
    try {
      const started = startSupervisor({
        PORT: String(await freePort()),
        DEV_ORG_PORT: String(await freePort()),
        DATA_DIR: dataDir,
      });
      let exited = false;
      void started.exited.then(() => (exited = true));
      while (!ready(started, dataDir)) {
        if (exited) throw new Error(`npm start ended by itself:\n${started.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const pids = Object.values(childPids(dataDir));
      started.child.kill('SIGKILL');
      await started.exited;
      await untilGone(pids);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  it('takes every part with it when the supervisor is killed with SIGKILL once everything is up', async () => {
    await killNineWhen((started) => started.output().includes('Press Ctrl-C to stop'));
  });

  it('takes every part with it when the supervisor is killed with SIGKILL while the sync server starts', async () => {
    await killNineWhen((_started, dataDir) => {
      try {
        return Object.keys(childPids(dataDir)).length === 3;
      } catch {
        return false; // not written yet
      }
    });
  });
});
