/**
 * Shanghai wall-clock helpers. Asia/Shanghai has been UTC+8 without daylight saving since 1991, so a
 * fixed offset is exact for every date the product handles and keeps the core free of the host's zone
 * (tests run with TZ=UTC). Calendar dates are plain `YYYY-MM-DD` strings.
 */
import { DubanError } from '../errors.js';

export const SHANGHAI_TZ = 'Asia/Shanghai';
const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar date in Shanghai, `YYYY-MM-DD`. */
export type LocalDate = string;

export interface ShanghaiParts {
  date: LocalDate;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday, like cron. */
  weekday: number;
  /** Minutes since local midnight. */
  minuteOfDay: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The Shanghai date and time of an instant. */
export function shanghaiParts(instant: Date): ShanghaiParts {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new DubanError('time.invalid_instant', 'Invalid instant');
  const shifted = new Date(ms + OFFSET_MS);
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  const hour = shifted.getUTCHours();
  const minute = shifted.getUTCMinutes();
  return {
    date: `${pad(year, 4)}-${pad(month)}-${pad(day)}`,
    year,
    month,
    day,
    hour,
    minute,
    weekday: shifted.getUTCDay(),
    minuteOfDay: hour * 60 + minute,
  };
}

export function shanghaiDate(instant: Date): LocalDate {
  return shanghaiParts(instant).date;
}

/** Checks a `YYYY-MM-DD` string names a real date and returns its parts. */
export function parseLocalDate(date: string): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(date);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new DubanError('time.invalid_date', `Not a date: ${JSON.stringify(date)}`, {
    hint: 'Write dates as YYYY-MM-DD, e.g. 2026-10-08.',
  });
}

export function isLocalDate(value: string): boolean {
  try {
    parseLocalDate(value);
    return true;
  } catch {
    return false;
  }
}

function dateToUtcMs(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  return Date.UTC(year, month - 1, day);
}

function utcMsToDate(ms: number): LocalDate {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The instant at `minuteOfDay` minutes past midnight of a Shanghai date. */
export function shanghaiInstant(date: LocalDate, minuteOfDay = 0): Date {
  return new Date(dateToUtcMs(date) + minuteOfDay * 60_000 - OFFSET_MS);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return utcMsToDate(dateToUtcMs(date) + days * DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(dateToUtcMs(date)).getUTCDay();
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((dateToUtcMs(b) - dateToUtcMs(a)) / DAY_MS);
}

/** ISO-8601 week of a date, e.g. `2026-W48` (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeekOf(date: LocalDate): string {
  const weekday = weekdayOf(date) || 7;
  const thursday = addDays(date, 4 - weekday);
  const { year } = parseLocalDate(thursday);
  const week = Math.floor(daysBetween(`${pad(year, 4)}-01-01`, thursday) / 7) + 1;
  return `${pad(year, 4)}-W${pad(week)}`;
}

/** The Monday that starts an ISO week such as `2026-W48`. */
export function isoWeekStart(week: string): LocalDate {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  const year = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || n > 53) {
    throw new DubanError('time.invalid_week', `Not an ISO week: ${JSON.stringify(week)}`, {
      hint: 'Write weeks as YYYY-Www, e.g. 2026-W41.',
    });
  }
  // January 4th is always in week 1.
  const jan4 = `${pad(year, 4)}-01-04`;
  const week1Monday = addDays(jan4, 1 - (weekdayOf(jan4) || 7));
  const monday = addDays(week1Monday, (n - 1) * 7);
  if (isoWeekOf(monday) !== week) {
    throw new DubanError('time.invalid_week', `${week} does not exist`, {
      hint: 'Only some years have a week 53.',
    });
  }
  return monday;
}

/** `HH:MM` → minutes since midnight. */
export function parseClockTime(value: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!m) {
    throw new DubanError('time.invalid_clock_time', `Not a time of day: ${JSON.stringify(value)}`, {
      hint: 'Write times as HH:MM on a 24-hour clock, e.g. 08:30.',
    });
  }
  return Number(m[1]) * 60 + Number(m[2]);
}
