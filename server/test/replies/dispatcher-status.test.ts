/**
 * `/api/status` reports the reply path as it is now: an org outage the dispatcher met in its last round is
 * not reported after the org is back, even when the next poll is far off.
 */
import { expect } from 'chai';
import { silentLogger } from '../../src/observability/logger.ts';
import type { ReplyStore } from '../../src/replies/ports.ts';
import { ReplyDispatcher } from '../../src/replies/reply-dispatcher.ts';

/** An org the test takes down and brings back; only the call a quiet round makes is answered. */
class SwitchableOrg {
  up = false;
  rounds = 0;
  readonly store = new Proxy({} as ReplyStore, {
    get: (_target, method) => {
      if (method !== 'due') return () => Promise.reject(new Error(`unexpected call: ${String(method)}`));
      return async () => {
        this.rounds += 1;
        if (!this.up) throw new Error('Service Unavailable (503)');
        return [];
      };
    },
  });
}

describe('ReplyDispatcher: the reply path as it is now', () => {
  it('re-checks a failed round before saying replies cannot be sent, instead of waiting for the next poll', async () => {
    const org = new SwitchableOrg();
    const dispatcher = new ReplyDispatcher({
      store: org.store,
      senders: new Map(),
      own: { x: null, bluesky: null },
      logger: silentLogger(),
      options: { pollMs: 3_600_000 },
    });
    dispatcher.start();
    try {
      // The first round, at start, meets the outage.
      while (dispatcher.lastError === null) await new Promise((r) => setTimeout(r, 10));
      expect(await dispatcher.currentError()).to.equal('Service Unavailable (503)'); // still down: still said
      org.up = true;
      const roundsBefore = org.rounds;
      expect(dispatcher.lastError).to.equal('Service Unavailable (503)'); // what the last round saw
      expect(await dispatcher.currentError()).to.equal(null); // what is true now
      expect(org.rounds).to.equal(roundsBefore + 1);
      // While all is well, asking costs the org nothing.
      expect(await dispatcher.currentError()).to.equal(null);
      expect(org.rounds).to.equal(roundsBefore + 1);
    } finally {
      await dispatcher.stop();
    }
  });
});
