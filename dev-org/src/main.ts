/**
 * `npm run dev-org`: the dev org on its own (npm start runs it beside the sync server).
 * Environment: DEV_ORG_PORT (8788), DEV_ORG_ACCESS_TOKEN, DATA_DIR (./.data), DEV_ORG_API_LIMIT.
 */
import { resolve } from 'node:path';
import { startDevOrg } from './dev-org.ts';
import { parseDevOrgSettings } from './settings.ts';

// Started by `npm start` with an IPC channel: end with the supervisor however it ends (the channel closes
// even on kill -9). It may close while this process is still starting: then there is nothing to drain.
let whenSupervisorGone = (): void => process.exit(1);
process.on('disconnect', () => whenSupervisorGone());

const parsed = parseDevOrgSettings(process.env);
if (!parsed.ok) {
  for (const problem of parsed.problems) console.error(`dev org: ${problem}`);
  process.exit(1);
}
const env = parsed.settings;
const org = await startDevOrg({
  port: env.DEV_ORG_PORT,
  host: env.DEV_ORG_HOST,
  dataDir: resolve(env.DATA_DIR),
  accessToken: env.DEV_ORG_ACCESS_TOKEN,
  apiLimit: env.DEV_ORG_API_LIMIT,
  installPackage: true,
  log: (line) => console.error(line),
});
console.log(`dev org: Salesforce REST API at ${org.url}/services/data/v${org.apiVersion}/`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void org.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
whenSupervisorGone = stop;
