import type { LocalDate } from './time.js';

/**
 * China's working-day calendar as the planning core sees it. china-calendar.ts implements it on the
 * `chinese-days` data plus config overrides; the planners only ask questions about `YYYY-MM-DD` dates
 * (Shanghai dates).
 */
export interface WorkingCalendar {
  /** A working day: Monday–Friday that is not a public holiday, or a make-up (调休) weekend day. */
  isWorkingDay(date: LocalDate): boolean;
  /** A public holiday (法定节假日, including the days swapped into it); an ordinary weekend is not one. */
  isHoliday(date: LocalDate): boolean;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: LocalDate): LocalDate;
  /**
   * `n` working days after `date` (before it when `n` is negative); `date` itself need not be a working
   * day. `n = 0` gives `date` when it is a working day, else the next working day.
   */
  addWorkingDays(date: LocalDate, n: number): LocalDate;
  /** Whether the holiday schedule of `year` is known (from the package or from config). */
  covers(year: number): boolean;
}

/** Working days `d` with `from < d ≤ to` (0 when `to` is not after `from`). */
export function workingDaysBetween(calendar: WorkingCalendar, from: LocalDate, to: LocalDate): number {
  let count = 0;
  let day = from;
  // Bounded by the caller's dates; planning only ever spans weeks.
  while (true) {
    day = calendar.nextWorkingDay(day);
    if (day > to) return count;
    count += 1;
  }
}
