/**
 * The headless Chromium every browser test, the record-page end-to-end test and the render bench use.
 * It arrives with `npm ci`: the registry package `@sparticuz/chromium` ships the binary brotli-compressed,
 * and the first call unpacks it to the system's temp folder (a few seconds, once per machine). No apt step,
 * no download at run time. `CHROMIUM_PATH` points at another Chromium instead (e.g. a Debian package's
 * binary).
 */
import chromium from '@sparticuz/chromium';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Flags for a test browser on these machines: no sandbox (tests run as root in CI), no GPU, and no
 * background connections to Google's services (the network is closed; each refused one costs time).
 * Unlike the package's own `chromium.args` (made for AWS Lambda) this keeps web security and site
 * isolation on: tests assert what a real browser refuses across origins.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

// The package exports no package.json: read it next to its entry point.
const version = (
  JSON.parse(
    readFileSync(new URL('../package.json', import.meta.resolve('@sparticuz/chromium')), 'utf8'),
  ) as {
    version: string;
  }
).version;

/** The package unpacks to fixed names in tmpdir(); a marker per version says the unpacking finished. */
const unpacked = () => ({
  binary: join(tmpdir(), 'chromium'),
  marker: join(tmpdir(), `chromium-${version}.unpacked`),
  lock: join(tmpdir(), 'chromium.unpacking'),
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One unpacker at a time across processes; a lock left by a process that died is taken over. */
async function withUnpackLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch {
      const holder = Number(readFileSync(lock, { encoding: 'utf8', flag: 'a+' }));
      if (!holder || !isAlive(holder)) rmSync(lock, { force: true });
      else await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The path of a Chromium binary to launch: `CHROMIUM_PATH`, or the one `npm ci` brought, unpacked. */
export async function chromiumExecutable(): Promise<string> {
  const override = process.env['CHROMIUM_PATH'];
  if (override) return override;
  const { binary, marker, lock } = unpacked();
  if (existsSync(marker) && existsSync(binary)) return binary;
  return withUnpackLock(lock, async () => {
    if (existsSync(marker) && existsSync(binary)) return binary;
    // A binary without the marker is a cut-off unpacking or another version: the package would reuse it.
    rmSync(binary, { force: true });
    const path = await chromium.executablePath();
    writeFileSync(marker, `${path}\n`);
    return path;
  });
}
