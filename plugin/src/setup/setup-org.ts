/**
 * `sf social setup` as a library: deploy the package, assign its permission sets, write the sync server's
 * settings for the org. Every step compares with what is there first, so running it again changes
 * nothing and says so. A dry run validates the deploy in the org (check-only) and reports what each step
 * would do, changing nothing.
 */
import type { Connection } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { errors } from '../shared/messages.ts';
import { deployPackage, type DeployProgress } from '../package/deploy-package.ts';
import { componentRefs, packageComponentSet, permissionSetNames } from '../package/component-set.ts';
import type { PackageSource } from '../package/package-source.ts';
import { assignPermissionSets } from '../package/permission-sets.ts';
import { SocialCrmSettings } from '../sync-server/settings.ts';
import type { AssignmentRequest, OrgServerSettings, SetupResult } from '../results.ts';

export interface SetupOptions {
  source: PackageSource;
  org: { id: string; username: string; instanceUrl: string; apiVersion: string };
  /** Users who get the admin permission set (the sync server's integration user among them). */
  adminUsers: string[];
  agentUsers: string[];
  serverUrl: string;
  dataDir: string;
  dryRun: boolean;
  wait: Duration;
  onDeployProgress?: (progress: DeployProgress) => void;
}

/** Which permission set is the admin one, which the agent one: by name, from the package. */
function pickPermissionSets(names: string[]): { admin: string | undefined; agent: string | undefined } {
  return {
    admin: names.find((n) => /admin/i.test(n)),
    agent: names.find((n) => /agent/i.test(n)),
  };
}

export async function setupOrg(conn: Connection, options: SetupOptions): Promise<SetupResult> {
  const components = await packageComponentSet(options.source);
  const deploy = await deployPackage(conn, components, {
    checkOnly: options.dryRun,
    wait: options.wait,
    onProgress: options.onDeployProgress,
  });
  const base = {
    org: { id: options.org.id, username: options.org.username, instanceUrl: options.org.instanceUrl },
    dryRun: options.dryRun,
    deploy,
  };
  if (!deploy.success) {
    const error = errors.createError('error.DeployFailed', [String(deploy.failures.length)]);
    error.setData(base);
    throw error;
  }

  const sets = pickPermissionSets(permissionSetNames(componentRefs(components)));
  const requests: AssignmentRequest[] = [
    ...(sets.admin ? options.adminUsers.map((username) => ({ username, permissionSet: sets.admin! })) : []),
    ...(sets.agent ? options.agentUsers.map((username) => ({ username, permissionSet: sets.agent! })) : []),
  ];
  const assignments = await assignPermissionSets(conn, requests, { dryRun: options.dryRun });

  const settingsFile = await SocialCrmSettings.create(SocialCrmSettings.getDefaultOptions());
  const values: OrgServerSettings = {
    orgId: options.org.id,
    username: options.org.username,
    instanceUrl: options.org.instanceUrl,
    apiVersion: options.org.apiVersion,
    serverUrl: options.serverUrl,
    dataDir: options.dataDir,
  };
  const changedSettings = settingsFile.saveOrg(values);
  if (!options.dryRun && changedSettings.length > 0) await settingsFile.write();

  return {
    ...base,
    assignments,
    settings: { path: settingsFile.getPath(), changed: changedSettings, values },
    changed:
      deploy.created.length > 0 ||
      deploy.changed.length > 0 ||
      assignments.some((a) => a.status !== 'already-assigned') ||
      changedSettings.length > 0,
  };
}
