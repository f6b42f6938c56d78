import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { cronOccurrences, parseCronExpression } from '../../../src/core/cycles/cron-expression.js';
import {
  applySchedulePolicy,
  DEFAULT_QUIET_HOURS,
  effectiveFireTimes,
  isQuietMinute,
  isSendableAt,
  latestFireTime,
  parseQuietHours,
} from '../../../src/core/cycles/schedule.js';
import { isDubanError } from '../../../src/core/errors.js';
import { at } from './helpers.js';

const calendar = createWorkingCalendar();
const quietHours = DEFAULT_QUIET_HOURS;
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('cron expressions read in Shanghai time', () => {
  it('lists Monday 09:30 occurrences in Shanghai, not in the host zone', () => {
    const expr = parseCronExpression('30 9 * * 1');
    expect(iso(cronOccurrences(expr, at('2026-11-16 00:00'), at('2026-11-30 23:59')))).toEqual(
      iso([at('2026-11-16 09:30'), at('2026-11-23 09:30'), at('2026-11-30 09:30')]),
    );
  });

  it('supports lists, ranges, steps, names and Sunday as 7', () => {
    const expr = parseCronExpression('0,30 8-9 * * MON-FRI');
    expect(cronOccurrences(expr, at('2026-11-27 00:00'), at('2026-11-30 23:59'))).toHaveLength(8);
    expect(parseCronExpression('*/15 * * * *').minutes).toEqual(new Set([0, 15, 30, 45]));
    expect(parseCronExpression('0 9 * * 7').daysOfWeek).toEqual(new Set([0]));
    expect(parseCronExpression('0 9 1 jan *').months).toEqual(new Set([1]));
  });

  it('fires on either day field when both are restricted, as cron does', () => {
    const expr = parseCronExpression('0 9 1 * 1');
    const dates = cronOccurrences(expr, at('2026-12-01 00:00'), at('2026-12-08 00:00'));
    expect(iso(dates)).toEqual(iso([at('2026-12-01 09:00'), at('2026-12-07 09:00')]));
  });

  it('rejects malformed expressions with a hint', () => {
    for (const bad of ['30 9 * *', '61 9 * * 1', '30 9 * * 1-', 'a b c d e', '*/0 * * * *', '5-1 * * * *']) {
      let error: unknown;
      try {
        parseCronExpression(bad);
      } catch (e) {
        error = e;
      }
      expect(isDubanError(error, 'schedule.invalid_cron'), bad).toBe(true);
    }
  });
});

