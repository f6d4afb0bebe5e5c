export {
  startDevOrg,
  DEFAULT_ACCESS_TOKEN,
  DEFAULT_CLIENT,
  DEFAULT_PASSWORD,
  ADMIN_USERNAME,
} from './dev-org.ts';
export type { DevOrg, DevOrgOptions } from './dev-org.ts';
export type { FaultSettings } from './http/faults.ts';
export { SalesforceError } from './errors.ts';
export { registerCliLogin, DEV_ORG_ALIAS } from './cli-login.ts';
export type { CliLogin, CliLoginOptions } from './cli-login.ts';
