/**
 * The embedded default, in-process, for end-to-end tests: a seeded dev org, the X stand-in with the
 * sync server's webhook registered, and the sync server itself on port 0 with its queue in a temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsforce, { type Connection } from 'jsforce';
import { startDevOrg, type DevOrg } from '@socialcrm/dev-org';
import { startXStandIn, type XStandIn } from '@socialcrm/stand-ins';
import { loadConfig, startSyncServer, type SyncServer, type SyncServerOptions } from '@socialcrm/server';

export const X_SECRET = 'e2e-x-consumer-secret';
/** Our X account's user-context token (replies); X never accepts the app-only bearer token for posting. */
export const X_USER_TOKEN = 'e2e-x-user-token';

export interface Embedded {
  org: DevOrg;
  x: XStandIn;
  server: SyncServer;
  conn: Connection;
  dataDir: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startEmbedded(
  options: SyncServerOptions & { env?: Record<string, string> } = {},
): Promise<Embedded> {
  const dataDir = mkdtempSync(join(tmpdir(), 'socialcrm-e2e-'));
  const org = await startDevOrg({ seed: true });
  const x = await startXStandIn({
    consumerSecret: X_SECRET,
    bearerToken: 'e2e-x-bearer',
    userAccessToken: X_USER_TOKEN,
  });
  const env: Record<string, string> = {
    PORT: '0',
    SF_INSTANCE_URL: org.url,
    SF_ACCESS_TOKEN: org.accessToken,
    SF_CLIENT_ID: org.client.clientId,
    SF_CLIENT_SECRET: org.client.clientSecret,
    X_CONSUMER_SECRET: X_SECRET,
    X_USER_ID: x.ownUser.id,
    // Where replies go (X polling stays off without X_BEARER_TOKEN).
    X_API_URL: x.url,
    DATA_DIR: dataDir,
    ...options.env,
  };
  const server = await startSyncServer(loadConfig(env), {
    sync: { flushWindowMs: 100, pauseMinMs: 100, pauseMaxMs: 1000, ...options.sync },
    ...options,
  });
  await x.registerWebhook(`${server.url}/webhooks/x`);
  const conn = new jsforce.Connection({
    instanceUrl: org.url,
    accessToken: org.accessToken,
    version: org.apiVersion,
  });
  return {
    org,
    x,
    server,
    conn,
    dataDir,
    env,
    close: async () => {
      await server.close();
      await x.close();
      await org.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `condition` holds (or throws with what it last saw). */
export async function eventually<T>(
  probe: () => Promise<T>,
  condition: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!condition(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
    last = await probe();
  }
  return last;
}
