import { Flags } from '@salesforce/sf-plugins-core';
import { commandMessages } from '../../../shared/messages.ts';
import { SocialCommand } from '../../../shared/social-command.ts';
import type { RecomputeResult } from '../../../results.ts';

export type { RecomputeResult } from '../../../results.ts';
const messages = commandMessages('social.scores.recompute');

export default class ScoresRecompute extends SocialCommand<RecomputeResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg({ summary: messages.getMessage('flags.target-org.summary') }),
    'api-version': Flags.orgApiVersion({ summary: messages.getMessage('flags.api-version.summary') }),
    'bulk-threshold': Flags.integer({
      summary: messages.getMessage('flags.bulk-threshold.summary'),
      default: 2000,
      min: 0,
    }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
  };

  public async run(): Promise<RecomputeResult> {
    const { flags } = await this.parse(ScoresRecompute);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    // Loaded here, not at the top: the scoring formulas come with the sync server, and `--help` needs none of it.
    const { recomputeScores } = await import('../../../scores/recompute.ts');
    this.spinner.start('Recomputing scores');
    let result: RecomputeResult;
    try {
      result = await recomputeScores(conn, {
        bulkThreshold: flags['bulk-threshold'],
        dryRun: flags['dry-run'],
        onPhase: (phase) => {
          this.spinner.status = phase;
        },
      });
    } finally {
      this.spinner.stop();
    }
    this.table({
      data: result.writes.map((w) => ({
        object: w.object,
        scanned: w.scanned,
        [result.dryRun ? 'wouldChange' : 'changed']: w.changed,
        api: w.api,
        failed: w.failures.length,
      })),
      columns: ['object', 'scanned', result.dryRun ? 'wouldChange' : 'changed', 'api', 'failed'],
    });
    const failures = result.writes.flatMap((w) => w.failures.map((f) => ({ object: w.object, ...f })));
    if (failures.length > 0) {
      this.table({ title: 'Records the org refused', data: failures, columns: ['object', 'id', 'error'] });
      process.exitCode = 1;
    }
    const changed = result.writes.reduce((n, w) => n + w.changed, 0);
    if (changed === 0) this.logSuccess(messages.getMessage('info.NothingChanged'));
    else if (!result.dryRun) {
      const apis = [...new Set(result.writes.filter((w) => w.api !== 'none').map((w) => w.api))].join(', ');
      this.logSuccess(messages.getMessage('info.Done', [String(changed), apis]));
    }
    return result;
  }
}
