/**
 * The social inbox's list API at scale: `GET /api/inbox` served by the sync server (in process) from a dev
 * org holding 100,000 `Social_Post__c`, against the same requests on an org of 1,000 posts with the same
 * shares, both measured in this run. Of the posts, 10% are in the inbox still to answer (7% `Open` in one
 * of three queues, 3% `Assigned` to one of two agents), with `Reply_Due__c` spread over the coming week
 * (1% of those without one), priorities, networks, languages and intents mixed; 30% are `Done`; the rest
 * are not in the inbox (posts that need no answer, 5% of all our own outbound replies). Each author
 * (`Social_Persona__c`) has five of the posts.
 *
 * For each request (the first page, the next page by `cursor`, `queue=`, `owner=`, `network=`; 100 a page):
 * the median and p95 ms of 30 requests one after another after a warm-up of 5, and the CRM API calls each
 * one made (the dev org's own count of REST requests it served, read around each request; the server's
 * background work — breach sweep, reply polling — is put off for the run, and an idle interval checks that
 * nothing else calls the org).
 *
 * The posts are written straight through the dev org's record store in one transaction (its DML rules
 * apply: picklists, owners, references, unique external Ids), not through 100,000 REST calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { loadConfig, startSyncServer, type SyncServer } from '@socialcrm/server';
import { result, type Benchmark, type BenchResult } from './harness.ts';

const LARGE = 100_000;
const SMALL = 1_000;
const WARM_UP = 5;
const RUNS = 30;
const PAGE = 100;
const HOUR = 3_600_000;

const NETWORKS = ['x', 'x', 'x', 'bluesky', 'mastodon', 'facebook', 'instagram'] as const;
const LANGUAGES = ['en', 'en', 'en', 'en', 'es', 'fr', 'de', 'pt'] as const;
const INTENTS = ['complaint', 'question', 'question', 'purchase_intent', 'praise', 'other'] as const;
const PRIORITIES = ['Urgent', 'High', 'Normal', 'Normal', 'Normal', 'Low'] as const;
const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The seeded org's queues and agents by name. */
interface People {
  queues: string[];
  agents: string[];
}

function people(org: DevOrg): People {
  const id = (type: string, field: string, value: string): string => {
    const found = org.store.idsByField(type, field, value)[0];
    if (!found) throw new Error(`inbox benchmark: the seeded org has no ${type} ${value}`);
    return found;
  };
  return {
    queues: ['Social_Support', 'Social_Sales', 'Social_VIP'].map((name) =>
      id('Group', 'DeveloperName', name),
    ),
    agents: ['priya.raman@acme-outdoor.example', 'mateo.alvarez@acme-outdoor.example'].map((name) =>
      id('User', 'Username', name),
    ),
  };
}

/** Fills the seeded org up to `total` posts (one transaction through the record store). */
function fill(org: DevOrg, total: number, who: People): void {
  const store = org.store;
  const now = Date.now();
  const add = total - store.count('Social_Post__c');
  store.transaction(() => {
    const personas: string[] = [];
    for (let i = 0; i < Math.ceil(add / 5); i++) {
      personas.push(
        store.create('Social_Persona__c', {
          External_Id__c: `bench:persona:${i}`,
          Network__c: NETWORKS[i % NETWORKS.length],
          Handle__c: `bench_author_${i}`,
          Display_Name__c: `Bench Author ${i}`,
          Influence_Score__c: (i * 37) % 100,
        }),
      );
    }
    for (let i = 0; i < add; i++) {
      // Shares by i % 100: 0–6 Open, 7–9 Assigned, 10–39 Done, 40–94 not in the inbox, 95–99 outbound.
      const bucket = i % 100;
      const network = NETWORKS[i % NETWORKS.length]!;
      const postedAt = now - ((i * 7919) % (30 * 24 * 60)) * 60_000;
      const fields: Record<string, unknown> = {
        External_Id__c: `${network}:bench-${i}`,
        Network__c: network,
        Body__c: `Benchmark post ${i}: is the Summit tent waterproof? @acme_outdoor`,
        Author_Handle__c: `@bench_author_${i % personas.length}`,
        Persona__c: personas[i % personas.length],
        Posted_At__c: new Date(postedAt).toISOString(),
        Thread_Root__c: `${network}:bench-${i - (i % 4)}`,
        Language__c: LANGUAGES[i % LANGUAGES.length],
        Intent__c: INTENTS[i % INTENTS.length],
        Sentiment__c: SENTIMENTS[i % SENTIMENTS.length],
        Is_Outbound__c: bucket >= 95,
      };
      if (bucket < 40) {
        fields['Priority__c'] = PRIORITIES[i % PRIORITIES.length];
        // Due times spread over the coming week (none overdue, so the breach sweep finds nothing to do).
        fields['Reply_Due__c'] = new Date(now + HOUR + ((i * 104_729) % (7 * 24 * HOUR))).toISOString();
      }
      if (bucket < 7) {
        fields['Inbox_Status__c'] = 'Open';
        fields['OwnerId'] = who.queues[i % who.queues.length];
        fields['Needs_Reply__c'] = true;
        if (i % 100 === 3 && Math.floor(i / 100) % 10 === 0) delete fields['Reply_Due__c'];
      } else if (bucket < 10) {
        fields['Inbox_Status__c'] = 'Assigned';
        fields['OwnerId'] = who.agents[i % who.agents.length];
        fields['Needs_Reply__c'] = true;
      } else if (bucket < 40) {
        fields['Inbox_Status__c'] = 'Done';
        fields['OwnerId'] = who.agents[i % who.agents.length];
        fields['Done_Reason__c'] = 'Replied';
        fields['Done_At__c'] = new Date(postedAt + HOUR).toISOString();
        fields['Replied_At__c'] = fields['Done_At__c'];
      }
      store.create('Social_Post__c', fields);
    }
  });
}