describe('the holiday and quiet-hours policy', () => {
  it('keeps a Monday 09:30 prompt on an ordinary working Monday', () => {
    const fired = applySchedulePolicy({
      nominal: at('2026-11-23 09:30'),
      policy: 'next_working_day',
      calendar,
      quietHours,
    });
    expect(fired?.toISOString()).toBe(at('2026-11-23 09:30').toISOString());
  });

  it('moves the prompt of National Day Monday (October 5, 2026) to Thursday October 8 at 09:30', () => {
    const fired = applySchedulePolicy({
      nominal: at('2026-10-05 09:30'),
      policy: 'next_working_day',
      calendar,
      quietHours,
    });
    expect(fired?.toISOString()).toBe(at('2026-10-08 09:30').toISOString());
  });

  it('drops that prompt under the skip policy', () => {
    expect(
      applySchedulePolicy({ nominal: at('2026-10-05 09:30'), policy: 'skip', calendar, quietHours }),
    ).toBeNull();
  });

  it('moves the digest of National Day Friday (October 2, 2026) back to Wednesday September 30 at 17:00', () => {
    const fired = applySchedulePolicy({
      nominal: at('2026-10-02 17:00'),
      policy: 'last_working_day_of_week',
      calendar,
      quietHours,
    });
    expect(fired?.toISOString()).toBe(at('2026-09-30 17:00').toISOString());
  });

  it('fires a weekly Friday digest once a week around Mid-Autumn (September 25) and National Day, each before its break', () => {
    const times = effectiveFireTimes({
      expr: parseCronExpression('0 17 * * 5'),
      policy: 'last_working_day_of_week',
      calendar,
      quietHours,
      from: at('2026-09-21 00:00'),
      to: at('2026-10-18 00:00'),
    });
    expect(iso(times)).toEqual(
      iso([at('2026-09-24 17:00'), at('2026-09-30 17:00'), at('2026-10-09 17:00'), at('2026-10-16 17:00')]),
    );
  });

  it('drops the digest of a week with no working day at all (Spring Festival 2026)', () => {
    expect(
      applySchedulePolicy({
        nominal: at('2026-02-20 17:00'),
        policy: 'last_working_day_of_week',
        calendar,
        quietHours,
      }),
    ).toBeNull();
  });

  it('runs a daily check on the make-up Saturday and not on the weekend after it', () => {
    const expr = parseCronExpression('0 10 * * *');
    const times = effectiveFireTimes({
      expr,
      policy: 'skip',
      calendar,
      quietHours,
      from: at('2026-10-09 00:00'),
      to: at('2026-10-12 23:59'),
    });
    expect(iso(times)).toEqual(iso([at('2026-10-09 10:00'), at('2026-10-10 10:00'), at('2026-10-12 10:00')]));
  });

  it('lands both Spring Festival Mondays on Tuesday February 24 and fires there once', () => {
    const expr = parseCronExpression('30 9 * * 1');
    const times = effectiveFireTimes({
      expr,
      policy: 'next_working_day',
      calendar,
      quietHours,
      from: at('2026-02-10 00:00'),
      to: at('2026-03-01 00:00'),
    });
    expect(iso(times)).toEqual(iso([at('2026-02-24 09:30')]));
  });

  it('defers a run in quiet hours to 08:30 on the next working day', () => {
    const evening = applySchedulePolicy({
      nominal: at('2026-11-27 21:00'),
      policy: 'skip',
      calendar,
      quietHours,
    });
    expect(evening?.toISOString()).toBe(at('2026-11-30 08:30').toISOString()); // Friday night → Monday
    const early = applySchedulePolicy({
      nominal: at('2026-11-24 07:00'),
      policy: 'skip',
      calendar,
      quietHours,
    });
    expect(early?.toISOString()).toBe(at('2026-11-24 08:30').toISOString());
    const beforeHoliday = applySchedulePolicy({
      nominal: at('2026-09-30 20:00'),
      policy: 'skip',
      calendar,
      quietHours,
    });
    expect(beforeHoliday?.toISOString()).toBe(at('2026-10-08 08:30').toISOString());
  });

  it('knows quiet hours, including their edges and a window that does not wrap midnight', () => {
    const q = parseQuietHours({ start: '20:00', end: '08:30' });
    expect(isQuietMinute(8 * 60 + 29, q)).toBe(true);
    expect(isQuietMinute(8 * 60 + 30, q)).toBe(false);
    expect(isQuietMinute(19 * 60 + 59, q)).toBe(false);
    expect(isQuietMinute(20 * 60, q)).toBe(true);
    const lunch = parseQuietHours({ start: '12:00', end: '14:00' });
    expect(isQuietMinute(13 * 60, lunch)).toBe(true);
    expect(isQuietMinute(14 * 60, lunch)).toBe(false);
    expect(isQuietMinute(3 * 60, parseQuietHours({ start: '00:00', end: '00:00' }))).toBe(false);
    expect(isSendableAt(at('2026-10-10 11:00'), calendar, q)).toBe(true);
    expect(isSendableAt(at('2026-10-11 11:00'), calendar, q)).toBe(false);
    expect(isSendableAt(at('2026-11-24 22:00'), calendar, q)).toBe(false);
  });

  it('finds the latest fire time before now, after the policy', () => {
    const expr = parseCronExpression('30 9 * * 1');
    const lookbackMs = 7 * 86_400_000;
    expect(
      latestFireTime({
        expr,
        policy: 'next_working_day',
        calendar,
        quietHours,
        now: at('2026-11-23 11:00'),
        lookbackMs,
      })?.toISOString(),
    ).toBe(at('2026-11-23 09:30').toISOString());
    // On October 7 the moved prompt is still ahead; the latest one is September 28.
    expect(
      latestFireTime({
        expr,
        policy: 'next_working_day',
        calendar,
        quietHours,
        now: at('2026-10-07 12:00'),
        lookbackMs: 14 * 86_400_000,
      })?.toISOString(),
    ).toBe(at('2026-09-28 09:30').toISOString());
    expect(
      latestFireTime({ expr, policy: 'skip', calendar, quietHours, now: at('2026-10-08 12:00'), lookbackMs }),
    ).toBeNull();
  });
});
