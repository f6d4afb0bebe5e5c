/**
 * A real local AT Protocol network (not a fake): a PLC directory and one PDS (SQLite, in-process) from
 * `@atproto/dev-env`. No AppView, so no notifications or follower counts; everything else a PDS does
 * (accounts, app passwords, records, `subscribeRepos`, `resolveHandle`) is the real thing.
 * Tests start one per file (~0.5 s); `npm start` runs one for the demo.
 */
import { AtpAgent } from '@atproto/api';
import { TestNetworkNoAppView } from '@atproto/dev-env';

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
  /** Creates an account on the PDS; `handle` must end with `.test` (the PDS's handle domain). */
  createAccount(handle: string): Promise<LocalAccount>;
  close(): Promise<void>;
}

export async function startLocalBluesky(): Promise<LocalBluesky> {
  const net = await TestNetworkNoAppView.create({});
  const pdsUrl = net.pds.url;
  const plcUrl = net.plc.url;
  let closed = false;
  return {
    net,
    pdsUrl,
    plcUrl,
    async createAccount(handle) {
      const password = `pw-${handle}`;
      const admin = new AtpAgent({ service: pdsUrl });
      const email = `${handle.replace(/[^a-z0-9]/gi, '-')}@example.test`;
      const created = await admin.com.atproto.server.createAccount({ handle, email, password });
      const agent = new AtpAgent({ service: pdsUrl });
      await agent.login({ identifier: handle, password });
      return { did: created.data.did, handle: created.data.handle, password, agent };
    },
    async close() {
      if (closed) return;
      closed = true;
      await net.close();
    },
  };
}
