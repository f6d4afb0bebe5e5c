import { Flags } from '@salesforce/sf-plugins-core';
import { commandMessages } from '../../shared/messages.ts';
import { SocialCommand } from '../../shared/social-command.ts';
import { DEFAULT_SERVER_URL } from '../../sync-server/client.ts';
import { SocialCrmSettings, defaultDataDir } from '../../sync-server/settings.ts';
import type { ServeResult } from '../../results.ts';
import { orgName } from '../../shared/org-name.ts';

export type { ServeResult } from '../../results.ts';
const messages = commandMessages('social.serve');

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

interface StopWatch {
  /** Resolves with the first stop signal received. */
  stopped: Promise<string>;
  /** Gives the signals back to whoever had them before. */
  release(): void;
}

/**
 * Takes over the stop signals. SfCommand's own handlers for them exit at once (code 130), which would drop
 * in-flight work: they step aside until the server has drained, and come back after (so a second Ctrl-C
 * while draining still quits at once).
 */
function watchStopSignals(): StopWatch {
  const inherited = STOP_SIGNALS.map((signal) => [signal, process.listeners(signal)] as const);
  for (const [signal, listeners] of inherited) for (const l of listeners) process.off(signal, l);
  let onSignal: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => {
    onSignal = resolve;
  });
  const handlers = STOP_SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, handler] of handlers) process.once(signal, handler);
  let released = false;
  return {
    stopped: stopped.finally(() => release()),
    release,
  };
  function release(): void {
    if (released) return;
    released = true;
    for (const [signal, handler] of handlers) process.off(signal, handler);
    for (const [signal, listeners] of inherited) for (const l of listeners) process.on(signal, l);
  }
}

export default class Serve extends SocialCommand<ServeResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg({ summary: messages.getMessage('flags.target-org.summary') }),
    'api-version': Flags.orgApiVersion({ summary: messages.getMessage('flags.api-version.summary') }),
    port: Flags.integer({ summary: messages.getMessage('flags.port.summary'), min: 0, max: 65535 }),
    host: Flags.string({ summary: messages.getMessage('flags.host.summary'), default: '127.0.0.1' }),
    'data-dir': Flags.directory({ summary: messages.getMessage('flags.data-dir.summary') }),
    'log-level': Flags.option({
      summary: messages.getMessage('flags.log-level.summary'),
      options: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      default: 'info' as const,
    })(),
  };

  public async run(): Promise<ServeResult> {
    const { flags } = await this.parse(Serve);
    const org = flags['target-org'];
    const orgId = org.getOrgId();
    const saved = (await SocialCrmSettings.create(SocialCrmSettings.getDefaultOptions())).forOrg(orgId);
    const port = flags.port ?? Number(new URL(saved?.serverUrl ?? DEFAULT_SERVER_URL).port || 8787);
    const dataDir = flags['data-dir'] ?? saved?.dataDir ?? defaultDataDir(orgId);
    // Loaded here, not at the top: the sync server is large, and `--help` needs none of it.
    const { serveOrg } = await import('../../serve/serve-org.ts');
    // Watch for the stop signals before starting, so an early Ctrl-C still closes cleanly.
    const watch = watchStopSignals();
    let server;
    try {
      server = await serveOrg({
        org,
        apiVersion: flags['api-version'] ?? org.getConnection().getApiVersion(),
        port,
        host: flags.host,
        dataDir,
        logLevel: flags['log-level'],
      });
    } catch (error) {
      watch.release();
      throw error;
    }
    this.log(messages.getMessage('info.Listening', [await orgName(org), server.url, dataDir]));
    const stoppedBy = await watch.stopped;
    await server.close();
    this.log(messages.getMessage('info.Stopped'));
    return { orgId, username: org.getUsername() ?? '', url: server.url, dataDir, stoppedBy };
  }
}
