/**
 * The dev org's write throughput through jsforce over HTTP: sObject Collections upserts by external ID
 * (200 records a request) against the baseline of one upsert request per record.
 */
import jsforce from 'jsforce';
import { startDevOrg } from '@socialcrm/dev-org';
import { result, type Benchmark } from './harness.ts';

function posts(prefix: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    External_Id__c: `x:${prefix}${i}`,
    Network__c: 'x',
    Body__c: `Benchmark post ${i} about @acme_outdoor`,
    Author_Handle__c: `@bench_${i % 97}`,
    Posted_At__c: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  }));
}

export const devOrgBenchmark: Benchmark = {
  name: 'dev org upserts',
  async run() {
    const org = await startDevOrg({ seed: false });
    try {
      const conn = new jsforce.Connection({
        instanceUrl: org.url,
        accessToken: org.accessToken,
        version: org.apiVersion,
      });
      const single = posts('single-', 300);
      let start = performance.now();
      for (const record of single) await conn.sobject('Social_Post__c').upsert(record, 'External_Id__c');
      const singleRate = single.length / ((performance.now() - start) / 1000);

      const batched = posts('batch-', 4000);
      start = performance.now();
      for (let i = 0; i < batched.length; i += 200) {
        await conn
          .sobject('Social_Post__c')
          .upsert(batched.slice(i, i + 200), 'External_Id__c', { allOrNone: false });
      }
      const batchRate = batched.length / ((performance.now() - start) / 1000);
      return {
        dev_org_collection_upsert_throughput: result(batchRate, 'records/s', singleRate),
      };
    } finally {
      await org.close();
    }
  },
};
