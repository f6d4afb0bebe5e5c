/**
 * Prometheus metrics. Each app instance owns its own Registry (never prom-client's global one),
 * so tests can build several apps in one process and read each one's numbers alone.
 * The metric names the root README lists are a public interface: dashboards and alerts use them.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

import { NETWORKS } from '../domain/mention.ts';

/** Networks whose counters are exported at 0 from the start, so rates work before the first mention. */
export const KNOWN_NETWORKS = NETWORKS;

export interface Metrics {
  readonly registry: Registry;
  /** Run before each scrape, to sample values kept elsewhere (connector health, queue stats). */
  readonly beforeScrape: (() => unknown)[];
  /** Mentions accepted from a network (webhook or poll), before any processing. */
  readonly mentionsReceived: Counter<'network'>;
  /** Mentions written to the org as Social_Post__c. */
  readonly mentionsSynced: Counter<'network'>;
  /** Items a network sent that were refused at intake, by why (`too_deep`, `invalid_handle`, `malformed`…). */
  readonly mentionsRejected: Counter<'network' | 'reason'>;
  /** Salesforce API calls made, by gateway operation and outcome (`success` or `error`). */
  readonly crmApiCalls: Counter<'operation' | 'outcome'>;
  readonly crmBulkJobs: Counter<'object' | 'state'>;
  readonly crmBulkRecords: Counter<'object' | 'outcome'>;
  /** Daily API requests used / allowed, from the `Sforce-Limit-Info` header (0..1). */
  readonly crmApiUsageRatio: Gauge;
  /** Items waiting in the durable queue. */
  readonly queueDepth: Gauge;
  /** Age in seconds of the oldest mention not yet synced to the org. */
  readonly syncLagSeconds: Gauge;
  /** 1 when a connector is ok or idle, 0 when degraded or down (per connector, sampled at scrape). */
  readonly connectorUp: Gauge<'network' | 'connector'>;
  /** Consecutive failures of a connector. */
  readonly connectorErrorStreak: Gauge<'network' | 'connector'>;
  /** Seconds since a connector last delivered a mention (absent before the first). */
  readonly connectorLastEventAge: Gauge<'network' | 'connector'>;
  /** Mentions the org rejected, waiting in the dead letters. */
  readonly deadLetters: Gauge;
  /** HTTP request durations by method, matched route (not raw path: bounded cardinality) and status. */
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  /** Replies by network and outcome (`sent`, `failed`, `queued`, `reconciled`). */
  readonly replies: Counter<'network' | 'outcome'>;
  /** Seconds from a reply's creation in the org to its publication on the network. */
  readonly replySendSeconds: Histogram<'network'>;
  /** Minutes from an inbound post to the brand's first answer (recorded when the answer is sent). */
  readonly firstResponseMinutes: Histogram<'network'>;
  /** Seconds from an inbound post to the brand's first answer, and whether it met its reply-time target. */
  readonly firstResponseSeconds: Histogram<'network' | 'target_met'>;
  /** Inbox posts still to answer, by status (open in a queue, assigned to a user); set by the breach sweep. */
  readonly inboxOpen: Gauge<'status'>;
  /** Posts that passed their reply-time target unanswered and were escalated. */
  readonly targetBreaches: Counter<'network' | 'priority'>;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag…); on by default. */
  defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const mentionsReceived = new Counter({
    name: 'socialcrm_mentions_received_total',
    help: 'Mentions accepted from a social network, before processing.',
    labelNames: ['network'] as const,
    registers,
  });
  const mentionsSynced = new Counter({
    name: 'socialcrm_mentions_synced_total',
    help: 'Mentions written to the CRM as Social_Post__c records.',
    labelNames: ['network'] as const,
    registers,
  });
  const mentionsRejected = new Counter({
    name: 'socialcrm_mentions_rejected_total',
    help: 'Items refused at intake (malformed, too deep or large, invalid author handle); the rest of their delivery is queued.',
    labelNames: ['network', 'reason'] as const,
    registers,
  });
  for (const network of KNOWN_NETWORKS) {
    mentionsReceived.labels(network).inc(0);
    mentionsSynced.labels(network).inc(0);
  }

  const connectorLabels = ['network', 'connector'] as const;
  return {
    registry,
    beforeScrape: [],
    mentionsReceived,
    mentionsSynced,
    mentionsRejected,
    connectorUp: new Gauge({
      name: 'socialcrm_connector_up',
      help: 'Whether a connector is working (1) or degraded/down (0).',
      labelNames: connectorLabels,
      registers,
    }),
    connectorErrorStreak: new Gauge({
      name: 'socialcrm_connector_error_streak',
      help: 'Consecutive failures of a connector.',
      labelNames: connectorLabels,
      registers,
    }),
    connectorLastEventAge: new Gauge({
      name: 'socialcrm_connector_last_event_age_seconds',
      help: 'Seconds since the connector last delivered a mention.',
      labelNames: connectorLabels,
      registers,
    }),
    deadLetters: new Gauge({
      name: 'socialcrm_dead_letters',
      help: 'Mentions the org rejected, kept with the reason until re-driven.',
      registers,
    }),
    crmApiCalls: new Counter({
      name: 'socialcrm_crm_api_calls_total',
      help: 'Salesforce API calls made by the sync server.',
      labelNames: ['operation', 'outcome'] as const,
      registers,
    }),
    crmBulkJobs: new Counter({
      name: 'socialcrm_crm_bulk_jobs_total',
      help: 'Bulk API 2.0 ingest jobs the sync ran, by object and final state.',
      labelNames: ['object', 'state'] as const,
      registers,
    }),
    crmBulkRecords: new Counter({
      name: 'socialcrm_crm_bulk_records_total',
      help: 'Records written through Bulk API 2.0 jobs, by object and outcome (saved, failed).',
      labelNames: ['object', 'outcome'] as const,
      registers,
    }),
    crmApiUsageRatio: new Gauge({
      name: 'socialcrm_crm_api_usage_ratio',
      help: 'Share of the org daily API request limit in use, from the Sforce-Limit-Info header.',
      registers,
    }),
    queueDepth: new Gauge({
      name: 'socialcrm_queue_depth',
      help: 'Items waiting in the durable queue.',
      registers,
    }),
    syncLagSeconds: new Gauge({
      name: 'socialcrm_sync_lag_seconds',
      help: 'Age in seconds of the oldest mention not yet synced to the CRM.',
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: 'socialcrm_http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    replies: new Counter({
      name: 'socialcrm_replies_total',
      help: 'Outbound replies by network and outcome (sent, failed, queued, reconciled).',
      labelNames: ['network', 'outcome'] as const,
      registers,
    }),
    replySendSeconds: new Histogram({
      name: 'socialcrm_reply_send_seconds',
      help: 'Seconds from a reply record to its publication on the network.',
      labelNames: ['network'] as const,
      buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900],
      registers,
    }),
    firstResponseMinutes: new Histogram({
      name: 'socialcrm_first_response_minutes',
      help: 'Minutes from an inbound post to the first answer sent from the CRM.',
      labelNames: ['network'] as const,
      buckets: [5, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080],
      registers,
    }),
    firstResponseSeconds: new Histogram({
      name: 'socialcrm_first_response_seconds',
      help: 'Seconds from an inbound post to the first answer sent from the CRM; target_met is yes, no or none (no target).',
      labelNames: ['network', 'target_met'] as const,
      buckets: [60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 604_800],
      registers,
    }),
    inboxOpen: new Gauge({
      name: 'socialcrm_inbox_open',
      help: 'Inbox posts still to answer: status open (in a queue) or assigned (to a user).',
      labelNames: ['status'] as const,
      registers,
    }),
    targetBreaches: new Counter({
      name: 'socialcrm_target_breaches_total',
      help: 'Posts that passed their reply-time target unanswered and were escalated.',
      labelNames: ['network', 'priority'] as const,
      registers,
    }),
  };
}
