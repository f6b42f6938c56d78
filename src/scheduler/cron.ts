/**
 * The node-cron adapter. Each job gets a node-cron task that wakes every minute in Asia/Shanghai
 * (`noOverlap`) and asks the runner whether the job owes a run: the runner's pure schedule logic, not
 * the timer, decides, so holiday moves, quiet-hours deferrals and start-up catch-up share one rule.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import type { WorkingCalendar } from '../core/cycles/calendar.js';
import type { JobDefinition, JobRunLog } from '../core/cycles/jobs.js';
import type { QuietHours } from '../core/cycles/schedule.js';
import { SHANGHAI_TZ } from '../core/cycles/time.js';
import type { Logger } from '../logger.js';
import { createJobRunner, type JobRunOutcome } from './jobs.js';

export interface CronScheduler {
  /** Catches up missed runs, then starts the timers. */
  start(): Promise<JobRunOutcome[]>;
  /** Stops the timers and waits for runs in progress. */
  stop(): Promise<void>;
  /** What the timers do each minute; exposed for tests and for `duban` commands. */
  runDue(): Promise<JobRunOutcome[]>;
}

const TICK = '* * * * *';

export function createCronScheduler(input: {
  jobs: readonly JobDefinition[];
  clock: { now(): Date };
  logger: Logger;
  runLog: JobRunLog;
  calendar: WorkingCalendar;
  quietHours?: QuietHours;
}): CronScheduler {
  const logger = input.logger.child({ component: 'scheduler' });
  const runner = createJobRunner({ ...input, logger });
  let tasks: ScheduledTask[] = [];
  // A stop during start's catch-up must keep the timers from being set up after it.
  let stopped = false;
  const inFlight = new Set<Promise<unknown>>();

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  };

  const cronLogger = {
    info: (message: string) => logger.debug({ source: 'node-cron' }, message),
    warn: (message: string) => logger.warn({ source: 'node-cron' }, message),
    error: (message: string | Error, err?: Error) =>
      logger.error({ source: 'node-cron', err: err ?? message }, 'node-cron error'),
    debug: (message: string | Error) => logger.debug({ source: 'node-cron' }, String(message)),
  };

  return {
    runDue: () => track(runner.runDue()),
    start: async () => {
      if (tasks.length > 0) return [];
      stopped = false;
      const caughtUp = await track(runner.runDue());
      if (stopped) return caughtUp;
      tasks = input.jobs.map((job) => {
        const task = createTask(
          TICK,
          () =>
            track(runner.runIfDue(job.name)).catch((err: unknown) => {
              logger.error({ job: job.name, err }, 'job.tick_failed');
            }),
          {
            name: `duban:${job.name}`,
            timezone: job.timezone ?? SHANGHAI_TZ,
            noOverlap: true,
            logger: cronLogger,
          },
        );
        void task.start();
        return task;
      });
      logger.info({ jobs: input.jobs.map((j) => j.name) }, 'scheduler.started');
      return caughtUp;
    },
    stop: async () => {
      stopped = true;
      const stopping = tasks;
      tasks = [];
      await Promise.all(stopping.map((task) => task.destroy()));
      await Promise.allSettled([...inFlight]);
      if (stopping.length > 0) logger.info('scheduler.stopped');
    },
  };
}
