/**
 * `npm start` as a newcomer runs it: the supervisor starts the dev org and the sync server, prints each
 * URL, and jsforce can work against the dev org it started; Ctrl-C (SIGINT) stops everything cleanly.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

describe('npm start (the embedded default)', function () {
  this.timeout(60_000);
  let child: ChildProcess;
  let output = '';
  let dataDir: string;
  let devOrgPort: number;
  let serverPort: number;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'socialcrm-start-'));
    devOrgPort = await freePort();
    serverPort = await freePort();
    child = spawn(process.execPath, ['scripts/start.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(serverPort),
        DEV_ORG_PORT: String(devOrgPort),
        DATA_DIR: dataDir,
        DEMO_TRAFFIC: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 45_000;
    while (!output.includes('Press Ctrl-C to stop')) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URL of each part', () => {
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

  it('stops every part cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).to.equal(0);
    const refused = await fetch(`http://localhost:${devOrgPort}/services/data`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).to.equal('refused');
  });
});
