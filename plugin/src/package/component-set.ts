/**
 * The package's components, as @salesforce/source-deploy-retrieve resolves package.xml against the source:
 * what a deploy sends and what `status` looks for in the org.
 */
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import type { PackageSource } from './package-source.ts';
import type { ComponentRef } from '../results.ts';

/** The components package.xml names, resolved against the source (every one must have its files). */
export async function packageComponentSet(source: PackageSource): Promise<ComponentSet> {
  const set = await ComponentSet.fromManifest({
    manifestPath: source.manifestPath,
    resolveSourcePaths: source.sourceDirs,
  });
  if (source.sourceApiVersion) set.sourceApiVersion = source.sourceApiVersion;
  return set;
}

export function componentRefs(set: ComponentSet): ComponentRef[] {
  return set
    .toArray()
    .map((c) => ({ type: c.type.name, fullName: c.fullName }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.fullName.localeCompare(b.fullName));
}

export function permissionSetNames(refs: readonly ComponentRef[]): string[] {
  return refs.filter((r) => r.type === 'PermissionSet').map((r) => r.fullName);
}
