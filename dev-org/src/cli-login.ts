/**
 * Registers a running dev org in the Salesforce CLI's auth store under an alias, as
 * `sf org login access-token --instance-url <url> --alias <alias> --no-prompt` does (@salesforce/core's
 * `AuthInfo` from the access token, saved, then the alias), so that `npx sf … -o socialcrm-dev` and
 * `./plugin/bin/run.js social … -o socialcrm-dev` work right after `npm ci`, with no `sf` installed.
 *
 * Idempotent: when the alias already names this org with this token, nothing is written. The store is
 * the CLI's own (`~/.sf`, `~/.sfdx` under HOME); its auth files are keyed by username, so the dev org's
 * admin user has one entry, the one registered last. @salesforce/core is loaded only when this runs.
 */

export const DEV_ORG_ALIAS = 'socialcrm-dev';

export interface CliLoginOptions {
  /** The dev org's instance URL, e.g. `http://localhost:8788`. */
  instanceUrl: string;
  /** A session the dev org accepts (its `DEV_ORG_ACCESS_TOKEN`, which survives restarts). */
  accessToken: string;
  alias?: string;
}

export interface CliLogin {
  alias: string;
  username: string;
  orgId: string;
  instanceUrl: string;
  /** false when the alias already named this org with this token. */
  changed: boolean;
}

function sameUrl(a: string | undefined, b: string): boolean {
  return (a ?? '').replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

export async function registerCliLogin(options: CliLoginOptions): Promise<CliLogin> {
  const alias = options.alias ?? DEV_ORG_ALIAS;
  const instanceUrl = options.instanceUrl.replace(/\/+$/, '');
  const { AuthInfo, StateAggregator } = await import('@salesforce/core');
  const state = await StateAggregator.getInstance();

  const known = state.aliases.getUsername(alias);
  if (known && (await state.orgs.exists(known))) {
    const fields = (await AuthInfo.create({ username: known })).getFields(true);
    if (sameUrl(fields.instanceUrl, instanceUrl) && fields.accessToken === options.accessToken) {
      return { alias, username: known, orgId: fields.orgId ?? '', instanceUrl, changed: false };
    }
  }

  // Asks the org who the token belongs to (userinfo), as `sf org login access-token` does.
  const authInfo = await AuthInfo.create({
    accessTokenOptions: { accessToken: options.accessToken, instanceUrl, loginUrl: instanceUrl },
  });
  await authInfo.save();
  await authInfo.handleAliasAndDefaultSettings({ alias, setDefault: false, setDefaultDevHub: false });
  const username = authInfo.getUsername() ?? '';
  return { alias, username, orgId: authInfo.getFields().orgId ?? '', instanceUrl, changed: true };
}
