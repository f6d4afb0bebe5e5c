/**
 * Deploys the package with @salesforce/source-deploy-retrieve over the Metadata REST API
 * (`…/metadata/deployRequest`), reporting progress while it polls, and sums the result up the way an admin
 * reads it: what was created, what changed, what was already there, and each component the org refused
 * with its reason.
 */
import type { Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import type {
  ComponentSet,
  DeployMessage,
  MetadataApiDeployStatus,
} from '@salesforce/source-deploy-retrieve';
import type { DeploySummary } from '../results.ts';
import type { ComponentRef } from '../results.ts';

export interface DeployProgress {
  status: string;
  deployed: number;
  total: number;
}

export interface DeployPackageOptions {
  checkOnly: boolean;
  /** How long to wait for the org to finish. */
  wait: Duration;
  pollInterval?: Duration;
  onProgress?: (progress: DeployProgress) => void;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

// The SOAP API sends booleans as strings, REST as booleans.
function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function summarizeDeploy(response: MetadataApiDeployStatus): DeploySummary {
  const successes = asArray(response.details?.componentSuccesses).filter(
    (m: DeployMessage) => m.componentType && m.fullName !== 'package.xml',
  );
  const ref = (m: DeployMessage): ComponentRef => ({ type: m.componentType ?? '', fullName: m.fullName });
  return {
    id: response.id,
    status: String(response.status),
    success: isTrue(response.success),
    checkOnly: isTrue(response.checkOnly),
    created: successes.filter((m) => isTrue(m.created)).map(ref),
    changed: successes.filter((m) => !isTrue(m.created) && isTrue(m.changed)).map(ref),
    unchanged: successes.filter((m) => !isTrue(m.created) && !isTrue(m.changed)).map(ref),
    failures: asArray(response.details?.componentFailures).map((m) => ({
      type: m.componentType || 'package.xml',
      fullName: m.fullName,
      problem: m.problem ?? response.errorMessage ?? 'refused by the org',
      fileName: m.fileName,
      line: m.lineNumber ? Number(m.lineNumber) : null,
    })),
    total: Number(response.numberComponentsTotal),
  };
}

export async function deployPackage(
  conn: Connection,
  components: ComponentSet,
  options: DeployPackageOptions,
): Promise<DeploySummary> {
  const deploy = await components.deploy({
    usernameOrConnection: conn,
    // REST, not SOAP: the same Metadata API deploy, and what the dev org implements (dev-org/README.md).
    apiOptions: { rest: true, checkOnly: options.checkOnly, rollbackOnError: true },
  });
  deploy.onUpdate((status) =>
    options.onProgress?.({
      status: String(status.status),
      deployed: Number(status.numberComponentsDeployed),
      total: Number(status.numberComponentsTotal),
    }),
  );
  const result = await deploy.pollStatus({
    frequency: options.pollInterval ?? Duration.milliseconds(500),
    timeout: options.wait,
  });
  return summarizeDeploy(result.response);
}
