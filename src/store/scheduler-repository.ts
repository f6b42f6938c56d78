import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { EscalationStep, LadderState } from '../core/cycles/escalation.js';
import type { JobRunLog } from '../core/cycles/jobs.js';
import { type AuditContext, createAuditRepository } from './audit-repository.js';
import type { DubanDatabase } from './database.js';
import { agencies } from './schema/ledger.js';
import { digestItems, escalationStates, jobRuns, settings } from './schema/scheduler.js';

const GLOBAL_PAUSE = 'global_pause';

/** `/pause all`: everything paused until a day (`YYYY-MM-DD`, Asia/Shanghai, inclusive) or until resumed. */
interface GlobalPause {
  paused: boolean;
  pausedUntil: string | null;
}

/** The stored value: `true`/`false` before pauses had an end date, `{ paused, until }` since. */
function readGlobalPause(value: unknown): GlobalPause {
  if (typeof value === 'boolean') return { paused: value, pausedUntil: null };
  if (typeof value === 'object' && value !== null) {
    const { paused, until } = value as { paused?: unknown; until?: unknown };
    return {
      paused: paused === true,
      pausedUntil: paused === true && typeof until === 'string' ? until : null,
    };
  }
  return { paused: false, pausedUntil: null };
}

interface DigestItem {
  taskId: number;
  agencyId: number;
  cycle: string;
  triggers: string[];
  addedAt: string;
}

export interface SchedulerRepository extends JobRunLog {
  /** Runs `fn` in one transaction (a savepoint when already inside one); `fn` must be synchronous. */
  transaction<T>(fn: () => T): T;
  lastRun(name: string): Date | null;
  /** unique(name, scheduled_for): recording the same run twice changes nothing. */
  record(name: string, scheduledFor: Date, ranAt: Date): void;
  listRuns(name?: string): Array<{ name: string; scheduledFor: Date; ranAt: Date }>;

  /** Every task's last rung on the escalation ladder. */
  ladder(): Map<number, LadderState>;
  /** Stores the rungs a plan reached (overwriting the previous rung of each task). */
  advanceLadder(input: {
    advance: ReadonlyArray<{ taskId: number; agencyId: number; step: EscalationStep; at: Date }>;
  }): void;
  /** Takes tasks off the ladder: the given tasks, or every task of the given agency (a reply landed). */
  clearLadder(input: { taskIds?: readonly number[]; agencyId?: number }): number;

  /** Records tasks for the leaders' digest; a task is listed once per cycle. */
  addDigestItems(input: {
    cycle: string;
    at: Date;
    items: ReadonlyArray<{ taskId: number; agencyId: number; triggers: readonly string[] }>;
  }): number;
  listDigestItems(filter?: { cycle?: string }): DigestItem[];

  /** The global pause flag as stored (its end date is not applied: see `globalPause`). */
  isGlobalPaused(): boolean;
  /** The global pause with its end date; `pauseInEffect` (core/cycles/pause) tells whether it holds today. */
  globalPause(): GlobalPause;
  /** True when everything is paused (`/pause all`), or the agency is (when one is named). */
  isPaused(agencyId?: number): boolean;
  /**
   * `/pause all` (until a day, or until resumed) and `/resume all`; audited like every other change.
   * Returns the change, or null when the pause already stood so.
   */
  setGlobalPause(
    input: { paused: boolean; pausedUntil?: string | null } & AuditContext,
  ): { before: GlobalPause; after: GlobalPause } | null;
}

