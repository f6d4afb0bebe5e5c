import { expect } from 'chai';
import { AppError } from '../../src/domain/errors.ts';
import { indexBusinessHours } from '../../src/inbox/business-hours.ts';
import {
  parseReplyTarget,
  parseReplyTargets,
  replyDueAt,
  targetMet,
  targetProblems,
  type ReplyTarget,
} from '../../src/inbox/targets.ts';
import { at, hoursRow } from './hours-fixtures.ts';

function row(developerName: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    attributes: { type: 'Social_Reply_Target__mdt' },
    DeveloperName: developerName,
    Priority__c: 'Normal',
    Network__c: null,
    Minutes__c: 240,
    Business_Hours__c: null,
    ...fields,
  };
}

/** The records the package ships. */
const SHIPPED = [
  row('Urgent', { Priority__c: 'Urgent', Minutes__c: 30 }),
  row('High', { Priority__c: 'High', Minutes__c: 60 }),
  row('Normal', { Priority__c: 'Normal', Minutes__c: 240 }),
  row('Low', { Priority__c: 'Low', Minutes__c: 1440 }),
  row('X_Urgent', { Priority__c: 'Urgent', Network__c: 'x', Minutes__c: 15 }),
];

const weekdays = {
  Monday: ['09:00', '17:00'],
  Tuesday: ['09:00', '17:00'],
  Wednesday: ['09:00', '17:00'],
  Thursday: ['09:00', '17:00'],
  Friday: ['09:00', '17:00'],
} as const;
const hours = indexBusinessHours([
  hoursRow('Default', 'America/New_York', weekdays, { IsDefault: true }),
  hoursRow('Berlin Office', 'Europe/Berlin', weekdays),
  hoursRow(
    'Around the clock',
    'UTC',
    Object.fromEntries(
      Object.keys(weekdays)
        .concat('Saturday', 'Sunday')
        .map((day) => [day, ['00:00', '00:00']]),
    ),
  ),
  hoursRow('Never', 'UTC', {}),
]);
const defaultHours = hours.defaultHours;

function targets(...rows: Record<string, unknown>[]): ReplyTarget[] {
  const parsed = parseReplyTargets(rows);
  expect(parsed.problems).to.deep.equal([]);
  return parsed.targets;
}

