/**
 * The dev org's Metadata API through jsforce over HTTP, in Salesforce's wire formats: the REST deploy
 * (`…/metadata/deployRequest`, multipart in, DeployResult out), SOAP `listMetadata`, and the permission set
 * objects a deploy and an assignment touch.
 */
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import JSZip from 'jszip';
import { startDevOrg, type DevOrg } from '../src/index.ts';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

function packageXml(types: Record<string, string[]>): string {
  const entries = Object.entries(types)
    .map(
      ([name, members]) =>
        `<types>${members.map((m) => `<members>${m}</members>`).join('')}<name>${name}</name></types>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Package ${NS}>${entries}<version>62.0</version></Package>`;
}

function permissionSet(label: string, fields: string[] = ['Social_Post__c.Body__c']): string {
  return `<?xml version="1.0" encoding="UTF-8"?><PermissionSet ${NS}><label>${label}</label>${fields
    .map(
      (f) =>
        `<fieldPermissions><editable>true</editable><field>${f}</field><readable>true</readable></fieldPermissions>`,
    )
    .join(
      '',
    )}<objectPermissions><allowCreate>true</allowCreate><allowRead>true</allowRead><object>Social_Post__c</object></objectPermissions></PermissionSet>`;
}

const TAB = `<?xml version="1.0" encoding="UTF-8"?><CustomTab ${NS}><customObject>true</customObject><motif>Custom35: Microphone</motif></CustomTab>`;

async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [path, content] of Object.entries(files)) zip.file(path, content);
  return zip.generateAsync({ type: 'nodebuffer' });
}

interface DeployMessage {
  componentType: string;
  fullName: string;
  fileName: string;
  created: boolean;
  changed: boolean;
  success: boolean;
  problem: string | null;
}

interface DeployResult {
  id: string;
  status: string;
  done: boolean;
  success: boolean;
  checkOnly: boolean;
  numberComponentsTotal: number;
  numberComponentErrors: number;
  details: { componentSuccesses: DeployMessage[]; componentFailures: DeployMessage[] } | null;
}

