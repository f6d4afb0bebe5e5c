/**
 * `npm start`: the whole product on the embedded default — the dev org, the local social networks
 * (stand-ins and a real local Bluesky network, with demo traffic) and the sync server — each its own
 * process, output prefixed, each URL printed. Ctrl-C stops all.
 *
 * Before it starts anything it checks every part's settings and that its ports and data folder are free,
 * so a mistake is reported at once and a second `npm start` never half-starts beside the first. Each
 * child holds an IPC channel to this supervisor and ends when it closes: the children go with the
 * supervisor however it ends, `kill -9` included.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDevOrgSettings } from '../dev-org/src/settings.ts';
import { ConfigError, loadConfig } from '../server/src/config.ts';
import { describePortInUse, isPortFree } from './port-owner.ts';

const env = {
  ...process.env,
  PORT: process.env['PORT'] || '8787',
  DEV_ORG_PORT: process.env['DEV_ORG_PORT'] || '8788',
  DEMO_TRAFFIC: process.env['DEMO_TRAFFIC'] || '1',
  DATA_DIR: process.env['DATA_DIR'] || './.data',
  // The dev org's OAuth client: the sync server renews its session by itself when it expires.
  SF_CLIENT_ID: process.env['SF_CLIENT_ID'] || 'dev-client-id',
  SF_CLIENT_SECRET: process.env['SF_CLIENT_SECRET'] || 'dev-client-secret',
};
const dataDir = resolve(env.DATA_DIR);
const processesFile = join(dataDir, 'processes.json');

/** Every part's settings, checked before any part starts: one line per bad variable. */
function settingsProblems(): string[] {
  const problems: string[] = [];
  try {
    loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.issues.map((i) => i.message));
  }
  const devOrg = parseDevOrgSettings(env);
  if (!devOrg.ok) {
    // The sync server checks DEV_ORG_PORT and DATA_DIR too: say each once.
    problems.push(
      ...devOrg.problems.filter((p) => !problems.some((q) => q.split(' ')[0] === p.split(' ')[0])),
    );
  }
  return problems;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Another `npm start` on the same data folder (its stores are single-writer), or null. */
function supervisorUsingDataDir(): number | null {
  try {
    const { supervisor } = JSON.parse(readFileSync(processesFile, 'utf8')) as { supervisor: number };
    return supervisor !== process.pid && isAlive(supervisor) ? supervisor : null;
  } catch {
    return null;
  }
}

async function portProblems(): Promise<string[]> {
  const devOrgHost = process.env['DEV_ORG_HOST'] || '127.0.0.1';
  const serverHost = process.env['HOST'] || '127.0.0.1';
  const problems: string[] = [];
  for (const [variable, port, host] of [
    ['DEV_ORG_PORT', Number(env.DEV_ORG_PORT), devOrgHost],
    ['PORT', Number(env.PORT), serverHost],
  ] as const) {
    if (port !== 0 && !(await isPortFree(port, host))) {
      problems.push(`${describePortInUse(port)}: stop it, or set ${variable} to a free port`);
    }
  }
  return problems;
}

function refuse(problems: readonly string[], advice: string): never {
  console.error(
    `npm start did not start anything:\n${problems.map((p) => `  - ${p}`).join('\n')}\n${advice}`,
  );
  process.exit(1);
}

const settings = settingsProblems();
if (settings.length > 0) {
  refuse(
    settings,
    'Fix or unset these variables (see the README, "Configuration"), then run npm start again.',
  );
}
const other = supervisorUsingDataDir();
const ports = await portProblems();
if (other !== null || ports.length > 0) {
  const problems =
    other === null ? ports : [`npm start is already running on ${env.DATA_DIR} (process ${other})`, ...ports];
  const ours =
    other !== null || ports.some((p) => /(dev-org|server)\/src\/main\.ts|scripts\/start\.ts/.test(p));
  refuse(
    problems,
    ours
      ? 'Another npm start is running: stop it with Ctrl-C in its terminal, or run this one with its own PORT, DEV_ORG_PORT and DATA_DIR.'
      : 'Then run npm start again.',
  );
}

const devOrgUrl = `http://localhost:${env.DEV_ORG_PORT}`;
const serverUrl = `http://localhost:${env.PORT}`;
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

function recordProcesses(): void {
  const pids = Object.fromEntries(children.map(({ name, child }) => [name, child.pid]));
  writeFileSync(processesFile, `${JSON.stringify({ supervisor: process.pid, children: pids }, null, 2)}\n`);
}

