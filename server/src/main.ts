/**
 * `node server/src/main.ts`: start the sync server from the environment and stop it cleanly
 * on SIGTERM/SIGINT. Configuration mistakes print one readable message (no stack) and exit 1.
 */
import { ConfigError, loadConfig } from './config.ts';
import type { Config } from './config.ts';
import { createLogger } from './observability/logger.ts';
import { startSyncServer } from './sync-server.ts';
import type { SyncServer } from './sync-server.ts';

// Started by `npm start` with an IPC channel: end with the supervisor however it ends (the channel closes
// even on kill -9). It may close while this process is still starting: then there is nothing to drain.
let whenSupervisorGone = (): void => process.exit(1);
process.on('disconnect', () => whenSupervisorGone());

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

const config = readConfig();
const logger = createLogger({ level: config.LOG_LEVEL });

let server: SyncServer;
try {
  server = await startSyncServer(config, { logger });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    fail(`Port ${config.PORT} on ${config.HOST} is in use: stop what uses it or set PORT.`);
  if (code === 'EADDRNOTAVAIL') fail(`HOST ${config.HOST} is not an address of this machine: set HOST.`);
  throw error;
}
logger.info({ url: server.url }, `sync server listening on ${server.url}`);

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) {
    // A second Ctrl-C means "now": skip the drain.
    logger.warn({ signal }, 'second signal, exiting without draining');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, 'draining in-flight requests');
  server.close().then(
    () => {
      logger.info('sync server stopped');
      process.exit(0);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
whenSupervisorGone = () => stop('SIGTERM');
