/**
 * Large writes through Bulk API 2.0: the CRM adapter against the dev org over HTTP (jsforce), and the job
 * life cycle's edge cases (a job that never ends, an upload the org drops) with a scripted transport.
 */
import { expect } from 'chai';
import jsforce from 'jsforce';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { isAppError } from '../../src/domain/errors.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import {
  BulkIngest,
  parseBulkError,
  toCsvRows,
  type BulkTransport,
} from '../../src/salesforce/bulk-ingest.ts';
import { SalesforceCrmAdapter, type CrmAdapterOptions } from '../../src/salesforce/crm-adapter.ts';
import { SalesforceGateway } from '../../src/salesforce/gateway.ts';
import type { RecordWrite } from '../../src/sync/crm-port.ts';

function persona(key: string): RecordWrite {
  return {
    role: 'persona',
    type: 'Social_Persona__c',
    op: 'upsert',
    externalIdField: 'External_Id__c',
    seqs: [],
    fields: {
      External_Id__c: key,
      Name: `@${key}`,
      Network__c: 'x',
      Handle__c: key.slice(2),
      Bio__c: null,
      Verified__c: false,
      Followers__c: 12,
    },
  };
}

function post(key: string, personaKey: string, extra: Record<string, unknown> = {}): RecordWrite {
  return {
    role: 'post',
    type: 'Social_Post__c',
    op: 'upsert',
    externalIdField: 'External_Id__c',
    seqs: [],
    fields: {
      External_Id__c: key,
      Network__c: 'x',
      Network_Post_Id__c: key.slice(2),
      // Commas, quotes, semicolons, pipes, tabs and new lines: all must survive the CSV both ways.
      Body__c: `Tent; poles | "bent", again\tsee\nhttps://example.com/${key}`,
      Needs_Reply__c: true,
      Sentiment_Score__c: -0.5,
      Persona__r: { External_Id__c: personaKey },
      ...extra,
    },
  };
}

async function calls(metrics: Metrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics.crmApiCalls.get()).values) {
    const op = String(v.labels.operation);
    out[op] = (out[op] ?? 0) + v.value;
  }
  return out;
}

