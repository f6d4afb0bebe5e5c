/**
 * The dev org's Metadata API: deploys (REST `deployRequest`) and `listMetadata` (SOAP), over the record
 * store's database. `startDevOrg` mounts the two routers; see http.ts for the wire formats.
 */
import type { Router } from 'express';
import type { ApiUsage } from '../api/api-usage.ts';
import type { RecordStore } from '../store/record-store.ts';
import { ComponentRegistry, type RegistryUser } from './component-registry.ts';
import { DeployRequests } from './deploy-requests.ts';
import { metadataRestRouter, metadataSoapRouter } from './http.ts';

export interface MetadataApiOptions {
  store: RecordStore;
  usage: ApiUsage;
  isValidSession: (token: string | undefined) => boolean;
  instanceUrl: () => string;
  /** The user deploys and listings are attributed to. */
  user: () => RegistryUser;
  now: () => Date;
  log?: (line: string) => void;
}

export interface MetadataApi {
  registry: ComponentRegistry;
  requests: DeployRequests;
  /** Mounted under the versioned REST root, after auth and limits. */
  restRouter: Router;
  /** Mounted at the app's root: `/services/Soap/m/<version>`. */
  soapRouter: Router;
}

export function createMetadataApi(options: MetadataApiOptions): MetadataApi {
  const registry = new ComponentRegistry(options.store.db, options.store.schema, {
    now: options.now,
    user: options.user,
  });
  const requests = new DeployRequests({
    context: { registry, store: options.store, now: options.now },
    createdBy: options.user,
    log: options.log,
  });
  const deps = {
    requests,
    registry,
    usage: options.usage,
    isValidSession: options.isValidSession,
    instanceUrl: options.instanceUrl,
  };
  return { registry, requests, restRouter: metadataRestRouter(deps), soapRouter: metadataSoapRouter(deps) };
}
