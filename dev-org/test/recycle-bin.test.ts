/**
 * Deletes as Salesforce does them, through jsforce over HTTP: a deleted record leaves `query` but stays
 * in the recycle bin, where `queryAll` sees it with IsDeleted = true (with the children its delete
 * cascaded to); writes to it answer ENTITY_IS_DELETED; it holds no unique or external ID value.
 * Objects without IsDeleted (setup objects) are deleted outright. An org from before the recycle bin
 * gets its unique indexes remade when it starts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import { startDevOrg, type DevOrg } from '../src/index.ts';

function connect(org: DevOrg): Connection {
  return new jsforce.Connection({
    instanceUrl: org.url,
    accessToken: org.accessToken,
    version: org.apiVersion,
  });
}

async function failure(promise: PromiseLike<unknown>): Promise<{ errorCode?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { errorCode?: string; message: string };
  }
  throw new Error('expected the call to fail');
}

describe('dev org recycle bin (jsforce over HTTP)', () => {
  let org: DevOrg;
  let conn: Connection;

  beforeEach(async () => {
    org = await startDevOrg({ seed: false });
    conn = connect(org);
  });
  afterEach(async () => {
    await org.close();
  });

  it('a deleted record leaves query, and queryAll sees it, and the children its delete cascaded to, as deleted', async () => {
    const account = await conn.sobject('Account').create({ Name: 'Binned Gear' });
    const contact = await conn.sobject('Contact').create({ LastName: 'Kept', AccountId: account.id });
    await conn.sobject('Account').destroy(account.id!);

    expect((await conn.query("SELECT Id FROM Account WHERE Name = 'Binned Gear'")).totalSize).to.equal(0);
    expect((await conn.query("SELECT Id FROM Contact WHERE LastName = 'Kept'")).totalSize).to.equal(0);
    const all = await conn.query<{ Id: string; IsDeleted: boolean }>(
      "SELECT Id, IsDeleted FROM Account WHERE Name = 'Binned Gear'",
      { scanAll: true },
    );
    expect(all.records.map((r) => [r.Id, r.IsDeleted])).to.deep.equal([[account.id, true]]);
    const children = await conn.query<{ Id: string; IsDeleted: boolean }>(
      "SELECT Id, IsDeleted FROM Contact WHERE LastName = 'Kept'",
      { scanAll: true },
    );
    expect(children.records.map((r) => [r.Id, r.IsDeleted])).to.deep.equal([[contact.id, true]]);
    expect(org.store.count('Account')).to.equal(0);
  });

  it('answers NOT_FOUND to a read and ENTITY_IS_DELETED to a write or a second delete of a deleted record', async () => {
    const lead = await conn.sobject('Lead').create({ LastName: 'Gone', Company: 'Nowhere' });
    await conn.sobject('Lead').destroy(lead.id!);
    expect((await failure(conn.sobject('Lead').retrieve(lead.id!))).errorCode).to.equal('NOT_FOUND');
    expect((await failure(conn.sobject('Lead').update({ Id: lead.id!, Title: 'x' }))).errorCode).to.equal(
      'ENTITY_IS_DELETED',
    );
    expect((await failure(conn.sobject('Lead').destroy(lead.id!))).errorCode).to.equal('ENTITY_IS_DELETED');
  });

  it('a deleted record holds no external ID: an upsert by it creates a new record', async () => {
    const first = await conn
      .sobject('Social_Post__c')
      .upsert({ External_Id__c: 'x:binned', Network__c: 'x' }, 'External_Id__c');
    await conn.sobject('Social_Post__c').destroy(first.id!);
    const second = await conn
      .sobject('Social_Post__c')
      .upsert({ External_Id__c: 'x:binned', Network__c: 'x' }, 'External_Id__c');
    expect(second).to.include({ success: true, created: true });
    expect(second.id).to.not.equal(first.id);
    const all = await conn.query<{ Id: string; IsDeleted: boolean }>(
      "SELECT Id, IsDeleted FROM Social_Post__c WHERE External_Id__c = 'x:binned' ORDER BY IsDeleted",
      { scanAll: true },
    );
    expect(all.records.map((r) => [r.Id, r.IsDeleted])).to.deep.equal([
      [second.id, false],
      [first.id, true],
    ]);
  });

  it('deletes objects without a recycle bin outright', async () => {
    const set = await conn.sobject('PermissionSet').create({ Name: 'Trainees', Label: 'Trainees' });
    await conn.sobject('PermissionSet').destroy(set.id!);
    expect(
      (await conn.query("SELECT Id FROM PermissionSet WHERE Name = 'Trainees'", { scanAll: true })).totalSize,
    ).to.equal(0);
    // The name is free again, as in an org.
    expect(
      (await conn.sobject('PermissionSet').create({ Name: 'Trainees', Label: 'Trainees' })).success,
    ).to.equal(true);
  });
});

describe('dev org recycle bin in an org from before it', () => {
  it('remakes unique indexes so a deleted record does not hold its value', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dev-org-bin-'));
    try {
      let org = await startDevOrg({ dataDir, seed: false });
      await org.close();
      // The unique index as dev orgs made it before the recycle bin: over every row.
      const db = new DatabaseSync(join(dataDir, 'dev-org.sqlite'));
      db.exec('DROP INDEX "Social_Post__c_External_Id__c_idx"');
      db.exec(
        'CREATE UNIQUE INDEX "Social_Post__c_External_Id__c_idx" ON "Social_Post__c" ("External_Id__c")',
      );
      db.close();

      org = await startDevOrg({ dataDir, seed: false });
      const conn = connect(org);
      const first = await conn.sobject('Social_Post__c').create({ External_Id__c: 'x:old', Network__c: 'x' });
      await conn.sobject('Social_Post__c').destroy(first.id!);
      const again = await conn.sobject('Social_Post__c').create({ External_Id__c: 'x:old', Network__c: 'x' });
      expect(again.success).to.equal(true);
      await org.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
