/**
 * A backfill through the sync server: `POST /api/backfill` pulls the network's history into the server's
 * durable queue (which drops every post it has seen before), then the sync writes the new ones to the org.
 * Progress is the sync's: mentions of that network written to the org since we started
 * (`socialcrm_mentions_synced_total`) against those still waiting in the queue. What it cost the org's API
 * allowance comes from the same metrics: `socialcrm_crm_api_calls_total` and `socialcrm_crm_bulk_jobs_total`.
 */
import { errors } from '../shared/messages.ts';
import type { SyncServerClient } from '../sync-server/client.ts';
import { metricTotal } from '../sync-server/prometheus.ts';
import type { BackfillResult, Network } from '../results.ts';

export const NETWORKS = [
  'x',
  'bluesky',
  'mastodon',
  'facebook',
  'instagram',
] as const satisfies readonly Network[];

export interface BackfillProgress {
  phase: 'pulling' | 'syncing';
  /** Mentions the server has pulled from the network so far (while pulling). */
  pulled: number;
  synced: number;
  waiting: number;
}

export interface BackfillOptions {
  network: Network;
  since: string;
  waitMs: number;
  pollMs?: number;
  onProgress?: (progress: BackfillProgress) => void;
}

/** Checks `--since` as the server reads it: a duration (`7d`, `12h`, `30m`, `2w`) or an ISO date. */
export function checkSince(value: string): string {
  const trimmed = value.trim();
  if (
    /^\d+\s*[mhdw]$/i.test(trimmed) ||
    (/^\d{4}-\d{2}-\d{2}/.test(trimmed) && Number.isFinite(Date.parse(trimmed)))
  ) {
    return trimmed;
  }
  throw errors.createError('error.BadSince', [value]);
}

interface Counters {
  synced: number;
  apiCalls: number;
  bulkJobs: number;
}

async function counters(client: SyncServerClient, network: Network): Promise<Counters> {
  const samples = await client.metrics();
  return {
    synced:
      metricTotal(
        samples.filter((s) => s.labels['network'] === network),
        'socialcrm_mentions_synced_total',
      ) ?? 0,
    apiCalls: metricTotal(samples, 'socialcrm_crm_api_calls_total') ?? 0,
    bulkJobs: metricTotal(samples, 'socialcrm_crm_bulk_jobs_total') ?? 0,
  };
}

export async function backfill(client: SyncServerClient, options: BackfillOptions): Promise<BackfillResult> {
  const since = checkSince(options.since);
  const before = await counters(client, options.network);
  options.onProgress?.({ phase: 'pulling', pulled: 0, synced: 0, waiting: 0 });
  // The pull is one request that answers when done; meanwhile the server's status tells how far it got.
  const pull = client.backfill(options.network, since);
  let pulling = true;
  const watch = (async () => {
    while (pulling) {
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
      if (!pulling) break;
      const status = await client.status().catch(() => null);
      const mine = status?.backfills?.find((b) => b.network === options.network);
      if (pulling && mine)
        options.onProgress?.({ phase: 'pulling', pulled: mine.pulled, synced: 0, waiting: 0 });
    }
  })();
  const answer = await pull.finally(() => {
    pulling = false;
  });
  await watch;

  const deadline = Date.now() + options.waitMs;
  let now: Counters;
  let waiting: number;
  for (;;) {
    // The queue first, then the counter: a mention leaves the queue only after it is counted, so a drained
    // queue read first means the count read after it includes every new one.
    waiting = (await client.status()).queue.depth;
    now = await counters(client, options.network);
    options.onProgress?.({
      phase: 'syncing',
      pulled: answer.pulled,
      synced: now.synced - before.synced,
      waiting,
    });
    if (waiting === 0 || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
  return {
    network: options.network,
    since: answer.since,
    serverUrl: client.baseUrl,
    pulled: answer.pulled,
    added: now.synced - before.synced,
    drained: waiting === 0,
    waiting,
    apiCalls: now.apiCalls - before.apiCalls,
    bulkJobs: now.bulkJobs - before.bulkJobs,
  };
}