describe('CRM writes through Bulk API 2.0 (dev org)', function () {
  this.timeout(60_000);
  let org: DevOrg;
  let conn: jsforce.Connection;
  let metrics: Metrics;
  let jobs: { object: string; state: string; records: number }[];

  const adapter = (options: CrmAdapterOptions = {}): SalesforceCrmAdapter =>
    new SalesforceCrmAdapter(
      new SalesforceGateway({
        instanceUrl: org.url,
        accessToken: org.accessToken,
        apiVersion: org.apiVersion,
        metrics,
        logger: silentLogger(),
      }),
      {
        bulkThreshold: 1000,
        ...options,
        bulk: { pollMs: 20, onJob: (job) => jobs.push(job), ...options.bulk },
      },
    );

  before(async () => {
    org = await startDevOrg({ seed: false });
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
  });
  beforeEach(() => {
    metrics = createMetrics();
    jobs = [];
  });
  after(async () => org?.close());

  it('writes runs above the threshold as one job per object: each record once, lookups by external ID, the org’s reason for the one it rejects, Ids for posts', async () => {
    const keys = Array.from({ length: 1500 }, (_, i) => `x:bulk${i}`);
    const writes = [
      ...keys.map((k) => persona(k)),
      ...keys.map((k, i) => post(`x:p${i}`, k, i === 700 ? { Sentiment__c: 'ecstatic' } : {})),
    ];
    const results = await adapter().write(writes);

    expect(jobs.map((j) => [j.object, j.state, j.records])).to.deep.equal([
      ['Social_Persona__c', 'JobComplete', 1500],
      ['Social_Post__c', 'JobComplete', 1500],
    ]);
    const used = await calls(metrics);
    expect(used['composite'] ?? 0).to.equal(0);
    // Personas: create, upload, close, poll(s). Posts: the same, then failed and successful rows.
    expect(used['bulk']).to.be.within(10, 14);

    const failed = results.filter((r) => !r.ok);
    expect(failed).to.have.length(1);
    expect(failed[0]!.write.fields['External_Id__c']).to.equal('x:p700');
    expect(failed[0]!.error).to.deep.include({
      code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      transient: false,
    });
    expect(failed[0]!.error!.message).to.contain('ecstatic');
    const posts = results.filter((r) => r.write.role === 'post' && r.ok);
    expect(posts).to.have.length(1499);
    expect(posts.every((r) => /^a\w{17}$/.test(r.id ?? '') && r.created === true)).to.equal(true);

    const count = await conn.query('SELECT COUNT() FROM Social_Post__c');
    expect(count.totalSize).to.equal(1499);
    const sample = await conn.query<{
      Body__c: string;
      Needs_Reply__c: boolean;
      Persona__r: { Handle__c: string };
    }>(
      "SELECT Body__c, Needs_Reply__c, Persona__r.Handle__c FROM Social_Post__c WHERE External_Id__c = 'x:p42'",
    );
    expect(sample.records[0]).to.deep.include({
      Body__c: 'Tent; poles | "bent", again\tsee\nhttps://example.com/x:p42',
      Needs_Reply__c: true,
    });
    expect(sample.records[0]!.Persona__r.Handle__c).to.equal('bulk42');

    // Written again (a retried batch): the same records, updated, none created.
    const again = await adapter().write(writes.filter((w) => w.fields['External_Id__c'] !== 'x:p700'));
    expect(again.every((r) => r.ok)).to.equal(true);
    expect(again.filter((r) => r.write.role === 'post').every((r) => r.created === false)).to.equal(true);
    expect((await conn.query('SELECT COUNT() FROM Social_Post__c')).totalSize).to.equal(1499);
  });

  it('below the threshold, and with Bulk off, the same writes go as collections in composite calls', async () => {
    const keys = Array.from({ length: 1200 }, (_, i) => `x:coll${i}`);
    const results = await adapter({ bulkThreshold: 0 }).write(keys.map((k) => persona(k)));
    expect(results.every((r) => r.ok)).to.equal(true);
    expect(jobs).to.deep.equal([]);
    expect(await calls(metrics)).to.deep.equal({ composite: 2 });

    const few = await adapter().write(keys.slice(0, 999).map((k) => persona(k)));
    expect(few.every((r) => r.ok && r.created === false)).to.equal(true);
    expect(jobs).to.deep.equal([]);
  });

  it('splits a run into several jobs when its CSV would pass the upload limit', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `x:split${i}`);
    const results = await adapter({ bulk: { maxUploadBytes: 40_000 } }).write(keys.map((k) => persona(k)));
    expect(results.every((r) => r.ok)).to.equal(true);
    expect(jobs.length).to.be.greaterThan(1);
    expect(jobs.reduce((n, j) => n + j.records, 0)).to.equal(1000);
    const count = await conn.query(
      "SELECT COUNT() FROM Social_Persona__c WHERE External_Id__c LIKE 'x:split%'",
    );
    expect(count.totalSize).to.equal(1000);
  });

  it('a job the org fails for its header fails each record with the org’s reason, not to be retried', async () => {
    const writes = Array.from({ length: 1000 }, (_, i) => {
      const w = persona(`x:bad${i}`);
      return { ...w, fields: { ...w.fields, Shoe_Size__c: 44 } };
    });
    const results = await adapter().write(writes);
    expect(jobs.map((j) => j.state)).to.deep.equal(['Failed']);
    expect(results.every((r) => !r.ok)).to.equal(true);
    expect(results[0]!.error).to.deep.include({ code: 'INVALID_BATCH', transient: false });
    expect(results[0]!.error!.message).to.contain('Field name not found : Shoe_Size__c');
  });

  it('an org that cannot take the job fails the whole write as an AppError (the batch goes back to the queue)', async () => {
    org.faults.set({ unavailable: 1 });
    const error = await adapter()
      .write(Array.from({ length: 1000 }, (_, i) => persona(`x:down${i}`)))
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).to.equal('unavailable');
  });
});

