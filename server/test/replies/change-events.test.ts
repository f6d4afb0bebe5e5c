import { expect } from 'chai';
import { signalsDueReply } from '../../src/salesforce/reply-change-events.ts';

const event = (changeType: string, fields: Record<string, unknown>, changedFields: string[] = []) => ({
  payload: { ChangeEventHeader: { changeType, changedFields }, ...fields },
});

describe('reply change events', () => {
  it('wake the dispatcher for new pending replies, approvals and requeues only', () => {
    expect(signalsDueReply(event('CREATE', { Is_Outbound__c: true, Status__c: 'Pending' }))).to.equal(true);
    expect(signalsDueReply(event('UPDATE', { Status__c: 'Approved' }, ['Status__c']))).to.equal(true);
    // Inbound posts, the dispatcher's own progress, and other field changes are not work.
    expect(signalsDueReply(event('CREATE', { Is_Outbound__c: false }))).to.equal(false);
    expect(
      signalsDueReply(event('CREATE', { Is_Outbound__c: true, Status__c: 'Pending Approval' })),
    ).to.equal(false);
    expect(signalsDueReply(event('UPDATE', { Status__c: 'Sending' }, ['Status__c']))).to.equal(false);
    expect(signalsDueReply(event('UPDATE', { Status__c: 'Sent' }, ['Status__c', 'Url__c']))).to.equal(false);
    expect(signalsDueReply(event('UPDATE', { Body__c: 'x' }, ['Body__c']))).to.equal(false);
    expect(signalsDueReply(event('DELETE', {}))).to.equal(false);
    expect(signalsDueReply({})).to.equal(false);
  });
});
