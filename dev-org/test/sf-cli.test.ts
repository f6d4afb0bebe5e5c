/**
 * The commands an admin types, with the real Salesforce CLI (`sf`, in child processes, a HOME of its
 * own) against one dev org over HTTP, logged in once with `sf org login access-token`: org display, list
 * and open; sobject list and describe; data query, record CRUD, tree export and import, bulk export; and
 * project deploy validate, start and report over the Metadata SOAP API, as the CLI deploys by default.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_SOURCE_DIR } from '@socialcrm/manifests';
import { expect } from 'chai';
import { startDevOrg, type DevOrg } from '../src/index.ts';
import { ORG_ID } from '../src/http/sessions.ts';
import { sfCli, type SfCli } from './support/sf-cli.ts';

interface QueryResult {
  totalSize: number;
  records: Record<string, unknown>[];
}

describe('the Salesforce CLI against the dev org (sf in child processes)', function () {
  this.timeout(240_000);
  let org: DevOrg;
  let cli: SfCli;
  let work: string;

  before(async () => {
    org = await startDevOrg({ seed: true });
    cli = sfCli();
    work = mkdtempSync(join(tmpdir(), 'devorg-sf-work-'));
    const login = await cli.sf<{ username: string; orgId: string }>(
      ['org', 'login', 'access-token', '--instance-url', org.url, '--alias', 'dev', '--no-prompt'],
      { env: { SF_ACCESS_TOKEN: org.accessToken } },
    );
    expect(login.code, login.message).to.equal(0);
    expect(login.result).to.include({ username: org.adminUsername, orgId: ORG_ID });
  });

  after(async () => {
    await org.close();
    cli.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('org display and org list show the org connected; org open --url-only gives a single-use sign-in link', async () => {
    const [display, list, open] = await Promise.all([
      cli.sf<{ id: string; connectedStatus: string; alias: string; instanceUrl: string }>([
        'org',
        'display',
        '-o',
        'dev',
      ]),
      cli.sf<{ nonScratchOrgs: { alias?: string; orgId: string; connectedStatus: string }[] }>([
        'org',
        'list',
      ]),
      cli.sf<{ url: string; orgId: string; username: string }>(['org', 'open', '--url-only', '-o', 'dev']),
    ]);
    expect(display.code, display.message).to.equal(0);
    expect(display.result).to.include({ id: ORG_ID, connectedStatus: 'Connected', alias: 'dev' });
    expect(list.code, list.message).to.equal(0);
    expect(list.result.nonScratchOrgs.find((o) => o.alias === 'dev')).to.include({
      orgId: ORG_ID,
      connectedStatus: 'Connected',
    });
    expect(open.code, open.message).to.equal(0);
    expect(open.result.url.startsWith(`${org.url}/secur/frontdoor.jsp?otp=`)).to.equal(true);
    const page = await fetch(open.result.url);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include(`Signed in as ${org.adminUsername}`);
    expect((await fetch(open.result.url)).status).to.equal(401);
  });

  it('sobject list and describe show the package objects', async () => {
    const [list, describe] = await Promise.all([
      cli.sf<string[]>(['sobject', 'list', '--sobject', 'custom', '-o', 'dev']),
      cli.sf<{ name: string; fields: { name: string; type: string }[] }>([
        'sobject',
        'describe',
        '--sobject',
        'Social_Post__c',
        '-o',
        'dev',
      ]),
    ]);
    expect(list.code, list.message).to.equal(0);
    expect(list.result).to.include.members(['Social_Post__c', 'Social_Persona__c']);
    expect(describe.code, describe.message).to.equal(0);
    expect(describe.result.fields.find((f) => f.name === 'External_Id__c')).to.include({ type: 'string' });
  });

  it('data query answers rows with parent fields, child subqueries and aggregates', async () => {
    const [rows, grouped, count] = await Promise.all([
      cli.sf<QueryResult>([
        'data',
        'query',
        '-o',
        'dev',
        '-q',
        'SELECT Name, Owner.Name, (SELECT LastName FROM Contacts) FROM Account ORDER BY Name LIMIT 3',
      ]),
      cli.sf<QueryResult>([
        'data',
        'query',
        '-o',
        'dev',
        '-q',
        'SELECT Industry, COUNT(Id) n FROM Account GROUP BY Industry',
      ]),
      cli.sf<QueryResult>(['data', 'query', '-o', 'dev', '-q', 'SELECT COUNT() FROM Contact']),
    ]);
    expect(rows.code, rows.message).to.equal(0);
    expect(rows.result.records).to.have.length(3);
    expect(rows.result.records[0]).to.have.nested.property('Owner.Name');
    expect(grouped.code, grouped.message).to.equal(0);
    expect(grouped.result.records.every((r) => typeof r['n'] === 'number')).to.equal(true);
    expect(count.code, count.message).to.equal(0);
    expect(count.result.totalSize).to.equal(org.store.count('Contact'));
  });

  it('data create, get, update and delete record; a deleted record stays visible to query --all-rows', async () => {
    const created = await cli.sf<{ id: string }>([
      'data',
      'create',
      'record',
      '-o',
      'dev',
      '-s',
      'Account',
      '-v',
      "Name='CLI Outfitters' Industry=Retail",
    ]);
    expect(created.code, created.message).to.equal(0);
    const id = created.result.id;
    const updated = await cli.sf([
      'data',
      'update',
      'record',
      '-o',
      'dev',
      '-s',
      'Account',
      '-i',
      id,
      '-v',
      'Industry=Media',
    ]);
    expect(updated.code, updated.message).to.equal(0);
    const got = await cli.sf<Record<string, unknown>>([
      'data',
      'get',
      'record',
      '-o',
      'dev',
      '-s',
      'Account',
      '-w',
      "Name='CLI Outfitters'",
    ]);
    expect(got.code, got.message).to.equal(0);
    expect(got.result).to.include({ Id: id, Industry: 'Media' });
    const deleted = await cli.sf(['data', 'delete', 'record', '-o', 'dev', '-s', 'Account', '-i', id]);
    expect(deleted.code, deleted.message).to.equal(0);
    const soql = `SELECT Id, IsDeleted FROM Account WHERE Name = 'CLI Outfitters'`;
    const [live, all] = await Promise.all([
      cli.sf<QueryResult>(['data', 'query', '-o', 'dev', '-q', soql]),
      cli.sf<QueryResult>(['data', 'query', '-o', 'dev', '--all-rows', '-q', soql]),
    ]);
    expect(live.result.totalSize).to.equal(0);
    expect(all.code, all.message).to.equal(0);
    expect(all.result.records.map((r) => [r['Id'], r['IsDeleted']])).to.deep.equal([[id, true]]);
  });

  it('data export tree and import tree copy accounts with their contacts', async () => {
    const dir = join(work, 'tree');
    const exported = await cli.sf([
      'data',
      'export',
      'tree',
      '-o',
      'dev',
      '--plan',
      '--output-dir',
      dir,
      '-q',
      "SELECT Name, Industry, (SELECT LastName, Email FROM Contacts) FROM Account WHERE Name = 'Northwind Outfitters'",
    ]);
    expect(exported.code, exported.message).to.equal(0);
    const contactsBefore = org.store.count('Contact');
    const accountsBefore = org.store.count('Account');
    const imported = await cli.sf<{ refId: string; type: string; id: string }[]>(
      ['data', 'import', 'tree', '-o', 'dev', '--plan', 'Account-Contact-plan.json'],
      { cwd: dir },
    );
    expect(imported.code, imported.message).to.equal(0);
    const contacts = imported.result.filter((r) => r.type === 'Contact');
    expect(contacts.length).to.be.greaterThan(0);
    expect(org.store.count('Account')).to.equal(accountsBefore + 1);
    expect(org.store.count('Contact')).to.equal(contactsBefore + contacts.length);
  });

  it('data export bulk writes the rows of a query to CSV through a Bulk API 2.0 query job', async () => {
    const file = join(work, 'leads.csv');
    const exported = await cli.sf<{ totalSize: number }>([
      'data',
      'export',
      'bulk',
      '-o',
      'dev',
      '--wait',
      '2',
      '--output-file',
      file,
      '-q',
      'SELECT Id, Name, Owner.Name FROM Lead',
    ]);
    expect(exported.code, exported.message).to.equal(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).to.equal('Id,Name,Owner.Name');
    expect(lines).to.have.length(org.store.count('Lead') + 1);
  });

  it('project deploy validate, start and report deploy the package over the Metadata SOAP API', async () => {
    const project = join(work, 'manifests');
    const sourceDir = DEFAULT_SOURCE_DIR;
    for (const name of ['sfdx-project.json', 'package.xml']) {
      cpSync(join(dirname(sourceDir), name), join(project, name));
    }
    cpSync(sourceDir, join(project, 'force-app'), { recursive: true });

    const validated = await cli.sf<{ status: string; success: boolean; checkOnly: boolean }>(
      ['project', 'deploy', 'validate', '--manifest', 'package.xml', '-o', 'dev'],
      { cwd: project },
    );
    expect(validated.code, validated.message).to.equal(0);
    expect(validated.result).to.include({ status: 'Succeeded', success: true, checkOnly: true });
    expect(org.metadata.registry.exists('PermissionSet', 'Social_CRM_Admin')).to.equal(false);

    const deployed = await cli.sf<{ id: string; status: string; numberComponentsTotal: number }>(
      ['project', 'deploy', 'start', '--manifest', 'package.xml', '-o', 'dev'],
      { cwd: project },
    );
    expect(deployed.code, deployed.message).to.equal(0);
    expect(deployed.result.status).to.equal('Succeeded');
    expect(org.metadata.registry.exists('PermissionSet', 'Social_CRM_Admin')).to.equal(true);

    const report = await cli.sf<{ status: string; numberComponentsDeployed: number }>(
      ['project', 'deploy', 'report', '--job-id', deployed.result.id, '-o', 'dev'],
      { cwd: project },
    );
    expect(report.code, report.message).to.equal(0);
    expect(report.result.status).to.equal('Succeeded');
    expect(report.result.numberComponentsDeployed).to.equal(deployed.result.numberComponentsTotal);
  });
});
