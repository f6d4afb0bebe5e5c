/**
 * Turns what `sf social status` gathered into problems, each with what to do about it. Pure: no I/O, so
 * every rule has a unit test. `error` problems make the status exit 1; `warning`s are worth a look.
 */
import type { ConnectorHealth, Readiness, SyncStatus } from '../sync-server/schemas.ts';
import type { Problem, ApiUsage } from '../results.ts';
import type { PermissionSetState, TypeInventory } from '../results.ts';

export type ServerFacts =
  | { reachable: true; status: SyncStatus; readiness: Readiness }
  /** `refused`: it answers, but not to us (no or a wrong OPS_TOKEN), with what to do about it. */
  | { reachable: false; reason: string; refused?: { actions: string[] } };

export interface StatusFacts {
  /** How the user named the org (alias or username), for the commands we suggest. */
  org: string;
  serverUrl: string;
  components: TypeInventory[];
  permissionSets: PermissionSetState[];
  apiUsage: ApiUsage | null;
  /** The share of the daily allowance at which the sync pauses (SYNC_API_BUDGET). */
  apiBudget: number;
  server: ServerFacts;
  now: Date;
}

/** A token this close to expiry is a warning: renew it before the connector stops. */
const TOKEN_WARNING_DAYS = 7;
/** Mentions waiting longer than this mean the sync is falling behind. */
const LAG_WARNING_SECONDS = 300;

function connectorProblems(c: ConnectorHealth, now: Date): Problem[] {
  const problems: Problem[] = [];
  const label = `${c.network} connector ${c.name}`;
  if (c.tokenValid === false) {
    problems.push({
      severity: 'error',
      area: 'connector',
      problem: `${label}: the network rejects its token`,
      action:
        c.hint ??
        `issue a new token for ${c.network}, set it in the sync server's environment and restart it`,
    });
  } else if (c.status === 'down' || c.status === 'degraded') {
    problems.push({
      severity: c.status === 'down' ? 'error' : 'warning',
      area: 'connector',
      problem: `${label} is ${c.status}${c.lastError ? `: ${c.lastError}` : ''}`,
      action: c.hint ?? 'see the sync server log',
    });
  }
  if (c.tokenExpiresAt && c.tokenValid !== false) {
    const days = (Date.parse(c.tokenExpiresAt) - now.getTime()) / 86_400_000;
    if (days < 0) {
      problems.push({
        severity: 'error',
        area: 'connector',
        problem: `${label}: its token expired on ${c.tokenExpiresAt.slice(0, 10)}`,
        action: `issue a new token for ${c.network} and restart the sync server`,
      });
    } else if (days < TOKEN_WARNING_DAYS) {
      problems.push({
        severity: 'warning',
        area: 'connector',
        problem: `${label}: its token expires on ${c.tokenExpiresAt.slice(0, 10)}`,
        action: `renew the ${c.network} token before then`,
      });
    }
  }
  return problems;
}

function serverProblems(facts: StatusFacts): Problem[] {
  const problems: Problem[] = [];
  if (!facts.server.reachable && facts.server.refused) {
    problems.push({
      severity: 'error',
      area: 'server',
      problem: `the sync server at ${facts.serverUrl} answers but refuses this CLI: ${facts.server.reason}`,
      action: facts.server.refused.actions.join(' '),
    });
    return problems;
  }
  if (!facts.server.reachable) {
    problems.push({
      severity: 'error',
      area: 'server',
      problem: `the sync server at ${facts.serverUrl} does not answer (${facts.server.reason})`,
      action: `start it: sf social serve --target-org ${facts.org} (or pass --server-url where it runs)`,
    });
    return problems;
  }
  const { status, readiness } = facts.server;
  for (const [name, check] of Object.entries(readiness.checks)) {
    if (check.ok) continue;
    problems.push({
      severity: 'error',
      area: 'server',
      problem: `the sync server is not ready: ${name} ${check.detail ? `(${check.detail})` : 'fails'}`,
      action:
        name === 'org'
          ? `check that the org answers and the server's session is valid; restart it with sf social serve --target-org ${facts.org}`
          : 'see the sync server log',
    });
  }
  if (status.sync.status === 'paused') {
    problems.push({
      severity: 'error',
      area: 'server',
      problem: `the sync is paused: ${status.sync.reason ?? 'no reason given'}`,
      action: status.sync.hint || 'see the sync server log',
    });
  } else if (status.sync.status === 'stopped') {
    problems.push({
      severity: 'error',
      area: 'server',
      problem: 'the sync loop is stopped',
      action: `restart the sync server: sf social serve --target-org ${facts.org}`,
    });
  }
  for (const connector of status.connectors) problems.push(...connectorProblems(connector, facts.now));
  if (status.queue.deadLetters > 0) {
    problems.push({
      severity: 'warning',
      area: 'queue',
      problem: `${status.queue.deadLetters} mention(s) the org rejected are in the dead letters`,
      action: `see why with curl ${facts.serverUrl}/api/dead-letters; fix the cause, then curl -X POST ${facts.serverUrl}/api/dead-letters/redrive`,
    });
  }
  if (status.queue.oldestAgeSeconds > LAG_WARNING_SECONDS) {
    problems.push({
      severity: 'warning',
      area: 'queue',
      problem: `the sync is ${Math.round(status.queue.oldestAgeSeconds / 60)} minute(s) behind (${status.queue.depth} mention(s) waiting)`,
      action: 'check that the org answers and the API allowance is not spent; the queue drains once they are',
    });
  }
  return problems;
}

export function findProblems(facts: StatusFacts): Problem[] {
  const problems: Problem[] = [];
  const setup = `sf social setup --target-org ${facts.org}`;

  const missing = facts.components.filter((t) => t.present < t.total);
  if (missing.length > 0) {
    const count = missing.reduce((n, t) => n + t.total - t.present, 0);
    const sample = missing.flatMap((t) => t.missing.map((m) => `${t.type} ${m}`)).slice(0, 3);
    problems.push({
      severity: 'error',
      area: 'package',
      problem: `${count} component(s) of the package are missing from the org (${sample.join(', ')}${count > 3 ? ', …' : ''})`,
      action: `deploy the package: ${setup}`,
    });
  }

  for (const set of facts.permissionSets) {
    // A permission set the org lacks is already counted as a missing component.
    if (set.exists && set.assignees.length === 0) {
      problems.push({
        severity: 'warning',
        area: 'permissions',
        problem: `nobody has the ${set.permissionSet} permission set`,
        action: `assign it: ${setup} --${/agent/i.test(set.permissionSet) ? 'agent' : 'admin'}-user <username>`,
      });
    }
  }

  if (facts.apiUsage) {
    const percent = Math.round(facts.apiUsage.ratio * 100);
    const budget = Math.round(facts.apiBudget * 100);
    if (facts.apiUsage.ratio >= facts.apiBudget) {
      problems.push({
        severity: 'error',
        area: 'api',
        problem: `the org has used ${percent}% of today's API requests; the sync pauses above ${budget}% (mentions stay queued)`,
        action:
          'find what else spends the allowance (Setup → System Overview), or raise SYNC_API_BUDGET on the sync server',
      });
    } else if (facts.apiUsage.ratio >= facts.apiBudget * 0.8) {
      problems.push({
        severity: 'warning',
        area: 'api',
        problem: `the org has used ${percent}% of today's API requests`,
        action: `the sync pauses at ${budget}%: find what else spends the allowance before then`,
      });
    }
  }

  problems.push(...serverProblems(facts));
  return problems;
}
