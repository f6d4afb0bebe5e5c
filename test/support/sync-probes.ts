/**
 * What the resilience and crash-recovery tests read back: the sync server's own view (`/api/status`,
 * `/api/dead-letters`, `/metrics`) and the org's (posts by author prefix, through a jsforce connection
 * that renews its session as an integration would, so it keeps working while the org expires sessions).
 */
import jsforce, { type Connection } from 'jsforce';
import type { DevOrg } from '@socialcrm/dev-org';

export interface SyncStatus {
  sync: {
    status: 'running' | 'paused' | 'stopped';
    reason: string | null;
    hint: string | null;
    consecutiveFailures: number;
  };
  queue: { depth: number; inFlight: number; deadLetters: number };
  problems: { what: string; hint: string }[];
}

export interface DeadLetterView {
  seq: number;
  key: string;
  reason: string;
  attempts: number;
}

export async function syncStatus(serverUrl: string): Promise<SyncStatus> {
  return (await (await fetch(`${serverUrl}/api/status`)).json()) as SyncStatus;
}

export async function deadLetters(serverUrl: string): Promise<DeadLetterView[]> {
  const body = (await (await fetch(`${serverUrl}/api/dead-letters`)).json()) as {
    deadLetters: DeadLetterView[];
  };
  return body.deadLetters;
}

/** Sum of a metric's samples on the sync server's `/metrics`, all of them or those with every `label="value"` given. */
export async function metricSum(
  serverUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${serverUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** Sum of `socialcrm_crm_api_calls_total` samples, all of them or those with `outcome="<outcome>"`. */
export async function crmApiCalls(serverUrl: string, outcome?: 'success' | 'error'): Promise<number> {
  return metricSum(serverUrl, 'socialcrm_crm_api_calls_total', outcome ? { outcome } : {});
}

/** A jsforce connection to the dev org that renews its session by client credentials, like the server. */
export function renewingConnection(org: DevOrg): Connection {
  return new jsforce.Connection({
    instanceUrl: org.url,
    accessToken: org.accessToken,
    version: org.apiVersion,
    refreshFn: (_conn, callback) => {
      fetch(`${org.url}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: org.client.clientId,
          client_secret: org.client.clientSecret,
        }),
      })
        .then((res) => res.json() as Promise<{ access_token: string }>)
        .then(
          (body) => callback(null, body.access_token),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
    },
  });
}

/** The External_Id__c of every post whose author handle starts with `prefix` (all pages). */
export async function postKeys(conn: Connection, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let page = await conn.query<{ External_Id__c: string }>(
    `SELECT External_Id__c FROM Social_Post__c WHERE Author_Handle__c LIKE '${prefix}%'`,
  );
  keys.push(...page.records.map((r) => r.External_Id__c));
  while (!page.done && page.nextRecordsUrl) {
    page = await conn.queryMore<{ External_Id__c: string }>(page.nextRecordsUrl);
    keys.push(...page.records.map((r) => r.External_Id__c));
  }
  return keys;
}

export async function countPosts(conn: Connection, prefix: string): Promise<number> {
  const result = await conn.query(
    `SELECT COUNT() FROM Social_Post__c WHERE Author_Handle__c LIKE '${prefix}%'`,
  );
  return result.totalSize;
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!);
      }
    }),
  );
  return results;
}
