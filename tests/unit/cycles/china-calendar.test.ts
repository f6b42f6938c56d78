import { describe, expect, it, vi } from 'vitest';
import { workingDaysBetween } from '../../../src/core/cycles/calendar.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { isDubanError } from '../../../src/core/errors.js';

describe('the working-day calendar on chinese-days', () => {
  const calendar = createWorkingCalendar();

  it('knows 2026 from the package and does not know 2027 yet', () => {
    expect(calendar.covers(2026)).toBe(true);
    expect(calendar.covers(2027)).toBe(false);
    expect(calendar.packageYears().at(-1)).toBe(2026);
  });

  it('keeps the whole 2026 National Day week (October 1–7) off, as the State Council scheduled it', () => {
    for (let day = 1; day <= 7; day += 1) {
      const date = `2026-10-0${day}`;
      expect(calendar.isHoliday(date), date).toBe(true);
      expect(calendar.isWorkingDay(date), date).toBe(false);
    }
    expect(calendar.describe('2026-10-01')).toContain('国庆节');
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
  });

  it('treats the National Day make-up days, Sunday September 20 and Saturday October 10, as working days', () => {
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(calendar.isHoliday('2026-10-10')).toBe(false);
    expect(calendar.describe('2026-10-10')).toContain('国庆节');
    // An ordinary weekend next to them stays off, and is not a public holiday.
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false);
    expect(calendar.isHoliday('2026-10-11')).toBe(false);
  });

  it('skips the 2026 Spring Festival (February 15–23) and works its make-up Saturdays', () => {
    for (let day = 15; day <= 23; day += 1) expect(calendar.isWorkingDay(`2026-02-${day}`)).toBe(false);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(calendar.nextWorkingDay('2026-02-13')).toBe('2026-02-14');
    expect(calendar.nextWorkingDay('2026-02-14')).toBe('2026-02-24');
  });

  it('finds the next working day after a weekend and after the National Day week', () => {
    expect(calendar.nextWorkingDay('2026-11-27')).toBe('2026-11-30'); // Friday → Monday
    expect(calendar.nextWorkingDay('2026-09-30')).toBe('2026-10-08');
    expect(calendar.nextWorkingDay('2026-10-08')).toBe('2026-10-09');
    expect(calendar.nextWorkingDay('2026-10-09')).toBe('2026-10-10'); // the make-up Saturday
  });

  it('counts working days forwards and backwards across holidays and make-up days', () => {
    expect(calendar.addWorkingDays('2026-10-16', -1)).toBe('2026-10-15');
    expect(calendar.addWorkingDays('2026-10-16', -5)).toBe('2026-10-10');
    expect(calendar.addWorkingDays('2026-10-08', -1)).toBe('2026-09-30');
    // Back over the Mid-Autumn holiday (September 25–27).
    expect(calendar.addWorkingDays('2026-10-08', -5)).toBe('2026-09-23');
    expect(calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(calendar.addWorkingDays('2026-10-03', 0)).toBe('2026-10-08');
    expect(calendar.addWorkingDays('2026-10-09', 0)).toBe('2026-10-09');
    expect(workingDaysBetween(calendar, '2026-09-30', '2026-10-10')).toBe(3);
  });

  it('lets config add holidays and working days, which win over the package', () => {
    const custom = createWorkingCalendar({ extraHolidays: ['2026-11-23'], extraWorkdays: ['2026-10-07'] });
    expect(custom.isWorkingDay('2026-11-23')).toBe(false);
    expect(custom.isHoliday('2026-11-23')).toBe(true);
    expect(custom.isWorkingDay('2026-10-07')).toBe(true);
    expect(custom.isHoliday('2026-10-07')).toBe(false);
    expect(custom.nextWorkingDay('2026-10-06')).toBe('2026-10-07');
  });

  it('falls back to Monday–Friday for 2027 and warns exactly once', () => {
    const onUncoveredYear = vi.fn();
    const cal = createWorkingCalendar({ onUncoveredYear });
    expect(cal.isWorkingDay('2027-01-01')).toBe(true); // a Friday: not known as New Year's Day yet
    expect(cal.isWorkingDay('2027-01-02')).toBe(false);
    expect(cal.isWorkingDay('2027-10-01')).toBe(true);
    expect(cal.nextWorkingDay('2027-10-01')).toBe('2027-10-04');
    expect(cal.addWorkingDays('2027-10-15', -5)).toBe('2027-10-08');
    expect(onUncoveredYear).toHaveBeenCalledTimes(1);
    expect(onUncoveredYear).toHaveBeenCalledWith(2027);
  });

  it('does not warn about 2026, and counts a year given in config as covered', () => {
    const onUncoveredYear = vi.fn();
    const cal = createWorkingCalendar({
      onUncoveredYear,
      extraHolidays: ['2027-01-01', '2027-10-01'],
      extraWorkdays: ['2027-09-26'],
    });
    expect(cal.isWorkingDay('2026-06-01')).toBe(true);
    expect(cal.covers(2027)).toBe(true);
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2027-09-26')).toBe(true);
    expect(cal.isWorkingDay('2027-10-04')).toBe(true);
    expect(onUncoveredYear).not.toHaveBeenCalled();
  });

  it('refuses malformed and contradictory config dates with a fix-it hint', () => {
    const bad = (fn: () => unknown, code: string) => {
      try {
        fn();
      } catch (error) {
        expect(isDubanError(error, code)).toBe(true);
        return;
      }
      throw new Error('expected an error');
    };
    bad(() => createWorkingCalendar({ extraHolidays: ['2027-02-30'] }), 'config.invalid_calendar_date');
    bad(
      () => createWorkingCalendar({ extraHolidays: ['2027-10-01'], extraWorkdays: ['2027-10-01'] }),
      'config.calendar_conflict',
    );
    bad(() => calendar.isWorkingDay('2026/10/01'), 'time.invalid_date');
  });

  it('gives up instead of looping when config leaves no working day', () => {
    const days: string[] = [];
    for (
      let d = new Date(Date.UTC(2028, 0, 1));
      d.getUTCFullYear() < 2030;
      d = new Date(d.getTime() + 86_400_000)
    ) {
      days.push(d.toISOString().slice(0, 10));
    }
    const none = createWorkingCalendar({ extraHolidays: days });
    expect(() => none.nextWorkingDay('2028-01-01')).toThrow(/No working day/);
  });
});
