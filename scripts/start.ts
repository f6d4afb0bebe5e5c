/**
 * `npm start`: the whole product on the embedded default — the dev org, the local social networks
 * (stand-ins and a real local Bluesky network, with demo traffic) and the sync server — each its own
 * process, output prefixed, each URL printed. Ctrl-C stops all.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

function run(name: string, script: string, extraEnv: Record<string, string> = {}): ChildProcess {
  // Own process group: a terminal's Ctrl-C reaches only this supervisor, which stops each child once.
  const child = spawn(process.execPath, [script], {
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
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

/** The stand-ins write their addresses and demo credentials here for the sync server. */
async function networksEnv(pid: number | undefined): Promise<Record<string, string>> {
  const file = join(resolve(env.DATA_DIR), 'networks.json');
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const written = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; env: Record<string, string> };
      if (written.pid === pid) return written.env;
    } catch {
      // not written yet
    }
    await sleep(150);
  }
  throw new Error(`the social network stand-ins did not start within 60 s (no ${file})`);
}

/** The record page serves the components bundle: build it once on a fresh clone. */
function ensureComponentsBuilt(): void {
  if (existsSync('ui-components/dist/social-components.js')) return;
  console.log('building the UI components (first start only) …');
  const build = spawnSync('npm', ['run', 'build', '-w', 'ui-components'], { stdio: 'inherit' });
  if (build.status !== 0)
    throw new Error('building the UI components failed: run `npm run build` to see why');
}

try {
  ensureComponentsBuilt();
  run('dev-org', 'dev-org/src/main.ts');
  await waitFor(`${devOrgUrl}/services/data`, 'the dev org');
  const networks = run('networks', 'stand-ins/src/main.ts', {
    SYNC_SERVER_URL: serverUrl,
    DEV_ORG_URL: devOrgUrl,
  });
  const networkEnv = await networksEnv(networks.pid);
  run('server', 'server/src/main.ts', {
    ...networkEnv,
    // The dev org's OAuth client: the sync server renews its session by itself when it expires.
    SF_CLIENT_ID: process.env['SF_CLIENT_ID'] ?? 'dev-client-id',
    SF_CLIENT_SECRET: process.env['SF_CLIENT_SECRET'] ?? 'dev-client-secret',
  });
  await waitFor(`${serverUrl}/healthz`, 'the sync server');
  console.log(`
Social CRM is running on the embedded default.
  Record pages              ${serverUrl}/
  Sync server status        ${serverUrl}/api/status
  Sync server readiness     ${serverUrl}/readyz
  Metrics                   ${serverUrl}/metrics
  Dev org REST API          ${devOrgUrl}/services/data/v62.0/  (bearer token: DEV_ORG_ACCESS_TOKEN, see README)
Demo mentions arrive through local X, Meta, Mastodon and Bluesky networks${env.DEMO_TRAFFIC === '1' ? '' : ' (demo traffic off)'}.
Data lives in ${env.DATA_DIR}. Press Ctrl-C to stop.
`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  await stop(1);
}