interface Timing {
  ms: number[];
  calls: number[];
  /** Items on the page (the small org's filtered and later pages are not full). */
  items: number;
}

interface Inbox {
  posts: number;
  open: number;
  timings: Record<string, Timing>;
}

/** The requests timed, by name: a path and query of the inbox API. */
function requests(who: People, cursor: string): Record<string, string> {
  return {
    first_page: `/api/inbox?limit=${PAGE}`,
    next_page: `/api/inbox?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`,
    queue: `/api/inbox?limit=${PAGE}&queue=${who.queues[0]}`,
    owner: `/api/inbox?limit=${PAGE}&owner=${who.agents[0]}`,
    network: `/api/inbox?limit=${PAGE}&network=x`,
  };
}

interface Page {
  items: { postId: string }[];
  nextCursor: string | null;
}

async function get(server: SyncServer, path: string): Promise<Page> {
  const res = await fetch(`${server.url}${path}`);
  if (!res.ok) throw new Error(`inbox benchmark: ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Page;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function measure(total: number): Promise<Inbox> {
  const dataDir = mkdtempSync(join(tmpdir(), 'socialcrm-bench-inbox-'));
  const org = await startDevOrg({ seed: true });
  let server: SyncServer | undefined;
  try {
    const who = people(org);
    fill(org, total, who);
    const env: Record<string, string> = {
      PORT: '0',
      SF_INSTANCE_URL: org.url,
      SF_ACCESS_TOKEN: org.accessToken,
      SF_CLIENT_ID: org.client.clientId,
      SF_CLIENT_SECRET: org.client.clientSecret,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    server = await startSyncServer(loadConfig(env), {
      // Background work is put off, so each request's calls are its own (the sweep still runs once at start).
      inbox: { sweepIntervalMs: HOUR, routingRefreshMs: HOUR },
      replies: { pollMs: HOUR },
    });
    const started = server;
    while (started.inbox.sweep.state.lastSweepAt === null) await sleep(20);

    const first = await get(started, `/api/inbox?limit=${PAGE}`);
    if (first.items.length !== PAGE || !first.nextCursor) {
      throw new Error(`inbox benchmark: the first page has ${first.items.length} items and no next cursor`);
    }
    const timings: Record<string, Timing> = {};
    for (const [name, path] of Object.entries(requests(who, first.nextCursor))) {
      for (let i = 0; i < WARM_UP; i++) await get(started, path);
      const timing: Timing = { ms: [], calls: [], items: 0 };
      for (let i = 0; i < RUNS; i++) {
        const before = org.usage.used;
        const t0 = performance.now();
        const page = await get(started, path);
        timing.ms.push(performance.now() - t0);
        timing.calls.push(org.usage.used - before);
        if (page.items.length === 0) throw new Error(`inbox benchmark: ${name} answered no items`);
        timing.items = page.items.length;
      }
      timings[name] = timing;
    }
    // Nothing else called the org meanwhile: an idle second costs no call.
    const idle = org.usage.used;
    await sleep(1000);
    if (org.usage.used !== idle) throw new Error('inbox benchmark: the server called the org while idle');

    const count = (where: string): number =>
      Number(
        org.store.db
          .prepare(`SELECT COUNT(*) AS n FROM "Social_Post__c" WHERE "IsDeleted" = 0${where}`)
          .get()!['n'],
      );
    return {
      posts: count(''),
      open: count(` AND "Inbox_Status__c" IN ('Open', 'Assigned') AND "Is_Outbound__c" = 0`),
      timings,
    };
  } finally {
    await server?.close();
    await org.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const inboxBenchmark: Benchmark = {
  name: 'social inbox API',
  async run() {
    const small = await measure(SMALL);
    const large = await measure(LARGE);
    const items = (inbox: Inbox): string =>
      Object.entries(inbox.timings)
        .map(([name, t]) => `${name} ${t.items}`)
        .join(', ');
    console.log(`inbox: ${large.posts} posts, ${large.open} to answer; items a page: ${items(large)}`);
    console.log(
      `inbox baseline: ${small.posts} posts, ${small.open} to answer; items a page: ${items(small)}`,
    );
    const results: Record<string, BenchResult> = {};
    for (const name of Object.keys(large.timings)) {
      const l = large.timings[name]!;
      const s = small.timings[name]!;
      results[`inbox_api_${name}_100k`] = result(percentile(l.ms, 50), 'ms', percentile(s.ms, 50));
      results[`inbox_api_${name}_100k_p95`] = result(percentile(l.ms, 95), 'ms', percentile(s.ms, 95));
    }
    const calls = Object.values(large.timings).flatMap((t) => t.calls);
    const smallCalls = Object.values(small.timings).flatMap((t) => t.calls);
    results['inbox_api_calls_per_page'] = result(Math.max(...calls), 'calls', Math.max(...smallCalls));
    return results;
  },
};
