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

  /** The raw REST calls of one job, as a client that counts its calls drives them. */
  async function runJob(
    job: Record<string, unknown>,
    csv: string,
  ): Promise<{ states: string[]; final: Record<string, unknown>; id: string }> {
    const base = `/services/data/v${org.apiVersion}/jobs/ingest`;
    const created = await conn.request<{ id: string; state: string }>({
      method: 'POST',
      url: base,
      body: JSON.stringify({ contentType: 'CSV', lineEnding: 'LF', ...job }),
      headers: { 'content-type': 'application/json' },
    });
    await conn.request({
      method: 'PUT',
      url: `${base}/${created.id}/batches`,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    const closed = await conn.request<{ state: string }>({
      method: 'PATCH',
      url: `${base}/${created.id}`,
      body: JSON.stringify({ state: 'UploadComplete' }),
      headers: { 'content-type': 'application/json' },
    });
    const states = [created.state, closed.state];
    for (;;) {
      const info = await conn.request<Record<string, unknown>>(`${base}/${created.id}`);
      states.push(String(info['state']));
      if (['JobComplete', 'Failed', 'Aborted'].includes(String(info['state']))) {
        return { states, final: info, id: created.id };
      }
    }
  }

  it('processes a closed job in the background (UploadComplete, InProgress, JobComplete) and sets lookups by external ID', async () => {
    const personas = Array.from({ length: 600 }, (_, i) => `x:rel${i},x,rel${i}`).join('\n');
    await runJob(
      { object: 'Social_Persona__c', operation: 'upsert', externalIdFieldName: 'External_Id__c' },
      `External_Id__c,Network__c,Handle__c\n${personas}\n`,
    );
    const posts = Array.from(
      { length: 600 },
      (_, i) => `x:p${i},x,p${i},"line one\nline ""two"", ${i}",x:rel${i},${i % 2 === 0}`,
    ).join('\n');
    const { states, final } = await runJob(
      { object: 'Social_Post__c', operation: 'upsert', externalIdFieldName: 'External_Id__c' },
      `External_Id__c,Network__c,Network_Post_Id__c,Body__c,Persona__r.External_Id__c,Needs_Reply__c\n${posts}\n`,
    );
    expect(states.slice(0, 2)).to.deep.equal(['Open', 'UploadComplete']);
    expect(states.at(-1)).to.equal('JobComplete');
    expect(final).to.include({ numberRecordsProcessed: 600, numberRecordsFailed: 0 });
    const rows = await conn.query<{
      Body__c: string;
      Needs_Reply__c: boolean;
      Persona__r: { Handle__c: string };
    }>(
      "SELECT Body__c, Needs_Reply__c, Persona__r.Handle__c FROM Social_Post__c WHERE External_Id__c = 'x:p42'",
    );
    expect(rows.records[0]).to.deep.include({ Body__c: 'line one\nline "two", 42', Needs_Reply__c: true });
    expect(rows.records[0]!.Persona__r.Handle__c).to.equal('rel42');
  });

  it('fails a job whose header names no field, in Salesforce’s words, leaving its records unprocessed', async () => {
    const { final, id } = await runJob(
      { object: 'Social_Persona__c', operation: 'upsert', externalIdFieldName: 'External_Id__c' },
      'External_Id__c,Network__c,Shoe_Size__c\nx:s1,x,44\n',
    );
    expect(final).to.include({
      state: 'Failed',
      errorMessage: 'InvalidBatch : Field name not found : Shoe_Size__c',
      numberRecordsProcessed: 0,
    });
    const unprocessed = await conn.request<Record<string, string>[]>(
      `/services/data/v${org.apiVersion}/jobs/ingest/${id}/unprocessedrecords`,
    );
    expect(unprocessed).to.deep.equal([{ External_Id__c: 'x:s1', Network__c: 'x', Shoe_Size__c: '44' }]);
  });

  it('refuses an unknown object or operation in Salesforce’s words', async () => {
    const job = conn.bulk2.createJob({ object: 'Nope__c', operation: 'insert' });
    const error = await job.open().catch((e: unknown) => e as { errorCode?: string; name?: string });
    expect(error).to.have.property('errorCode').that.is.a('string');
  });
});
