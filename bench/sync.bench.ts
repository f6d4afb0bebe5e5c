/**
 * The sync server end to end on the embedded default, in-process: signed X webhooks from the X stand-in,
 * through the durable queue and the sync worker, into the dev org. The worker runs with its production
 * flush window (250 ms). Three quantities, after a warm-up (the first batch reads the org's schema and
 * people once):
 *
 * - CRM API calls per 1,000 mentions for a burst of 2,000 (from the server's own
 *   `socialcrm_crm_api_calls_total`), against a naive sync that upserts each record on its own;
 * - webhook → record latency, p50 and p95, for mentions arriving at a steady 50/s, against one
 *   single-record upsert round trip to the same dev org (the floor any sync pays);
 * - end-to-end throughput of that burst, against the naive sync writing the same records at the same
 *   concurrency to a fresh dev org.
 *
 * The naive sync is given every advantage: it skips analysis, identity and cases, and writes only one
 * persona per distinct author and one post per mention. Against a real org each API call costs ~100 ms
 * instead of ~1 ms, so the throughput and latency gaps here understate what batching buys.
 */
import jsforce from 'jsforce';
import type { Connection } from 'jsforce';
import { startDevOrg } from '@socialcrm/dev-org';
import type { DevOrg } from '@socialcrm/dev-org';
import type { AddMentionInput, XTweet } from '@socialcrm/stand-ins';
import { startEmbedded, type Embedded } from '../test/support/embedded.ts';
import { result, type Benchmark } from './harness.ts';

const BURST = 2_000;
/** Webhooks in flight at once, as X delivers them. */
const CONCURRENCY = 25;
const STEADY_RATE_PER_S = 50;
const STEADY_SECONDS = 10;
const POLL_MS = 10;

const TEXTS = [
  'Where can I buy the Trailhead 40L pack? Do you ship to Canada?',
  'My order arrived broken and support never answered. Third time I ask!',
  'Love my new boots, best purchase this year 😍',
  'Is the Summit tent waterproof in heavy rain?',
  'El pedido llegó tarde y roto, ¿me pueden ayudar?',
  'Super service client, merci beaucoup !',
];

/** Mentions as a stream mixes them: most authors post once, a few post again and again. */
function mentions(prefix: string, n: number): AddMentionInput[] {
  const regulars = Math.max(1, Math.round(n / 40));
  return Array.from({ length: n }, (_, i) => ({
    author: `${prefix}_${i < n * 0.9 ? i : i % regulars}`,
    text: `${TEXTS[i % TEXTS.length]} #${i}`,
    lang: i % 6 === 4 ? 'es' : i % 6 === 5 ? 'fr' : 'en',
  }));
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`sync benchmark: timed out waiting for ${what}`);
    await sleep(POLL_MS);
  }
  return performance.now();
}

