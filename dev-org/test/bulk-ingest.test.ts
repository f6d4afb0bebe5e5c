/**
 * Bulk API 2.0 ingest through jsforce's `conn.bulk2`, as the CLI plugin uses it: jobs open, take CSV,
 * process each record on its own when closed, and give back successful and failed results.
 */
import { expect } from 'chai';
import jsforce from 'jsforce';
import { startDevOrg, type DevOrg } from '../src/index.ts';

describe('dev org: Bulk API 2.0 ingest', function () {
  this.timeout(20_000);
  let org: DevOrg;
  let conn: jsforce.Connection;

  before(async () => {
    org = await startDevOrg({ seed: false });
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
    conn.bulk2.pollInterval = 50;
  });
  after(async () => org?.close());

  it('inserts, upserts and updates, reporting each failed record with the org’s reason', async () => {
    const inserted = await conn.bulk2.loadAndWaitForResults({
      object: 'Social_Persona__c',
      operation: 'insert',
      input: [
        { External_Id__c: 'x:1', Network__c: 'x', Handle__c: 'ann' },
        { External_Id__c: 'x:2', Network__c: 'x', Handle__c: 'bo' },
        { External_Id__c: 'x:3', Network__c: 'myspace', Handle__c: 'cy' },
      ],
    });
    expect(inserted.successfulResults).to.have.length(2);
    expect(inserted.failedResults).to.have.length(1);
    expect(String(inserted.failedResults[0]!.sf__Error)).to.match(
      /^INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:|bad value/i,
    );

    const upserted = await conn.bulk2.loadAndWaitForResults({
      object: 'Social_Persona__c',
      operation: 'upsert',
      externalIdFieldName: 'External_Id__c',
      input: [
        { External_Id__c: 'x:2', Network__c: 'x', Handle__c: 'bo_renamed' },
        { External_Id__c: 'x:4', Network__c: 'x', Handle__c: 'dee' },
      ],
    });
    expect(upserted.successfulResults.map((r) => String(r.sf__Created))).to.deep.equal(['false', 'true']);

    const annId = String(inserted.successfulResults[0]!.sf__Id);
    const updated = await conn.bulk2.loadAndWaitForResults({
      object: 'Social_Persona__c',
      operation: 'update',
      input: [{ Id: annId, Influence_Score__c: 42, Display_Name__c: '#N/A' }],
    });
    expect(updated.failedResults).to.have.length(0);
    const rows = await conn.query<{ Handle__c: string; Influence_Score__c: number | null }>(
      'SELECT Handle__c, Influence_Score__c FROM Social_Persona__c ORDER BY Handle__c',
    );
    expect(rows.records.map((r) => [r.Handle__c, r.Influence_Score__c])).to.deep.equal([
      ['ann', 42],
      ['bo_renamed', null],
      ['dee', null],
    ]);
  });

  it('refuses an unknown object or operation in Salesforce’s words', async () => {
    const job = conn.bulk2.createJob({ object: 'Nope__c', operation: 'insert' });
    const error = await job.open().catch((e: unknown) => e as { errorCode?: string; name?: string });
    expect(error).to.have.property('errorCode').that.is.a('string');
  });
});
