/**
 * The plugin as a user runs it: `plugin/bin/run.js` in a child process (no build step: Node strips the
 * types), with a HOME of its own so no real CLI state is read. Also the command snapshot (commands, flags),
 * kept current as the official plugins keep theirs.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { isolatedCliHome, type CliHome } from '../support/cli-auth.ts';

const run = promisify(execFile);
const PLUGIN_DIR = fileURLToPath(new URL('../..', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  script: 'bin/run.js' | 'bin/dev.js',
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], {
      cwd: PLUGIN_DIR,
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('plugin/bin/run.js (integration)', function () {
  this.timeout(90_000);
  let home: CliHome;

  before(async () => {
    home = await isolatedCliHome();
  });
  after(async () => {
    await home.restore();
  });

  it('`social --help` lists setup, status, backfill, serve and the scores topic; each command has examples', async () => {
    const [topic, setup, recompute] = await Promise.all([
      cli('bin/run.js', ['social', '--help'], home.env),
      cli('bin/run.js', ['social', 'setup', '--help'], home.env),
      cli('bin/run.js', ['social', 'scores', 'recompute', '--help'], home.env),
    ]);
    expect(topic.code).to.equal(0);
    for (const command of [
      'social setup',
      'social status',
      'social backfill',
      'social serve',
      'social scores',
    ]) {
      expect(topic.stdout).to.contain(command);
    }
    expect(setup.stdout).to.contain('EXAMPLES').and.contain('--dry-run').and.contain('--agent-user');
    expect(recompute.stdout).to.contain('EXAMPLES').and.contain('--bulk-threshold');
  });

  it('`social status --json` without an org answers in JSON with the error and the next step', async () => {
    const outcome = await cli('bin/run.js', ['social', 'status', '--json'], home.env);
    expect(outcome.code).to.equal(1);
    const json = JSON.parse(outcome.stdout) as {
      status: number;
      name: string;
      message: string;
      actions: string[];
    };
    expect(json).to.include({ status: 1, name: 'NoOrgError' });
    expect(json.message).to.contain('--target-org');
    expect(json.actions.join('\n')).to.contain('sf org login web --alias my-org');
    expect(json).not.to.have.any.keys('stack', 'cause');
  });

  it('the command snapshot matches the commands and their flags (regenerate: npm run snapshot:generate -w plugin)', async () => {
    // The JSON schemas of the results are checked by test/unit/results-schemas.test.ts, in process.
    const snapshot = await cli('bin/dev.js', ['snapshot:compare'], home.env);
    expect(snapshot.code, snapshot.stdout + snapshot.stderr).to.equal(0);
  });
});
