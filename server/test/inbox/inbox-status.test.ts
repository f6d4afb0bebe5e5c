import { expect } from 'chai';
import { AppError } from '../../src/domain/errors.ts';
import {
  claimKey,
  DONE_REASON_IDS,
  DoneReason,
  doneReasonValue,
  escalation,
  fromInboxStatusValue,
  INBOX_STATUSES,
  postIdOfClaimKey,
  toInboxStatusValue,
  type EscalationInput,
} from '../../src/inbox/inbox-status.ts';

const QUEUE = '00G000000000001AAA';
const ESCALATION_QUEUE = '00G000000000003AAA';
const USER = '005000000000001AAA';
const due = new Date('2026-01-12T10:30:00Z');
const later = new Date('2026-01-12T11:15:30Z');

function input(fields: Partial<EscalationInput> = {}): EscalationInput {
  return {
    priority: 'Normal',
    dueAt: due,
    status: 'needs_reply',
    escalatedAt: null,
    repliedAt: null,
    ownerId: QUEUE,
    supervisor: 'admin@socialcrm.dev',
    escalationQueueId: ESCALATION_QUEUE,
    ...fields,
  };
}

describe('inbox/status', () => {
  it('maps API statuses to Inbox_Status__c and back; null is not in the inbox', () => {
    expect(INBOX_STATUSES.map(toInboxStatusValue)).to.deep.equal(['Open', 'Assigned', 'Done']);
    expect(['Open', 'Assigned', 'Done'].map(fromInboxStatusValue)).to.deep.equal([...INBOX_STATUSES]);
    expect(fromInboxStatusValue(null)).to.equal(null);
    expect(fromInboxStatusValue('')).to.equal(null);
    expect(() => fromInboxStatusValue('Closed')).to.throw(
      RangeError,
      /unknown Inbox_Status__c value "Closed"/,
    );
  });

  describe('done reasons', () => {
    it('accepts labels and snake_case ids in any case, giving the picklist value', () => {
      expect(DoneReason.parse('no_reply_needed')).to.equal('No reply needed');
      expect(DoneReason.parse('No reply needed')).to.equal('No reply needed');
      expect(DoneReason.parse('SPAM')).to.equal('Spam');
      expect(DoneReason.parse('answered-elsewhere')).to.equal('Answered elsewhere');
      expect(DoneReason.parse(' Answered elsewhere ')).to.equal('Answered elsewhere');
    });

    it('refuses Replied (set by a sent reply), unknown reasons and non-strings with the choices', () => {
      const replied = DoneReason.safeParse('replied');
      expect(replied.success).to.equal(false);
      expect(replied.error?.issues[0]?.message).to.equal(
        '"replied" is recorded when a reply is sent; close a post without replying as one of "no_reply_needed", "spam", "answered_elsewhere"',
      );
      expect(DoneReason.safeParse('bored').error?.issues[0]?.message).to.equal(
        'unknown reason "bored" (one of "no_reply_needed", "spam", "answered_elsewhere")',
      );
      expect(DoneReason.safeParse(3).error?.issues[0]?.message).to.equal(
        'expected one of "no_reply_needed", "spam", "answered_elsewhere"',
      );
    });

    it('maps every picklist value to its id and back', () => {
      for (const [label, id] of Object.entries(DONE_REASON_IDS)) {
        expect(doneReasonValue(id)).to.equal(label);
        expect(doneReasonValue(label)).to.equal(label);
      }
      expect(doneReasonValue('nope')).to.equal(null);
    });
  });

  describe('claims', () => {
    it('keys a claim inbox:<postId>, and reads it back', () => {
      expect(claimKey('a01000000000001AAA')).to.equal('inbox:a01000000000001AAA');
      expect(postIdOfClaimKey('inbox:a01000000000001AAA')).to.equal('a01000000000001AAA');
      expect(postIdOfClaimKey('reply:a01000000000001AAA')).to.equal(null);
      expect(postIdOfClaimKey('inbox:')).to.equal(null);
      expect(postIdOfClaimKey(null)).to.equal(null);
      expect(() => claimKey(' ')).to.throw(AppError, /post Id/);
    });
  });

  describe('escalation', () => {
    it('escalates a queue-owned post past its due time: priority up, supervisor told, re-routed', () => {
      expect(escalation(input(), later)).to.deep.equal({
        action: 'escalate',
        escalatedAt: later,
        overdueMinutes: 45,
        previousPriority: 'Normal',
        priority: 'High',
        notifySupervisor: 'admin@socialcrm.dev',
        reRouteToQueueId: ESCALATION_QUEUE,
      });
    });

    it('leaves a post an agent works with the agent, and an Urgent post Urgent', () => {
      expect(
        escalation(input({ status: 'assigned', ownerId: USER, priority: 'Urgent' }), later),
      ).to.deep.include({
        action: 'escalate',
        priority: 'Urgent',
        reRouteToQueueId: null,
      });
    });

    it('does not re-route without an escalation queue or to the queue that already owns the post', () => {
      expect(escalation(input({ escalationQueueId: null, supervisor: null }), later)).to.deep.include({
        action: 'escalate',
        notifySupervisor: null,
        reRouteToQueueId: null,
      });
      expect(escalation(input({ ownerId: ESCALATION_QUEUE }), later)).to.deep.include({
        reRouteToQueueId: null,
      });
    });

    it('accepts the Inbox_Status__c values too', () => {
      expect(escalation(input({ status: 'Open' }), later).action).to.equal('escalate');
      expect(escalation(input({ status: 'Done' }), later)).to.deep.equal({
        action: 'none',
        reason: 'not_open',
      });
    });

    it('does nothing before the due time, without one, once escalated, when replied or not open', () => {
      expect(escalation(input(), due)).to.deep.equal({ action: 'none', reason: 'not_due' });
      expect(escalation(input({ dueAt: null }), later)).to.deep.equal({
        action: 'none',
        reason: 'no_target',
      });
      expect(escalation(input({ escalatedAt: due }), later)).to.deep.equal({
        action: 'none',
        reason: 'already_escalated',
      });
      expect(escalation(input({ repliedAt: due }), later)).to.deep.equal({
        action: 'none',
        reason: 'replied',
      });
      expect(escalation(input({ status: 'done' }), later)).to.deep.equal({
        action: 'none',
        reason: 'not_open',
      });
      expect(escalation(input({ status: null }), later)).to.deep.equal({
        action: 'none',
        reason: 'not_open',
      });
    });
  });
});
