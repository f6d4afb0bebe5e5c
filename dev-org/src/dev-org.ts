/**
 * Starts a dev org: schema from manifests/, records in SQLite under DATA_DIR (WAL, survives restarts),
 * seeded with demo data on first start, served over HTTP. Tests start one on port 0 with an in-memory
 * database and drive its faults through the returned handle.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ApiUsage } from './api/api-usage.ts';
import { API_VERSION, RestApi } from './api/rest-api.ts';
import { createBulkIngestRouter } from './api/bulk-ingest.ts';
import { createBulkQueryRouter } from './api/bulk-query.ts';
import { createDevOrgApp } from './http/app.ts';
import { Faults } from './http/faults.ts';
import { ORG_ID, Sessions } from './http/sessions.ts';
import { recordId } from './ids.ts';
import { createMetadataApi, type MetadataApi } from './metadata/index.ts';
import { DEFAULT_BUSINESS_HOURS, ORGANIZATION_RECORD } from './metadata/setup-objects.ts';
import { syncPackageRecords } from './metadata/custom-metadata.ts';
import { installPackage, type InstallContext } from './metadata/install-package.ts';
import { loadSchema } from './schema/load-schema.ts';
import { applySeed } from './seed/apply-seed.ts';
import { ADMIN_USER_REF, seedData } from './seed/seed-data.ts';
import { RecordStore } from './store/record-store.ts';
import { formatDateTime } from './store/values.ts';
import { attachChangeDataCapture } from './streaming/change-data-capture.ts';

export const DEFAULT_ACCESS_TOKEN = '00Ddev0000000000!local';
export const DEFAULT_CLIENT = { clientId: 'dev-client-id', clientSecret: 'dev-client-secret' };
export const DEFAULT_PASSWORD = 'dev-password';
export const ADMIN_USERNAME = 'admin@socialcrm.dev';

export interface DevOrgOptions {
  port?: number;
  host?: string;
  /** Folder for `dev-org.sqlite`; omit for an in-memory org that vanishes on close. */
  dataDir?: string;
  accessToken?: string;
  /** Seed demo data when the org is empty (default true). */
  seed?: boolean;
  /** Daily API request allowance (default 100,000, an Enterprise org's base). */
  apiLimit?: number;
  /** Where manifests/ is (default: this repository's). */
  manifestsDir?: string;
  /**
   * Install the package in manifests/ as `sf social setup` leaves an org (deployed, permission sets
   * assigned) when the org has had no deploy yet: what `npm start`'s org does. Default false, so tests
   * start from an org without the package.
   */
  installPackage?: boolean;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface DevOrg {
  /** e.g. `http://127.0.0.1:8788`: the instance URL clients use. */
  url: string;
  port: number;
  accessToken: string;
  apiVersion: string;
  client: { clientId: string; clientSecret: string };
  adminUsername: string;
  password: string;
  faults: Faults;
  usage: ApiUsage;
  store: RecordStore;
  /** Deployed metadata (permission sets, layouts, tabs, …) and deploy requests. */
  metadata: MetadataApi;
  close(): Promise<void>;
}

/** Installs the package; a failure is logged with what to do, and the org starts all the same. */
async function installAtStart(
  context: InstallContext,
  sourceDir: string | undefined,
  log: ((line: string) => void) | undefined,
): Promise<void> {
  try {
    const outcome = await installPackage(context, sourceDir);
    if (outcome.success) {
      const assigned = Object.entries(outcome.assigned)
        .filter(([, users]) => users.length > 0)
        .map(([set, users]) => `${set} to ${users.join(', ')}`);
      log?.(
        `dev org: installed the package (${outcome.components} components)${assigned.length > 0 ? `, assigned ${assigned.join('; ')}` : ''}`,
      );
      return;
    }
    const problems = outcome.failures
      .slice(0, 3)
      .map((f) => `${f.componentType} ${f.fullName}: ${f.problem ?? ''}`);
    log?.(
      `dev org: the package did not install (${problems.join('; ')}); fix manifests/ and restart, or deploy it with sf social setup`,
    );
  } catch (error) {
    log?.(
      `dev org: the package did not install: ${error instanceof Error ? error.message : String(error)}; deploy it with sf social setup`,
    );
  }
}

