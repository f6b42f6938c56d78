import { and, eq, inArray, isNull } from 'drizzle-orm';
import { type AuditContext, createAuditRepository } from './audit-repository.js';
import type { DubanDatabase } from './database.js';
import { tasks } from './schema/index.js';

/** Statuses still asking for a report: verified work and work already reported done are not asked again. */
const OPEN_STATUSES = ['not_started', 'in_progress', 'returned'] as const;

/** Progress the officials report; every change is an audit event with its channel. */
export function createProgressRepository({ db }: { db: DubanDatabase }) {
  const audit = createAuditRepository({ db });
  return {
    /**
     * The prompt card's one tap: "no change this cycle" for every open task of the agency. The tasks keep
     * their status and percent; what changes is that the agency has answered (last_report_at).
     */
    confirmNoChange(input: { agencyId: number } & AuditContext): number[] {
      const { agencyId, ...ctx } = input;
      return db.$client.transaction(() => {
        const open = db
          .select({ id: tasks.id, lastReportAt: tasks.lastReportAt })
          .from(tasks)
          .where(
            and(
              eq(tasks.agencyId, agencyId),
              isNull(tasks.removedAt),
              inArray(tasks.status, [...OPEN_STATUSES]),
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
  };
}

export type ProgressRepository = ReturnType<typeof createProgressRepository>;