describe('inbox/reply-time targets', () => {
  describe('parsing target rows', () => {
    it('reads the shipped records', () => {
      expect(targets(...SHIPPED).find((target) => target.developerName === 'X_Urgent')).to.deep.equal({
        developerName: 'X_Urgent',
        priority: 'Urgent',
        network: 'x',
        minutes: 15,
        businessHours: null,
      });
    });

    it('accepts any case for priority and network, twitter for x, numbers as text', () => {
      expect(
        parseReplyTarget(row('T', { Priority__c: 'urgent', Network__c: 'Twitter', Minutes__c: '15' })),
      ).to.deep.include({ priority: 'Urgent', network: 'x', minutes: 15 });
      expect(
        parseReplyTarget(row('T', { Network__c: ' ', Business_Hours__c: ' Berlin Office ' })),
      ).to.deep.include({
        network: null,
        businessHours: 'Berlin Office',
      });
    });

    it('throws an error naming the target and each bad field', () => {
      let error: unknown;
      try {
        parseReplyTarget(row('Bad', { Priority__c: 'Medium', Network__c: 'myspace', Minutes__c: 12.5 }));
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(AppError);
      expect((error as Error).message).to.equal(
        'Social_Reply_Target__mdt "Bad": Priority__c: expected one of Urgent, High, Normal, Low; ' +
          'Network__c: expected blank or one of x, bluesky, mastodon, facebook, instagram; ' +
          'Minutes__c: expected a whole number of business minutes',
      );
    });

    it('skips bad rows and reports them', () => {
      const parsed = parseReplyTargets([
        row('Good', {}),
        row('No_Minutes', { Minutes__c: null }),
        row('Neg', { Minutes__c: -5 }),
      ]);
      expect(parsed.targets.map((target) => target.developerName)).to.deep.equal(['Good']);
      expect(parsed.problems).to.deep.equal([
        'Social_Reply_Target__mdt "No_Minutes": Minutes__c: required: a whole number of business minutes',
        'Social_Reply_Target__mdt "Neg": Minutes__c: expected 0 or more business minutes',
      ]);
    });
  });

  describe('replyDueAt', () => {
    const shipped = targets(...SHIPPED);
    // Monday 12 January 2026, 10:00 in New York.
    const receivedAt = at('2026-01-12T10:00:00-05:00');

    it('uses the target for the network and priority over the one for the priority alone', () => {
      expect(
        replyDueAt({ receivedAt, priority: 'Urgent', network: 'x' }, shipped, hours.byName, defaultHours),
      ).to.deep.equal({
        dueAt: at('2026-01-12T10:15:00-05:00'),
        target: 'X_Urgent',
        minutes: 15,
        businessHours: 'Default',
      });
      expect(
        replyDueAt(
          { receivedAt, priority: 'Urgent', network: 'bluesky' },
          shipped,
          hours.byName,
          defaultHours,
        ),
      ).to.deep.include({
        dueAt: at('2026-01-12T10:30:00-05:00'),
        target: 'Urgent',
      });
    });

    it('counts in the org’s default business hours: a Low post on Friday afternoon is due on Monday', () => {
      const due = replyDueAt(
        { receivedAt: at('2026-01-16T15:00:00-05:00'), priority: 'Low', network: 'mastodon' },
        shipped,
        hours.byName,
        defaultHours,
      );
      // 2 h on Friday, 8 h on Monday, 8 h on Tuesday, 6 h on Wednesday = 1,440 business minutes.
      expect(due?.dueAt.toISOString()).to.equal(at('2026-01-21T15:00:00-05:00').toISOString());
    });

    it('counts in the business hours the target names', () => {
      const list = targets(
        row('Berlin_High', { Priority__c: 'High', Minutes__c: 60, Business_Hours__c: 'Berlin Office' }),
      );
      // 10:00 in New York is 16:00 in Berlin: one hour left there.
      expect(
        replyDueAt({ receivedAt, priority: 'High', network: 'x' }, list, hours.byName, defaultHours),
      ).to.deep.include({
        dueAt: at('2026-01-12T17:00:00+01:00'),
        businessHours: 'Berlin Office',
      });
      const late = targets(
        row('Clock', { Priority__c: 'High', Minutes__c: 90, Business_Hours__c: 'around the clock' }),
      );
      expect(
        replyDueAt(
          { receivedAt: at('2026-01-17T23:00:00Z'), priority: 'High', network: 'x' },
          late,
          hours.byName,
          null,
        )?.dueAt,
      ).to.deep.equal(at('2026-01-18T00:30:00Z'));
    });

    it('falls back to the less specific target when the specific one cannot count, and to null', () => {
      const list = targets(
        row('X_High', { Priority__c: 'High', Network__c: 'x', Minutes__c: 5, Business_Hours__c: 'Missing' }),
        row('X_High_Closed', {
          Priority__c: 'High',
          Network__c: 'x',
          Minutes__c: 5,
          Business_Hours__c: 'Never',
        }),
        row('High', { Priority__c: 'High', Minutes__c: 60 }),
      );
      expect(
        replyDueAt({ receivedAt, priority: 'High', network: 'x' }, list, hours.byName, defaultHours)?.target,
      ).to.equal('High');
      expect(replyDueAt({ receivedAt, priority: 'High', network: 'x' }, list, hours.byName, null)).to.equal(
        null,
      );
      expect(
        replyDueAt({ receivedAt, priority: 'Low', network: 'x' }, list, hours.byName, defaultHours),
      ).to.equal(null);
    });

    it('takes the first by DeveloperName when two targets are equally specific', () => {
      const list = targets(row('B', { Minutes__c: 10 }), row('A', { Minutes__c: 20 }));
      expect(
        replyDueAt({ receivedAt, priority: 'Normal', network: 'x' }, list, hours.byName, defaultHours)
          ?.target,
      ).to.equal('A');
    });
  });

  describe('targetProblems', () => {
    it('is empty for the shipped targets with a default BusinessHours', () => {
      expect(targetProblems(targets(...SHIPPED), hours.byName, defaultHours)).to.deep.equal([]);
    });

    it('names targets that cannot count, duplicates and priorities without a target', () => {
      const list = targets(
        row('Urgent', { Priority__c: 'Urgent', Business_Hours__c: 'Missing' }),
        row('Urgent_Again', { Priority__c: 'Urgent' }),
        row('High', { Priority__c: 'High', Business_Hours__c: 'Never' }),
        row('Normal', { Priority__c: 'Normal' }),
      );
      expect(targetProblems(list, hours.byName, null)).to.deep.equal([
        'Social_Reply_Target__mdt "High": BusinessHours "Never" are closed every day; the target is skipped',
        'Social_Reply_Target__mdt "Normal": Business_Hours__c is blank and the org has no default BusinessHours; the target is skipped',
        'Social_Reply_Target__mdt "Urgent": no active BusinessHours is named "Missing"; the target is skipped',
        'Social_Reply_Target__mdt "Urgent_Again": Business_Hours__c is blank and the org has no default BusinessHours; the target is skipped',
        'Social_Reply_Target__mdt "Urgent_Again": same priority (Urgent) and network (any) as "Urgent"; "Urgent" is used',
        'Social_Reply_Target__mdt: no target for Low posts on any network; they get no due time',
      ]);
    });
  });

  describe('targetMet', () => {
    const due = at('2026-01-12T10:30:00Z');

    it('is met on or before the due time, missed after', () => {
      expect(targetMet(due, at('2026-01-12T10:29:59Z'))).to.equal(true);
      expect(targetMet(due, due)).to.equal(true);
      expect(targetMet(due, at('2026-01-12T10:30:01Z'))).to.equal(false);
    });

    it('is null without a target or a response', () => {
      expect(targetMet(null, due)).to.equal(null);
      expect(targetMet(due, null)).to.equal(null);
    });
  });
});