export async function startDevOrg(options: DevOrgOptions = {}): Promise<DevOrg> {
  const now = options.now ?? (() => new Date());
  const schema = loadSchema(options.manifestsDir);
  let location = ':memory:';
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    location = join(options.dataDir, 'dev-org.sqlite');
  }
  const db = new DatabaseSync(location);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');

  const userObject = schema.object('User');
  const adminUserId = recordId(userObject?.keyPrefix ?? '005', 1);
  const store = new RecordStore(db, schema, { now, userId: () => adminUserId });
  if (store.count('Organization') === 0) {
    const id = store.create('Organization', { ...ORGANIZATION_RECORD }, { system: true });
    if (id !== ORG_ID) throw new Error(`dev org: the Organization record got id ${id}, not ${ORG_ID}`);
  }
  // Every org has default business hours: 24 hours, 7 days, in the org's time zone.
  if (store.count('BusinessHours') === 0) store.create('BusinessHours', { ...DEFAULT_BUSINESS_HOURS });
  // The package's custom metadata records, as its objects and fields: what manifests/ says at start-up.
  syncPackageRecords(store, options.manifestsDir);
  if (store.count('User') === 0) {
    store.create('User', {
      Username: ADMIN_USERNAME,
      FirstName: 'Dev',
      LastName: 'Admin',
      Email: ADMIN_USERNAME,
      Alias: 'dadmin',
      IsActive: true,
    });
    if (options.seed ?? true) {
      // The seed backdates records (CreatedDate), as an admin with "Set Audit Fields" may.
      const sink = {
        insert: (type: string, fields: Record<string, unknown>) =>
          store.create(type, fields, { setAuditFields: true }),
        canSet: (type: string, field: string) =>
          schema.field(type, field)?.createable === true || field === 'CreatedDate',
      };
      store.transaction(() =>
        applySeed(seedData(now()), sink, { existing: new Map([[ADMIN_USER_REF, adminUserId]]) }),
      );
    }
  }

  const usage = new ApiUsage(options.apiLimit ?? 100_000, now);
  const accessToken = options.accessToken ?? DEFAULT_ACCESS_TOKEN;
  const sessions = new Sessions({
    defaultToken: accessToken,
    client: DEFAULT_CLIENT,
    password: DEFAULT_PASSWORD,
    now,
  });
  const faults = new Faults({
    expireSessions: () => sessions.expireAll(),
    resetSessions: () => sessions.reset(),
    exhaustApiLimit: () => usage.exhaust(),
    resetApiUsage: () => usage.reset(),
    setApiLimit: (limit) => usage.setLimit(limit),
  });
  const api = new RestApi(store, usage, now);
  let instanceUrl = '';
  const metadata = createMetadataApi({
    store,
    usage,
    isValidSession: (token) => sessions.isValid(token),
    instanceUrl: () => instanceUrl,
    user: () => ({ id: adminUserId, name: 'Dev Admin' }),
    now,
    log: options.log,
  });
  if (options.installPackage && !metadata.registry.hasDeployed()) {
    await installAtStart(
      { store, registry: metadata.registry, now, adminUserId },
      options.manifestsDir,
      options.log,
    );
  }
  const app = createDevOrgApp({
    api,
    usage,
    sessions,
    faults,
    instanceUrl: () => instanceUrl,
    adminUserId,
    findUser: (username) => store.idsByField('User', 'Username', username)[0],
    user: (userId) => {
      const row = userObject ? store.getStored(userObject, userId) : undefined;
      if (!row) return undefined;
      const text = (name: string): string => (typeof row[name] === 'string' ? row[name] : '');
      return {
        id: String(row['Id']),
        username: text('Username'),
        name: [text('FirstName'), text('LastName')].filter(Boolean).join(' '),
        firstName: text('FirstName'),
        lastName: text('LastName'),
        email: text('Email'),
        timeZone: text('TimeZoneSidKey'),
        locale: text('LocaleSidKey'),
        language: text('LanguageLocaleKey'),
        lastModifiedDate: formatDateTime(text('LastModifiedDate')),
      };
    },
    now,
    stats: () => ({
      apiUsage: { used: usage.used, limit: usage.limit },
      faults: faults.state(),
      records: Object.fromEntries(schema.objects().map((o) => [o.name, store.count(o.name)])),
    }),
    log: options.log,
    versionedRouters: [
      metadata.restRouter,
      createBulkIngestRouter({ store, now, userId: adminUserId }),
      createBulkQueryRouter({ store, now, userId: adminUserId }),
    ],
    routers: [metadata.soapRouter],
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const changeEvents = attachChangeDataCapture(server, {
    store,
    isValidSession: (token) => sessions.isValid(token),
    commitUser: () => adminUserId,
    now,
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  instanceUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: instanceUrl,
    port,
    accessToken,
    apiVersion: API_VERSION,
    client: DEFAULT_CLIENT,
    adminUsername: ADMIN_USERNAME,
    password: DEFAULT_PASSWORD,
    faults,
    usage,
    store,
    metadata,
    close: async () => {
      await metadata.requests.settle();
      changeEvents.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.close();
    },
  };
}
