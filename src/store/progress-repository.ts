import { and, eq, inArray, isNull } from 'drizzle-orm';
import { DubanError } from '../core/errors.js';
import { OPEN_TASK_STATUSES, type ReportableStatus } from '../core/vocabulary.js';
import { type AuditContext, createAuditRepository } from './audit-repository.js';
import type { DubanDatabase } from './database.js';
import { articles, progressUpdates, tasks } from './schema/index.js';

/** Progress the officials report; every change is an audit event with its channel. */
export function createProgressRepository({ db }: { db: DubanDatabase }) {
  const audit = createAuditRepository({ db });
  return {
    /** Runs `fn` in one transaction (a savepoint when already inside one); `fn` must be synchronous. */
    transaction<T>(fn: () => T): T {
      return db.$client.transaction(fn)();
    },

    /**
     * The prompt card's one tap: "no change this cycle" for every open task of the agency. The tasks keep
     * their status and percent; what changes is that the agency has answered (last_report_at).
     */
    confirmNoChange(input: { agencyId: number } & AuditContext): number[] {
      const { agencyId, ...ctx } = input;
      return db.$client.transaction(() => {
        const open = db
          .select({
            id: tasks.id,
            lastReportAt: tasks.lastReportAt,
            status: tasks.status,
            percent: tasks.percent,
            blocked: tasks.blocked,
          })
          .from(tasks)
          .where(
            and(
              eq(tasks.agencyId, agencyId),
              isNull(tasks.removedAt),
              inArray(tasks.status, [...OPEN_TASK_STATUSES]),
            ),
          )
          .all();
        if (open.length === 0) return [];
        db.update(tasks)
          .set({ lastReportAt: ctx.at, updatedAt: ctx.at })
          .where(
            inArray(
              tasks.id,
              open.map((t) => t.id),
            ),
          )
          .run();
        db.insert(progressUpdates)
          .values(
            open.map((t) => ({
              taskId: t.id,
              at: ctx.at,
              actor: ctx.actor,
              channel: 'card',
              status: t.status,
              percent: t.percent,
              blocked: t.blocked,
              noChange: true,
            })),
          )
          .run();
        audit.appendMany(
          open.map((t) => ({
            ...ctx,
            entity: 'task',
            entityId: t.id,
            action: 'no_change_confirmed',
            before: { lastReportAt: t.lastReportAt },
            after: { lastReportAt: ctx.at },
          })),
        );
        return open.map((t) => t.id);
      })();
    },

    /** The task as a report needs it: whose it is, and whether it still takes reports. */
    findTask(taskId: number) {
      return (
        db
          .select({
            id: tasks.id,
            agencyId: tasks.agencyId,
            status: tasks.status,
            percent: tasks.percent,
            removedAt: tasks.removedAt,
            articleNo: articles.ordinal,
          })
          .from(tasks)
          .innerJoin(articles, eq(articles.id, tasks.articleId))
          .where(eq(tasks.id, taskId))
          .get() ?? null
      );
    },

    /** One task's report from the card form: the task row takes the latest, the history keeps every one. */
    recordReport(
      input: {
        taskId: number;
        report: {
          status: ReportableStatus;
          percent: number;
          blocked: boolean;
          note: string;
          evidenceUrl: string | null;
        };
      } & AuditContext,
    ): void {
      const { taskId, report, ...ctx } = input;
      db.$client.transaction(() => {
        const before = db.select().from(tasks).where(eq(tasks.id, taskId)).get();
        if (before === undefined) {
          throw new DubanError('store.task_not_found', `No task #${taskId} in the ledger.`, {
            hint: 'The card may be older than the ledger; run `duban tasks` to see the tasks it holds.',
            details: { taskId },
          });
        }
        const after = {
          status: report.status,
          percent: report.percent,
          blocked: report.blocked,
          blockedReason: report.blocked ? report.note : null,
          lastReportAt: ctx.at,
          updatedAt: ctx.at,
        };
        db.update(tasks).set(after).where(eq(tasks.id, taskId)).run();
        db.insert(progressUpdates)
          .values({ taskId, at: ctx.at, actor: ctx.actor, channel: 'card', ...report })
          .run();
        audit.append({
          ...ctx,
          entity: 'task',
          entityId: taskId,
          action: 'reported',
          before: { status: before.status, percent: before.percent, blocked: before.blocked },
          after: { ...after, note: report.note, evidenceUrl: report.evidenceUrl },
        });
      })();
    },
  };
}

export type ProgressRepository = ReturnType<typeof createProgressRepository>;
