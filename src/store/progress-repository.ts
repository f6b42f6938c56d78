import { and, asc, desc, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import { DubanError } from '../core/errors.js';
import { OPEN_TASK_STATUSES, type ReportableStatus } from '../core/vocabulary.js';
import { type AuditContext, createAuditRepository } from './audit-repository.js';
import type { DubanDatabase } from './database.js';
import { articles, auditEvents, progressUpdates, tasks } from './schema/index.js';

/** Progress the officials report; every change is an audit event with its channel. */
export function createProgressRepository({ db }: { db: DubanDatabase }) {
  const audit = createAuditRepository({ db });
  return {
    /** Runs `fn` in one transaction (a savepoint when already inside one); `fn` must be synchronous. */
    transaction<T>(fn: () => T): T {
      return db.$client.transaction(fn)();
    },

    /** Whether a report of this task already came from this Lark message (a replayed or double tap). */
    reportedFromMessage(taskId: number, messageId: string): boolean {
      return (
        db
          .select({ id: auditEvents.id })
          .from(auditEvents)
          .where(
            and(
              eq(auditEvents.entity, 'task'),
              eq(auditEvents.entityId, String(taskId)),
              inArray(auditEvents.action, ['reported', 'report_corrected']),
              eq(auditEvents.messageId, messageId),
            ),
          )
          .get() !== undefined
      );
    },

    /**
     * The prompt card's one tap: "no change this cycle" for every open task of the agency not already
     * reported since `since` (the cycle's start): a report made this cycle is not overwritten by it. The
     * tasks keep their status and percent; what changes is that the agency has answered (last_report_at).
     */
    confirmNoChange(input: { agencyId: number; since: string } & AuditContext): {
      confirmed: number[];
      alreadyReported: number[];
    } {
      const { agencyId, since, ...ctx } = input;
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
        const alreadyReported = open
          .filter((t) => t.lastReportAt !== null && t.lastReportAt >= since)
          .map((t) => t.id);
        const reported = new Set(alreadyReported);
        const unreported = open.filter((t) => !reported.has(t.id));
        if (unreported.length === 0) return { confirmed: [], alreadyReported };
        db.update(tasks)
          .set({ lastReportAt: ctx.at, updatedAt: ctx.at })
          .where(
            inArray(
              tasks.id,
              unreported.map((t) => t.id),
            ),
          )
          .run();
        db.insert(progressUpdates)
          .values(
            unreported.map((t) => ({
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
          unreported.map((t) => ({
            ...ctx,
            agencyId,
            entity: 'task',
            entityId: t.id,
            action: 'no_change_confirmed',
            before: { lastReportAt: t.lastReportAt },
            after: { lastReportAt: ctx.at },
          })),
        );
        return { confirmed: unreported.map((t) => t.id), alreadyReported };
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
            lastReportAt: tasks.lastReportAt,
            articleNo: articles.ordinal,
          })
          .from(tasks)
          .innerJoin(articles, eq(articles.id, tasks.articleId))
          .where(eq(tasks.id, taskId))
          .get() ?? null
      );
    },

    /** Every progress update of these tasks, oldest first: what the prompt card shows as the last report. */
    updatesOf(taskIds: readonly number[]) {
      if (taskIds.length === 0) return [];
      return db
        .select({
          taskId: progressUpdates.taskId,
          at: progressUpdates.at,
          actor: progressUpdates.actor,
          status: progressUpdates.status,
          percent: progressUpdates.percent,
          blocked: progressUpdates.blocked,
          note: progressUpdates.note,
          evidenceUrl: progressUpdates.evidenceUrl,
          noChange: progressUpdates.noChange,
        })
        .from(progressUpdates)
        .where(inArray(progressUpdates.taskId, [...taskIds]))
        .orderBy(asc(progressUpdates.at), asc(progressUpdates.id))
        .all();
    },

    /**
     * What a traffic light needs of the tasks' history on a day: every report since `since`, and the last
     * one before it (how each task stood then). A year of updates stays in the database.
     */
    updatesForLights(taskIds: readonly number[], since: string) {
      if (taskIds.length === 0) return [];
      const columns = {
        taskId: progressUpdates.taskId,
        at: progressUpdates.at,
        actor: progressUpdates.actor,
        status: progressUpdates.status,
        percent: progressUpdates.percent,
        blocked: progressUpdates.blocked,
        note: progressUpdates.note,
        evidenceUrl: progressUpdates.evidenceUrl,
        noChange: progressUpdates.noChange,
      };
      const recent = db
        .select(columns)
        .from(progressUpdates)
        .where(and(inArray(progressUpdates.taskId, [...taskIds]), gte(progressUpdates.at, since)))
        .orderBy(asc(progressUpdates.at), asc(progressUpdates.id))
        .all();
      const before = taskIds.flatMap((taskId) => {
        const last = db
          .select(columns)
          .from(progressUpdates)
          .where(and(eq(progressUpdates.taskId, taskId), lt(progressUpdates.at, since)))
          .orderBy(desc(progressUpdates.at), desc(progressUpdates.id))
          .limit(1)
          .get();
        return last === undefined ? [] : [last];
      });
      return [...before, ...recent];
    },

    /**
     * One task's report from the card form: the task row takes the latest, the history keeps every one.
     * `corrected`: the report replaces a done report, and is audited as a correction.
     */
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
        corrected?: boolean;
      } & AuditContext,
    ): void {
      // The message id stays in the audit context (its own column) and is echoed in `after` for readers.
      const { taskId, report, corrected, ...ctx } = input;
      const messageId = input.messageId;
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
          .values({ taskId, at: ctx.at, actor: ctx.actor, channel: ctx.channel, ...report })
          .run();
        audit.append({
          ...ctx,
          agencyId: ctx.agencyId ?? before.agencyId,
          entity: 'task',
          entityId: taskId,
          action: corrected ? 'report_corrected' : 'reported',
          before: {
            status: before.status,
            percent: before.percent,
            blocked: before.blocked,
            lastReportAt: before.lastReportAt,
          },
          after: {
            ...after,
            note: report.note,
            evidenceUrl: report.evidenceUrl,
            ...(messageId === undefined ? {} : { messageId }),
          },
        });
      })();
    },
  };
}

export type ProgressRepository = ReturnType<typeof createProgressRepository>;
