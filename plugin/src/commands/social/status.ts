import { Flags } from '@salesforce/sf-plugins-core';
import { findPackageSource } from '../../package/package-source.ts';
import { commandMessages, errors } from '../../shared/messages.ts';
import { SocialCommand } from '../../shared/social-command.ts';
import { DEFAULT_SERVER_URL } from '../../sync-server/client.ts';
import { SocialCrmSettings } from '../../sync-server/settings.ts';
import type { StatusResult } from '../../results.ts';
import { orgName } from '../../shared/org-name.ts';

export type { StatusResult } from '../../results.ts';
const messages = commandMessages('social.status');

function ago(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  return `${Math.round(seconds / 3600)}h ago`;
}

export default class Status extends SocialCommand<StatusResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg({ summary: messages.getMessage('flags.target-org.summary') }),
    'api-version': Flags.orgApiVersion({ summary: messages.getMessage('flags.api-version.summary') }),
    'server-url': Flags.url({ summary: messages.getMessage('flags.server-url.summary') }),
    'package-dir': Flags.directory({
      summary: messages.getMessage('flags.package-dir.summary'),
      exists: true,
    }),
  };

  public async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status);
    const org = flags['target-org'];
    const conn = org.getConnection(flags['api-version']);
    const source = findPackageSource(flags['package-dir']);
    if (!source) throw errors.createError('error.NoPackage', [flags['package-dir'] ?? 'manifests/']);
    const orgId = org.getOrgId();
    const username = org.getUsername() ?? '';
    const saved = (await SocialCrmSettings.create(SocialCrmSettings.getDefaultOptions())).forOrg(orgId);
    const budget = Number(process.env['SYNC_API_BUDGET'] ?? '0.9');

    // Loaded here, not at the top: `--help` should not pay for loading the metadata library.
    const { gatherStatus } = await import('../../status/gather.ts');
    this.spinner.start(`Checking ${conn.instanceUrl} and the sync server`);
    const result = await gatherStatus(conn, {
      orgName: await orgName(org),
      orgId,
      username,
      serverUrl: flags['server-url']?.href ?? saved?.serverUrl ?? DEFAULT_SERVER_URL,
      source,
      apiBudget: Number.isFinite(budget) && budget > 0 ? budget : 0.9,
    });
    this.spinner.stop();
    this.report(result);
    if (!result.healthy) process.exitCode = 1;
    return result;
  }

  private report(result: StatusResult): void {
    const now = Date.now();
    this.styledHeader(`Package in ${result.org.username || result.org.id}`);
    this.table({
      data: result.components.byType.map((t) => ({
        type: t.type,
        present: `${t.present}/${t.total}`,
        missing: t.missing.slice(0, 5).join(', ') + (t.missing.length > 5 ? ', …' : ''),
      })),
      columns: ['type', 'present', 'missing'],
    });
    this.styledHeader('Permission sets');
    this.table({
      data: result.permissionSets.map((p) => ({
        permissionSet: p.permissionSet,
        inOrg: p.exists ? 'yes' : 'missing',
        assignedTo: p.assignees.join(', ') || '—',
      })),
      columns: ['permissionSet', 'inOrg', 'assignedTo'],
    });
    this.styledHeader('API usage today');
    this.log(
      result.apiUsage
        ? `${result.apiUsage.used} of ${result.apiUsage.max} requests (${Math.round(result.apiUsage.ratio * 100)}%)` +
            (result.server.counters?.crmApiCalls != null
              ? `; the sync server made ${result.server.counters.crmApiCalls} since it started`
              : '')
        : 'the org does not report its API allowance',
    );
    const server = result.server;
    this.styledHeader(`Sync server ${server.url}`);
    if (!server.reachable) {
      this.log(`not reachable: ${server.error ?? ''}`);
    } else {
      this.log(
        `${server.ready ? 'ready' : 'NOT READY'}; sync ${server.sync?.status ?? '?'}, last synced ${ago(server.sync?.lastSyncAt, now)}`,
      );
      this.log(
        `queue: ${server.queue?.depth ?? 0} waiting, lag ${Math.round(server.queue?.oldestAgeSeconds ?? 0)}s, ${server.queue?.deadLetters ?? 0} dead letter(s)`,
      );
      if ((server.connectors ?? []).length > 0) {
        this.table({
          data: (server.connectors ?? []).map((c) => ({
            connector: c.name,
            status: c.status,
            token: c.tokenValid === null ? '—' : c.tokenValid ? 'valid' : 'REJECTED',
            expires: c.tokenExpiresAt?.slice(0, 10) ?? '—',
            lastEvent: ago(c.lastEventAt, now),
            cursor: c.cursor ?? '—',
          })),
          columns: ['connector', 'status', 'token', 'expires', 'lastEvent', 'cursor'],
        });
      } else {
        this.log('no pulling connectors configured (webhooks need none)');
      }
    }
    this.log('');
    if (result.problems.length === 0) {
      this.logSuccess(messages.getMessage('info.Healthy'));
      return;
    }
    const errorsFound = result.problems.filter((p) => p.severity === 'error').length;
    this.log(
      messages.getMessage('info.Problems', [
        String(errorsFound),
        String(result.problems.length - errorsFound),
      ]),
    );
    this.table({
      data: result.problems.map((p) => ({ severity: p.severity, problem: p.problem, whatToDo: p.action })),
      columns: ['severity', 'problem', { key: 'whatToDo', name: 'What to do' }],
    });
  }
}