/** POST deployRequest as jsforce (and SDR with `rest: true`) sends it, then poll the REST status. */
async function deploy(
  conn: Connection,
  files: Record<string, string>,
  options: Record<string, unknown> = {},
): Promise<{
  started: { id: string; deployResult: { status: string; done: boolean } };
  result: DeployResult;
}> {
  const started = (await conn.metadata.deployRest(await zipOf(files), options)) as unknown as {
    id: string;
    deployResult: { status: string; done: boolean };
  };
  for (let i = 0; i < 200; i++) {
    const result = (await conn.metadata.checkDeployStatus(started.id, true, true)) as unknown as DeployResult;
    if (result.done) return { started, result };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('deploy did not finish');
}

function names(messages: DeployMessage[]): string[] {
  return messages.filter((m) => m.fullName !== 'package.xml').map((m) => `${m.componentType}:${m.fullName}`);
}

describe('dev org Metadata API', () => {
  let org: DevOrg;
  let conn: Connection;

  beforeEach(async () => {
    org = await startDevOrg({ seed: false });
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
  });
  afterEach(async () => {
    await org.close();
  });

  it('deploys a zip through REST deployRequest: Pending at once, then Succeeded with a DeployMessage per component', async () => {
    const { started, result } = await deploy(conn, {
      'package.xml': packageXml({ PermissionSet: ['Social_Test'], CustomTab: ['Social_Post__c'] }),
      'permissionsets/Social_Test.permissionset': permissionSet('Social Test'),
      'tabs/Social_Post__c.tab': TAB,
    });
    expect(started.id).to.match(/^0Af[0-9A-Za-z]{15}$/);
    expect(started.deployResult).to.include({ status: 'Pending', done: false });
    expect(result).to.include({
      status: 'Succeeded',
      success: true,
      checkOnly: false,
      numberComponentsTotal: 2,
    });
    const successes = result.details!.componentSuccesses;
    expect(successes.find((m) => m.fullName === 'package.xml')).to.include({
      componentType: '',
      success: true,
    });
    expect(names(successes)).to.have.members(['PermissionSet:Social_Test', 'CustomTab:Social_Post__c']);
    expect(successes.find((m) => m.fullName === 'Social_Test')).to.include({
      fileName: 'permissionsets/Social_Test.permissionset',
      created: true,
      success: true,
    });

    // The permission set is a PermissionSet record, and listMetadata (SOAP) lists both components.
    const sets = await conn.query<{ Name: string; Label: string }>(
      "SELECT Name, Label FROM PermissionSet WHERE Name = 'Social_Test'",
    );
    expect(sets.records.map((r) => [r.Name, r.Label])).to.deep.equal([['Social_Test', 'Social Test']]);
    const listed = await conn.metadata.list([{ type: 'PermissionSet' }, { type: 'CustomTab' }]);
    expect((Array.isArray(listed) ? listed : [listed]).map((p) => `${p.type}:${p.fullName}`)).to.have.members(
      ['PermissionSet:Social_Test', 'CustomTab:Social_Post__c'],
    );
  });

  it('tells created, changed and unchanged apart on a redeploy', async () => {
    const files = {
      'package.xml': packageXml({ PermissionSet: ['Social_Test'] }),
      'permissionsets/Social_Test.permissionset': permissionSet('Social Test'),
    };
    await deploy(conn, files);
    const again = await deploy(conn, files);
    expect(again.result.details!.componentSuccesses.find((m) => m.fullName === 'Social_Test')).to.include({
      created: false,
      changed: false,
    });
    const changed = await deploy(conn, {
      ...files,
      'permissionsets/Social_Test.permissionset': permissionSet('Renamed'),
    });
    expect(changed.result.details!.componentSuccesses.find((m) => m.fullName === 'Social_Test')).to.include({
      created: false,
      changed: true,
    });
    const sets = await conn.query<{ Label: string }>(
      "SELECT Label FROM PermissionSet WHERE Name = 'Social_Test'",
    );
    expect(sets.records.map((r) => r.Label)).to.deep.equal(['Renamed']);
  });

  it('refuses a component naming a field the org lacks, in the org’s words, and rolls the whole deploy back', async () => {
    const { result } = await deploy(conn, {
      'package.xml': packageXml({ PermissionSet: ['Social_Test'], CustomTab: ['Social_Post__c'] }),
      'permissionsets/Social_Test.permissionset': permissionSet('Social Test', ['Social_Post__c.No_Such__c']),
      'tabs/Social_Post__c.tab': TAB,
    });
    expect(result).to.include({ status: 'Failed', success: false, numberComponentErrors: 1 });
    expect(result.details!.componentFailures).to.have.length(1);
    expect(result.details!.componentFailures[0]).to.include({
      componentType: 'PermissionSet',
      fullName: 'Social_Test',
      success: false,
      problem: 'In field: field - no CustomField named Social_Post__c.No_Such__c found',
    });
    // The tab was valid, and is reported so, but rolled back with the rest.
    expect(names(result.details!.componentSuccesses)).to.deep.equal(['CustomTab:Social_Post__c']);
    expect(await conn.metadata.list([{ type: 'CustomTab' }, { type: 'PermissionSet' }])).to.deep.equal([]);
  });

  it('refuses permissions on a required field, a missing file, and a type the dev org does not hold', async () => {
    const { result } = await deploy(conn, {
      'package.xml': packageXml({
        PermissionSet: ['Social_Test'],
        CustomApplication: ['Missing_App'],
        ApexClass: ['Hello'],
      }),
      'permissionsets/Social_Test.permissionset': permissionSet('Social Test', ['Social_Post__c.Network__c']),
      'classes/Hello.cls': 'public class Hello {}',
    });
    const problems = result.details!.componentFailures.map((f) => `${f.componentType}: ${f.problem}`);
    expect(problems).to.include(
      'PermissionSet: You cannot deploy to a required field: Social_Post__c.Network__c',
    );
    expect(problems).to.include(
      "CustomApplication: An object 'Missing_App' of type CustomApplication was named in package.xml, but was not found in zipped directory",
    );
    expect(
      problems.some((p) =>
        p.startsWith('ApexClass: The dev org does not support the metadata type ApexClass'),
      ),
    ).to.equal(true);
  });

  it('a check-only deploy validates and reports, and records nothing', async () => {
    const { result } = await deploy(
      conn,
      {
        'package.xml': packageXml({ PermissionSet: ['Social_Test'] }),
        'permissionsets/Social_Test.permissionset': permissionSet('Social Test'),
      },
      { checkOnly: true },
    );
    expect(result).to.include({ status: 'Succeeded', checkOnly: true });
    expect(result.details!.componentSuccesses.find((m) => m.fullName === 'Social_Test')).to.include({
      created: true,
    });
    expect(await conn.metadata.list([{ type: 'PermissionSet' }])).to.deep.equal([]);
    expect((await conn.query('SELECT Id FROM PermissionSet')).totalSize).to.equal(0);
  });

  it('answers a zip with no package.xml with a failure on package.xml', async () => {
    const { result } = await deploy(conn, { 'tabs/Social_Post__c.tab': TAB });
    expect(result.status).to.equal('Failed');
    expect(result.details!.componentFailures[0]).to.include({
      fullName: 'package.xml',
      problem: 'No package.xml found',
    });
  });

  it('lists the schema’s objects and custom fields with listMetadata, deployed or not', async () => {
    const listed = await conn.metadata.list([{ type: 'CustomObject' }, { type: 'CustomField' }]);
    const all = (Array.isArray(listed) ? listed : [listed]).map((p) => `${p.type}:${p.fullName}`);
    expect(all).to.include.members([
      'CustomObject:Social_Post__c',
      'CustomObject:Contact',
      'CustomField:Social_Post__c.External_Id__c',
      'CustomField:Contact.Social_Handles__c',
    ]);
    const post = (Array.isArray(listed) ? listed : [listed]).find((p) => p.fullName === 'Social_Post__c')!;
    expect(post).to.include({ fileName: 'objects/Social_Post__c.object', manageableState: 'unmanaged' });
    expect(post.id).to.match(/^01I/);
  });

  it('answers a SOAP call with a bad session with an INVALID_SESSION_ID fault, and a REST deploy with 401', async () => {
    const bad = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: 'not-a-session',
      version: org.apiVersion,
    });
    const soap = await bad.metadata.list([{ type: 'PermissionSet' }]).then(
      () => undefined,
      (e: { errorCode?: string; message: string }) => e,
    );
    expect(soap?.errorCode).to.equal('sf:INVALID_SESSION_ID');
    const rest = await fetch(`${org.url}/services/data/v62.0/metadata/deployRequest/0AfDv0000000001`, {
      headers: { Authorization: 'Bearer not-a-session' },
    });
    expect(rest.status).to.equal(401);
    expect(await rest.json()).to.deep.equal([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  it('assigns a deployed permission set with a PermissionSetAssignment, queried through its relationships', async () => {
    await deploy(conn, {
      'package.xml': packageXml({ PermissionSet: ['Social_Test'] }),
      'permissionsets/Social_Test.permissionset': permissionSet('Social Test'),
    });
    const [set] = (
      await conn.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'Social_Test'")
    ).records;
    const [user] = (
      await conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = '${org.adminUsername}'`)
    ).records;
    const saved = await conn
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: user!.Id, PermissionSetId: set!.Id });
    expect(saved.success).to.equal(true);
    const rows = await conn.query<{ Assignee: { Username: string }; PermissionSet: { Name: string } }>(
      "SELECT Assignee.Username, PermissionSet.Name FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Social_Test'",
    );
    expect(rows.records.map((r) => [r.Assignee.Username, r.PermissionSet.Name])).to.deep.equal([
      [org.adminUsername, 'Social_Test'],
    ]);

    // A user holds a permission set once: a second assignment is refused as Salesforce refuses it.
    const again = await conn
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: user!.Id, PermissionSetId: set!.Id })
      .then(
        () => null,
        (error: { errorCode?: string; message?: string }) => error,
      );
    expect(again?.errorCode).to.equal('DUPLICATE_VALUE');
    expect(again?.message).to.equal(
      `Duplicate PermissionSetAssignment. Assignee: ${user!.Id}, PermissionSet: ${set!.Id}`,
    );
    const count = await conn.query(
      "SELECT Id FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Social_Test'",
    );
    expect(count.totalSize).to.equal(1);
  });
});
