/**
 * What the commands return: the `result` of their `--json` output, a contract scripts rely on. Types only,
 * in one file with no imports, so schemas/*.json are generated from it quickly and a test keeps them current
 * (`npm run snapshot:generate -w plugin` regenerates them).
 */

/** A network the sync server has connectors for. */
export type Network = 'x' | 'bluesky' | 'mastodon' | 'facebook' | 'instagram';

/** A component of the package, by metadata type and full name (`CustomField` `Social_Post__c.Body__c`). */
export type ComponentRef = {
  type: string;
  fullName: string;
};

export type ComponentFailure = {
  type: string;
  fullName: string;
  problem: string;
  fileName: string;
  line: number | null;
};

export type DeploySummary = {
  id: string;
  status: string;
  success: boolean;
  checkOnly: boolean;
  created: ComponentRef[];
  changed: ComponentRef[];
  unchanged: ComponentRef[];
  failures: ComponentFailure[];
  /** Components in the deploy (package.xml members). */
  total: number;
};

export interface AssignmentRequest {
  username: string;
  permissionSet: string;
}

export interface AssignmentOutcome extends AssignmentRequest {
  status: 'assigned' | 'already-assigned' | 'would-assign';
}

export type OrgServerSettings = {
  orgId: string;
  username: string;
  instanceUrl: string;
  apiVersion: string;
  /** Where the sync server listens, e.g. http://localhost:8787. */
  serverUrl: string;
  /** The queue and cursors (DATA_DIR). */
  dataDir: string;
};

export interface SettingsOutcome {
  path: string;
  /** Settings that were (or, in a dry run, would be) written: all of them for a new org, none when unchanged. */
  changed: string[];
  values: OrgServerSettings;
}

export interface SetupResult {
  org: { id: string; username: string; instanceUrl: string };
  dryRun: boolean;
  deploy: DeploySummary;
  assignments: AssignmentOutcome[];
  settings: SettingsOutcome;
  /** Whether anything in the org or the settings changed (would change, in a dry run). */
  changed: boolean;
}

export interface TypeInventory {
  type: string;
  present: number;
  total: number;
  missing: string[];
}

export interface PermissionSetState {
  permissionSet: string;
  exists: boolean;
  assignees: string[];
}

export interface ApiUsage {
  used: number;
  max: number;
  /** used / max, 0..1. */
  ratio: number;
}

export interface Problem {
  severity: 'error' | 'warning';
  area: 'package' | 'permissions' | 'api' | 'server' | 'connector' | 'queue';
  problem: string;
  action: string;
}

// The sync server's parts of the status are spelled out here rather than inferred from the zod schemas
// that check its answers (sync-server/schemas.ts): they are part of this command's public JSON.

export interface ConnectorReport {
  network: string;
  name: string;
  status: 'ok' | 'degraded' | 'down' | 'idle';
  lastEventAt: string | null;
  cursor: string | null;
  tokenValid: boolean | null;
  tokenExpiresAt: string | null;
  errorStreak: number;
  lastError: string | null;
  hint: string | null;
}

export interface SyncLoopReport {
  status: 'running' | 'paused' | 'stopped';
  reason: string | null;
  hint: string | null;
  lastSyncAt: string | null;
  consecutiveFailures: number;
}

export interface QueueReport {
  depth: number;
  inFlight: number;
  deadLetters: number;
  oldestAgeSeconds: number;
}

export interface ReadinessCheckReport {
  ok: boolean;
  detail?: string;
}

export interface ServerStatus {
  url: string;
  reachable: boolean;
  /** Why it could not be reached. */
  error?: string;
  ready?: boolean;
  /** By check name: org, queue, connector:<name>. */
  checks?: Record<string, ReadinessCheckReport>;
  sync?: SyncLoopReport;
  queue?: QueueReport;
  connectors?: ConnectorReport[];
  /** Counters since the server started. */
  counters?: { mentionsReceived: number | null; mentionsSynced: number | null; crmApiCalls: number | null };
}

export interface StatusResult {
  org: { id: string; username: string; instanceUrl: string };
  healthy: boolean;
  components: { present: number; total: number; byType: TypeInventory[] };
  permissionSets: PermissionSetState[];
  apiUsage: ApiUsage | null;
  server: ServerStatus;
  problems: Problem[];
}

export interface BackfillResult {
  network: Network;
  /** The start of the backfilled window, as the server understood `--since`. */
  since: string;
  serverUrl: string;
  /** Mentions the network returned, including those already seen. */
  pulled: number;
  /** Mentions the sync wrote to the org during the backfill: the new ones. */
  added: number;
  /** Whether the queue drained before the wait ran out. */
  drained: boolean;
  /** Mentions still waiting when we stopped watching (0 once drained). */
  waiting: number;
  /** Salesforce API calls the sync server made while we watched (its other work included). */
  apiCalls: number;
  /** Bulk API 2.0 jobs among them: a large backfill is written with Bulk API, a few calls per object. */
  bulkJobs: number;
}

export interface ServeResult {
  orgId: string;
  username: string;
  url: string;
  dataDir: string;
  /** Why it stopped: the signal it received. */
  stoppedBy: string;
}

export interface ObjectWrite {
  object: 'Social_Persona__c' | 'Contact' | 'Lead';
  scanned: number;
  changed: number;
  api: 'none' | 'collections' | 'bulk2';
  bulkJobId: string | null;
  failures: { id: string; error: string }[];
}

export interface RecomputeResult {
  dryRun: boolean;
  posts: number;
  writes: ObjectWrite[];
}