/** CRM API calls the sync server made so far, from its own metrics. */
async function crmCalls(e: Embedded): Promise<number> {
  const text = await (await fetch(`${e.server.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('socialcrm_crm_api_calls_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** Reads the dev org's store directly: no API call, so the sync's own traffic is all that is counted. */
function postExists(org: DevOrg, tweetId: string): boolean {
  return org.store.idsByExternalId('Social_Post__c', 'External_Id__c', `x:${tweetId}`).length > 0;
}

/** Mentions at a steady rate; each one's latency from webhook sent to Social_Post__c stored. */
async function steadyLatencies(e: Embedded): Promise<number[]> {
  const inputs = mentions('steady', STEADY_RATE_PER_S * STEADY_SECONDS);
  const pending = new Map<string, number>();
  const latencies: number[] = [];
  let sending = true;
  let deadline = Infinity;
  const watcher = (async () => {
    while (sending || pending.size > 0) {
      const now = performance.now();
      if (now > deadline) {
        throw new Error(`sync benchmark: ${pending.size} steady mentions never reached the org`);
      }
      for (const [id, sentAt] of pending) {
        if (postExists(e.org, id)) {
          latencies.push(now - sentAt);
          pending.delete(id);
        }
      }
      await sleep(POLL_MS);
    }
  })();
  // Marks a failure handled here too, so a throw from the sends below is the one reported.
  watcher.catch(() => undefined);
  const start = performance.now();
  const sends = inputs.map(async (input, i) => {
    await sleep(Math.max(0, start + (i * 1000) / STEADY_RATE_PER_S - performance.now()));
    const sentAt = performance.now();
    const { tweet } = await e.x.addMention(input);
    pending.set(tweet.id, sentAt);
  });
  try {
    await Promise.all(sends);
  } finally {
    sending = false;
    deadline = performance.now() + 30_000;
  }
  await watcher;
  return latencies;
}

interface Delivered {
  tweet: XTweet;
  handle: string;
}

interface Burst {
  calls: number;
  seconds: number;
  delivered: Delivered[];
}

async function burst(e: Embedded): Promise<Burst> {
  const postsBefore = e.org.store.count('Social_Post__c');
  const callsBefore = await crmCalls(e);
  const delivered: Delivered[] = [];
  const start = performance.now();
  await inParallel(mentions('burst', BURST), CONCURRENCY, async (input) => {
    const { tweet, author } = await e.x.addMention(input);
    delivered.push({ tweet, handle: author.username });
  });
  const end = await until(
    () => e.org.store.count('Social_Post__c') - postsBefore >= BURST,
    `${BURST} burst posts`,
  );
  // Whatever the worker still writes for the batch (roll-ups) lands within a flush window or two.
  await sleep(1_000);
  return { calls: (await crmCalls(e)) - callsBefore, seconds: (end - start) / 1000, delivered };
}

interface Naive {
  calls: number;
  seconds: number;
  roundTripP50: number;
  roundTripP95: number;
}

/** The same records, one upsert request each, at the same concurrency, on a fresh dev org. */
async function naiveSync(delivered: readonly Delivered[]): Promise<Naive> {
  const org = await startDevOrg({ seed: false });
  try {
    const conn: Connection = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
    const roundTrips: number[] = [];
    // The first requests open the connection and warm the JIT; only the last 100 are timed.
    for (let i = 0; i < 120; i++) {
      const t = performance.now();
      await conn
        .sobject('Social_Post__c')
        .upsert({ External_Id__c: `x:rtt${i}`, Network__c: 'x', Body__c: 'round trip' }, 'External_Id__c');
      if (i >= 20) roundTrips.push(performance.now() - t);
    }

    let calls = 0;
    const personas = new Map<string, Promise<unknown>>();
    const start = performance.now();
    await inParallel(delivered, CONCURRENCY, async ({ tweet, handle }) => {
      let persona = personas.get(tweet.author_id);
      if (!persona) {
        calls += 1;
        persona = conn.sobject('Social_Persona__c').upsert(
          {
            External_Id__c: `x:${tweet.author_id}`,
            Name: `@${handle}`,
            Network__c: 'x',
            Handle__c: handle,
          },
          'External_Id__c',
        );
        personas.set(tweet.author_id, persona);
      }
      await persona;
      calls += 1;
      await conn.sobject('Social_Post__c').upsert(
        {
          External_Id__c: `x:${tweet.id}`,
          Network__c: 'x',
          Network_Post_Id__c: tweet.id,
          Body__c: tweet.text,
          Posted_At__c: tweet.created_at,
          Author_Handle__c: handle,
          Thread_Root__c: `x:${tweet.conversation_id}`,
          Persona__r: { External_Id__c: `x:${tweet.author_id}` },
        },
        'External_Id__c',
      );
    });
    const seconds = (performance.now() - start) / 1000;
    const stored = org.store.count('Social_Post__c') - 120;
    if (stored !== delivered.length)
      throw new Error(`naive sync stored ${stored} of ${delivered.length} posts`);
    return {
      calls,
      seconds,
      roundTripP50: percentile(roundTrips, 50),
      roundTripP95: percentile(roundTrips, 95),
    };
  } finally {
    await org.close();
  }
}

export const syncBenchmark: Benchmark = {
  name: 'sync server end to end',
  async run() {
    const e = await startEmbedded({ sync: { flushWindowMs: 250 } });
    let steady: number[];
    let steadyCalls: number;
    let measured: Burst;
    try {
      const warmUp = mentions('warmup', 5);
      const warmTweets = await Promise.all(warmUp.map((m) => e.x.addMention(m)));
      await until(() => warmTweets.every((m) => postExists(e.org, m.tweet.id)), 'the warm-up posts');
      await sleep(500);

      const callsBefore = await crmCalls(e);
      steady = await steadyLatencies(e);
      await sleep(1_000);
      steadyCalls = (await crmCalls(e)) - callsBefore;

      measured = await burst(e);
    } finally {
      await e.close();
    }
    const naive = await naiveSync(measured.delivered);

    const perThousand = (calls: number, n: number) => (calls * 1000) / n;
    return {
      sync_crm_api_calls_per_1000_mentions: result(
        perThousand(measured.calls, BURST),
        'calls/1000 mentions',
        perThousand(naive.calls, BURST),
      ),
      sync_crm_api_calls_per_1000_mentions_at_50_per_s: result(
        perThousand(steadyCalls, steady.length),
        'calls/1000 mentions',
        perThousand(naive.calls, BURST),
      ),
      sync_webhook_to_record_latency_p50: result(percentile(steady, 50), 'ms', naive.roundTripP50),
      sync_webhook_to_record_latency_p95: result(percentile(steady, 95), 'ms', naive.roundTripP95),
      sync_end_to_end_throughput: result(BURST / measured.seconds, 'mentions/s', BURST / naive.seconds),
    };
  },
};
