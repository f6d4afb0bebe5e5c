/**
 * Working off a backlog, as a large backfill or an org outage leaves one: 20,000 X mentions are accepted
 * (signed webhooks, 25 in flight) while the dev org answers 503, then the org comes back and the sync
 * drains the queue. Measured from the org's return to the last post stored:
 *
 * - CRM API calls per 1,000 mentions (the server's own `socialcrm_crm_api_calls_total`);
 * - drain throughput in mentions/s;
 *
 * with the default settings (Bulk API 2.0 jobs once 5,000 mentions wait, 20,000 a batch) against the same
 * sync with Bulk API off (`SYNC_BULK_THRESHOLD=0`: sObject Collections, 1,000 records a call), each on a
 * fresh embedded default in the same run. The dev org finishes a Bulk job within one poll (1 s); a real
 * org takes seconds to minutes and a few more polls, while each collections call costs ~100 ms more.
 */
import type { AddMentionInput } from '@socialcrm/stand-ins';
import { startEmbedded } from '../test/support/embedded.ts';
import { crmApiCalls, inParallel, syncStatus } from '../test/support/sync-probes.ts';
import { result, type Benchmark } from './harness.ts';

const BACKLOG = 20_000;
const CONCURRENCY = 25;

/** Most authors post once; a few regulars post again and again (each author's posts go in order). */
function mentions(prefix: string, n: number): AddMentionInput[] {
  const regulars = Math.max(1, Math.round(n / 40));
  return Array.from({ length: n }, (_, i) => ({
    author: `${prefix}_${i < n * 0.9 ? i : i % regulars}`,
    text: `${i % 3 === 0 ? 'Is the Summit tent waterproof in heavy rain?' : 'Love my new boots'} #${i}`,
  }));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Drain {
  calls: number;
  seconds: number;
  bulkJobs: number;
}

async function drain(env: Record<string, string>): Promise<Drain> {
  const e = await startEmbedded({ sync: { flushWindowMs: 250 }, env });
  try {
    // Warm-up: the first batch reads the org's schema and people once.
    await e.x.addMention({ author: 'warmup', text: 'hello' });
    for (let i = 0; (await syncStatus(e.server.url)).queue.depth > 0 || i < 5; i++) await sleep(100);

    e.org.faults.set({ unavailable: 1_000_000_000 });
    await inParallel(mentions('backlog', BACKLOG), CONCURRENCY, (m) => e.x.addMention(m));
    while ((await syncStatus(e.server.url)).queue.depth < BACKLOG) await sleep(100);
    const postsBefore = e.org.store.count('Social_Post__c');

    const callsBefore = await crmApiCalls(e.server.url, 'success');
    const start = performance.now();
    e.org.faults.clear();
    while (e.org.store.count('Social_Post__c') - postsBefore < BACKLOG) {
      if (performance.now() - start > 300_000) throw new Error('backlog benchmark: the queue did not drain');
      await sleep(20);
    }
    const seconds = (performance.now() - start) / 1000;
    // The batch's roll-ups land right after its posts.
    while ((await syncStatus(e.server.url)).queue.depth > 0) await sleep(100);
    await sleep(500);
    const metrics = await (await fetch(`${e.server.url}/metrics`)).text();
    const bulkJobs = metrics
      .split('\n')
      .filter((l) => l.startsWith('socialcrm_crm_bulk_jobs_total{'))
      .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
    return { calls: (await crmApiCalls(e.server.url, 'success')) - callsBefore, seconds, bulkJobs };
  } finally {
    await e.close();
  }
}

export const backlogBenchmark: Benchmark = {
  name: 'backlog drain (Bulk API 2.0)',
  async run() {
    const bulk = await drain({});
    const collections = await drain({ SYNC_BULK_THRESHOLD: '0' });
    if (bulk.bulkJobs === 0) throw new Error('backlog benchmark: the default settings ran no Bulk job');
    const perThousand = (calls: number): number => (calls * 1000) / BACKLOG;
    return {
      backlog_crm_api_calls_per_1000_mentions: result(
        perThousand(bulk.calls),
        'calls/1000 mentions',
        perThousand(collections.calls),
      ),
      backlog_drain_throughput: result(BACKLOG / bulk.seconds, 'mentions/s', BACKLOG / collections.seconds),
      backlog_bulk_jobs: result(bulk.bulkJobs, 'jobs'),
    };
  },
};
