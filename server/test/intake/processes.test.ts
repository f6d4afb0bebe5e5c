import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { openIntakeStore } from '../../src/intake/sqlite-queue.ts';
import { mention } from './fixtures/mentions.ts';

const ENQUEUER = fileURLToPath(new URL('./fixtures/enqueue-until-killed.ts', import.meta.url));
const WORKER = fileURLToPath(new URL('./fixtures/claim-worker.ts', import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe('SqliteMentionQueue across processes', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'intake-proc-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged mention when the process is killed with SIGKILL mid-way', async () => {
    const path = join(dir, 'intake.db');
    const child = spawn(process.execPath, [ENQUEUER, path, '100000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let lastAcked = -1;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<Exit>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      for (const match of stdout.matchAll(/^acked (\d+)$/gm))
        lastAcked = Math.max(lastAcked, Number(match[1]));
      if (lastAcked >= 200 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    const exit = await exited;
    expect(exit.signal, `child ended on its own: ${exit.stderr}`).to.equal('SIGKILL');
    expect(exit.stdout).to.not.contain('done');
    // Everything read from the pipe after the kill counts as acknowledged too.
    for (const match of exit.stdout.matchAll(/^acked (\d+)$/gm))
      lastAcked = Math.max(lastAcked, Number(match[1]));

    const raw = new DatabaseSync(path);
    const stored = raw.prepare('SELECT key FROM items ORDER BY seq').all() as { key: string }[];
    raw.close();
    const storedKeys = stored.map((row) => row.key);
    expect(new Set(storedKeys).size, 'no key stored twice').to.equal(storedKeys.length);
    // Every acknowledged mention is there, in order. The child may have stored more before the kill
    // landed (on a loaded machine, acks still in flight are lost with it): those form the same
    // unbroken sequence, never a gap or a stray.
    expect(storedKeys.length).to.be.at.least(lastAcked + 1);
    storedKeys.forEach((key, i) => expect(key).to.equal(`x:p${i}`));

    // A store opened after the crash sees them all and still dedupes against them.
    const { queue, close } = openIntakeStore({ path });
    try {
      expect((await queue.stats()).depth).to.equal(storedKeys.length);
      const again = Array.from({ length: lastAcked + 1 }, (_, i) => mention(`p${i}`, `a${i % 7}`));
      expect(await queue.enqueue(again)).to.deep.equal({ accepted: 0, duplicates: lastAcked + 1 });
    } finally {
      await close();
    }
  });

  it('two server processes on one file claim disjoint sets that together cover the queue', async () => {
    const path = join(dir, 'shared.db');
    const total = 600;
    const setup = openIntakeStore({ path });
    await setup.queue.enqueue(Array.from({ length: total }, (_, n) => mention(String(n), `author${n % 50}`)));
    await setup.close();

    const workers = [0, 1].map(() => {
      const child = spawn(process.execPath, [WORKER, path], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const ready = new Promise<void>((resolve) =>
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
          if (stdout.startsWith('ready\n')) resolve();
        }),
      );
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const exited = new Promise<Exit>((resolve) =>
        child.on('close', (code, signal) => resolve({ code, signal, stdout: stdout.slice(6), stderr })),
      );
      return { child, ready, exited };
    });
    await Promise.race([
      Promise.all(workers.map((worker) => worker.ready)),
      Promise.all(workers.map((worker) => worker.exited)),
    ]);
    for (const worker of workers) worker.child.stdin.end('go\n');
    const [first, second] = await Promise.all(workers.map((worker) => worker.exited));
    if (!first || !second) throw new Error('unreachable');
    expect(first.code, first.stderr).to.equal(0);
    expect(second.code, second.stderr).to.equal(0);

    const byFirst = JSON.parse(first.stdout) as number[];
    const bySecond = JSON.parse(second.stdout) as number[];
    const claimedByFirst = new Set(byFirst);
    expect(bySecond.filter((seq) => claimedByFirst.has(seq))).to.deep.equal([]);
    expect(new Set([...byFirst, ...bySecond]).size).to.equal(total);
    expect(byFirst.length + bySecond.length).to.equal(total);
    // Both really worked the queue at the same time.
    expect(byFirst).to.not.be.empty;
    expect(bySecond).to.not.be.empty;
  });
});
