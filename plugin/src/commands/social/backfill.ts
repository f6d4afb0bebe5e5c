import { Flags } from '@salesforce/sf-plugins-core';
import { NETWORKS, backfill } from '../../backfill/backfill.ts';
import { commandMessages } from '../../shared/messages.ts';
import { SocialCommand } from '../../shared/social-command.ts';
import { DEFAULT_SERVER_URL, SyncServerClient } from '../../sync-server/client.ts';
import { SocialCrmSettings } from '../../sync-server/settings.ts';
import type { BackfillResult } from '../../results.ts';
import { orgName } from '../../shared/org-name.ts';

export type { BackfillResult } from '../../results.ts';
const messages = commandMessages('social.backfill');

export default class Backfill extends SocialCommand<BackfillResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    network: Flags.option({
      summary: messages.getMessage('flags.network.summary'),
      options: NETWORKS,
      required: true,
    })(),
    since: Flags.string({ summary: messages.getMessage('flags.since.summary'), required: true }),
    'server-url': Flags.url({ summary: messages.getMessage('flags.server-url.summary') }),
    'target-org': Flags.optionalOrg({ summary: messages.getMessage('flags.target-org.summary') }),
    wait: Flags.duration({
      summary: messages.getMessage('flags.wait.summary'),
      unit: 'minutes',
      defaultValue: 10,
      min: 1,
    }),
  };

  public async run(): Promise<BackfillResult> {
    const { flags } = await this.parse(Backfill);
    const org = flags['target-org'];
    const saved = org
      ? (await SocialCrmSettings.create(SocialCrmSettings.getDefaultOptions())).forOrg(org.getOrgId())
      : undefined;
    const serverUrl = flags['server-url']?.href ?? saved?.serverUrl ?? DEFAULT_SERVER_URL;
    const client = new SyncServerClient(serverUrl, { targetOrg: org ? await orgName(org) : '<org alias>' });

    this.spinner.start(`Pulling ${flags.network} mentions since ${flags.since} through ${client.baseUrl}`);
    let started = false;
    let result: BackfillResult;
    try {
      result = await backfill(client, {
        network: flags.network,
        since: flags.since,
        waitMs: flags.wait.milliseconds,
        onProgress: (p) => {
          if (p.phase === 'pulling') {
            if (p.pulled > 0) this.spinner.status = `${p.pulled} pulled`;
            return;
          }
          if (!started) {
            this.spinner.stop();
            this.progress.start(
              p.synced + p.waiting,
              {},
              {
                title: 'Syncing to the org',
                format: '%s | {bar} | {value}/{total} mentions',
              },
            );
            started = true;
          }
          this.progress.setTotal(p.synced + p.waiting);
          this.progress.update(p.synced);
        },
      });
    } catch (error) {
      if (!started) this.spinner.stop('failed');
      throw error;
    } finally {
      this.spinner.stop();
      if (started) this.progress.stop();
    }
    this.log(
      messages.getMessage('info.Pulled', [
        String(result.pulled),
        result.network,
        result.since,
        String(result.added),
      ]),
    );
    if (result.added === 0 && result.drained) this.log(messages.getMessage('info.NothingNew'));
    if (result.added > 0) {
      this.log(
        messages.getMessage(result.bulkJobs > 0 ? 'info.CostBulk' : 'info.Cost', [
          String(result.apiCalls),
          String(result.bulkJobs),
        ]),
      );
    }
    if (!result.drained) {
      this.warn(
        `${result.waiting} mention(s) are still waiting in the sync server's queue; they reach the org when the sync catches up (sf social status shows why it is slow).`,
      );
    }
    return result;
  }
}