describe('Bulk API 2.0 job life cycle (scripted org)', () => {
  /** Answers each request from `script`, recording what was asked. */
  function transport(script: (method: string, path: string) => unknown): BulkTransport & { asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      bulkRequest: <T>(method: string, path: string): Promise<T> => {
        asked.push(`${method} ${path}`);
        try {
          return Promise.resolve(script(method, path) as T);
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
    };
  }
  const records = [{ External_Id__c: 'x:1', Name: 'a' }];
  const spec = {
    object: 'Social_Persona__c',
    operation: 'upsert',
    externalIdFieldName: 'External_Id__c',
  } as const;

  it('aborts a job that does not finish in time and says what happens next', async () => {
    const t = transport((method, path) =>
      method === 'POST'
        ? { id: '750J', state: 'Open' }
        : path === '/750J' && method === 'GET'
          ? { id: '750J', state: 'InProgress' }
          : '',
    );
    const error = await new BulkIngest(t, new Set())
      .write(spec, records, { wantIds: false, pollMs: 5, timeoutMs: 30 })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).to.equal('unavailable');
    expect((error as Error).message).to.match(/750J .*did not finish within/);
    expect((error as { hint?: string }).hint).to.contain('nothing is written twice');
    expect(t.asked.at(-1)).to.equal('PATCH /750J');
    expect(t.asked.filter((a) => a === 'GET /750J').length).to.be.greaterThan(1);
  });

  it('aborts the job when the upload fails, and fails the write', async () => {
    const t = transport((method) => {
      if (method === 'POST') return { id: '750U', state: 'Open' };
      if (method === 'PUT') throw new Error('socket hang up');
      return '';
    });
    const error = await new BulkIngest(t, new Set())
      .write(spec, records, { wantIds: false, pollMs: 5 })
      .catch((e: unknown) => e);
    expect((error as Error).message).to.equal('socket hang up');
    expect(t.asked).to.deep.equal(['POST ', 'PUT /750U/batches', 'PATCH /750U']);
  });

  it('a job that ends early leaves the records it did not reach retryable, keeping those it saved', async () => {
    const t = transport((method, path) => {
      if (method === 'POST') return { id: '750F', state: 'Open' };
      if (path === '/750F' && method === 'GET') {
        return {
          id: '750F',
          state: 'Failed',
          numberRecordsProcessed: 1,
          numberRecordsFailed: 0,
          errorMessage: 'InternalServerError',
        };
      }
      if (path.endsWith('successfulResults'))
        return '"sf__Id","sf__Created","External_Id__c","Name"\n"a01000000000001AAA","true","x:1","a"\n';
      return '';
    });
    const outcomes = await new BulkIngest(t, new Set()).write(
      spec,
      [...records, { External_Id__c: 'x:2', Name: 'b' }],
      { wantIds: false, pollMs: 5 },
    );
    expect(outcomes[0]).to.deep.equal({ ok: true, id: 'a01000000000001AAA', created: true, error: null });
    expect(outcomes[1]!.ok).to.equal(false);
    expect(outcomes[1]!.error).to.deep.include({ code: 'BULK_JOB_FAILED', transient: true });
    expect(outcomes[1]!.error!.message).to.contain('InternalServerError');
  });

  it('encodes records as Salesforce reads CSV: #N/A clears, empty leaves, lookups by external ID as columns', () => {
    const { columns, rows } = toCsvRows([
      { attributes: { type: 'X' }, A__c: null, B__c: '', C__c: true, D__c: 1.5, P__r: { Key__c: 'k1' } },
      { A__c: 'a', E__c: 'only here' },
    ]);
    expect(columns).to.deep.equal(['A__c', 'B__c', 'C__c', 'D__c', 'P__r.Key__c', 'E__c']);
    expect(rows).to.deep.equal([
      ['#N/A', '#N/A', 'true', '1.5', 'k1', ''],
      ['a', '', '', '', '', 'only here'],
    ]);
  });

  it('reads the org’s per-record errors', () => {
    expect(
      parseBulkError('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--'),
    ).to.deep.equal({
      code: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access to this record',
    });
    expect(
      parseBulkError('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --'),
    ).to.deep.equal({
      code: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name]:Name',
    });
    expect(parseBulkError('something odd')).to.deep.equal({ code: 'BULK_ERROR', message: 'something odd' });
  });
});
