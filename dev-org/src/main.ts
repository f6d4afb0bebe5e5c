/**
 * `npm run dev-org`: the dev org on its own (npm start runs it beside the sync server).
 * Environment: DEV_ORG_PORT (8788), DEV_ORG_ACCESS_TOKEN, DATA_DIR (./.data), DEV_ORG_API_LIMIT.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { startDevOrg } from './dev-org.ts';

const Env = z.object({
  DEV_ORG_PORT: z.coerce.number().int().min(0).max(65535).default(8788),
  DEV_ORG_HOST: z.string().default('127.0.0.1'),
  DEV_ORG_ACCESS_TOKEN: z.string().min(1).optional(),
  DEV_ORG_API_LIMIT: z.coerce.number().int().min(1).default(100_000),
  DATA_DIR: z.string().default('./.data'),
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  for (const issue of parsed.error.issues) {
    console.error(`dev org: ${issue.path.join('.')}: ${issue.message}`);
  }
  process.exit(1);
}
const env = parsed.data;
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
