/**
 * The job runner and the catch-up rule: on start-up (and on every tick) a job runs when its latest
 * effective fire time (after the holiday and quiet-hours policy) is not yet in the run log and still
 * within its catch-up window — once, never repeated, never lost. The jobs themselves are data
 * (src/core/cycles/jobs.ts), given to the runner by the composition root.
 */
import type { WorkingCalendar } from '../core/cycles/calendar.js';
import { parseCronExpression } from '../core/cycles/cron-expression.js';
import { cycleOf } from '../core/cycles/cycle.js';
import type { CatchUpWindow, JobDefinition, JobRunLog } from '../core/cycles/jobs.js';
import {
  DEFAULT_QUIET_HOURS,
  isSendableAt,
  latestFireTime,
  type QuietHours,
} from '../core/cycles/schedule.js';
import { shanghaiDate } from '../core/cycles/time.js';

export function createMemoryJobRunLog(): JobRunLog & {
  entries(): Array<{ name: string; scheduledFor: Date; ranAt: Date }>;
} {
  const rows = new Map<string, { name: string; scheduledFor: Date; ranAt: Date }>();
  return {
    lastRun: (name) => {
      let latest: Date | null = null;
      for (const row of rows.values()) {
        if (row.name === name && (!latest || row.scheduledFor > latest)) latest = row.scheduledFor;
      }
      return latest;
    },
    record: (name, scheduledFor, ranAt) => {
      const key = `${name}@${scheduledFor.toISOString()}`;
      // unique(name, scheduled_for): a second record of the same run changes nothing.
      if (!rows.has(key))
        rows.set(key, { name, scheduledFor: new Date(scheduledFor), ranAt: new Date(ranAt) });
    },
    entries: () => [...rows.values()].sort((a, b) => a.scheduledFor.getTime() - b.scheduledFor.getTime()),
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function lookbackMs(window: CatchUpWindow): number {
  if (window === 'same_day') return DAY_MS;
  if (window === 'same_week') return 7 * DAY_MS;
  return window.withinMs;
}

function withinWindow(window: CatchUpWindow, scheduledFor: Date, now: Date): boolean {
  if (window === 'same_day') return shanghaiDate(scheduledFor) === shanghaiDate(now);
  if (window === 'same_week') return cycleOf(scheduledFor) === cycleOf(now);
  return now.getTime() - scheduledFor.getTime() <= window.withinMs;
}

/**
 * The run a job owes at `now`, or null: its latest effective fire time at or before `now`, when that
 * is after the last recorded run, within the catch-up window, and `now` is a time the bot may speak
 * (a working day outside quiet hours: a run caught up at 03:00 waits for 08:30).
 */
export function findDueRun(input: {
  job: Pick<JobDefinition, 'cron' | 'holidayPolicy' | 'catchUp'>;
  now: Date;
  lastRun: Date | null;
  calendar: WorkingCalendar;
  quietHours: QuietHours;
}): Date | null {
  const { job, now, calendar, quietHours } = input;
  const latest = latestFireTime({
    expr: parseCronExpression(job.cron),
    policy: job.holidayPolicy,
    calendar,
    quietHours,
    now,
    lookbackMs: lookbackMs(job.catchUp),
  });
  if (!latest) return null;
  if (input.lastRun && input.lastRun >= latest) return null;
  if (!withinWindow(job.catchUp, latest, now)) return null;
  if (!isSendableAt(now, calendar, quietHours)) return null;
  return latest;
}

// --- the runner ---------------------------------------------------------------------------------

export interface JobRunOutcome {
  name: string;
  scheduledFor: Date;
  outcome: 'ran' | 'failed' | 'gave_up';
  error?: unknown;
}

interface RunnerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobRunner {
  /** Runs every job that owes a run now (start-up catch-up and each tick); resolves when they finish. */
  runDue(): Promise<JobRunOutcome[]>;
  /** Runs one job if it owes a run; null when it does not (or is already running). */
  runIfDue(name: string): Promise<JobRunOutcome | null>;
}

/** How often a failing run is retried before it is recorded as given up (so it cannot loop forever). */
const MAX_ATTEMPTS = 3;
const RETRY_AFTER_MS = 5 * 60 * 1000;

export function createJobRunner(input: {
  jobs: readonly JobDefinition[];
  calendar: WorkingCalendar;
  quietHours?: QuietHours;
  clock: { now(): Date };
  logger: RunnerLogger;
  runLog: JobRunLog;
}): JobRunner {
  const quietHours = input.quietHours ?? DEFAULT_QUIET_HOURS;
  const jobs = new Map<string, JobDefinition>();
  for (const job of input.jobs) {
    if (jobs.has(job.name)) throw new Error(`Two jobs are named ${job.name}`);
    parseCronExpression(job.cron);
    jobs.set(job.name, job);
  }
  const running = new Set<string>();
  const failures = new Map<string, { attempts: number; lastAt: number }>();

  const runIfDue = async (name: string): Promise<JobRunOutcome | null> => {
    const job = jobs.get(name);
    if (!job || running.has(name)) return null;
    running.add(name);
    try {
      const now = input.clock.now();
      const scheduledFor = findDueRun({
        job,
        now,
        lastRun: await input.runLog.lastRun(name),
        calendar: input.calendar,
        quietHours,
      });
      if (!scheduledFor) return null;
      const failureKey = `${name}@${scheduledFor.toISOString()}`;
      const failure = failures.get(failureKey);
      if (failure && now.getTime() - failure.lastAt < RETRY_AFTER_MS * failure.attempts) return null;
      const log = { job: name, scheduledFor: scheduledFor.toISOString() };
      try {
        input.logger.info(log, 'job.started');
        await job.run({ now, scheduledFor });
      } catch (error) {
        const attempts = (failure?.attempts ?? 0) + 1;
        if (attempts < MAX_ATTEMPTS) {
          failures.set(failureKey, { attempts, lastAt: now.getTime() });
          input.logger.error({ ...log, attempts, err: error }, 'job.failed');
          return { name, scheduledFor, outcome: 'failed', error };
        }
        failures.delete(failureKey);
        await input.runLog.record(name, scheduledFor, input.clock.now());
        input.logger.error({ ...log, attempts, err: error }, 'job.gave_up');
        return { name, scheduledFor, outcome: 'gave_up', error };
      }
      failures.delete(failureKey);
      // Recorded after the run: a crash mid-run repeats it on restart, and the outbox keys make the
      // repeat harmless; recording first would lose it instead.
      await input.runLog.record(name, scheduledFor, input.clock.now());
      input.logger.info(log, 'job.finished');
      return { name, scheduledFor, outcome: 'ran' };
    } finally {
      running.delete(name);
    }
  };

  return {
    runIfDue,
    runDue: async () => {
      const outcomes: JobRunOutcome[] = [];
      for (const name of jobs.keys()) {
        const outcome = await runIfDue(name);
        if (outcome) outcomes.push(outcome);
      }
      return outcomes;
    },
  };
}
