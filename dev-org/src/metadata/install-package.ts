/**
 * Installs the package in `manifests/` into the dev org the way `sf social setup` leaves an org: the
 * package deployed (package.xml resolved and converted to a metadata-format zip by
 * @salesforce/source-deploy-retrieve, as the CLI does, then run through the dev org's own deploy,
 * deploy.ts), the admin permission set assigned to the running user, the agent permission set to the
 * org's care agents (active users whose title says "Agent"), as
 * `sf social setup --agent-user <agent> …` assigns them. Nothing is assigned twice.
 *
 * The library is loaded only when an install runs: a dev org that was installed once starts without it.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_SOURCE_DIR } from '@socialcrm/manifests';
import type { RecordStore } from '../store/record-store.ts';
import { executeQuery } from '../soql/index.ts';
import type { ComponentRegistry } from './component-registry.ts';
import { DEFAULT_DEPLOY_OPTIONS, deployZip, type DeployMessage } from './deploy.ts';

export interface InstallContext {
  store: RecordStore;
  registry: ComponentRegistry;
  now: () => Date;
  /** Who gets the admin permission set (setup's default: the user it runs as). */
  adminUserId: string;
}

export interface InstallOutcome {
  success: boolean;
  components: number;
  failures: DeployMessage[];
  /** `PermissionSet name → usernames` newly assigned. */
  assigned: Record<string, string[]>;
}

/** The package (package.xml and the sfdx project beside the source folder) as a metadata-format zip. */
async function packageZip(sourceDir: string): Promise<Uint8Array> {
  const projectDir = dirname(sourceDir);
  const manifestPath = join(projectDir, 'package.xml');
  if (!existsSync(manifestPath)) throw new Error(`no package.xml in ${projectDir}`);
  const { ComponentSet, MetadataConverter } = await import('@salesforce/source-deploy-retrieve');
  const components = await ComponentSet.fromManifest({ manifestPath, resolveSourcePaths: [sourceDir] });
  const converted = await new MetadataConverter().convert(components, 'metadata', { type: 'zip' });
  if (!converted.zipBuffer) throw new Error('the package could not be converted to a zip');
  return new Uint8Array(converted.zipBuffer);
}

/** The records a query returns (the queries here are constants: nothing to quote). */
function records(store: RecordStore, soql: string): Record<string, unknown>[] {
  return executeQuery(store.db, store.schema, soql, { apiPath: '/services/data/v62.0' }).records;
}

/** Assigns a permission set to each user that lacks it; returns the usernames newly assigned. */
function assign(store: RecordStore, permissionSet: string, userIds: readonly string[]): string[] {
  const [setId] = store.idsByField('PermissionSet', 'Name', permissionSet);
  if (!setId) return [];
  const have = new Set(
    records(store, 'SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment')
      .filter((r) => r['PermissionSetId'] === setId)
      .map((r) => r['AssigneeId']),
  );
  const assigned: string[] = [];
  for (const userId of userIds) {
    if (have.has(userId)) continue;
    store.create('PermissionSetAssignment', { PermissionSetId: setId, AssigneeId: userId });
    assigned.push(String(store.get('User', userId, '/services/data/v62.0', ['Username'])['Username']));
  }
  return assigned;
}

export async function installPackage(
  context: InstallContext,
  sourceDir: string = DEFAULT_SOURCE_DIR,
): Promise<InstallOutcome> {
  const zip = await packageZip(sourceDir);
  const outcome = await deployZip(zip, DEFAULT_DEPLOY_OPTIONS, context);
  const result: InstallOutcome = {
    success: outcome.success,
    components: outcome.numberComponentsTotal,
    failures: outcome.componentFailures,
    assigned: {},
  };
  if (!outcome.success) return result;
  const sets = outcome.componentSuccesses
    .filter((m) => m.componentType === 'PermissionSet')
    .map((m) => m.fullName);
  const admin = sets.find((name) => /admin/i.test(name));
  const agent = sets.find((name) => /agent/i.test(name));
  context.store.transaction(() => {
    if (admin) result.assigned[admin] = assign(context.store, admin, [context.adminUserId]);
    if (agent) {
      const agents = records(
        context.store,
        "SELECT Id FROM User WHERE IsActive = true AND Title LIKE '%Agent%' ORDER BY Username",
      ).map((r) => String(r['Id']));
      result.assigned[agent] = assign(context.store, agent, agents);
    }
  });
  return result;
}
