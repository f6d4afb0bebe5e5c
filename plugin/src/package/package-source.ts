/**
 * Where the Salesforce package is and what it holds: the sfdx project in `manifests/` (package.xml naming
 * every component, source in force-app), resolved with @salesforce/source-deploy-retrieve exactly as
 * `sf project deploy start --manifest package.xml` would (component-set.ts). Kept free of that library so
 * the commands' `--help` loads fast.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_SOURCE_DIR } from '@socialcrm/manifests';

export interface PackageSource {
  /** The sfdx project folder (has sfdx-project.json and package.xml). */
  projectDir: string;
  manifestPath: string;
  /** The package directories named by sfdx-project.json. */
  sourceDirs: string[];
  sourceApiVersion: string | undefined;
}

/** The package in `projectDir` (default: this repository's manifests/); undefined when there is none. */
export function findPackageSource(
  projectDir: string = dirname(DEFAULT_SOURCE_DIR),
): PackageSource | undefined {
  const dir = resolve(projectDir);
  const manifestPath = join(dir, 'package.xml');
  const projectFile = join(dir, 'sfdx-project.json');
  if (!existsSync(manifestPath) || !existsSync(projectFile)) return undefined;
  const project = JSON.parse(readFileSync(projectFile, 'utf8')) as {
    packageDirectories?: { path: string }[];
    sourceApiVersion?: string;
  };
  const sourceDirs = (project.packageDirectories ?? [{ path: 'force-app' }]).map((p) => join(dir, p.path));
  return { projectDir: dir, manifestPath, sourceDirs, sourceApiVersion: project.sourceApiVersion };
}
