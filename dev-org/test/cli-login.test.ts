/**
 * Pointing `sf` and the plugin at the dev org with nothing but `npm ci`: `registerCliLogin` saves the
 * running org in the Salesforce CLI's auth store under `socialcrm-dev` (once: a second call writes
 * nothing), then the real CLI and `plugin/bin/run.js` use it by that alias, and `sf social status` finds
 * the org of `npm start` set up, nothing missing. The store lives in a HOME of the test's own.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConfigAggregator, StateAggregator } from '@salesforce/core';
import { expect } from 'chai';
import { DEV_ORG_ALIAS, registerCliLogin, startDevOrg, type DevOrg } from '../src/index.ts';
import { ORG_ID } from '../src/http/sessions.ts';
import { sfCli, type SfCli } from './support/sf-cli.ts';

const PLUGIN_RUN = fileURLToPath(new URL('../../plugin/bin/run.js', import.meta.url));

describe('registerCliLogin: sf and the plugin on the dev org after npm ci', function () {
  this.timeout(120_000);
  let org: DevOrg;
  let cli: SfCli;
  const saved = { HOME: process.env['HOME'], keychain: process.env['SF_USE_GENERIC_UNIX_KEYCHAIN'] };

  before(async () => {
    org = await startDevOrg({ installPackage: true });
    cli = sfCli();
    // @salesforce/core reads the store under HOME, in this process as in the CLI's.
    process.env['HOME'] = cli.home;
    process.env['SF_USE_GENERIC_UNIX_KEYCHAIN'] = 'true';
    await StateAggregator.clearInstance();
    await ConfigAggregator.clearInstance();
  });

  after(async () => {
    for (const [name, value] of [
      ['HOME', saved.HOME],
      ['SF_USE_GENERIC_UNIX_KEYCHAIN', saved.keychain],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await StateAggregator.clearInstance();
    await ConfigAggregator.clearInstance();
    await org.close();
    cli.remove();
  });

  it('registers the org under socialcrm-dev once; again, it changes nothing', async () => {
    const first = await registerCliLogin({ instanceUrl: org.url, accessToken: org.accessToken });
    expect(first).to.deep.equal({
      alias: DEV_ORG_ALIAS,
      username: org.adminUsername,
      orgId: ORG_ID,
      instanceUrl: org.url,
      changed: true,
    });
    const again = await registerCliLogin({ instanceUrl: org.url, accessToken: org.accessToken });
    expect(again.changed).to.equal(false);
  });

  it('sf uses the alias', async () => {
    const display = await cli.sf<{ id: string; connectedStatus: string; instanceUrl: string }>([
      'org',
      'display',
      '-o',
      DEV_ORG_ALIAS,
    ]);
    expect(display.code, display.message).to.equal(0);
    expect(display.result).to.include({ id: ORG_ID, connectedStatus: 'Connected', instanceUrl: org.url });
  });

  it('sf social status on the alias finds the package installed and its permission sets assigned', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [PLUGIN_RUN, 'social', 'status', '-o', DEV_ORG_ALIAS, '--server-url', 'http://127.0.0.1:9', '--json'],
      { env: cli.env, timeout: 90_000 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const answer = JSON.parse(stdout) as {
      result: {
        components: { present: number; total: number };
        permissionSets: { permissionSet: string; exists: boolean; assignees: string[] }[];
        problems: { area: string }[];
      };
    };
    const { components, permissionSets, problems } = answer.result;
    expect(components.present).to.equal(components.total);
    expect(permissionSets.every((p) => p.exists && p.assignees.length > 0)).to.equal(true);
    // Only the sync server, which this test does not run, is a problem.
    expect(problems.map((p) => p.area)).to.deep.equal(['server']);
  });
});
