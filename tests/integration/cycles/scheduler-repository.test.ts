import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOB_NAMES } from '../../../src/core/vocabulary.js';
import { closeDatabase, type DubanDatabase, openDatabase } from '../../../src/store/database.js';
import { createSchedulerRepository } from '../../../src/store/scheduler-repository.js';
import { createTaskRepository } from '../../../src/store/task-repository.js';
import { at, seedLedger } from './world.js';

let db: DubanDatabase;
beforeEach(() => {
  db = openDatabase({ path: ':memory:' });
});
afterEach(() => closeDatabase(db));

describe('the scheduler repository', () => {
  it('records a job run once per fire time and reports the latest', () => {
    const repo = createSchedulerRepository({ db });
    expect(repo.lastRun(JOB_NAMES.weeklyPrompt)).toBeNull();
    repo.record(JOB_NAMES.weeklyPrompt, at('2026-11-16 09:30'), at('2026-11-16 09:31'));
    repo.record(JOB_NAMES.weeklyPrompt, at('2026-11-23 09:30'), at('2026-11-23 11:00'));
    repo.record(JOB_NAMES.weeklyPrompt, at('2026-11-23 09:30'), at('2026-11-23 11:05'));
    repo.record(JOB_NAMES.followUp, at('2026-11-25 10:00'), at('2026-11-25 10:00'));
    expect(repo.lastRun(JOB_NAMES.weeklyPrompt)).toEqual(at('2026-11-23 09:30'));
    expect(repo.listRuns(JOB_NAMES.weeklyPrompt).map((r) => r.ranAt)).toEqual([
      at('2026-11-16 09:31'),
      at('2026-11-23 11:00'),
    ]);
  });

  it('keeps one ladder rung per task and clears an agency when it replies', () => {
    seedLedger(db, at('2026-11-02 09:00'));
    const repo = createSchedulerRepository({ db });
    const tasks = createTaskRepository({ db }).listTasks();
    const a = tasks.filter((t) => t.agencyId === tasks[0]?.agencyId);
    const b = tasks.find((t) => t.agencyId !== tasks[0]?.agencyId);
    if (!a[0] || !b || a[0].agencyId === null || b.agencyId === null) throw new Error('fixture');
    repo.advanceLadder({
      advance: [
        { taskId: a[0].id, agencyId: a[0].agencyId, step: 'group', at: at('2026-11-25 10:00') },
        { taskId: a[0].id, agencyId: a[0].agencyId, step: 'contact', at: at('2026-11-26 10:00') },
        { taskId: b.id, agencyId: b.agencyId, step: 'coordinators', at: at('2026-11-26 10:00') },
      ],
    });
    expect(repo.ladder().get(a[0].id)).toEqual({ step: 'contact', at: at('2026-11-26 10:00') });
    expect(repo.clearLadder({})).toBe(0);
    expect(repo.clearLadder({ agencyId: a[0].agencyId })).toBe(1);
    expect([...repo.ladder().keys()]).toEqual([b.id]);

    expect(
      repo.addDigestItems({
        cycle: '2026-W48',
        at: at('2026-11-27 10:00'),
        items: [{ taskId: b.id, agencyId: b.agencyId, triggers: ['silent'] }],
      }),
    ).toBe(1);
    expect(
      repo.addDigestItems({
        cycle: '2026-W48',
        at: at('2026-11-30 10:00'),
        items: [{ taskId: b.id, agencyId: b.agencyId, triggers: ['silent', 'overdue'] }],
      }),
    ).toBe(0);
    expect(repo.listDigestItems({ cycle: '2026-W48' })).toEqual([
      {
        taskId: b.id,
        agencyId: b.agencyId,
        cycle: '2026-W48',
        triggers: ['silent'],
        addedAt: at('2026-11-27 10:00').toISOString(),
      },
    ]);
  });

  it('pauses everything globally, and says so for every agency, until resumed', () => {
    const repo = createSchedulerRepository({ db });
    const ctx = { at: at('2026-11-24 12:00').toISOString(), actor: 'ou_coordinator', channel: 'chat' };
    expect(repo.isPaused()).toBe(false);
    repo.setGlobalPause({ paused: true, ...ctx });
    repo.setGlobalPause({ paused: true, ...ctx });
    expect(repo.isGlobalPaused()).toBe(true);
    expect(repo.isPaused(12345)).toBe(true);
    repo.setGlobalPause({ paused: false, ...ctx });
    expect(repo.isPaused()).toBe(false);
    const actions = db.$client
      .prepare("SELECT action, actor FROM audit_events WHERE entity = 'settings' ORDER BY id")
      .all();
    expect(actions).toEqual([
      { action: 'paused_all', actor: 'ou_coordinator' },
      { action: 'resumed_all', actor: 'ou_coordinator' },
    ]);
  });

  it('keeps the end date of a global pause, clears it on resume, and reads a pause stored before end dates', () => {
    const repo = createSchedulerRepository({ db });
    const ctx = { at: at('2026-09-30 12:00').toISOString(), actor: 'cli', channel: 'cli' };
    expect(repo.globalPause()).toEqual({ paused: false, pausedUntil: null });
    expect(repo.setGlobalPause({ paused: true, pausedUntil: '2026-10-08', ...ctx })).toEqual({
      before: { paused: false, pausedUntil: null },
      after: { paused: true, pausedUntil: '2026-10-08' },
    });
    expect(repo.globalPause()).toEqual({ paused: true, pausedUntil: '2026-10-08' });
    expect(repo.isGlobalPaused()).toBe(true);
    expect(repo.setGlobalPause({ paused: true, pausedUntil: '2026-10-08', ...ctx })).toBeNull();
    repo.setGlobalPause({ paused: false, ...ctx });
    expect(repo.globalPause()).toEqual({ paused: false, pausedUntil: null });

    db.$client.prepare("UPDATE settings SET value = 'true' WHERE key = 'global_pause'").run();
    expect(repo.globalPause()).toEqual({ paused: true, pausedUntil: null });
    expect(repo.isPaused(1)).toBe(true);
  });
});
