/**
 * `npm start`'s dev org holds the package as `sf social setup` leaves an org: with `installPackage`, a
 * new org deploys manifests/ through its own deploy path and assigns the admin permission set to the
 * running user and the agent one to the care agents; a restart does not install again. Without the
 * option (tests) the org starts without the package. Also the Metadata SOAP `deploy` and
 * `checkDeployStatus`, which `sf project deploy` uses, through jsforce.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_SOURCE_DIR } from '@socialcrm/manifests';
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import JSZip from 'jszip';
import { startDevOrg, type DevOrg } from '../src/index.ts';

/** `type → members` of the package's package.xml. */
function packageMembers(): Map<string, string[]> {
  const xml = readFileSync(join(dirname(DEFAULT_SOURCE_DIR), 'package.xml'), 'utf8');
  const types = new Map<string, string[]>();
  for (const [, body] of xml.matchAll(/<types>([\s\S]*?)<\/types>/g)) {
    const name = /<name>([^<]+)<\/name>/.exec(body!)![1]!;
    types.set(
      name,
      [...body!.matchAll(/<members>([^<]+)<\/members>/g)].map((m) => m[1]!),
    );
  }
  return types;
}

function connect(org: DevOrg): Connection {
  return new jsforce.Connection({
    instanceUrl: org.url,
    accessToken: org.accessToken,
    version: org.apiVersion,
  });
}

async function missingComponents(conn: Connection): Promise<string[]> {
  const missing: string[] = [];
  for (const [type, members] of packageMembers()) {
    const listed = await conn.metadata.list([{ type }], '62.0');
    const names = new Set((Array.isArray(listed) ? listed : [listed]).map((f) => f.fullName.toLowerCase()));
    missing.push(...members.filter((m) => !names.has(m.toLowerCase())).map((m) => `${type} ${m}`));
  }
  return missing;
}

async function assignees(conn: Connection): Promise<Record<string, string[]>> {
  const result = await conn.query<{ PermissionSet: { Name: string }; Assignee: { Username: string } }>(
    'SELECT PermissionSet.Name, Assignee.Username FROM PermissionSetAssignment ORDER BY Assignee.Username',
  );
  const by: Record<string, string[]> = {};
  for (const r of result.records) (by[r.PermissionSet.Name] ??= []).push(r.Assignee.Username);
  return by;
}

describe('dev org with the package installed (npm start)', function () {
  this.timeout(60_000);

  it('a new org holds every component of the package and the permission sets as setup assigns them; a restart installs nothing again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dev-org-install-'));
    const lines: string[] = [];
    try {
      let org = await startDevOrg({ dataDir, installPackage: true, log: (line) => lines.push(line) });
      let conn = connect(org);
      expect(await missingComponents(conn)).to.deep.equal([]);
      const assigned = await assignees(conn);
      expect(assigned).to.deep.equal({
        Social_CRM_Admin: [org.adminUsername],
        Social_CRM_Agent: ['mateo.alvarez@acme-outdoor.example', 'priya.raman@acme-outdoor.example'],
      });
      expect(lines.filter((l) => l.includes('installed the package'))).to.have.length(1);
      await org.close();

      org = await startDevOrg({ dataDir, installPackage: true, log: (line) => lines.push(line) });
      conn = connect(org);
      expect(lines.filter((l) => l.includes('installed the package'))).to.have.length(1);
      expect(await assignees(conn)).to.deep.equal(assigned);
      expect(await missingComponents(conn)).to.deep.equal([]);
      await org.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('without installPackage an org starts without the package, as tests expect', async () => {
    const org = await startDevOrg({ seed: true });
    try {
      expect(org.metadata.registry.hasDeployed()).to.equal(false);
      expect((await missingComponents(connect(org))).length).to.be.greaterThan(20);
    } finally {
      await org.close();
    }
  });
});

describe('dev org Metadata SOAP deploy (jsforce)', () => {
  let org: DevOrg;
  let conn: Connection;
  const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

  before(async () => {
    org = await startDevOrg({ seed: false });
    conn = connect(org);
  });
  after(async () => {
    await org.close();
  });

  async function zip(files: Record<string, string>): Promise<Buffer> {
    const z = new JSZip();
    for (const [path, content] of Object.entries(files)) z.file(path, content);
    return z.generateAsync({ type: 'nodebuffer' });
  }

  it('deploys a base64 zip and reports the DeployResult with details, check-only and failures included', async () => {
    const pkg = `<?xml version="1.0" encoding="UTF-8"?><Package ${NS}><types><members>Trainees</members><name>PermissionSet</name></types><version>62.0</version></Package>`;
    const set = (field: string): string =>
      `<?xml version="1.0" encoding="UTF-8"?><PermissionSet ${NS}><label>Trainees</label><fieldPermissions><editable>false</editable><field>${field}</field><readable>true</readable></fieldPermissions></PermissionSet>`;

    const check = await conn.metadata
      .deploy(
        await zip({
          'package.xml': pkg,
          'permissionsets/Trainees.permissionset': set('Social_Post__c.Body__c'),
        }),
        {
          checkOnly: true,
        },
      )
      .complete(true);
    expect(check).to.include({
      status: 'Succeeded',
      success: true,
      checkOnly: true,
      numberComponentsTotal: 1,
    });
    expect(org.metadata.registry.exists('PermissionSet', 'Trainees')).to.equal(false);

    const bad = await conn.metadata
      .deploy(
        await zip({
          'package.xml': pkg,
          'permissionsets/Trainees.permissionset': set('Social_Post__c.Nope__c'),
        }),
      )
      .complete(true);
    expect(bad).to.include({ status: 'Failed', success: false });
    const failures = [bad.details?.componentFailures ?? []].flat();
    expect(failures.map((f) => f.problem)).to.deep.equal([
      'In field: field - no CustomField named Social_Post__c.Nope__c found',
    ]);

    const done = await conn.metadata
      .deploy(
        await zip({
          'package.xml': pkg,
          'permissionsets/Trainees.permissionset': set('Social_Post__c.Body__c'),
        }),
      )
      .complete(true);
    expect(done).to.include({ status: 'Succeeded', success: true, checkOnly: false });
    const successes = [done.details?.componentSuccesses ?? []].flat();
    expect(successes.find((m) => m.fullName === 'Trainees')).to.include({
      created: true,
      componentType: 'PermissionSet',
    });
    expect(org.metadata.registry.exists('PermissionSet', 'Trainees')).to.equal(true);
  });

  it('answers an unknown deploy id and an unknown call with SOAP faults', async () => {
    const unknown = await conn.metadata.checkDeployStatus('0AfDv0000000999AAA').then(
      () => '',
      (error: { errorCode?: string }) => error.errorCode,
    );
    expect(unknown).to.equal('sf:INVALID_ID_FIELD');
    const retrieve = await conn.metadata.cancelDeploy('0AfDv0000000999AAA').then(
      () => '',
      (error: { message: string }) => error.message,
    );
    expect(retrieve).to.include('the dev org serves listMetadata, deploy and checkDeployStatus');
  });
});
