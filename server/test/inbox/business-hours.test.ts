import { expect } from 'chai';
import {
  addBusinessMinutes,
  alwaysOpen,
  businessMinutesBetween,
  hasOpenHours,
  indexBusinessHours,
  isWithinBusinessHours,
  nextBusinessTime,
  parseBusinessHours,
  type BusinessHoursSchedule,
} from '../../src/inbox/business-hours.ts';
import { AppError } from '../../src/domain/errors.ts';
import { around, at, hours, hoursRow, weekdays } from './hours-fixtures.ts';

function expectAdd(start: string, minutes: number, schedule: BusinessHoursSchedule, expected: string): void {
  const due = addBusinessMinutes(at(start), minutes, schedule);
  expect(due.toISOString(), `${start} + ${minutes} min`).to.equal(at(expected).toISOString());
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('inbox/business hours', () => {
  describe('parsing BusinessHours rows', () => {
    it('reads the SOQL row: local times with a Z, 24-hour days, closed days', () => {
      const schedule = parseBusinessHours(
        hoursRow('Support', 'America/New_York', { Monday: ['09:00', '17:30'], Saturday: ['00:00', '00:00'] }),
      );
      expect(schedule.name).to.equal('Support');
      expect(schedule.timeZone).to.equal('America/New_York');
      expect(schedule.id).to.equal('01m000000000001AAA');
      expect(schedule.days[0]).to.deep.equal({ startMs: 9 * 3_600_000, endMs: 17.5 * 3_600_000 });
      expect(schedule.days[1]).to.equal(null);
      expect(schedule.days[5]).to.deep.equal({ startMs: 0, endMs: 86_400_000 });
      expect(schedule.days[6]).to.equal(null);
    });

    it('takes an end of 00:00 after a later start as midnight, and times without seconds or Z', () => {
      const row = { ...hoursRow('Late', 'UTC', {}), TuesdayStartTime: '18:00', TuesdayEndTime: '00:00:00' };
      expect(parseBusinessHours(row).days[1]).to.deep.equal({ startMs: 18 * 3_600_000, endMs: 86_400_000 });
    });

    it('names the record and the day of a bad row', () => {
      const halfOpen = { ...hoursRow('Half', 'UTC', {}), WednesdayStartTime: '09:00:00.000Z' };
      const err = thrown(() => parseBusinessHours(halfOpen));
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).code).to.equal('validation_failed');
      expect((err as Error).message).to.match(
        /BusinessHours "Half": Wednesday: a start time without an end time/,
      );

      const backwards = hoursRow('Night', 'UTC', { Friday: ['22:00', '06:00'] });
      expect(() => parseBusinessHours(backwards)).to.throw(
        /"Night": Friday: ends \(06:00:00.000Z\) before it starts/,
      );

      expect(() => parseBusinessHours(hoursRow('Mars', 'Mars/Olympus_Mons', {}))).to.throw(
        /"Mars": TimeZoneSidKey: not a known IANA time zone/,
      );
      expect(() =>
        parseBusinessHours({
          ...hoursRow('Typo', 'UTC', {}),
          MondayStartTime: '9am',
          MondayEndTime: '17:00',
        }),
      ).to.throw(/"Typo": MondayStartTime: expected a time like 09:00:00.000Z/);
    });

    it('indexes active rows by Name with the default, reporting bad rows, duplicates and second defaults', () => {
      const index = indexBusinessHours([
        hoursRow('Default', 'Europe/Berlin', { Monday: ['08:00', '18:00'] }, { IsDefault: true }),
        hoursRow('Old', 'UTC', {}, { IsActive: false }),
        hoursRow('Broken', 'UTC', { Monday: ['10:00', '09:00'] }),
        hoursRow('Other', 'UTC', { Monday: ['08:00', '18:00'] }, { IsDefault: true }),
        hoursRow('Other', 'UTC', { Tuesday: ['08:00', '18:00'] }),
      ]);
      expect([...index.byName.keys()]).to.deep.equal(['Default', 'Other']);
      expect(index.defaultHours?.name).to.equal('Default');
      expect(index.problems).to.have.length(3);
      expect(index.problems[0]).to.match(/"Broken": Monday: ends/);
      expect(index.problems[1]).to.match(/"Other": marked default like "Default"/);
      expect(index.problems[2]).to.match(/"Other": another active record has the same Name/);
    });
  });

  describe('addBusinessMinutes (no DST: UTC, Monday–Friday 9–17)', () => {
    const utc = weekdays('UTC');

    it('adds within a day, and ends at the close rather than the next opening', () => {
      expectAdd('2026-01-05T10:00:00Z', 60, utc, '2026-01-05T11:00:00Z');
      expectAdd('2026-01-05T16:00:00Z', 60, utc, '2026-01-05T17:00:00Z');
    });

    it('carries overnight and over the weekend', () => {
      expectAdd('2026-01-06T16:30:00Z', 60, utc, '2026-01-07T09:30:00Z');
      expectAdd('2026-01-09T16:00:00Z', 120, utc, '2026-01-12T10:00:00Z');
      // One hour on Friday, then a whole week: due at the next Friday's close.
      expectAdd('2026-01-09T16:00:00Z', 60 + 8 * 60 * 5, utc, '2026-01-16T17:00:00Z');
      expectAdd('2026-01-09T16:00:00Z', 60 + 8 * 60 * 5 + 1, utc, '2026-01-19T09:01:00Z');
    });

    it('starts the clock at the next opening when received outside hours', () => {
      expectAdd('2026-01-10T12:00:00Z', 30, utc, '2026-01-12T09:30:00Z'); // Saturday
      expectAdd('2026-01-05T07:00:00Z', 30, utc, '2026-01-05T09:30:00Z'); // before opening
      expectAdd('2026-01-05T17:00:00Z', 30, utc, '2026-01-06T09:30:00Z'); // at the close
      expectAdd('2026-01-05T23:59:59Z', 30, utc, '2026-01-06T09:30:00Z');
    });

    it('gives the first business instant for zero minutes', () => {
      expectAdd('2026-01-05T10:15:00Z', 0, utc, '2026-01-05T10:15:00Z');
      expectAdd('2026-01-10T12:00:00Z', 0, utc, '2026-01-12T09:00:00Z');
      expect(nextBusinessTime(at('2026-01-05T17:00:00Z'), utc).toISOString()).to.equal(
        '2026-01-06T09:00:00.000Z',
      );
    });

    it('keeps fractional minutes to the millisecond', () => {
      expectAdd('2026-01-05T16:59:30Z', 1.5, utc, '2026-01-06T09:01:00Z');
    });

    it('skips a closed weekday', () => {
      const noWednesday = hours('No Wednesday', 'UTC', {
        Monday: ['09:00', '17:00'],
        Tuesday: ['09:00', '17:00'],
        Thursday: ['09:00', '17:00'],
        Friday: ['09:00', '17:00'],
      });
      expectAdd('2026-01-06T16:00:00Z', 120, noWednesday, '2026-01-08T10:00:00Z');
      expect(
        businessMinutesBetween(at('2026-01-06T16:00:00Z'), at('2026-01-08T10:00:00Z'), noWednesday),
      ).to.equal(120);
    });

    it('runs around the clock on a 24/7 schedule', () => {
      expectAdd('2026-01-10T12:00:00Z', 10 * 1440, around('UTC'), '2026-01-20T12:00:00Z');
      expectAdd('2026-01-10T12:00:00Z', 0, alwaysOpen(), '2026-01-10T12:00:00Z');
    });

    it('handles the largest target Minutes__c can hold, quickly', () => {
      const started = Date.now();
      // 999,999 = 2,083 days of 480 minutes + 159: 416 weeks and 3 days after Monday 09:00, then 2 h 39.
      expectAdd(
        '2026-01-05T09:00:00Z',
        999_999,
        utc,
        new Date(Date.UTC(2026, 0, 5 + 416 * 7 + 3, 11, 39)).toISOString(),
      );
      expect(Date.now() - started).to.be.below(2_000);
    });

    it('refuses negative or non-finite minutes and invalid dates', () => {
      expect(() => addBusinessMinutes(at('2026-01-05T10:00:00Z'), -1, utc)).to.throw(RangeError, /minutes/);
      expect(() => addBusinessMinutes(at('2026-01-05T10:00:00Z'), Number.NaN, utc)).to.throw(RangeError);
      expect(() => addBusinessMinutes(new Date('nope'), 10, utc)).to.throw(
        RangeError,
        /start must be a valid Date/,
      );
    });
  });

  describe('a schedule with no open hours', () => {
    const closed = hours('Closed', 'UTC', {});

    it('throws a clear error instead of looking for an opening forever', () => {
      expect(hasOpenHours(closed)).to.equal(false);
      const err = thrown(() => addBusinessMinutes(at('2026-01-05T10:00:00Z'), 10, closed));
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).message).to.equal('BusinessHours "Closed" are closed every day');
    });

    it('counts no business time between two dates', () => {
      expect(businessMinutesBetween(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), closed)).to.equal(
        0,
      );
      expect(isWithinBusinessHours(at('2026-01-05T10:00:00Z'), closed)).to.equal(false);
    });

    it('gives up past 100 years when open hours are vanishingly rare', () => {
      const rare = hours('Rare', 'UTC', { Sunday: ['12:00', '12:01'] });
      expect(() => addBusinessMinutes(at('2026-01-05T10:00:00Z'), 999_999, rare)).to.throw(
        /more than 100 years/,
      );
      expectAdd('2026-01-05T10:00:00Z', 2, rare, '2026-01-18T12:01:00Z');
    });
  });

  describe('businessMinutesBetween', () => {
    const utc = weekdays('UTC');

    it('counts only open time, negative when reversed', () => {
      expect(businessMinutesBetween(at('2026-01-09T16:00:00Z'), at('2026-01-12T10:00:00Z'), utc)).to.equal(
        120,
      );
      expect(businessMinutesBetween(at('2026-01-12T10:00:00Z'), at('2026-01-09T16:00:00Z'), utc)).to.equal(
        -120,
      );
      expect(businessMinutesBetween(at('2026-01-10T01:00:00Z'), at('2026-01-11T23:00:00Z'), utc)).to.equal(0);
      expect(businessMinutesBetween(at('2026-01-05T10:00:00Z'), at('2026-01-05T10:00:00Z'), utc)).to.equal(0);
      expect(businessMinutesBetween(at('2026-01-05T00:00:00Z'), at('2026-01-12T00:00:00Z'), utc)).to.equal(
        5 * 480,
      );
      expect(businessMinutesBetween(at('2026-01-05T10:00:00Z'), at('2026-01-05T10:00:30Z'), utc)).to.equal(
        0.5,
      );
    });

    it('tells whether an instant is open (a close is not)', () => {
      expect(isWithinBusinessHours(at('2026-01-05T09:00:00Z'), utc)).to.equal(true);
      expect(isWithinBusinessHours(at('2026-01-05T16:59:59Z'), utc)).to.equal(true);
      expect(isWithinBusinessHours(at('2026-01-05T17:00:00Z'), utc)).to.equal(false);
      expect(isWithinBusinessHours(at('2026-01-10T12:00:00Z'), utc)).to.equal(false);
    });
  });

  describe('time zones and DST', () => {
    it('counts New York hours in New York time, across spring-forward and fall-back weekends', () => {
      const ny = weekdays('America/New_York');
      // Friday 16:00 EST + 2 h → Monday 10:00 EDT (clocks sprang forward on Sunday 8 March 2026).
      expectAdd('2026-03-06T16:00:00-05:00', 120, ny, '2026-03-09T10:00:00-04:00');
      // Friday 16:00 EDT + 2 h → Monday 10:00 EST (clocks fell back on Sunday 1 November 2026).
      expectAdd('2026-10-30T16:00:00-04:00', 120, ny, '2026-11-02T10:00:00-05:00');
      expect(
        businessMinutesBetween(at('2026-03-06T00:00:00-05:00'), at('2026-03-10T00:00:00-04:00'), ny),
      ).to.equal(2 * 480);
    });

    it('counts real elapsed time on 24-hour days: 23 hours in spring, 25 in autumn (New York)', () => {
      const ny = around('America/New_York');
      expectAdd('2026-03-08T00:00:00-05:00', 360, ny, '2026-03-08T07:00:00-04:00');
      expectAdd('2026-11-01T00:00:00-04:00', 360, ny, '2026-11-01T05:00:00-05:00');
      expect(
        businessMinutesBetween(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'), ny),
      ).to.equal(23 * 60);
      expect(
        businessMinutesBetween(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'), ny),
      ).to.equal(25 * 60);
    });

    it('counts a Berlin window that spans the change in real time (29 March and 25 October 2026)', () => {
      const sundayNight = hours('Sunday night', 'Europe/Berlin', { Sunday: ['01:00', '05:00'] });
      // 01:00 CET → 05:00 CEST: 3 real hours.
      expect(
        businessMinutesBetween(at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'), sundayNight),
      ).to.equal(180);
      expectAdd('2026-03-29T01:00:00+01:00', 120, sundayNight, '2026-03-29T04:00:00+02:00');
      // 01:00 CEST → 05:00 CET: 5 real hours.
      expect(
        businessMinutesBetween(at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'), sundayNight),
      ).to.equal(300);
      expectAdd('2026-10-25T01:00:00+02:00', 240, sundayNight, '2026-10-25T04:00:00+01:00');
    });

    it('moves a skipped opening forward by the gap and takes the first of a repeated one (Berlin)', () => {
      // 02:30 does not exist on 29 March: the window opens at 03:30 CEST.
      const skipped = hours('Skipped', 'Europe/Berlin', { Sunday: ['02:30', '04:00'] });
      expect(
        businessMinutesBetween(at('2026-03-29T00:00:00Z'), at('2026-03-30T00:00:00Z'), skipped),
      ).to.equal(30);
      expectAdd('2026-03-29T00:00:00Z', 0, skipped, '2026-03-29T03:30:00+02:00');
      // 02:30 happens twice on 25 October: the window opens at the first (CEST) and closes at 06:00 CET.
      const repeated = hours('Repeated', 'Europe/Berlin', { Sunday: ['02:30', '06:00'] });
      expectAdd('2026-10-24T12:00:00Z', 0, repeated, '2026-10-25T02:30:00+02:00');
      expect(
        businessMinutesBetween(at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'), repeated),
      ).to.equal(270);
    });

    it('carries Berlin office hours over the spring-forward weekend', () => {
      const berlin = weekdays('Europe/Berlin', ['08:00', '18:00']);
      expectAdd('2026-03-27T17:00:00+01:00', 120, berlin, '2026-03-30T09:00:00+02:00');
      expectAdd('2026-10-23T17:00:00+02:00', 120, berlin, '2026-10-26T09:00:00+01:00');
    });

    it('reads the same instant in the schedule’s zone, not the server’s', () => {
      // 2026-01-05T14:30Z is 09:30 in New York and 15:30 in Berlin: open in both, 7 h 30 and 1 h 30 left.
      const instant = at('2026-01-05T14:30:00Z');
      expect(addBusinessMinutes(instant, 450, weekdays('America/New_York')).toISOString()).to.equal(
        '2026-01-05T22:00:00.000Z',
      );
      expect(addBusinessMinutes(instant, 90, weekdays('Europe/Berlin')).toISOString()).to.equal(
        '2026-01-05T16:00:00.000Z',
      );
      expect(addBusinessMinutes(instant, 91, weekdays('Europe/Berlin')).toISOString()).to.equal(
        '2026-01-06T08:01:00.000Z',
      );
      // Sunday 18:00 in New York is Monday 08:00 in Tokyo: the clock starts at 09:00 there.
      expectAdd('2026-01-11T18:00:00-05:00', 30, weekdays('Asia/Tokyo'), '2026-01-12T09:30:00+09:00');
    });

    it('agrees with itself: the minutes between a start and its due time are the minutes added', () => {
      let seed = 42;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const schedules = [
        weekdays('America/New_York'),
        weekdays('Europe/Berlin', ['08:00', '18:00']),
        hours('Mixed', 'Europe/Berlin', {
          Monday: ['00:00', '00:00'],
          Saturday: ['01:30', '03:15'],
          Sunday: ['02:00', '00:00'],
        }),
        around('America/New_York'),
      ];
      const from = Date.UTC(2026, 0, 1);
      for (let i = 0; i < 200; i++) {
        const schedule = schedules[i % schedules.length] as BusinessHoursSchedule;
        const start = new Date(from + Math.floor(random() * 365 * 86_400_000));
        const minutes = Math.floor(random() * (i % 2 ? 3_000 : 100_000));
        const due = addBusinessMinutes(start, minutes, schedule);
        expect(
          businessMinutesBetween(start, due, schedule),
          `${schedule.name} ${start.toISOString()} + ${minutes}`,
        ).to.equal(minutes);
        if (minutes > 0) {
          // The due time is open, or the close of a window (open a moment before).
          const open =
            isWithinBusinessHours(due, schedule) ||
            isWithinBusinessHours(new Date(due.getTime() - 1), schedule);
          expect(open, `${schedule.name} due ${due.toISOString()}`).to.equal(true);
        }
      }
    });
  });
});
