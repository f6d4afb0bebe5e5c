/**
 * BreachSweep with a scripted store and routing: each overdue post escalated once (priority up, a Task for
 * the supervisor, a move to the escalation queue while a queue owns it), the inbox gauges and today's
 * share within target, stale claims released, failures recorded and cleared, stop() waiting for a sweep.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { BreachSweep, type BreachSweepDeps } from '../../src/replies/breach-sweep.ts';
import type { EscalationContacts, InboxConfiguration } from '../../src/salesforce/inbox-routing.ts';
import type { Escalation, OverduePost, SweepState } from '../../src/salesforce/inbox-store.ts';
import type { UserOption } from '../../src/salesforce/inbox-store.ts';

const NOW = new Date('2026-03-04T12:00:00.000Z');
const SUPPORT = '00G000000000001AAA';
const VIP = '00G000000000003AAA';
const ESCALATIONS = '00G000000000005AAA';
const AGENT = '005000000000002AAA';
const VIP_LEAD = '005000000000009AAA';
const SUPPORT_LEAD = '005000000000008AAA';

const CONTACTS: Record<string, EscalationContacts> = {
  VIP_Complaints: { supervisor: 'VIP.Lead@Acme.example', escalationQueueId: ESCALATIONS },
  Sales_Leads: { supervisor: 'nobody@acme.example', escalationQueueId: null },
  Self_Escalating: { supervisor: 'support.lead@acme.example', escalationQueueId: SUPPORT },
  default: { supervisor: 'support.lead@acme.example', escalationQueueId: null },
};

const USERS = new Map<string, UserOption>([
  ['vip.lead@acme.example', { id: VIP_LEAD, name: 'Vera Lead' }],
  ['support.lead@acme.example', { id: SUPPORT_LEAD, name: 'Sam Lead' }],
]);

function overdue(postId: string, overrides: Partial<OverduePost> = {}): OverduePost {
  return {
    postId,
    network: 'x',
    priority: 'High',
    ownerId: SUPPORT,
    ownerName: 'Social Support',
    status: 'needs_reply',
    dueAt: new Date(NOW.getTime() - 25 * 60_000).toISOString(),
    rule: null,
    handle: `author_${postId.slice(-4)}`,
    url: null,
    caseId: null,
    personId: null,
    ...overrides,
  };
}

/**
 * A store that behaves like the org: overdue posts not yet escalated, claims `escalate:<id>` that only
 * one sweep gets, and the counts it is given.
 */
class FakeStore {
  posts: OverduePost[] = [];
  open = { open: 0, assigned: 0 };
  answered = { met: 0, missed: 0, noTarget: 0 };
  staleClaims: string[] = [];
  readonly escalated = new Map<string, Escalation>();
  readonly escalateCalls: Escalation[][] = [];
  readonly usernamesAsked: string[][] = [];
  readonly released: string[][] = [];
  readonly sweepCalls: [Date, Date][] = [];
  failWith: Error | null = null;
  /** When set, sweep() waits for this before answering. */
  gate: Promise<void> | null = null;

  async sweep(now: Date, since: Date): Promise<SweepState> {
    this.sweepCalls.push([now, since]);
    if (this.gate) await this.gate;
    if (this.failWith) throw this.failWith;
    return {
      breached: this.posts.filter((p) => !this.escalated.has(p.postId)),
      open: { ...this.open },
      answered: { ...this.answered },
      staleClaims: [...this.staleClaims],
    };
  }

  async escalate(escalations: readonly Escalation[], _now: Date): Promise<string[]> {
    this.escalateCalls.push([...escalations]);
    const mine = escalations.filter((e) => !this.escalated.has(e.postId));
    for (const e of mine) this.escalated.set(e.postId, e);
    return mine.map((e) => e.postId);
  }

  async usersByUsername(usernames: readonly string[]): Promise<Map<string, UserOption>> {
    this.usernamesAsked.push([...usernames]);
    return new Map([...USERS].filter(([name]) => usernames.includes(name)));
  }

