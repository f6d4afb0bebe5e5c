import { Flags } from '@salesforce/sf-plugins-core';
import type { SfError } from '@salesforce/core';
import { findPackageSource } from '../../package/package-source.ts';
import { commandMessages, errors } from '../../shared/messages.ts';
import { SocialCommand } from '../../shared/social-command.ts';
import { DEFAULT_SERVER_URL } from '../../sync-server/client.ts';
import { SocialCrmSettings, defaultDataDir } from '../../sync-server/settings.ts';
import type { DeploySummary, SetupResult } from '../../results.ts';
import { orgName } from '../../shared/org-name.ts';

export type { SetupResult } from '../../results.ts';
const messages = commandMessages('social.setup');

export default class Setup extends SocialCommand<SetupResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg({ summary: messages.getMessage('flags.target-org.summary') }),
    'api-version': Flags.orgApiVersion({ summary: messages.getMessage('flags.api-version.summary') }),
    'admin-user': Flags.string({ summary: messages.getMessage('flags.admin-user.summary'), multiple: true }),
    'agent-user': Flags.string({ summary: messages.getMessage('flags.agent-user.summary'), multiple: true }),
    'server-url': Flags.url({ summary: messages.getMessage('flags.server-url.summary') }),
    'data-dir': Flags.directory({ summary: messages.getMessage('flags.data-dir.summary') }),
    'package-dir': Flags.directory({
      summary: messages.getMessage('flags.package-dir.summary'),
      exists: true,
    }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    wait: Flags.duration({
      summary: messages.getMessage('flags.wait.summary'),
      unit: 'minutes',
      defaultValue: 10,
      min: 1,
    }),
  };

  public async run(): Promise<SetupResult> {
    const { flags } = await this.parse(Setup);
    const org = flags['target-org'];
    const conn = org.getConnection(flags['api-version']);
    const source = findPackageSource(flags['package-dir']);
    if (!source) throw errors.createError('error.NoPackage', [flags['package-dir'] ?? 'manifests/']);
    const orgId = org.getOrgId();
    const username = org.getUsername() ?? conn.getUsername() ?? '';
    const saved = (await SocialCrmSettings.create(SocialCrmSettings.getDefaultOptions())).forOrg(orgId);

    this.log(messages.getMessage('info.Deploying', [conn.instanceUrl]));
    this.progress.start(0, {}, { title: 'Deploying', format: '%s | {bar} | {value}/{total} components' });
    // Loaded here, not at the top: `--help` should not pay for loading the deploy library.
    const { setupOrg } = await import('../../setup/setup-org.ts');
    let result: SetupResult;
    try {
      result = await setupOrg(conn, {
        source,
        org: {
          id: orgId,
          username,
          // `sf org login access-token` keeps a trailing slash; the settings are read by people.
          instanceUrl: conn.instanceUrl.replace(/\/+$/, ''),
          apiVersion: conn.getApiVersion(),
        },
        adminUsers: flags['admin-user'] ?? [username],
        agentUsers: flags['agent-user'] ?? [],
        serverUrl: (flags['server-url']?.href ?? saved?.serverUrl ?? DEFAULT_SERVER_URL).replace(/\/+$/, ''),
        dataDir: flags['data-dir'] ?? saved?.dataDir ?? defaultDataDir(orgId),
        dryRun: flags['dry-run'],
        wait: flags.wait,
        onDeployProgress: (p) => {
          if (p.total > 0) this.progress.setTotal(p.total);
          this.progress.update(p.deployed);
        },
      });
    } catch (error) {
      this.progress.stop();
      const deploy = (error as SfError).data as { deploy?: DeploySummary } | undefined;
      if (deploy?.deploy) this.showFailures(deploy.deploy);
      throw error;
    }
    this.progress.setTotal(result.deploy.total);
    this.progress.finish();
    this.report(result, await orgName(org));
    return result;
  }

  private showFailures(deploy: DeploySummary): void {
    this.table({
      title: `Component failures [${deploy.failures.length}]`,
      data: deploy.failures.map((f) => ({
        type: f.type,
        name: f.fullName,
        problem: f.problem,
        file: f.line === null ? f.fileName : `${f.fileName}:${f.line}`,
      })),
      columns: ['type', 'name', 'problem', 'file'],
    });
  }

  private report(result: SetupResult, orgName: string): void {
    const { deploy } = result;
    const verb = result.dryRun ? 'would be' : 'were';
    this.styledHeader('Package');
    this.table({
      data: [
        { components: 'created', count: deploy.created.length },
        { components: 'changed', count: deploy.changed.length },
        { components: 'unchanged', count: deploy.unchanged.length },
      ],
      columns: ['components', 'count'],
    });
    if (deploy.created.length > 0) {
      this.log(
        `Components that ${verb} created: ${deploy.created.map((c) => `${c.type} ${c.fullName}`).join(', ')}`,
      );
    }
    this.styledHeader('Permission sets');
    if (result.assignments.length === 0) this.log('No assignments asked for.');
    else
      this.table({
        data: result.assignments.map((a) => ({ ...a })),
        columns: ['permissionSet', 'username', 'status'],
      });
    this.styledHeader('Sync server settings');
    if (result.settings.changed.length === 0) this.log(`Unchanged (${result.settings.path}).`);
    else {
      this.log(
        `${result.dryRun ? 'Would write' : 'Wrote'} ${result.settings.path}: ${result.settings.changed.join(', ')}`,
      );
      this.table({
        data: Object.entries(result.settings.values).map(([setting, value]) => ({
          setting,
          value: String(value),
        })),
        columns: ['setting', 'value'],
      });
    }
    this.log('');
    if (result.dryRun) this.log(messages.getMessage('info.DryRun'));
    else if (!result.changed) this.logSuccess(messages.getMessage('info.NothingChanged'));
    this.log(messages.getMessage('info.Next', [orgName, orgName]));
  }
}
