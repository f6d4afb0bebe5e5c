/**
 * The Salesforce CLI's stored auth for a dev org, made the way `sf org login access-token` makes it
 * (@salesforce/core `AuthInfo` saved under the CLI's state folder, with an alias), in a HOME of its own so
 * tests never touch a developer's real `~/.sf` / `~/.sfdx`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthInfo, ConfigAggregator, StateAggregator } from '@salesforce/core';
import type { DevOrg } from '@socialcrm/dev-org';

export interface CliHome {
  home: string;
  /** Environment for a child `bin/run.js` to use this HOME and its stored auth. */
  env: NodeJS.ProcessEnv;
  restore(): Promise<void>;
}

/** Points this process (and children given `env`) at a fresh HOME for the CLI's state. */
export async function isolatedCliHome(): Promise<CliHome> {
  const home = mkdtempSync(join(tmpdir(), 'socialcrm-sf-home-'));
  const saved = { HOME: process.env['HOME'], key: process.env['SF_USE_GENERIC_UNIX_KEYCHAIN'] };
  process.env['HOME'] = home;
  // No OS keychain on CI machines: the CLI's file-based keychain, as `sf` uses there too.
  process.env['SF_USE_GENERIC_UNIX_KEYCHAIN'] = 'true';
  await StateAggregator.clearInstance();
  await ConfigAggregator.clearInstance();
  const env = {
    ...process.env,
    HOME: home,
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
  };
  return {
    home,
    env,
    restore: async () => {
      if (saved.HOME === undefined) delete process.env['HOME'];
      else process.env['HOME'] = saved.HOME;
      if (saved.key === undefined) delete process.env['SF_USE_GENERIC_UNIX_KEYCHAIN'];
      else process.env['SF_USE_GENERIC_UNIX_KEYCHAIN'] = saved.key;
      await StateAggregator.clearInstance();
      await ConfigAggregator.clearInstance();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** `sf org login access-token --alias <alias>` against the dev org. */
export async function loginToDevOrg(org: DevOrg, alias: string): Promise<string> {
  const authInfo = await AuthInfo.create({
    username: org.adminUsername,
    accessTokenOptions: { accessToken: org.accessToken, instanceUrl: org.url, loginUrl: org.url },
  });
  await authInfo.save();
  const state = await StateAggregator.getInstance();
  await state.aliases.setAndSave(alias, org.adminUsername);
  return org.adminUsername;
}
