/**
 * Replies (not a test): a demo of agents answering every mention as soon as it shows on the record page.
 *
 * - first response: from the mention's post time to our answer published on X, as the product records it
 *   (`Replied_At__c − Posted_At__c` of the answered post), median and p90: the part of the first-response
 *   time that is ours (sync + reply path); an agent's reading and typing time comes on top;
 * - reply send latency: `POST /api/replies` → `Sent` in the org, median and p90, against a baseline of
 *   posting straight to X (`POST /2/tweets`) with no record, no claim and no write-back: the price of
 *   exactly once;
 * - CRM API calls per reply.
 */
import { randomUUID } from 'node:crypto';
import { X_USER_TOKEN, startEmbedded } from '../test/support/embedded.ts';
import { result, type Benchmark } from './harness.ts';

const REPLIES = 40;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function crmCalls(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('socialcrm_crm_api_calls_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

export const repliesBenchmark: Benchmark = {
  name: 'replies',
  async run() {
    const e = await startEmbedded({
      sync: { flushWindowMs: 250 },
      env: { X_USER_ACCESS_TOKEN: X_USER_TOKEN, X_USERNAME: 'socialcrm_demo' },
    });
    const firstResponseSeconds: number[] = [];
    const sendMs: number[] = [];
    const directMs: number[] = [];
    let calls = 0;
    try {
      for (let i = 0; i < REPLIES; i++) {
        const added = await e.x.addMention({
          author: `bench_${i % 7}`,
          text: `@socialcrm_demo question ${i}?`,
        });
        let postId: string | undefined;
        while (!postId) {
          postId = e.org.store.idsByExternalId('Social_Post__c', 'External_Id__c', `x:${added.tweet.id}`)[0];
          if (!postId) await sleep(10);
        }
        const before = await crmCalls(e.server.url);
        const t0 = performance.now();
        const res = await fetch(`${e.server.url}/api/replies`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            postId,
            text: `Answer number ${i}`,
            idempotencyKey: `bench-${randomUUID()}`,
          }),
        });
        const { replyId } = (await res.json()) as { replyId: string };
        // Watched in the dev org's store directly: no API call, so the reply path's own calls are all that count.
        for (;;) {
          const status = e.org.store.get('Social_Post__c', replyId, '', ['Status__c'])['Status__c'];
          if (status === 'Sent') break;
          if (status === 'Failed') throw new Error('replies benchmark: a reply failed');
          await sleep(5);
        }
        sendMs.push(performance.now() - t0);
        calls += (await crmCalls(e.server.url)) - before;
        const [answered] = (
          await e.conn.query<{ Posted_At__c: string; Replied_At__c: string }>(
            `SELECT Posted_At__c, Replied_At__c FROM Social_Post__c WHERE Id = '${postId}'`,
          )
        ).records;
        firstResponseSeconds.push(
          (Date.parse(answered!.Replied_At__c) - Date.parse(answered!.Posted_At__c)) / 1000,
        );
        // Baseline: the same reply posted straight to X.
        const other = await e.x.addMention({
          author: `direct_${i % 7}`,
          text: `@socialcrm_demo direct ${i}?`,
          deliver: false,
        });
        const d0 = performance.now();
        const direct = await fetch(`${e.x.url}/2/tweets`, {
          method: 'POST',
          headers: { authorization: `Bearer ${X_USER_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            text: `Direct answer ${i}`,
            reply: { in_reply_to_tweet_id: other.tweet.id },
          }),
        });
        if (!direct.ok) throw new Error(`replies benchmark: X answered ${direct.status}`);
        directMs.push(performance.now() - d0);
      }
    } finally {
      await e.close();
    }
    return {
      replies_first_response_p50: result(percentile(firstResponseSeconds, 50), 's (mention → answer on X)'),
      replies_first_response_p90: result(percentile(firstResponseSeconds, 90), 's (mention → answer on X)'),
      replies_send_latency_p50: result(percentile(sendMs, 50), 'ms', percentile(directMs, 50)),
      replies_send_latency_p90: result(percentile(sendMs, 90), 'ms', percentile(directMs, 90)),
      replies_crm_api_calls_per_reply: result(calls / REPLIES, 'calls/reply'),
    };
  },
};
