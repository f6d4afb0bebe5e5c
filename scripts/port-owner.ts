/**
 * Who holds a TCP port, in words for a person: "process 1234 (node scripts/start.ts)". Read from Linux's
 * /proc (the listening socket's inode, then the process with that socket open), as `ss -ltnp` does; on
 * other systems, or for another user's process, it says less rather than guess.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

/** Whether `port` can be listened on at `host` now. */
export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

const LISTEN = '0A';

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local || cols[3] !== LISTEN) continue;
      if (Number.parseInt(local.split(':')[1] ?? '', 16) === port && cols[9]) inodes.add(cols[9]);
    }
  }
  return inodes;
}

function commandLine(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** The process listening on `port`, if this user can see it. */
export function portOwner(port: number): { pid: number; command: string } | null {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return null;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return { pid: Number(pid), command: commandLine(pid) };
    }
  }
  return null;
}

/** "port 8787 is in use by process 1234 (node server/src/main.ts)", or as much of it as is known. */
export function describePortInUse(port: number): string {
  const owner = portOwner(port);
  if (!owner) return `port ${port} is in use by another program`;
  // The program's name without its folder: "node server/src/main.ts", not a path to a Node install.
  const [program = '', ...args] = owner.command.split(' ');
  const words = [program.split('/').at(-1) ?? program, ...args].join(' ');
  const command = words.length > 120 ? `${words.slice(0, 120)}…` : words;
  return `port ${port} is in use by process ${owner.pid}${command ? ` (${command})` : ''}`;
}
