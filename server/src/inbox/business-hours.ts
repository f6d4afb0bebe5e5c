/**
 * The org's business hours (`BusinessHours`) and time counted in them: when a reply-time target of
 * N business minutes falls due, and how many business minutes a first response took.
 *
 * A BusinessHours row keeps one window per weekday, as local times of its `TimeZoneSidKey`
 * (`MondayStartTime: '09:00:00.000Z'` — the trailing `Z` is only Salesforce's time format: the time is
 * local to the record's zone, not UTC). Both times null: closed that day. Start and end both 00:00:
 * open 24 hours. An end of 00:00 after a later start: open until midnight. Salesforce does not let a
 * window run past midnight, and neither does this parser.
 *
 * Time is real elapsed time inside the open windows: a window of 00:00–24:00 on the day clocks spring
 * forward lasts 23 hours, on the day they fall back 25. A local time that does not exist (the skipped
 * hour) moves forward by the gap; a local time that happens twice (the repeated hour) is the first of
 * the two — the rule of RFC 5545 and of Temporal's `disambiguation: 'compatible'`. Offsets come from the
 * IANA time zone database through luxon's `IANAZone`.
 *
 * Holidays (`Holiday` records linked to business hours) are out of scope: every week is a normal week.
 *
 * A schedule closed every day has no business time at all: `addBusinessMinutes` throws an AppError
 * (`validation_failed`) naming it instead of looking for an opening forever, and no call walks more
 * than 100 years of calendar days (it throws past that). `businessMinutesBetween` is bounded by its
 * two dates and is 0 for such a schedule.
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { describeIssues, rowError, rowName } from './rows.ts';

/** Monday first, as the weekday fields of BusinessHours. */
export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** No calculation walks more calendar days than this (100 years). */
const MAX_DAYS = 36_525;

/** One day's open window, in milliseconds after local midnight; `endMs` may be 86,400,000 (midnight). */
export interface DayWindow {
  readonly startMs: number;
  readonly endMs: number;
}

export interface BusinessHoursSchedule {
  /** BusinessHours Id, when the row had one. */
  readonly id: string | null;
  readonly name: string;
  readonly isDefault: boolean;
  /** IANA zone (`TimeZoneSidKey`), e.g. `America/New_York`. */
  readonly timeZone: string;
  /** Seven windows, Monday (0) to Sunday (6); null: closed that day. */
  readonly days: readonly (DayWindow | null)[];
}

/** `HH:mm`, `HH:mm:ss` or `HH:mm:ss.SSS`, with Salesforce's trailing `Z` or without. */
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,3}))?)?Z?$/;

const TimeField = z
  .string()
  .regex(TIME, 'expected a time like 09:00:00.000Z')
  .nullable()
  .optional()
  .transform((value) => value ?? null);

const dayFields = Object.fromEntries(
  WEEKDAYS.flatMap((day) => [
    [`${day}StartTime`, TimeField],
    [`${day}EndTime`, TimeField],
  ]),
) as Record<`${Weekday}${'Start' | 'End'}Time`, typeof TimeField>;

/** A BusinessHours row as SOQL returns it (extra fields such as `attributes` are ignored). */
export const BusinessHoursRow = z.object({
  Id: z.string().nullable().optional(),
  Name: z.string({ error: 'required' }).trim().min(1, 'required'),
  IsDefault: z.boolean().nullable().optional(),
  IsActive: z.boolean().nullable().optional(),
  TimeZoneSidKey: z
    .string({ error: 'required (an IANA time zone such as America/New_York)' })
    .trim()
    .refine((zone) => IANAZone.isValidZone(zone), 'not a known IANA time zone'),
  ...dayFields,
});
export type BusinessHoursRow = z.input<typeof BusinessHoursRow>;

function timeMs(value: string): number {
  const match = TIME.exec(value);
  if (!match) throw new Error(`not a time: ${value}`);
  const [, h, m, s, ms] = match;
  return (
    Number(h) * 3_600_000 + Number(m) * MINUTE_MS + Number(s ?? 0) * 1000 + Number((ms ?? '0').padEnd(3, '0'))
  );
}

function dayWindow(day: Weekday, start: string | null, end: string | null): DayWindow | null | string {
  if (start === null && end === null) return null;
  if (start === null || end === null) {
    return `${day}: a start time without an end time (leave both blank for closed, or both 00:00 for 24 hours)`;
  }
  const startMs = timeMs(start);
  const endMs = timeMs(end);
  if (startMs === 0 && endMs === 0) return { startMs: 0, endMs: DAY_MS };
  if (endMs === 0) return { startMs, endMs: DAY_MS };
  if (endMs <= startMs) {
    return `${day}: ends (${end}) before it starts (${start}); windows cannot run past midnight`;
  }
  return { startMs, endMs };
}

