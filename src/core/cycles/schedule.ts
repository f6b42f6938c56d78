/**
 * When a scheduled job really fires: its cron times read in Shanghai time, moved off holidays (or
 * skipped) and out of quiet hours. Pure: the calendar is a parameter.
 */
import type { WorkingCalendar } from './calendar.js';
import { type CronExpression, cronOccurrences } from './cron-expression.js';
import {
  addDays,
  type LocalDate,
  parseClockTime,
  shanghaiInstant,
  shanghaiParts,
  weekdayOf,
} from './time.js';

/**
 * A fire time on a day that is not a working day moves (same time of day), or is dropped:
 * - `next_working_day`: to the first working day after it;
 * - `last_working_day_of_week`: to the last working day of its ISO week (Monday–Sunday), so a weekly
 *   summary due on a holiday Friday goes out before the break rather than the next week; dropped when
 *   the whole week is off (the previous and next weeks have their own run);
 * - `skip`: dropped.
 */
export const HOLIDAY_POLICIES = ['next_working_day', 'last_working_day_of_week', 'skip'] as const;
export type HolidayPolicy = (typeof HOLIDAY_POLICIES)[number];

/** The last working day of the ISO week holding `date`, or null when that week has none. */
export function lastWorkingDayOfWeek(date: LocalDate, calendar: WorkingCalendar): LocalDate | null {
  const sunday = addDays(date, (7 - weekdayOf(date)) % 7);
  for (let day = sunday, i = 0; i < 7; i += 1, day = addDays(day, -1)) {
    if (calendar.isWorkingDay(day)) return day;
  }
  return null;
}

/** Minutes since midnight; the window may wrap midnight (20:00–08:30). `start === end` means none. */
export interface QuietHours {
  start: number;
  end: number;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: 20 * 60, end: 8 * 60 + 30 };

export function parseQuietHours(value: { start: string; end: string }): QuietHours {
  return { start: parseClockTime(value.start), end: parseClockTime(value.end) };
}

export function isQuietMinute(minuteOfDay: number, quiet: QuietHours): boolean {
  if (quiet.start === quiet.end) return false;
  if (quiet.start < quiet.end) return minuteOfDay >= quiet.start && minuteOfDay < quiet.end;
  return minuteOfDay >= quiet.start || minuteOfDay < quiet.end;
}

/** Whether the bot may message people at `instant`: a working day, outside quiet hours. */
export function isSendableAt(instant: Date, calendar: WorkingCalendar, quiet: QuietHours): boolean {
  const parts = shanghaiParts(instant);
  return calendar.isWorkingDay(parts.date) && !isQuietMinute(parts.minuteOfDay, quiet);
}

/** The instant a nominal cron time really fires at, or null when the policy drops it. */
export function applySchedulePolicy(input: {
  nominal: Date;
  policy: HolidayPolicy;
  calendar: WorkingCalendar;
  quietHours: QuietHours;
}): Date | null {
  const { calendar, quietHours: quiet } = input;
  const parts = shanghaiParts(input.nominal);
  let date = parts.date;
  if (!calendar.isWorkingDay(date)) {
    if (input.policy === 'skip') return null;
    if (input.policy === 'last_working_day_of_week') {
      const last = lastWorkingDayOfWeek(date, calendar);
      if (last === null) return null;
      date = last;
    } else date = calendar.nextWorkingDay(date);
  }
  if (!isQuietMinute(parts.minuteOfDay, quiet)) return shanghaiInstant(date, parts.minuteOfDay);
  // Quiet hours end on the morning after an evening start, or the same morning.
  const wrapsToTomorrow = quiet.start > quiet.end && parts.minuteOfDay >= quiet.start;
  let endDate = wrapsToTomorrow ? addDays(date, 1) : date;
  if (!calendar.isWorkingDay(endDate)) endDate = calendar.nextWorkingDay(endDate);
  return shanghaiInstant(endDate, quiet.end);
}

/** How far a holiday or quiet-hours move can push a fire time (longer breaks are a config error). */
const MAX_SHIFT_MS = 40 * 24 * 60 * 60 * 1000;

/** Effective fire times `t` with `from ≤ t ≤ to`, ascending and distinct. */
export function effectiveFireTimes(input: {
  expr: CronExpression;
  policy: HolidayPolicy;
  calendar: WorkingCalendar;
  quietHours: QuietHours;
  from: Date;
  to: Date;
}): Date[] {
  const nominals = cronOccurrences(input.expr, new Date(input.from.getTime() - MAX_SHIFT_MS), input.to);
  const seen = new Set<number>();
  for (const nominal of nominals) {
    const at = applySchedulePolicy({ ...input, nominal });
    if (at && at >= input.from && at <= input.to) seen.add(at.getTime());
  }
  return [...seen].sort((a, b) => a - b).map((ms) => new Date(ms));
}

/** The latest effective fire time at or before `now`, looking back `lookbackMs`; null when none. */
export function latestFireTime(input: {
  expr: CronExpression;
  policy: HolidayPolicy;
  calendar: WorkingCalendar;
  quietHours: QuietHours;
  now: Date;
  lookbackMs: number;
}): Date | null {
  const times = effectiveFireTimes({
    ...input,
    from: new Date(input.now.getTime() - input.lookbackMs),
    to: input.now,
  });
  return times[times.length - 1] ?? null;
}
