/**
 * A real local AT Protocol network (not a fake): a PLC directory and one PDS (SQLite, in-process) from
 * `@atproto/dev-env`. No AppView, so no notifications or follower counts; everything else a PDS does
 * (accounts, app passwords, records, `subscribeRepos`, `resolveHandle`) is the real thing.
 * Tests start one per file (~0.5 s); `npm start` runs one for the demo. Both servers listen on
 * 127.0.0.1 only (see loopback.ts).
 */
import { AtpAgent } from '@atproto/api';
import { TestNetworkNoAppView } from '@atproto/dev-env';
import { withLoopbackListeners } from './loopback.ts';

/**
 * Handle domains the PDS hands out: `.test`, and `.bsky.social` so that the demo's people keep the
 * handles the CRM lists for them (a local network: nothing there is the real bsky.social).
 */
export const LOCAL_HANDLE_DOMAINS = ['.test', '.bsky.social'] as const;

export interface LocalAccount {
  did: string;
  handle: string;
  /** The account password (tests only); create an app password with the agent for connectors. */
  password: string;
  /** Logged in as this account. */
  agent: AtpAgent;
}

export interface LocalBluesky {
  net: TestNetworkNoAppView;
  /** `http://localhost:<port>` of the PDS (also serves `subscribeRepos` at `ws://`). */
  pdsUrl: string;
  plcUrl: string;
  /**
   * Creates an account on the PDS; `handle` must end with one of `LOCAL_HANDLE_DOMAINS`. With a
   * profile, its `app.bsky.actor.profile` record too (where clients read display name and bio).
   */
  createAccount(
    handle: string,
    profile?: { displayName: string; description?: string },
  ): Promise<LocalAccount>;
  close(): Promise<void>;
}

export async function startLocalBluesky(): Promise<LocalBluesky> {
  const net = await withLoopbackListeners(() =>
    TestNetworkNoAppView.create({ pds: { serviceHandleDomains: [...LOCAL_HANDLE_DOMAINS] } }),
  );
  const pdsUrl = net.pds.url;
  const plcUrl = net.plc.url;
  let closed = false;
  return {
    net,
    pdsUrl,
    plcUrl,
    async createAccount(handle, profile) {
      const password = `pw-${handle}`;
      const admin = new AtpAgent({ service: pdsUrl });
      const email = `${handle.replace(/[^a-z0-9]/gi, '-')}@example.test`;
      const created = await admin.com.atproto.server.createAccount({ handle, email, password });
      const agent = new AtpAgent({ service: pdsUrl });
      await agent.login({ identifier: handle, password });
      if (profile) {
        await agent.com.atproto.repo.putRecord({
          repo: created.data.did,
          collection: 'app.bsky.actor.profile',
          rkey: 'self',
          record: {
            $type: 'app.bsky.actor.profile',
            displayName: profile.displayName,
            ...(profile.description ? { description: profile.description } : {}),
          },
        });
      }
      return { did: created.data.did, handle: created.data.handle, password, agent };
    },
    async close() {
      if (closed) return;
      closed = true;
      await net.close();
    },
  };
}