export function createSchedulerRepository({ db }: { db: DubanDatabase }): SchedulerRepository {
  const audit = createAuditRepository({ db });

  const readSetting = (key: string): unknown =>
    db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value;

  const globalPause = (): GlobalPause => readGlobalPause(readSetting(GLOBAL_PAUSE));
  const isGlobalPaused = (): boolean => globalPause().paused;

  return {
    transaction<T>(fn: () => T): T {
      return db.$client.transaction(fn)();
    },

    lastRun(name) {
      const row = db
        .select({ scheduledFor: jobRuns.scheduledFor })
        .from(jobRuns)
        .where(eq(jobRuns.name, name))
        .orderBy(desc(jobRuns.scheduledFor))
        .limit(1)
        .get();
      return row === undefined ? null : new Date(row.scheduledFor);
    },

    record(name, scheduledFor, ranAt) {
      db.insert(jobRuns)
        .values({ name, scheduledFor: scheduledFor.toISOString(), ranAt: ranAt.toISOString() })
        .onConflictDoNothing({ target: [jobRuns.name, jobRuns.scheduledFor] })
        .run();
    },

    listRuns(name) {
      return db
        .select()
        .from(jobRuns)
        .where(name === undefined ? undefined : eq(jobRuns.name, name))
        .orderBy(asc(jobRuns.scheduledFor), asc(jobRuns.id))
        .all()
        .map((row) => ({
          name: row.name,
          scheduledFor: new Date(row.scheduledFor),
          ranAt: new Date(row.ranAt),
        }));
    },

    ladder() {
      const result = new Map<number, LadderState>();
      for (const row of db.select().from(escalationStates).all()) {
        result.set(row.taskId, { step: row.step, at: new Date(row.reachedAt) });
      }
      return result;
    },

    advanceLadder({ advance }) {
      if (advance.length === 0) return;
      db.$client.transaction(() => {
        for (const step of advance) {
          const values = {
            taskId: step.taskId,
            agencyId: step.agencyId,
            step: step.step,
            reachedAt: step.at.toISOString(),
          };
          db.insert(escalationStates)
            .values(values)
            .onConflictDoUpdate({
              target: escalationStates.taskId,
              set: { agencyId: values.agencyId, step: values.step, reachedAt: values.reachedAt },
            })
            .run();
        }
      })();
    },

    clearLadder({ taskIds, agencyId }) {
      const conditions = [
        taskIds === undefined ? undefined : inArray(escalationStates.taskId, [...taskIds]),
        agencyId === undefined ? undefined : eq(escalationStates.agencyId, agencyId),
      ];
      // Neither given would clear everything: refuse rather than surprise.
      if (conditions.every((c) => c === undefined)) return 0;
      if (taskIds !== undefined && taskIds.length === 0 && agencyId === undefined) return 0;
      return db
        .delete(escalationStates)
        .where(and(...conditions))
        .run().changes;
    },

    addDigestItems({ cycle, at, items }) {
      if (items.length === 0) return 0;
      return db
        .insert(digestItems)
        .values(
          items.map((item) => ({
            taskId: item.taskId,
            agencyId: item.agencyId,
            cycle,
            triggers: [...item.triggers],
            addedAt: at.toISOString(),
          })),
        )
        .onConflictDoNothing({ target: [digestItems.taskId, digestItems.cycle] })
        .run().changes;
    },

    listDigestItems(filter = {}) {
      return db
        .select()
        .from(digestItems)
        .where(filter.cycle === undefined ? undefined : eq(digestItems.cycle, filter.cycle))
        .orderBy(asc(digestItems.id))
        .all()
        .map((row) => ({
          taskId: row.taskId,
          agencyId: row.agencyId,
          cycle: row.cycle,
          triggers: row.triggers,
          addedAt: row.addedAt,
        }));
    },

    isGlobalPaused,
    globalPause,

    isPaused(agencyId) {
      if (isGlobalPaused()) return true;
      if (agencyId === undefined) return false;
      return (
        db.select({ paused: agencies.paused }).from(agencies).where(eq(agencies.id, agencyId)).get()
          ?.paused ?? false
      );
    },

    setGlobalPause({ paused, pausedUntil, ...ctx }) {
      return db.$client.transaction(() => {
        const before = globalPause();
        const after: GlobalPause = { paused, pausedUntil: paused ? (pausedUntil ?? null) : null };
        if (before.paused === after.paused && before.pausedUntil === after.pausedUntil) return null;
        const value = { paused: after.paused, until: after.pausedUntil };
        db.insert(settings)
          .values({ key: GLOBAL_PAUSE, value, updatedAt: ctx.at })
          .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: ctx.at } })
          .run();
        audit.append({
          ...ctx,
          entity: 'settings',
          entityId: GLOBAL_PAUSE,
          action: paused ? 'paused_all' : 'resumed_all',
          before,
          after,
        });
        return { before, after };
      })();
    },
  };
}
