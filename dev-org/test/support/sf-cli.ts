/**
 * The real Salesforce CLI (`sf`, @salesforce/cli, a dev dependency: what `npx sf` runs) in a child
 * process, with a HOME of its own so it never reads or writes a developer's real auth (`~/.sf`, `~/.sfdx`),
 * and with telemetry and auto-update off. Every command runs with `--json` and answers its parsed output.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** `sf`'s bin, as `npx sf` finds it (the package exports only `dist/index.js`; `bin/` is beside `dist/`). */
const SF_BIN = join(
  dirname(createRequire(import.meta.url).resolve('@salesforce/cli')),
  '..',
  'bin',
  'run.js',
);

export interface SfOutcome<T = Record<string, unknown>> {
  /** The process's exit code (the `status` of the JSON answer). */
  code: number;
  status: number;
  result: T;
  message?: string;
  name?: string;
  warnings?: string[];
  stderr: string;
}

export interface SfCli {
  home: string;
  env: NodeJS.ProcessEnv;
  sf<T = Record<string, unknown>>(
    args: string[],
    options?: { cwd?: string; env?: NodeJS.ProcessEnv },
  ): Promise<SfOutcome<T>>;
  remove(): void;
}

export function sfCli(): SfCli {
  const home = mkdtempSync(join(tmpdir(), 'devorg-sf-home-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    SF_STATE_FOLDER: join(home, '.sf'),
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    NODE_NO_WARNINGS: '1',
  };
  return {
    home,
    env,
    async sf<T>(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
      const { code, stdout, stderr } = await run(process.execPath, [SF_BIN, ...args, '--json'], {
        cwd: options.cwd ?? home,
        env: { ...env, ...options.env },
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      }).then(
        (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: typeof error.code === 'number' ? error.code : -1,
          stdout: error.stdout ?? '',
          stderr: error.stderr ?? '',
        }),
      );
      const start = stdout.indexOf('{');
      if (start < 0)
        throw new Error(`sf ${args.join(' ')} printed no JSON (exit ${code}): ${stdout}${stderr}`);
      const answer = JSON.parse(stdout.slice(start)) as Omit<SfOutcome<T>, 'code' | 'stderr'>;
      return { ...answer, code, stderr };
    },
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}
