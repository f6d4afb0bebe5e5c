/**
 * `npm start`: the whole product on the embedded default — the dev org, the sync server, and
 * (later) demo traffic — each its own process, output prefixed, each URL printed. Ctrl-C stops all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const env = {
  ...process.env,
  PORT: process.env['PORT'] ?? '8787',
  DEV_ORG_PORT: process.env['DEV_ORG_PORT'] ?? '8788',
  DEMO_TRAFFIC: process.env['DEMO_TRAFFIC'] ?? '1',
  DATA_DIR: process.env['DATA_DIR'] ?? './.data',
};
const devOrgUrl = `http://localhost:${env.DEV_ORG_PORT}`;
const serverUrl = `http://localhost:${env.PORT}`;

const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

function run(name: string, script: string): ChildProcess {
  // Own process group: a terminal's Ctrl-C reaches only this supervisor, which stops each child once.
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[${name}] exited (${signal ?? code}); stopping everything.`);
    void stop(1);
  });
  children.push({ name, child });
  return child;
}

async function waitFor(url: string, name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new Error(`${name} did not come up at ${url} within ${timeoutMs / 1000} s`);
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  run('dev-org', 'dev-org/src/main.ts');
  await waitFor(`${devOrgUrl}/services/data`, 'the dev org');
  run('server', 'server/src/main.ts');
  await waitFor(`${serverUrl}/healthz`, 'the sync server');
  console.log(`
Social CRM is running on the embedded default.
  Record page (sync server) ${serverUrl}/
  Sync server health        ${serverUrl}/readyz
  Metrics                   ${serverUrl}/metrics
  Dev org REST API          ${devOrgUrl}/services/data/v62.0/  (bearer token: DEV_ORG_ACCESS_TOKEN, see README)
Data lives in ${env.DATA_DIR}. Press Ctrl-C to stop.
`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  await stop(1);
}
