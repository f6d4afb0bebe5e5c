import { expect } from 'chai';
import * as inbox from '../../src/inbox/index.ts';

describe('inbox/index', () => {
  it('exports the public API of the inbox domain', () => {
    for (const name of [
      'parseBusinessHours',
      'indexBusinessHours',
      'alwaysOpen',
      'addBusinessMinutes',
      'businessMinutesBetween',
      'nextBusinessTime',
      'isWithinBusinessHours',
      'priorityOf',
      'raisePriority',
      'parseRoutingRules',
      'routePost',
      'routingProblems',
      'escalationContacts',
      'indexQueues',
      'parseReplyTargets',
      'replyDueAt',
      'targetProblems',
      'targetMet',
      'toInboxStatusValue',
      'fromInboxStatusValue',
      'claimKey',
      'escalation',
    ]) {
      expect(inbox, name).to.have.property(name).that.is.a('function');
    }
    expect(inbox.DoneReason.parse('spam')).to.equal('Spam');
  });
});