  async releaseClaims(ids: readonly string[]): Promise<void> {
    this.released.push([...ids]);
    this.staleClaims = this.staleClaims.filter((id) => !ids.includes(id));
  }
}

const CONFIG = { rules: [], targets: [], loadedAt: 0 } as unknown as InboxConfiguration;

function fakeRouting(config: InboxConfiguration | null = CONFIG) {
  return {
    configuration: sinon.stub().resolves(config),
    contactsFor: sinon
      .stub()
      .callsFake((rule: string | null) => CONTACTS[rule ?? 'default'] ?? CONTACTS['default']!),
  };
}

async function metricLines(metrics: Metrics, name: string): Promise<string[]> {
  const text = await metrics.registry.getSingleMetricAsString(name);
  return text.split('\n').filter((line) => line.startsWith(name));
}

describe('BreachSweep', () => {
  let store: FakeStore;
  let metrics: Metrics;
  let changed: string[][];

  const sweepWith = (overrides: Partial<BreachSweepDeps> = {}): BreachSweep =>
    new BreachSweep({
      store,
      routing: fakeRouting(),
      logger: silentLogger(),
      metrics,
      onChanged: (ids) => changed.push([...ids]),
      now: () => NOW,
      ...overrides,
    });

  beforeEach(() => {
    store = new FakeStore();
    metrics = createMetrics({ defaultMetrics: false });
    changed = [];
  });

  it('escalates each overdue post once: priority one level up, a Task for the supervisor', async () => {
    store.posts = [
      overdue('a01000000000001AAA', {
        priority: 'Normal',
        handle: 'kim_late',
        rule: 'VIP_Complaints',
        url: 'https://x.com/kim_late/status/1',
        dueAt: '2026-03-04T10:45:00.000Z',
      }),
      overdue('a01000000000002AAA', { priority: 'Urgent', network: 'bluesky', handle: 'ann.bsky.social' }),
    ];
    const sweep = sweepWith();
    const escalated = await sweep.sweepNow();
    expect(escalated).to.deep.equal(['a01000000000001AAA', 'a01000000000002AAA']);
    expect(changed).to.deep.equal([escalated]);

    // One lookup for the supervisors, by lower-case username.
    expect(store.usernamesAsked).to.have.length(1);
    expect([...store.usernamesAsked[0]!].sort()).to.deep.equal([
      'support.lead@acme.example',
      'vip.lead@acme.example',
    ]);
    const [first, second] = store.escalateCalls[0]!;
    expect(first!.priority).to.equal('High');
    expect(first!.task).to.deep.equal({
      OwnerId: VIP_LEAD,
      Subject: 'Overdue social reply: @kim_late on X',
      Priority: 'High',
      Status: 'Not Started',
      ActivityDate: '2026-03-04',
      Description: [
        'A post from @kim_late on X was not answered in time: due 2026-03-04T10:45:00.000Z, now 1 h 15 min late.',
        'Priority raised Normal → High. Owner: Social Support.',
        'Routed by: VIP_Complaints.',
        'Post: https://x.com/kim_late/status/1',
        'Social post record: a01000000000001AAA',
      ].join('\n'),
    });
    // Urgent stays Urgent; the default queue's supervisor is told.
    expect(second!.priority).to.equal('Urgent');
    expect(second!.task).to.include({
      OwnerId: SUPPORT_LEAD,
      Subject: 'Overdue social reply: @ann.bsky.social on Bluesky',
      Priority: 'High',
    });
    expect(String(second!.task!['Description']))
      .to.contain('now 25 min late')
      .and.contain('Routed by: the default queue.');

    // The next sweep finds nothing new to escalate.
    expect(await sweep.sweepNow()).to.deep.equal([]);
    expect(store.escalateCalls).to.have.length(1);
    expect(changed).to.have.length(1);
    expect(sweep.state.escalatedTotal).to.equal(2);
    expect(sweep.state.lastSweepAt).to.equal(NOW.toISOString());
  });

  it('links the Task to the person (WhoId) and the case (WhatId) of the post, when it has them', async () => {
    store.posts = [
      overdue('a01000000000001AAA', { personId: '003000000000001AAA', caseId: '500000000000001AAA' }),
      overdue('a01000000000002AAA', { personId: '00Q000000000001AAA' }),
      overdue('a01000000000003AAA'),
    ];
    await sweepWith().sweepNow();
    const tasks = store.escalateCalls[0]!.map((e) => e.task!);
    expect(tasks[0]).to.include({ WhoId: '003000000000001AAA', WhatId: '500000000000001AAA' });
    expect(tasks[1]).to.include({ WhoId: '00Q000000000001AAA' }).and.not.have.property('WhatId');
    expect(tasks[2]).to.not.have.property('WhoId');
    expect(tasks[2]).to.not.have.property('WhatId');
  });

  it('raises a Low post to Normal', async () => {
    store.posts = [overdue('a01000000000001AAA', { priority: 'Low' })];
    await sweepWith().sweepNow();
    const [e] = store.escalateCalls[0]!;
    expect(e!.priority).to.equal('Normal');
    expect(String(e!.task!['Description'])).to.contain('Priority raised Low → Normal.');
  });

  it('writes no Task when the supervisor is not an active user, and escalates all the same', async () => {
    store.posts = [overdue('a01000000000001AAA', { rule: 'Sales_Leads' })];
    expect(await sweepWith().sweepNow()).to.deep.equal(['a01000000000001AAA']);
    expect(store.escalateCalls[0]![0]).to.deep.include({ priority: 'Urgent', task: null });
  });

  it('re-routes only while a queue owns the post and the rule names an escalation queue', async () => {
    store.posts = [
      overdue('a01000000000001AAA', { rule: 'VIP_Complaints', status: 'needs_reply', ownerId: VIP }),
      overdue('a01000000000002AAA', {
        rule: 'VIP_Complaints',
        status: 'assigned',
        ownerId: AGENT,
        ownerName: 'Priya Raman',
      }),
      overdue('a01000000000003AAA', { rule: 'Sales_Leads', status: 'needs_reply' }),
      overdue('a01000000000004AAA', { rule: 'Self_Escalating', status: 'needs_reply', ownerId: SUPPORT }),
    ];
    await sweepWith().sweepNow();
    const reroutes = Object.fromEntries(store.escalateCalls[0]!.map((e) => [e.postId, e.rerouteTo]));
    expect(reroutes).to.deep.equal({
      a01000000000001AAA: ESCALATIONS,
      // An agent works it: it stays with the agent.
      a01000000000002AAA: null,
      // No escalation queue on the rule.
      a01000000000003AAA: null,
      // Already in its escalation queue.
      a01000000000004AAA: null,
    });
    expect(String(store.escalateCalls[0]![1]!.task!['Description'])).to.contain('Owner: Priya Raman.');
  });

  it('leaves alone a post the store reads as overdue that is not due yet', async () => {
    store.posts = [
      overdue('a01000000000001AAA', { dueAt: new Date(NOW.getTime() + 60_000).toISOString() }),
      overdue('a01000000000002AAA', { dueAt: NOW.toISOString() }),
    ];
    expect(await sweepWith().sweepNow()).to.deep.equal([]);
    expect(store.escalateCalls.flat()).to.deep.equal([]);
    expect(changed).to.deep.equal([]);
  });

  it('escalates nothing before the routing configuration is read, but still records the gauges', async () => {
    store.posts = [overdue('a01000000000001AAA')];
    store.open = { open: 4, assigned: 1 };
    const sweep = sweepWith({ routing: fakeRouting(null) });
    expect(await sweep.sweepNow()).to.deep.equal([]);
    expect(store.escalateCalls).to.deep.equal([]);
    expect(sweep.state.open).to.deep.equal({ open: 4, assigned: 1 });
    expect(sweep.state.lastError).to.equal(null);
  });

  it('two sweeps at once escalate each post once, and count each breach once', async () => {
    store.posts = [
      overdue('a01000000000001AAA', { network: 'x', priority: 'High' }),
      overdue('a01000000000002AAA', { network: 'bluesky', priority: 'Normal' }),
    ];
    const [a, b] = await Promise.all([sweepWith().sweepNow(), sweepWith().sweepNow()]);
    expect([...a, ...b].sort()).to.deep.equal(['a01000000000001AAA', 'a01000000000002AAA']);
    expect(store.escalated.size).to.equal(2);
    // Labelled with the priority the post had when it breached.
    expect(await metricLines(metrics, 'socialcrm_target_breaches_total')).to.have.members([
      'socialcrm_target_breaches_total{network="x",priority="High"} 1',
      'socialcrm_target_breaches_total{network="bluesky",priority="Normal"} 1',
    ]);
  });

  it('sets the inbox gauges and counts the breaches in the Prometheus output', async () => {
    store.open = { open: 7, assigned: 3 };
    store.posts = [overdue('a01000000000001AAA'), overdue('a01000000000002AAA')];
    const sweep = sweepWith();
    await sweep.sweepNow();
    expect(await metricLines(metrics, 'socialcrm_inbox_open')).to.have.members([
      'socialcrm_inbox_open{status="open"} 7',
      'socialcrm_inbox_open{status="assigned"} 3',
    ]);
    expect(await metricLines(metrics, 'socialcrm_target_breaches_total')).to.deep.equal([
      'socialcrm_target_breaches_total{network="x",priority="High"} 2',
    ]);

    // The gauges follow the org; the counter does not count a post twice.
    store.open = { open: 5, assigned: 0 };
    await sweep.sweepNow();
    const text = await metrics.registry.metrics();
    expect(text).to.contain('socialcrm_inbox_open{status="open"} 5');
    expect(text).to.contain('socialcrm_inbox_open{status="assigned"} 0');
    expect(text).to.contain('socialcrm_target_breaches_total{network="x",priority="High"} 2');
  });

  it("computes today's share within target from the answered posts that had a target", async () => {
    const sweep = sweepWith();
    expect(sweep.state.today).to.equal(null);
    await sweep.sweepNow();
    expect(sweep.state.today).to.deep.equal({ answered: 0, withinTarget: 0, share: null });

    store.answered = { met: 0, missed: 0, noTarget: 4 };
    await sweep.sweepNow();
    expect(sweep.state.today).to.deep.equal({ answered: 4, withinTarget: 0, share: null });

    store.answered = { met: 3, missed: 1, noTarget: 2 };
    await sweep.sweepNow();
    expect(sweep.state.today).to.deep.equal({ answered: 6, withinTarget: 3, share: 0.75 });

    store.answered = { met: 0, missed: 2, noTarget: 0 };
    await sweep.sweepNow();
    expect(sweep.state.today).to.deep.equal({ answered: 2, withinTarget: 0, share: 0 });
  });

  it('counts "today" from midnight UTC, or from the start of day it is given', async () => {
    await sweepWith().sweepNow();
    expect(store.sweepCalls[0]).to.deep.equal([NOW, new Date('2026-03-04T00:00:00.000Z')]);
    const losAngelesMidnight = new Date('2026-03-04T08:00:00.000Z');
    await sweepWith({ startOfDay: () => losAngelesMidnight }).sweepNow();
    expect(store.sweepCalls[1]).to.deep.equal([NOW, losAngelesMidnight]);
  });

  it('releases claims left on closed posts, and asks nothing when there are none', async () => {
    const sweep = sweepWith();
    await sweep.sweepNow();
    expect(store.released).to.deep.equal([]);
    store.staleClaims = ['a05000000000001AAA', 'a05000000000002AAA'];
    await sweep.sweepNow();
    expect(store.released).to.deep.equal([['a05000000000001AAA', 'a05000000000002AAA']]);
    await sweep.sweepNow();
    expect(store.released).to.have.length(1);
  });

  it('records a failing store in state.lastError; the next good sweep clears it', async () => {
    const sweep = sweepWith();
    await sweep.sweepNow();
    const lastGood = sweep.state.lastSweepAt;
    store.failWith = new Error('the org refused to read the overdue posts: REQUEST_LIMIT_EXCEEDED');
    await sweep.sweepNow().then(
      () => expect.fail('sweepNow() should reject'),
      (error: Error) => expect(error.message).to.contain('REQUEST_LIMIT_EXCEEDED'),
    );
    expect(sweep.state.lastError).to.equal(
      'the org refused to read the overdue posts: REQUEST_LIMIT_EXCEEDED',
    );
    expect(sweep.state.lastSweepAt).to.equal(lastGood);

    store.failWith = null;
    store.posts = [overdue('a01000000000001AAA')];
    expect(await sweep.sweepNow()).to.deep.equal(['a01000000000001AAA']);
    expect(sweep.state.lastError).to.equal(null);
  });

  it('currentState() re-checks a failed sweep before answering: an outage the org recovered from is not reported', async () => {
    const sweep = sweepWith();
    store.failWith = new Error('REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
    await sweep.sweepNow().catch(() => undefined);
    expect((await sweep.currentState()).lastError).to.contain('REQUEST_LIMIT_EXCEEDED');

    store.failWith = null;
    store.posts = [overdue('a01000000000001AAA')];
    const state = await sweep.currentState();
    expect(state.lastError).to.equal(null);
    expect(state.escalatedTotal).to.equal(1);
    // A healthy sweep is not re-run by asking.
    const escalate = sinon.spy(store, 'escalate');
    store.posts = [overdue('a01000000000002AAA')];
    await sweep.currentState();
    expect(escalate.callCount).to.equal(0);
  });

  it('a failing escalation write is a failed sweep too, and the post is escalated at the next one', async () => {
    const sweep = sweepWith();
    store.posts = [overdue('a01000000000001AAA')];
    const escalate = sinon.stub(store, 'escalate');
    escalate.onFirstCall().rejects(new Error('UNABLE_TO_LOCK_ROW'));
    escalate.callThrough();
    await sweep.sweepNow().catch(() => undefined);
    expect(sweep.state.lastError).to.equal('UNABLE_TO_LOCK_ROW');
    expect(await sweep.sweepNow()).to.deep.equal(['a01000000000001AAA']);
    expect(sweep.state.lastError).to.equal(null);
    expect(sweep.state.escalatedTotal).to.equal(1);
  });

  describe('on its own schedule', () => {
    let clock: sinon.SinonFakeTimers;

    beforeEach(() => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    });
    afterEach(() => clock.restore());

    it('sweeps at start and every interval, keeps going after a failure, and stops', async () => {
      const sweep = sweepWith({ intervalMs: 60_000 });
      store.failWith = new Error('ECONNRESET');
      sweep.start();
      await clock.tickAsync(0);
      expect(store.sweepCalls).to.have.length(1);
      expect(sweep.state.lastError).to.equal('ECONNRESET');

      store.failWith = null;
      await clock.tickAsync(59_999);
      expect(store.sweepCalls).to.have.length(1);
      await clock.tickAsync(1);
      expect(store.sweepCalls).to.have.length(2);
      expect(sweep.state.lastError).to.equal(null);

      await sweep.stop();
      await clock.tickAsync(10 * 60_000);
      expect(store.sweepCalls).to.have.length(2);
    });

    it('stop() waits for a running sweep to finish', async () => {
      let release!: () => void;
      store.gate = new Promise<void>((resolve) => (release = resolve));
      store.posts = [overdue('a01000000000001AAA')];
      const sweep = sweepWith({ intervalMs: 60_000 });
      sweep.start();
      await clock.tickAsync(0);
      expect(store.sweepCalls).to.have.length(1);

      const events: string[] = [];
      const stopping = sweep.stop().then(() => events.push('stopped'));
      // Let every pending callback run: stop() must still be waiting for the sweep.
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(events).to.deep.equal([]);

      release();
      await stopping;
      expect(events).to.deep.equal(['stopped']);
      expect(store.escalated.has('a01000000000001AAA')).to.equal(true);
      expect(sweep.state.escalatedTotal).to.equal(1);
      // Nothing scheduled after stop().
      await clock.tickAsync(10 * 60_000);
      expect(store.sweepCalls).to.have.length(1);
    });
  });
});
