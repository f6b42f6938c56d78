import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { ExtensionStatus } from '../core/vocabulary.js';
import { type AuditContext, createAuditRepository } from './audit-repository.js';
import type { DubanDatabase } from './database.js';
import { articles, extensionRequests, progressUpdates, tasks } from './schema/index.js';

/** A task as verification and extensions need it: whose, which article, where it stands. */
export interface ReviewTask {
  id: number;
  articleId: number;
  articleNo: number;
  articleTitle: string;
  agencyId: number | null;
  agency: string;
  role: 'lead' | 'participant';
  status: string;
  dueDate: string | null;
  removedAt: string | null;
}

export interface ExtensionRequest {
  id: number;
  taskId: number;
  previousDue: string | null;
  requestedDue: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  status: ExtensionStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

/** Verification (销号/退回) and extension requests (延期); every change is an audit event on the task. */
export function createReviewRepository({ db }: { db: DubanDatabase }) {
  const audit = createAuditRepository({ db });
  const selectTask = () =>
    db
      .select({
        id: tasks.id,
        articleId: tasks.articleId,
        articleNo: articles.ordinal,
        articleTitle: articles.title,
        agencyId: tasks.agencyId,
        agency: tasks.assignee,
        role: tasks.role,
        status: tasks.status,
        dueDate: tasks.dueDate,
        removedAt: tasks.removedAt,
      })
      .from(tasks)
      .innerJoin(articles, eq(articles.id, tasks.articleId));

  return {
    /** Runs `fn` in one transaction (a savepoint when already inside one); `fn` must be synchronous. */
    transaction<T>(fn: () => T): T {
      return db.$client.transaction(fn)();
    },

    findTask(taskId: number): ReviewTask | null {
      return selectTask().where(eq(tasks.id, taskId)).get() ?? null;
    },

    /** The agency's live tasks under an article (usually one; a lead task first). */
    tasksOfAgencyInArticle(input: { agencyId: number; articleNo: number }): ReviewTask[] {
      return selectTask()
        .where(
          and(
            eq(tasks.agencyId, input.agencyId),
            eq(articles.ordinal, input.articleNo),
            isNull(tasks.removedAt),
          ),
        )
        .all()
        .sort((a, b) => (a.role === b.role ? a.id - b.id : a.role === 'lead' ? -1 : 1));
    },

    /** The agency leading an article (its live lead task with a known agency), or null. */
    leadAgencyOf(articleId: number): number | null {
      const lead = db
        .select({ agencyId: tasks.agencyId })
        .from(tasks)
        .where(and(eq(tasks.articleId, articleId), eq(tasks.role, 'lead'), isNull(tasks.removedAt)))
        .all()
        .find((row) => row.agencyId !== null);
      return lead?.agencyId ?? null;
    },

    /** The report that put the task in reported_done: the latest report of that status. */
    doneReportOf(taskId: number) {
      return (
        db
          .select({
            id: progressUpdates.id,
            at: progressUpdates.at,
            actor: progressUpdates.actor,
            note: progressUpdates.note,
            evidenceUrl: progressUpdates.evidenceUrl,
          })
          .from(progressUpdates)
          .where(and(eq(progressUpdates.taskId, taskId), eq(progressUpdates.status, 'reported_done')))
          .orderBy(desc(progressUpdates.at), desc(progressUpdates.id))
          .get() ?? null
      );
    },

    /**
     * Verifies or returns a task reported done: only from reported_done, so a second tap changes
     * nothing. Returns the status found when it was not reported done.
     */
    settleDone(
      input: { taskId: number; verdict: 'verified' | 'returned'; reason?: string | undefined } & AuditContext,
    ): { ok: true } | { ok: false; status: string } {
      const { taskId, verdict, reason, ...ctx } = input;
      return db.$client.transaction(() => {
        const before = db.select({ status: tasks.status }).from(tasks).where(eq(tasks.id, taskId)).get();
        if (before === undefined) return { ok: false as const, status: 'missing' };
        if (before.status !== 'reported_done') return { ok: false as const, status: before.status };
        db.update(tasks).set({ status: verdict, updatedAt: ctx.at }).where(eq(tasks.id, taskId)).run();
        audit.append({
          ...ctx,
          entity: 'task',
          entityId: taskId,
          action: verdict,
          before: { status: before.status },
          after: { status: verdict, ...(reason === undefined ? {} : { reason }) },
        });
        return { ok: true as const };
      })();
    },

    pendingExtensionOf(taskId: number): ExtensionRequest | null {
      return (
        db
          .select()
          .from(extensionRequests)
          .where(and(eq(extensionRequests.taskId, taskId), eq(extensionRequests.status, 'pending')))
          .get() ?? null
      );
    },

    /** Every request still waiting for the coordinators, oldest first (the leaders' digest lists them). */
    listPendingExtensions(): ExtensionRequest[] {
      return db
        .select()
        .from(extensionRequests)
        .where(eq(extensionRequests.status, 'pending'))
        .orderBy(asc(extensionRequests.id))
        .all();
    },

    getExtension(id: number): ExtensionRequest | null {
      return db.select().from(extensionRequests).where(eq(extensionRequests.id, id)).get() ?? null;
    },

    requestExtension(
      input: {
        taskId: number;
        previousDue: string | null;
        requestedDue: string;
        reason: string;
      } & AuditContext,
    ): number {
      const { taskId, previousDue, requestedDue, reason, ...ctx } = input;
      return db.$client.transaction(() => {
        const id = db
          .insert(extensionRequests)
          .values({
            taskId,
            previousDue,
            requestedDue,
            reason,
            requestedBy: ctx.actor,
            requestedAt: ctx.at,
          })
          .returning({ id: extensionRequests.id })
          .get().id;
        audit.append({
          ...ctx,
          entity: 'task',
          entityId: taskId,
          action: 'extension_requested',
          before: { dueDate: previousDue },
          after: { requestId: id, requestedDue, reason },
        });
        return id;
      })();
    },

    /**
     * Approves or rejects a pending request, once; approval moves the task's due date (a dated deadline
     * from then on), so lights, due reminders and escalation follow. False when it was already decided.
     */
    decideExtension(
      input: { id: number; approve: boolean; note?: string | undefined } & AuditContext,
    ): boolean {
      const { id, approve, note, ...ctx } = input;
      return db.$client.transaction(() => {
        const request = db.select().from(extensionRequests).where(eq(extensionRequests.id, id)).get();
        if (request === undefined || request.status !== 'pending') return false;
        const status: ExtensionStatus = approve ? 'approved' : 'rejected';
        db.update(extensionRequests)
          .set({ status, decidedBy: ctx.actor, decidedAt: ctx.at, decisionNote: note ?? null })
          .where(eq(extensionRequests.id, id))
          .run();
        const task = db
          .select({ dueDate: tasks.dueDate, dueKind: tasks.dueKind })
          .from(tasks)
          .where(eq(tasks.id, request.taskId))
          .get();
        if (approve) {
          db.update(tasks)
            .set({ dueDate: request.requestedDue, dueKind: 'date', dueEvery: null, updatedAt: ctx.at })
            .where(eq(tasks.id, request.taskId))
            .run();
        }
        audit.append({
          ...ctx,
          entity: 'task',
          entityId: request.taskId,
          action: approve ? 'extension_approved' : 'extension_rejected',
          before: { dueDate: task?.dueDate ?? null, requestId: id, status: 'pending' },
          after: {
            dueDate: approve ? request.requestedDue : (task?.dueDate ?? null),
            requestId: id,
            status,
            reason: request.reason,
            ...(note === undefined ? {} : { note }),
          },
        });
        return true;
      })();
    },
  };
}

export type ReviewRepository = ReturnType<typeof createReviewRepository>;
