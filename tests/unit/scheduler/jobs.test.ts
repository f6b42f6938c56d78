import { describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../src/core/clock.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { createDefaultJobs, type JobContext, type JobDefinition } from '../../../src/core/cycles/jobs.js';
import { DEFAULT_QUIET_HOURS } from '../../../src/core/cycles/schedule.js';
import { scheduleSettingsSchema } from '../../../src/core/cycles/schedule-settings.js';
import { JOB_NAMES } from '../../../src/core/vocabulary.js';
import { silentLogger } from '../../../src/logger.js';
import { createJobRunner, createMemoryJobRunLog, findDueRun } from '../../../src/scheduler/jobs.js';
import { at } from '../cycles/helpers.js';

const calendar = createWorkingCalendar();

function weeklyPrompt(runs: JobContext[], overrides: Partial<JobDefinition> = {}): JobDefinition {
  return {
    name: 'weekly_prompt',
    cron: '30 9 * * 1',
    timezone: 'Asia/Shanghai',
    holidayPolicy: 'next_working_day',
    catchUp: 'same_week',
    run: (ctx) => {
      runs.push(ctx);
    },
    ...overrides,
  };
}

function setup(jobs: (runs: JobContext[]) => JobDefinition[], start: string) {
  const runs: JobContext[] = [];
  const clock = createFixedClock(at(start));
  const runLog = createMemoryJobRunLog();
  const runner = createJobRunner({ jobs: jobs(runs), calendar, clock, logger: silentLogger, runLog });
  return { runs, clock, runLog, runner };
}

describe('missed runs', () => {
  it('catches up a Monday 09:30 prompt once when the process starts at 11:00, and not again on the next start', async () => {
    const first = setup((runs) => [weeklyPrompt(runs)], '2026-11-23 11:00');
    const outcomes = await first.runner.runDue();
    expect(outcomes.map((o) => [o.name, o.outcome])).toEqual([['weekly_prompt', 'ran']]);
    expect(first.runs).toHaveLength(1);
    expect(first.runs[0]?.scheduledFor.toISOString()).toBe(at('2026-11-23 09:30').toISOString());
    expect(first.runs[0]?.now.toISOString()).toBe(at('2026-11-23 11:00').toISOString());

    // A restart: a new runner over the same run log, a little later the same day.
    const runs: JobContext[] = [];
    const clock = createFixedClock(at('2026-11-23 11:05'));
    const again = createJobRunner({
      jobs: [weeklyPrompt(runs)],
      calendar,
      clock,
      logger: silentLogger,
      runLog: first.runLog,
    });
    expect(await again.runDue()).toEqual([]);
    expect(runs).toHaveLength(0);
    expect(first.runLog.entries()).toHaveLength(1);
  });

  it('runs on time each week and never twice for the same fire time', async () => {
    const { runs, clock, runner } = setup((r) => [weeklyPrompt(r)], '2026-11-23 09:29');
    expect(await runner.runDue()).toEqual([]);
    clock.set(at('2026-11-23 09:30'));
    await runner.runDue();
    clock.set(at('2026-11-23 09:31'));
    await runner.runDue();
    clock.set(at('2026-11-30 09:30'));
    await runner.runDue();
    expect(runs.map((r) => r.scheduledFor.toISOString())).toEqual([
      at('2026-11-23 09:30').toISOString(),
      at('2026-11-30 09:30').toISOString(),
    ]);
  });

  it('runs the National Day prompt on Thursday October 8 at 09:30, not during the holiday', async () => {
    const { runs, clock, runner } = setup((r) => [weeklyPrompt(r)], '2026-09-28 09:30');
    // The last prompt before the holiday runs as usual.
    await runner.runDue();
    expect(runs.map((r) => r.scheduledFor.toISOString())).toEqual([at('2026-09-28 09:30').toISOString()]);
    for (const time of ['2026-10-05 10:00', '2026-10-06 09:30', '2026-10-07 09:30', '2026-10-08 09:29']) {
      clock.set(at(time));
      await runner.runDue();
    }
    expect(runs).toHaveLength(1);
    clock.set(at('2026-10-08 09:30'));
    await runner.runDue();
    expect(runs.map((r) => r.scheduledFor.toISOString())).toEqual([
      at('2026-09-28 09:30').toISOString(),
      at('2026-10-08 09:30').toISOString(),
    ]);
  });

  it('skips the National Day prompt entirely under the skip policy', async () => {
    const { runs, clock, runLog, runner } = setup(
      (r) => [weeklyPrompt(r, { holidayPolicy: 'skip' })],
      '2026-09-28 09:30',
    );
    await runner.runDue();
    for (const time of ['2026-10-05 09:30', '2026-10-08 09:30', '2026-10-09 12:00', '2026-10-10 09:30']) {
      clock.set(at(time));
      await runner.runDue();
    }
    expect(runs).toHaveLength(1);
    expect(runLog.entries().map((e) => e.scheduledFor.toISOString())).toEqual([
      at('2026-09-28 09:30').toISOString(),
    ]);
  });

  it('waits for the end of quiet hours on a working day before catching up', async () => {
    const { runs, clock, runner } = setup((r) => [weeklyPrompt(r)], '2026-11-23 22:00');
    // Started Monday night after being down all day: no message at 22:00 or on Tuesday at 03:00.
    await runner.runDue();
    clock.set(at('2026-11-24 03:00'));
    await runner.runDue();
    expect(runs).toHaveLength(0);
    clock.set(at('2026-11-24 08:30'));
    await runner.runDue();
    expect(runs.map((r) => r.scheduledFor.toISOString())).toEqual([at('2026-11-23 09:30').toISOString()]);
  });

  it('does not catch up last week’s prompt in a new cycle, nor a daily check on another day', async () => {
    const weekly = setup((r) => [weeklyPrompt(r)], '2026-11-30 08:45');
    // The 2026-11-23 prompt was missed and the week is over: the new week's prompt is due at 09:30.
    expect(await weekly.runner.runDue()).toEqual([]);
    const daily = setup(
      (r) => [
        weeklyPrompt(r, {
          name: JOB_NAMES.escalation,
          cron: '0 10 * * *',
          holidayPolicy: 'skip',
          catchUp: 'same_day',
        }),
      ],
      '2026-11-24 09:00',
    );
    expect(await daily.runner.runDue()).toEqual([]);
    daily.clock.set(at('2026-11-24 15:00'));
    expect((await daily.runner.runDue()).map((o) => o.scheduledFor.toISOString())).toEqual([
      at('2026-11-24 10:00').toISOString(),
    ]);
  });

  it('retries a failing run a few times, then records it so it cannot loop', async () => {
    let calls = 0;
    const failing = weeklyPrompt([], {
      run: () => {
        calls += 1;
        throw new Error('database is locked');
      },
    });
    const clock = createFixedClock(at('2026-11-23 09:30'));
    const runLog = createMemoryJobRunLog();
    const runner = createJobRunner({ jobs: [failing], calendar, clock, logger: silentLogger, runLog });
    expect((await runner.runDue())[0]?.outcome).toBe('failed');
    expect(await runner.runDue()).toEqual([]); // backing off
    clock.advance(5 * 60_000);
    expect((await runner.runDue())[0]?.outcome).toBe('failed');
    clock.advance(10 * 60_000);
    expect((await runner.runDue())[0]?.outcome).toBe('gave_up');
    clock.advance(60 * 60_000);
    expect(await runner.runDue()).toEqual([]);
    expect(calls).toBe(3);
    expect(runLog.entries()).toHaveLength(1);
  });

  it('never runs the same job twice at once', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const slow = weeklyPrompt([], {
      run: async () => {
        calls += 1;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    const clock = createFixedClock(at('2026-11-23 09:30'));
    const runner = createJobRunner({
      jobs: [slow],
      calendar,
      clock,
      logger: silentLogger,
      runLog: createMemoryJobRunLog(),
    });
    const first = runner.runIfDue('weekly_prompt');
    expect(await runner.runIfDue('weekly_prompt')).toBeNull();
    release();
    expect((await first)?.outcome).toBe('ran');
    expect(calls).toBe(1);
  });

  it('computes the due run from the run log alone', () => {
    const job = {
      cron: '0 10 * * 3',
      holidayPolicy: 'next_working_day' as const,
      catchUp: 'same_week' as const,
    };
    const args = { job, calendar, quietHours: DEFAULT_QUIET_HOURS };
    expect(findDueRun({ ...args, now: at('2026-11-25 10:00'), lastRun: null })?.toISOString()).toBe(
      at('2026-11-25 10:00').toISOString(),
    );
    expect(findDueRun({ ...args, now: at('2026-11-25 10:00'), lastRun: at('2026-11-25 10:00') })).toBeNull();
    // National Day Wednesday October 7 → Thursday October 8 at 10:00.
    expect(findDueRun({ ...args, now: at('2026-10-08 09:59'), lastRun: at('2026-09-30 10:00') })).toBeNull();
    expect(
      findDueRun({ ...args, now: at('2026-10-08 10:00'), lastRun: at('2026-09-30 10:00') })?.toISOString(),
    ).toBe(at('2026-10-08 10:00').toISOString());
  });
});

describe('job settings and the default jobs', () => {
  it('fills every default from an empty config', () => {
    const settings = scheduleSettingsSchema.parse({});
    expect(settings.quietHours).toEqual({ start: '20:00', end: '08:30' });
    expect(settings.jobs.weeklyPrompt).toEqual({
      cron: '30 9 * * 1',
      holidayPolicy: 'next_working_day',
      catchUp: 'same_week',
    });
    expect(settings.jobs.followUp.cron).toBe('0 10 * * 3');
    expect(settings.jobs.escalation).toMatchObject({ cron: '0 10 * * *', holidayPolicy: 'skip' });
    expect(settings.jobs.leadersDigest.cron).toBe('0 17 * * 5');
    expect(settings.weeklyBudget).toBe(3);
    expect(settings.dueReminderOffsets).toEqual([5, 1]);
  });

  it('takes overrides and rejects a bad cron or time of day', () => {
    const settings = scheduleSettingsSchema.parse({
      jobs: { weeklyPrompt: { cron: '0 9 * * 2', holidayPolicy: 'skip' } },
    });
    expect(settings.jobs.weeklyPrompt).toEqual({
      cron: '0 9 * * 2',
      holidayPolicy: 'skip',
      catchUp: 'same_week',
    });
    expect(settings.jobs.followUp.cron).toBe('0 10 * * 3');
    expect(
      scheduleSettingsSchema.safeParse({ jobs: { followUp: { cron: 'every wednesday' } } }).success,
    ).toBe(false);
    expect(scheduleSettingsSchema.safeParse({ quietHours: { start: '8pm' } }).success).toBe(false);
  });

  it('defines five jobs in Asia/Shanghai, the digest slot a no-op until its issue lands', async () => {
    const called: string[] = [];
    const handler = (name: string) => () => {
      called.push(name);
    };
    const jobs = createDefaultJobs({
      settings: scheduleSettingsSchema.parse({}),
      handlers: {
        weeklyPrompt: handler('prompt'),
        followUp: handler('followUp'),
        dueReminders: handler('due'),
        escalation: handler('escalation'),
      },
    });
    expect(jobs.map((j) => [j.name, j.cron, j.timezone])).toEqual([
      ['weekly_prompt', '30 9 * * 1', 'Asia/Shanghai'],
      ['follow_up', '0 10 * * 3', 'Asia/Shanghai'],
      ['due_reminders', '0 9 * * *', 'Asia/Shanghai'],
      ['escalation_check', '0 10 * * *', 'Asia/Shanghai'],
      ['leaders_digest', '0 17 * * 5', 'Asia/Shanghai'],
    ]);
    const digest = jobs.find((j) => j.name === JOB_NAMES.leadersDigest);
    await digest?.run({ now: at('2026-11-27 17:00'), scheduledFor: at('2026-11-27 17:00') });
    expect(called).toEqual([]);
  });
});
