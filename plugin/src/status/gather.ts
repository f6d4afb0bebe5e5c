/**
 * Everything `sf social status` shows, gathered in one place: the package's components in the org
 * (listMetadata), permission set assignments (SOQL), today's API usage (`/limits`) and the sync server's
 * health (`/api/status`, `/readyz`, `/metrics`), then the problems found in them.
 */
import type { Connection } from '@salesforce/core';
import { SfError } from '@salesforce/core';
import { byType, componentInventory } from '../package/inventory.ts';
import { componentRefs, packageComponentSet, permissionSetNames } from '../package/component-set.ts';
import type { PackageSource } from '../package/package-source.ts';
import { permissionSetStates } from '../package/permission-sets.ts';
import { SyncServerClient } from '../sync-server/client.ts';
import { metricTotal } from '../sync-server/prometheus.ts';
import { findProblems, type ServerFacts } from './problems.ts';
import type { ApiUsage, ServerStatus, StatusResult } from '../results.ts';

export interface GatherOptions {
  orgName: string;
  orgId: string;
  username: string;
  serverUrl: string;
  source: PackageSource;
  apiBudget: number;
  now?: () => Date;
}

async function apiUsage(conn: Connection): Promise<ApiUsage | null> {
  const limits = (await conn.limits()) as { DailyApiRequests?: { Max: number; Remaining: number } };
  const daily = limits.DailyApiRequests;
  if (!daily || daily.Max <= 0) return null;
  const used = daily.Max - daily.Remaining;
  return { used, max: daily.Max, ratio: used / daily.Max };
}

async function serverFacts(client: SyncServerClient): Promise<{ facts: ServerFacts; status: ServerStatus }> {
  try {
    const [status, readiness, metrics] = await Promise.all([
      client.status(),
      client.readiness(),
      client.metrics(),
    ]);
    return {
      facts: { reachable: true, status, readiness },
      status: {
        url: client.baseUrl,
        reachable: true,
        ready: readiness.status === 'ready',
        checks: readiness.checks,
        sync: status.sync,
        queue: status.queue,
        connectors: status.connectors,
        counters: {
          mentionsReceived: metricTotal(metrics, 'socialcrm_mentions_received_total'),
          mentionsSynced: metricTotal(metrics, 'socialcrm_mentions_synced_total'),
          crmApiCalls: metricTotal(metrics, 'socialcrm_crm_api_calls_total'),
        },
      },
    };
  } catch (error) {
    if (!(error instanceof SfError)) throw error;
    const data = error.data as { reason?: string; refused?: boolean } | undefined;
    const reason = data?.reason ?? error.message;
    return {
      facts: {
        reachable: false,
        reason,
        ...(data?.refused ? { refused: { actions: error.actions ?? [] } } : {}),
      },
      status: { url: client.baseUrl, reachable: false, error: error.message },
    };
  }
}

export async function gatherStatus(conn: Connection, options: GatherOptions): Promise<StatusResult> {
  const refs = componentRefs(await packageComponentSet(options.source));
  const client = new SyncServerClient(options.serverUrl, { targetOrg: options.orgName });
  const [components, permissionSets, usage, server] = await Promise.all([
    componentInventory(conn, refs),
    permissionSetStates(conn, permissionSetNames(refs)),
    apiUsage(conn),
    serverFacts(client),
  ]);
  const types = byType(components);
  const problems = findProblems({
    org: options.orgName,
    serverUrl: client.baseUrl,
    components: types,
    permissionSets,
    apiUsage: usage,
    apiBudget: options.apiBudget,
    server: server.facts,
    now: options.now?.() ?? new Date(),
  });
  return {
    org: { id: options.orgId, username: options.username, instanceUrl: conn.instanceUrl },
    healthy: !problems.some((p) => p.severity === 'error'),
    components: {
      present: components.filter((c) => c.present).length,
      total: components.length,
      byType: types,
    },
    permissionSets,
    apiUsage: usage,
    server: server.status,
    problems,
  };
}
