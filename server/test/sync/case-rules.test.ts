import { expect } from 'chai';
import {
  CaseRules,
  casePriority,
  decideCase,
  wantsAlert,
  type CaseInput,
} from '../../src/sync/case-rules.ts';

const rules = CaseRules.parse({});
const now = new Date('2026-11-25T12:00:00Z');

function input(overrides: Partial<CaseInput> & { intent?: CaseInput['analysis']['intent'] } = {}): CaseInput {
  return {
    analysis: {
      intent: overrides.intent ?? 'complaint',
      needsReply: overrides.intent === 'praise' ? false : true,
      sentiment: { label: 'negative', score: -0.5 },
      ...overrides.analysis,
    },
    influence: overrides.influence ?? 10,
    knownCustomer: overrides.knownCustomer ?? true,
    threadKey: overrides.threadKey ?? 'x:100',
    existing: overrides.existing ?? null,
    now,
  };
}

describe('case rules', () => {
  it('opens a case for a known customer complaint, and not for praise', () => {
    expect(decideCase(input(), rules)).to.deep.include({ action: 'open', key: 'x:100' });
    expect(
      decideCase(
        input({
          intent: 'praise',
          analysis: { intent: 'praise', needsReply: false, sentiment: { label: 'positive', score: 0.8 } },
        }),
        rules,
      ).action,
    ).to.equal('none');
  });

  it('opens a case for a stranger only above the influence threshold', () => {
    expect(decideCase(input({ knownCustomer: false, influence: 30 }), rules).action).to.equal('none');
    expect(decideCase(input({ knownCustomer: false, influence: 75 }), rules)).to.deep.include({
      action: 'open',
      priority: 'High',
    });
  });

  it('joins an open case of the thread whatever the post says', () => {
    const existing = { id: '500x', key: 'x:1', isClosed: false, closedAt: null };
    const praise = input({
      existing,
      analysis: { intent: 'praise', needsReply: false, sentiment: { label: 'positive', score: 0.9 } },
    });
    expect(decideCase(praise, rules)).to.deep.equal({ action: 'attach', caseId: '500x', key: 'x:1' });
  });

  it('reopens a case closed less than reopenWithinDays ago, and opens a new one (retiring the old key) after', () => {
    const recent = {
      id: '500a',
      key: 'x:1',
      isClosed: true,
      closedAt: new Date(now.getTime() - 2 * 86_400_000),
    };
    expect(decideCase(input({ existing: recent }), rules)).to.deep.equal({
      action: 'reopen',
      caseId: '500a',
      key: 'x:1',
    });
    const old = { ...recent, closedAt: new Date(now.getTime() - 9 * 86_400_000) };
    const decision = decideCase(input({ existing: old, threadKey: 'x:1' }), rules);
    expect(decision).to.deep.include({ action: 'open', key: 'x:1', retire: old });
    expect(decideCase(input({ existing: recent }), CaseRules.parse({ reopenWithinDays: 1 })).action).to.equal(
      'open',
    );
  });

  it('respects enabled and openFor', () => {
    expect(decideCase(input(), CaseRules.parse({ enabled: false })).action).to.equal('none');
    const questionOnly = input({ intent: 'question' });
    expect(decideCase(questionOnly, CaseRules.parse({ openFor: ['complaint'] })).action).to.equal('none');
    expect(decideCase(questionOnly, CaseRules.parse({ openFor: ['needs_reply'] })).action).to.equal('open');
  });

  it('sets priority from influence and sentiment', () => {
    expect(casePriority(80, 0)).to.equal('High');
    expect(casePriority(10, -0.8)).to.equal('High');
    expect(casePriority(45, 0)).to.equal('Medium');
    expect(casePriority(10, -0.3)).to.equal('Medium');
    expect(casePriority(10, 0.2)).to.equal('Low');
  });

  it('alerts on complaints from high-influence authors only', () => {
    expect(wantsAlert({ analysis: input().analysis, influence: 71 }, rules)).to.equal(true);
    expect(wantsAlert({ analysis: input().analysis, influence: 50 }, rules)).to.equal(false);
    expect(wantsAlert({ analysis: input({ intent: 'question' }).analysis, influence: 90 }, rules)).to.equal(
      false,
    );
  });

  it('rejects bad rules with a clear message', () => {
    expect(CaseRules.safeParse({ influenceThreshold: 101 }).success).to.equal(false);
    expect(CaseRules.safeParse({ openFor: ['everything'] }).success).to.equal(false);
    expect(CaseRules.safeParse({ surprise: true }).success).to.equal(false);
  });
});