/**
 * One BusinessHours row → a schedule. Throws an AppError (`validation_failed`) naming the record when a
 * field is malformed, a day has only one of its times, or a window ends before it starts.
 */
export function parseBusinessHours(raw: unknown): BusinessHoursSchedule {
  const name = rowName(raw, 'Name');
  const parsed = BusinessHoursRow.safeParse(raw);
  if (!parsed.success) throw rowError('BusinessHours', name, describeIssues(parsed.error), parsed.error);
  const row = parsed.data;
  const days: (DayWindow | null)[] = [];
  const problems: string[] = [];
  for (const day of WEEKDAYS) {
    const window = dayWindow(day, row[`${day}StartTime`], row[`${day}EndTime`]);
    if (typeof window === 'string') problems.push(window);
    else days.push(window);
  }
  if (problems.length > 0) throw rowError('BusinessHours', row.Name, problems.join('; '));
  return {
    id: row.Id ?? null,
    name: row.Name,
    isDefault: row.IsDefault ?? false,
    timeZone: row.TimeZoneSidKey,
    days,
  };
}

export interface BusinessHoursIndex {
  /** Active business hours by Name. */
  byName: ReadonlyMap<string, BusinessHoursSchedule>;
  /** The org's default (`IsDefault`), or null when no active row is. */
  defaultHours: BusinessHoursSchedule | null;
  /** Rows that could not be used, one sentence each (for /api/status). */
  problems: string[];
}

/**
 * All BusinessHours rows → the usable ones by Name and the default. Inactive rows (`IsActive` false) are
 * left out; a malformed row is left out and reported; so is a second default or a repeated Name.
 */
export function indexBusinessHours(rows: readonly unknown[]): BusinessHoursIndex {
  const byName = new Map<string, BusinessHoursSchedule>();
  let defaultHours: BusinessHoursSchedule | null = null;
  const problems: string[] = [];
  rows.forEach((raw) => {
    if (raw && typeof raw === 'object' && (raw as { IsActive?: unknown }).IsActive === false) return;
    let schedule: BusinessHoursSchedule;
    try {
      schedule = parseBusinessHours(raw);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
      return;
    }
    if (byName.has(schedule.name)) {
      problems.push(
        `BusinessHours "${schedule.name}": another active record has the same Name; the first is used`,
      );
      return;
    }
    byName.set(schedule.name, schedule);
    if (!schedule.isDefault) return;
    if (defaultHours) {
      problems.push(
        `BusinessHours "${schedule.name}": marked default like "${defaultHours.name}"; "${defaultHours.name}" is used`,
      );
    } else {
      defaultHours = schedule;
    }
  });
  return { byName, defaultHours, problems };
}

/** Business hours open around the clock in `timeZone`: a last resort when the org has none. */
export function alwaysOpen(name = '24/7', timeZone = 'UTC'): BusinessHoursSchedule {
  if (!IANAZone.isValidZone(timeZone)) throw new RangeError(`not a known IANA time zone: ${timeZone}`);
  return {
    id: null,
    name,
    isDefault: false,
    timeZone,
    days: WEEKDAYS.map(() => ({ startMs: 0, endMs: DAY_MS })),
  };
}

/** True when the schedule is open at least one day a week. */
export function hasOpenHours(schedule: BusinessHoursSchedule): boolean {
  return schedule.days.some((window) => window !== null && window.endMs > window.startMs);
}

/**
 * The instant a local wall time (as milliseconds on a UTC-based scale) names in `zone`. Candidate offsets
 * are those a day before and a day after; a skipped wall time moves forward by the gap, a repeated one is
 * the earlier instant.
 */
function wallToInstant(zone: IANAZone, wall: number): number {
  const before = zone.offset(wall - DAY_MS);
  const after = zone.offset(wall + DAY_MS);
  let best: number | null = null;
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = wall - offset * MINUTE_MS;
    if (zone.offset(instant) === offset && (best === null || instant < best)) best = instant;
  }
  return best ?? wall - before * MINUTE_MS;
}

