/**
 * Scheduled jobs as data: what a job is, what a run is told, and where runs are recorded. The
 * scheduler runs these definitions; the use cases write the handlers; the store keeps the run log.
 */
import { JOB_KEYS, JOB_NAMES, type JobKey, type JobName } from '../vocabulary.js';
import type { HolidayPolicy } from './schedule.js';
import type { ScheduleSettings } from './schedule-settings.js';
import { SHANGHAI_TZ } from './time.js';

export interface JobContext {
  now: Date;
  /** The effective fire time this run stands for (derive the cycle from it, not from `now`). */
  scheduledFor: Date;
}

/**
 * How late a missed run may still be made up: within the same Shanghai day, the same ISO week (the
 * prompt cycle), or a number of milliseconds.
 */
export type CatchUpWindow = 'same_day' | 'same_week' | { withinMs: number };

export interface JobDefinition {
  name: string;
  cron: string;
  timezone: typeof SHANGHAI_TZ;
  holidayPolicy: HolidayPolicy;
  catchUp: CatchUpWindow;
  run(context: JobContext): Promise<void> | void;
}

export type JobHandler = (context: JobContext) => Promise<void> | void;

type MaybePromise<T> = T | Promise<T>;

/**
 * Where runs are recorded (SQLite: job_runs(name, scheduled_for, ran_at), unique(name,
 * scheduled_for)). `lastRun` is the latest `scheduledFor` recorded for the job.
 */
export interface JobRunLog {
  lastRun(name: string): MaybePromise<Date | null>;
  record(name: string, scheduledFor: Date, ranAt: Date): MaybePromise<void>;
}

/**
 * The product's jobs, wired to their handlers (the use cases that plan and write to the outbox), named
 * for the run log. A handler left out (a front end without the digest) runs a no-op in its slot.
 */
export function createDefaultJobs(input: {
  settings: ScheduleSettings;
  handlers: Omit<Record<JobKey, JobHandler>, 'leadersDigest'> & { leadersDigest?: JobHandler };
}): JobDefinition[] {
  return JOB_KEYS.map((key) => {
    const job = input.settings.jobs[key];
    const name: JobName = JOB_NAMES[key];
    return {
      name,
      cron: job.cron,
      timezone: SHANGHAI_TZ,
      holidayPolicy: job.holidayPolicy,
      catchUp: job.catchUp,
      run: input.handlers[key] ?? (() => undefined),
    };
  });
}
