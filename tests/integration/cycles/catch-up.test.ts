import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultScheduleSettings } from '../../../src/config/schedule.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { JOB_NAMES } from '../../../src/core/vocabulary.js';
import { createOutboxDispatcher } from '../../../src/delivery/outbox-dispatcher.js';
import { silentLogger } from '../../../src/logger.js';
import { createCronScheduler } from '../../../src/scheduler/cron.js';
import type { JobRunOutcome } from '../../../src/scheduler/jobs.js';
import { closeDatabase, openDatabase } from '../../../src/store/database.js';
import { createOutboxRepository } from '../../../src/store/outbox-repository.js';
import { createSchedulerRepository } from '../../../src/store/scheduler-repository.js';
import { createCycleJobs } from '../../../src/usecases/cycle-jobs.js';
import { createFakeChat } from '../../helpers/fake-chat.js';
import { at, seedLedger } from './world.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duban-cycles-'));
  path = join(dir, 'duban.sqlite');
  const db = openDatabase({ path });
  seedLedger(db, at('2026-11-02 09:00'));
  closeDatabase(db);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One process's life: open the file, start the scheduler (which catches up), stop, close. */
async function boot(
  chat: ReturnType<typeof createFakeChat>,
  local: string,
  beforeStart?: (jobs: ReturnType<typeof createCycleJobs>) => Promise<void>,
): Promise<JobRunOutcome[]> {
  const db = openDatabase({ path });
  const clock = createFixedClock(at(local));
  const dispatcher = createOutboxDispatcher({
    outbox: createOutboxRepository({ db }),
    chat,
    clock,
    logger: silentLogger,
  });
  const cycle = createCycleJobs({
    db,
    dispatcher,
    settings: defaultScheduleSettings(),
    logger: silentLogger,
    clock,
  });
  const scheduler = createCronScheduler({
    jobs: cycle.jobs,
    runLog: cycle.runLog,
    calendar: cycle.calendar,
    quietHours: cycle.quietHours,
    clock,
    logger: silentLogger,
  });
  try {
    await beforeStart?.(cycle);
    return await scheduler.start();
  } finally {
    await scheduler.stop();
    await dispatcher.stop();
    closeDatabase(db);
  }
}

const promptKeys = (chat: ReturnType<typeof createFakeChat>): string[] =>
  chat.sent.map((s) => s.idempotencyKey ?? '').filter((key) => /^prompt:\d+:2026-W48$/.test(key));

function openAgencies(): number {
  const db = openDatabase({ path });
  try {
    return db.$client
      .prepare(
        `SELECT count(DISTINCT agency_id) FROM tasks
         WHERE agency_id IS NOT NULL AND removed_at IS NULL AND status IN ('not_started', 'in_progress', 'returned')`,
      )
      .pluck()
      .get() as number;
  } finally {
    closeDatabase(db);
  }
}

describe('catching up a missed weekly prompt', () => {
  it('runs the missed 09:30 prompt once at 11:00, and a restart over the same file sends nothing more', async () => {
    const first = createFakeChat();
    const outcomes = await boot(first, '2026-11-23 11:00');
    expect(outcomes.find((o) => o.name === JOB_NAMES.weeklyPrompt)).toMatchObject({
      outcome: 'ran',
      scheduledFor: at('2026-11-23 09:30'),
    });
    const keys = promptKeys(first);
    expect(keys.length).toBe(openAgencies());
    expect(new Set(keys).size).toBe(keys.length);

    const second = createFakeChat();
    expect(await boot(second, '2026-11-23 11:00')).toEqual([]);
    expect(second.sent).toEqual([]);

    const db = openDatabase({ path });
    try {
      const runs = createSchedulerRepository({ db }).listRuns(JOB_NAMES.weeklyPrompt);
      expect(runs.map((r) => r.scheduledFor.toISOString())).toEqual([at('2026-11-23 09:30').toISOString()]);
      expect(createOutboxRepository({ db }).list({ kind: 'prompt' })).toHaveLength(keys.length);
    } finally {
      closeDatabase(db);
    }
  });

  it('repeats a run that sent its prompts but died before recording it, without a second prompt', async () => {
    const first = createFakeChat();
    // The process sends the cycle, then dies before the run log is written.
    await boot(first, '2026-11-23 09:31', async (cycle) => {
      const now = at('2026-11-23 09:31');
      await cycle.handlers.weeklyPrompt({ now, scheduledFor: at('2026-11-23 09:30') });
      throw new Error('killed');
    }).catch((error: unknown) => {
      if (!(error instanceof Error) || error.message !== 'killed') throw error;
    });
    const sentFirst = promptKeys(first);
    expect(sentFirst.length).toBe(openAgencies());

    const second = createFakeChat();
    const outcomes = await boot(second, '2026-11-23 11:00');
    expect(outcomes.find((o) => o.name === JOB_NAMES.weeklyPrompt)?.outcome).toBe('ran');
    expect(promptKeys(second)).toEqual([]);
  });
});
