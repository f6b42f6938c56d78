import { afterEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../src/core/clock.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import type { JobDefinition } from '../../../src/core/cycles/jobs.js';
import { silentLogger } from '../../../src/logger.js';
import { type CronScheduler, createCronScheduler } from '../../../src/scheduler/cron.js';
import { createMemoryJobRunLog } from '../../../src/scheduler/jobs.js';
import { at } from '../cycles/helpers.js';

describe('the node-cron adapter', () => {
  let scheduler: CronScheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop();
  });

  it('catches up on start, once, and stops cleanly', async () => {
    const ran: Date[] = [];
    const job: JobDefinition = {
      name: 'weekly_prompt',
      cron: '30 9 * * 1',
      timezone: 'Asia/Shanghai',
      holidayPolicy: 'next_working_day',
      catchUp: 'same_week',
      run: ({ scheduledFor }) => {
        ran.push(scheduledFor);
      },
    };
    const runLog = createMemoryJobRunLog();
    const clock = createFixedClock(at('2026-11-23 11:00'));
    const make = () =>
      createCronScheduler({
        jobs: [job],
        clock,
        logger: silentLogger,
        runLog,
        calendar: createWorkingCalendar(),
      });
    scheduler = make();
    const caughtUp = await scheduler.start();
    expect(caughtUp.map((o) => o.outcome)).toEqual(['ran']);
    expect(await scheduler.start()).toEqual([]); // already started
    await scheduler.stop();

    scheduler = make();
    expect(await scheduler.start()).toEqual([]);
    expect(ran.map((d) => d.toISOString())).toEqual([at('2026-11-23 09:30').toISOString()]);
  });

  it('refuses a job with a malformed cron expression before starting anything', () => {
    const job: JobDefinition = {
      name: 'broken',
      cron: '30 25 * * 1',
      timezone: 'Asia/Shanghai',
      holidayPolicy: 'skip',
      catchUp: 'same_day',
      run: () => undefined,
    };
    expect(() =>
      createCronScheduler({
        jobs: [job],
        clock: createFixedClock(at('2026-11-23 11:00')),
        logger: silentLogger,
        runLog: createMemoryJobRunLog(),
        calendar: createWorkingCalendar(),
      }),
    ).toThrow(/Invalid cron expression/);
  });
});
