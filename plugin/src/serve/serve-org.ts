/**
 * Runs the sync server against an org with the Salesforce CLI's stored auth: the instance URL and session
 * come from the CLI's connection, and when the org says the session expired the server asks the CLI to
 * refresh it (`org.refreshAuth()`, which uses the stored refresh token and saves the new session, exactly
 * as every `sf` command does). Everything else is the sync server's usual environment (connectors,
 * secrets), with the port and data folder from `sf social setup`'s settings unless flags say otherwise.
 */
import type { Org } from '@salesforce/core';
import {
  ConfigError,
  createLogger,
  loadConfig,
  startSyncServer,
  type LoggerOptions,
  type LogLevel,
  type SyncServer,
  type SyncServerOptions,
} from '@socialcrm/server';
import { errors } from '../shared/messages.ts';

export interface ServeOptions {
  org: Org;
  apiVersion: string;
  port: number;
  host: string;
  dataDir: string;
  /** The rest of the server's settings (connectors, secrets): the process environment by default. */
  env?: NodeJS.ProcessEnv;
  logLevel?: LogLevel;
  /** Where the server's log lines go (stderr by default, so `--json` output stays clean). */
  logDestination?: LoggerOptions['destination'];
  /** Passed through to the server (tests shorten its waits). */
  serverOptions?: SyncServerOptions;
}

/** The CLI's refresh, as a function the sync server calls when the org rejects its session. */
export function cliSessionRenewal(org: Org): () => Promise<string> {
  return async () => {
    await org.refreshAuth();
    const token = org.getConnection().accessToken;
    if (!token) throw new Error('the Salesforce CLI has no session for this org after refreshing');
    return token;
  };
}

export async function serveOrg(options: ServeOptions): Promise<SyncServer> {
  const conn = options.org.getConnection(options.apiVersion);
  // A fresh session before we start, so the server does not begin with one about to expire.
  await options.org.refreshAuth();
  const env = options.env ?? process.env;
  let config;
  try {
    config = loadConfig({
      ...env,
      SF_INSTANCE_URL: conn.instanceUrl,
      SF_ACCESS_TOKEN: conn.accessToken ?? '',
      SF_API_VERSION: conn.getApiVersion(),
      PORT: String(options.port),
      HOST: options.host,
      DATA_DIR: options.dataDir,
      ...(options.logLevel ? { LOG_LEVEL: options.logLevel } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      throw errors.createError('error.BadServerSetting', [error.issues.map((i) => i.message).join('; ')]);
    }
    throw error;
  }
  const logger = createLogger({
    level: config.LOG_LEVEL,
    destination: options.logDestination ?? (process.stderr as unknown as LoggerOptions['destination']),
  });
  return startSyncServer(config, {
    ...options.serverOptions,
    logger,
    renewSalesforceSession: cliSessionRenewal(options.org),
  });
}
