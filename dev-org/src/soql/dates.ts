/**
 * SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_MONTH, ...) as half-open UTC ranges [start, end).
 * The dev org's user time zone is UTC, its locale starts weeks on Sunday, and its fiscal year is the
 * calendar year (Salesforce's defaults).
 */

export interface DateRange {
  /** Inclusive start, epoch millis. */
  start: number;
  /** Exclusive end, epoch millis. */
  end: number;
  /** Ranges ending with today (LAST_N_DAYS, LAST_90_DAYS, LAST_N_HOURS): `>`/`>=` compare with their start. */
  lastN: boolean;
}

const DAY = 86_400_000;

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function utcDate(year: number, month: number, day = 1): number {
  return Date.UTC(year, month, day);
}

function days(today: number, from: number, to: number, lastN = false): DateRange {
  return { start: today + from * DAY, end: today + to * DAY, lastN };
}

function months(now: Date, firstMonthOffset: number, count: number, unit: number, lastN = false): DateRange {
  const year = now.getUTCFullYear();
  const base = Math.floor(now.getUTCMonth() / unit) * unit;
  const first = base + firstMonthOffset * unit;
  return { start: utcDate(year, first), end: utcDate(year, first + count * unit), lastN };
}

/** The range of a date literal, or undefined if the literal is unknown. `n` is the `:n` argument. */
export function dateLiteralRange(literal: string, n: number | undefined, now: Date): DateRange | undefined {
  const today = startOfDay(now.getTime());
  const weekStart = today - now.getUTCDay() * DAY;
  const k = n ?? 0;
  const name = literal.toUpperCase().replace('_FISCAL', '');
  switch (name) {
    case 'TODAY':
      return days(today, 0, 1);
    case 'YESTERDAY':
      return days(today, -1, 0);
    case 'TOMORROW':
      return days(today, 1, 2);
    case 'LAST_WEEK':
      return days(weekStart, -7, 0);
    case 'THIS_WEEK':
      return days(weekStart, 0, 7);
    case 'NEXT_WEEK':
      return days(weekStart, 7, 14);
    case 'LAST_MONTH':
      return months(now, -1, 1, 1);
    case 'THIS_MONTH':
      return months(now, 0, 1, 1);
    case 'NEXT_MONTH':
      return months(now, 1, 1, 1);
    case 'LAST_90_DAYS':
      return days(today, -90, 1, true);
    case 'NEXT_90_DAYS':
      return days(today, 1, 91);
    case 'LAST_N_DAYS':
      return days(today, -k, 1, true);
    case 'NEXT_N_DAYS':
      return days(today, 1, k + 1);
    case 'N_DAYS_AGO':
      return days(today, -k, -k + 1);
    case 'LAST_N_WEEKS':
      return days(weekStart, -7 * k, 0);
    case 'NEXT_N_WEEKS':
      return days(weekStart, 7, 7 * (k + 1));
    case 'N_WEEKS_AGO':
      return days(weekStart, -7 * k, -7 * k + 7);
    case 'LAST_N_MONTHS':
      return months(now, -k, k, 1);
    case 'NEXT_N_MONTHS':
      return months(now, 1, k, 1);
    case 'N_MONTHS_AGO':
      return months(now, -k, 1, 1);
    case 'THIS_QUARTER':
      return months(now, 0, 1, 3);
    case 'LAST_QUARTER':
      return months(now, -1, 1, 3);
    case 'NEXT_QUARTER':
      return months(now, 1, 1, 3);
    case 'LAST_N_QUARTERS':
      return months(now, -k, k, 3);
    case 'NEXT_N_QUARTERS':
      return months(now, 1, k, 3);
    case 'N_QUARTERS_AGO':
      return months(now, -k, 1, 3);
    case 'THIS_YEAR':
      return months(now, 0, 1, 12);
    case 'LAST_YEAR':
      return months(now, -1, 1, 12);
    case 'NEXT_YEAR':
      return months(now, 1, 1, 12);
    case 'LAST_N_YEARS':
      return months(now, -k, k, 12);
    case 'NEXT_N_YEARS':
      return months(now, 1, k, 12);
    case 'N_YEARS_AGO':
      return months(now, -k, 1, 12);
    case 'LAST_N_HOURS':
      return { start: now.getTime() - k * 3_600_000, end: now.getTime() + 1, lastN: true };
    case 'NEXT_N_HOURS':
      return { start: now.getTime(), end: now.getTime() + k * 3_600_000 + 1, lastN: false };
    default:
      return undefined;
  }
}
