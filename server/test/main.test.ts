import { expect } from 'chai';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closedPort } from './helpers/listen.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(env: Record<string, string>): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<Exit>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, exited };
}

/** Resolves with the URL from the "listening" log line. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /"url":"(http:\/\/[^"]+)"/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('close', () => reject(new Error(`exited before listening: ${seen}`)));
  });
}

describe('main (node server/src/main.ts)', function () {
  // A cold `node main.ts` loads the whole server: on a loaded machine that alone can take 20 s.
  this.timeout(120_000);

  it('exits 1 with only the config message on stderr for a bad setting', async () => {
    const { code, stdout, stderr } = await run({ PORT: 'abc' }).exited;
    expect(code).to.equal(1);
    expect(stderr).to.equal('PORT must be an integer between 0 and 65535 (got "abc")\n');
    expect(stdout).to.equal('');
  });

  it('starts, logs its URL, serves, answers not ready without an org, and drains on SIGTERM', async () => {
    const orgPort = await closedPort();
    const { child, exited } = run({ PORT: '0', DEV_ORG_PORT: String(orgPort), LOG_LEVEL: 'info' });
    const url = await listeningUrl(child);
    expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);

    expect(await (await fetch(`${url}/healthz`)).json()).to.deep.equal({ status: 'ok' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).to.equal(503);
    const body = (await ready.json()) as { checks: { org: { ok: boolean; detail: string } } };
    expect(body.checks.org.ok).to.equal(false);
    expect(body.checks.org.detail).to.include(`http://localhost:${orgPort}`);

    child.kill('SIGTERM');
    const { code, stdout, stderr } = await exited;
    expect(code).to.equal(0);
    expect(stderr).to.equal('');
    expect(stdout).to.include('sync server stopped');
    expect(stdout).not.to.include('00Ddev0000000000!local');
  });
});