/** Midnight of the local calendar day containing `instant`, as wall time on a UTC-based scale. */
function localDayStart(zone: IANAZone, instant: number): number {
  const wall = instant + zone.offset(instant) * MINUTE_MS;
  return Math.floor(wall / DAY_MS) * DAY_MS;
}

function zoneOf(schedule: BusinessHoursSchedule): IANAZone {
  const zone = IANAZone.create(schedule.timeZone);
  if (!zone.isValid)
    throw new RangeError(`BusinessHours "${schedule.name}": unknown time zone ${schedule.timeZone}`);
  return zone;
}

/**
 * Open intervals [start, end) in epoch milliseconds, in order, clipped to begin at `from`, walking at most
 * `maxDays` local calendar days (then returns).
 */
function* openIntervals(
  schedule: BusinessHoursSchedule,
  from: number,
  maxDays: number,
): Generator<readonly [number, number]> {
  const zone = zoneOf(schedule);
  let day = localDayStart(zone, from);
  for (let i = 0; i < maxDays; i++, day += DAY_MS) {
    // Day 0 of the epoch (1970-01-01) was a Thursday: getUTCDay 4 → index 3 (Monday first).
    const window = schedule.days[(new Date(day).getUTCDay() + 6) % 7];
    if (!window) continue;
    const start = wallToInstant(zone, day + window.startMs);
    const end = wallToInstant(zone, day + window.endMs);
    if (end <= start || end <= from) continue;
    yield [Math.max(start, from), end];
  }
}

function checkDate(name: string, value: Date): number {
  const time = value instanceof Date ? value.getTime() : NaN;
  if (!Number.isFinite(time)) throw new RangeError(`${name} must be a valid Date`);
  return time;
}

/**
 * The instant `minutes` business minutes after `start`: time counts only inside open windows, from `start`
 * or from the next opening when `start` is outside them. A result at the close of a window is that close
 * (not the next opening). Zero minutes gives the first business instant at or after `start` (like
 * Salesforce's `BusinessHours.nextStartDate`). Fractional minutes are kept to the millisecond.
 *
 * Throws a RangeError for an invalid date or negative / non-finite minutes, and an AppError
 * (`validation_failed`) when the schedule is closed every day or the result lies more than 100 years ahead.
 */
export function addBusinessMinutes(start: Date, minutes: number, schedule: BusinessHoursSchedule): Date {
  const from = checkDate('start', start);
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`minutes must be a finite number ≥ 0 (got ${minutes})`);
  }
  if (!hasOpenHours(schedule)) {
    throw new AppError('validation_failed', `BusinessHours "${schedule.name}" are closed every day`, {
      details: { businessHours: schedule.name },
      hint: 'Open it at least one day a week in Setup → Business Hours, or point the target at other hours.',
    });
  }
  let remaining = Math.round(minutes * MINUTE_MS);
  for (const [open, close] of openIntervals(schedule, from, MAX_DAYS)) {
    if (remaining <= close - open) return new Date(open + remaining);
    remaining -= close - open;
  }
  throw new AppError(
    'validation_failed',
    `${minutes} business minutes of BusinessHours "${schedule.name}" end more than 100 years after ${start.toISOString()}`,
    { details: { businessHours: schedule.name, minutes } },
  );
}

/** The first business instant at or after `date` (`date` itself when open). Throws as `addBusinessMinutes`. */
export function nextBusinessTime(date: Date, schedule: BusinessHoursSchedule): Date {
  return addBusinessMinutes(date, 0, schedule);
}

/** True when `date` falls inside an open window (a window's close itself is outside it). */
export function isWithinBusinessHours(date: Date, schedule: BusinessHoursSchedule): boolean {
  const at = checkDate('date', date);
  for (const [open] of openIntervals(schedule, at, 2)) return open === at;
  return false;
}

/**
 * Business minutes from `a` to `b` (fractional; negative when `b` is before `a`), counting only time inside
 * open windows. 0 for a schedule closed every day.
 */
export function businessMinutesBetween(a: Date, b: Date, schedule: BusinessHoursSchedule): number {
  const from = checkDate('a', a);
  const to = checkDate('b', b);
  if (to < from) return -businessMinutesBetween(b, a, schedule);
  // Every local day touched by [from, to], plus one for offsets and rounding at both ends.
  const days = Math.ceil((to - from) / DAY_MS) + 2;
  let total = 0;
  for (const [open, close] of openIntervals(schedule, from, days)) {
    if (open >= to) break;
    total += Math.min(close, to) - open;
  }
  return total / MINUTE_MS;
}
