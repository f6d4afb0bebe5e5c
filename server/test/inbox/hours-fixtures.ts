/** BusinessHours rows as SOQL returns them, for the inbox tests. */
import {
  parseBusinessHours,
  WEEKDAYS,
  type BusinessHoursSchedule,
  type Weekday,
} from '../../src/inbox/business-hours.ts';

export type Week = Partial<Record<Weekday, readonly [string, string] | null>>;

/** A BusinessHours row: each day `[start, end]` as `HH:mm`, or absent/null for closed. */
export function hoursRow(name: string, timeZone: string, week: Week, extra: Record<string, unknown> = {}) {
  const row: Record<string, unknown> = {
    attributes: { type: 'BusinessHours' },
    Id: '01m000000000001AAA',
    Name: name,
    IsDefault: false,
    IsActive: true,
    TimeZoneSidKey: timeZone,
    ...extra,
  };
  for (const day of WEEKDAYS) {
    const window = week[day];
    row[`${day}StartTime`] = window ? `${window[0]}:00.000Z` : null;
    row[`${day}EndTime`] = window ? `${window[1]}:00.000Z` : null;
  }
  return row;
}

export function hours(name: string, timeZone: string, week: Week): BusinessHoursSchedule {
  return parseBusinessHours(hoursRow(name, timeZone, week));
}

const NINE_TO_FIVE = ['09:00', '17:00'] as const;

/** Monday to Friday, 9:00–17:00. */
export function weekdays(
  timeZone: string,
  window: readonly [string, string] = NINE_TO_FIVE,
): BusinessHoursSchedule {
  return hours(`Weekdays ${timeZone}`, timeZone, {
    Monday: window,
    Tuesday: window,
    Wednesday: window,
    Thursday: window,
    Friday: window,
  });
}

const ALL_DAY = ['00:00', '00:00'] as const;

/** Open 24 hours, 7 days, as Salesforce stores it (start = end = 00:00). */
export function around(timeZone: string): BusinessHoursSchedule {
  return hours(`24/7 ${timeZone}`, timeZone, Object.fromEntries(WEEKDAYS.map((day) => [day, ALL_DAY])));
}

export const at = (iso: string): Date => new Date(iso);