function run(name: string, script: string, extraEnv: Record<string, string> = {}): ChildProcess {
  // Own process group: a terminal's Ctrl-C reaches only this supervisor, which stops each child in order.
  // The IPC channel is the child's lifeline: it closes when the supervisor ends, however it ends.
  const child = spawn(process.execPath, [script], {
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[${name}] exited (${signal ?? code}); stopping everything.`);
    void stop(1);
  });
  children.push({ name, child });
  recordProcesses();
  return child;
}

async function waitFor(url: string, name: string, child: ChildProcess): Promise<void> {
  // Waits for the part to answer, or to exit (its own message says why); no deadline: a slow machine is
  // only slow, and Ctrl-C stops the wait.
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} did not start`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Dependents first: the sync server, then the networks it listens to, then the org they both use, so
  // nothing reports a peer that went away first.
  for (const { child } of [...children].reverse()) await stopChild(child);
  rmSync(processesFile, { force: true });
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** The stand-ins write their addresses and demo credentials here for the sync server. */
async function networksEnv(child: ChildProcess): Promise<Record<string, string>> {
  const file = join(dataDir, 'networks.json');
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error('the social networks did not start');
    try {
      const written = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; env: Record<string, string> };
      if (written.pid === child.pid) return written.env;
    } catch {
      // not written yet
    }
    await sleep(150);
  }
}

const DEV_ORG_TOKEN = '00Ddev0000000000!local';

/**
 * Names the dev org `socialcrm-dev` in the Salesforce CLI's auth store and saves its sync server's address
 * as `sf social setup` does, so that `npx sf … -o socialcrm-dev` and `./plugin/bin/run.js social … -o
 * socialcrm-dev` work after `npm ci` alone. Never stops the start:
 * on failure it says how to do it by hand. Resolves to the lines to print.
 */
async function registerWithSalesforceCli(): Promise<string> {
  const token = process.env['DEV_ORG_ACCESS_TOKEN'] || DEV_ORG_TOKEN;
  const manual = `SF_ACCESS_TOKEN='${token}' npx sf org login access-token --instance-url ${devOrgUrl} --alias socialcrm-dev --no-prompt`;
  // @salesforce/core warns about http: URLs; the dev org is on loopback by design.
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
    if (!/insecure protocol/i.test(String(warning))) emitWarning.call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    const { registerCliLogin } = await import('../dev-org/src/cli-login.ts');
    const login = await registerCliLogin({ instanceUrl: devOrgUrl, accessToken: token });
    // What `sf social setup` saves for the org: where its sync server listens and keeps its queue, so that
    // `sf social status|backfill` find this one.
    const { SocialCrmSettings } = await import('../plugin/src/sync-server/settings.ts');
    const settings = await SocialCrmSettings.create(SocialCrmSettings.getDefaultOptions());
    const changed = settings.saveOrg({
      orgId: login.orgId,
      username: login.username,
      instanceUrl: login.instanceUrl,
      apiVersion: '62.0',
      serverUrl,
      dataDir,
    });
    if (changed.length > 0) await settings.write();
    return `  Salesforce CLI            org alias ${login.alias}: npx sf data query -o ${login.alias} -q "SELECT Name FROM Account LIMIT 5"
                            ./plugin/bin/run.js social status -o ${login.alias}
`;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return `  Salesforce CLI            not registered (${why}); to use sf with the dev org: ${manual}
`;
  } finally {
    process.emitWarning = emitWarning;
  }
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
  mkdirSync(dataDir, { recursive: true });
  recordProcesses();
  ensureComponentsBuilt();
  const devOrg = run('dev-org', 'dev-org/src/main.ts');
  await waitFor(`${devOrgUrl}/services/data`, 'the dev org', devOrg);
  const cliLogin = registerWithSalesforceCli();
  const networks = run('networks', 'stand-ins/src/main.ts', {
    SYNC_SERVER_URL: serverUrl,
    DEV_ORG_URL: devOrgUrl,
  });
  const networkEnv = await networksEnv(networks);
  const server = run('server', 'server/src/main.ts', networkEnv);
  await waitFor(`${serverUrl}/healthz`, 'the sync server', server);
  const alias = await cliLogin;
  console.log(`
Social CRM is running on the embedded default.
  Record pages              ${serverUrl}/
  Social inbox              ${serverUrl}/inbox
  Sync server status        ${serverUrl}/api/status
  Sync server readiness     ${serverUrl}/readyz
  Metrics                   ${serverUrl}/metrics
  Dev org REST API          ${devOrgUrl}/services/data/v62.0/  (bearer token: DEV_ORG_ACCESS_TOKEN, see README)
${alias}Demo mentions arrive through local X, Meta, Mastodon and Bluesky networks${env.DEMO_TRAFFIC === '1' ? '' : ' (demo traffic off)'}.
Data lives in ${env.DATA_DIR}. Press Ctrl-C to stop.
`);
} catch (error) {
  if (!stopping) {
    console.error(error instanceof Error ? error.message : String(error));
    await stop(1);
  }
}
