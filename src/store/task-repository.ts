import { and, asc, desc, eq, inArray, isNull, notLike, type SQL, sql } from 'drizzle-orm';
import type { ArticleKind, DueKind, DuePeriod, TaskRole, TaskStatus } from '../core/vocabulary.js';
import { type AuditContext, createAuditRepository } from './audit-repository.js';
import type { DubanDatabase } from './database.js';
import { INSTRUCTIONS_DOCUMENT_PREFIX } from './instruction-repository.js';
import { agencies, articles, documents, tasks } from './schema/index.js';

export interface TaskView {
  id: number;
  documentId: number;
  articleId: number;
  articleNo: number;
  articleLabel: string;
  articleTitle: string;
  /** A decision's article, or a leader's instruction (批示) numbered on its own: see core/render/task-place.ts. */
  articleKind: ArticleKind;
  /** Canonical agency name; null when unassigned (an unknown body). */
  agency: string | null;
  agencyId: number | null;
  assignee: string;
  writtenName: string;
  role: TaskRole;
  status: TaskStatus;
  percent: number;
  blocked: boolean;
  blockedReason: string | null;
  dueDate: string | null;
  /** What the decision said about the deadline; null when it named none (see the tasks schema). */
  dueKind: DueKind | null;
  dueEvery: DuePeriod | null;
  dueWritten: string | null;
  lastReportAt: string | null;
  removedAt: string | null;
  /** When the task entered the ledger: the start of its elapsed-time schedule (序时进度). */
  createdAt: string;
}

export interface TaskFilter {
  documentId?: number;
  /** Canonical agency name. */
  agency?: string;
  agencyId?: number;
  /** Article ordinal. */
  articleNo?: number;
  /** Article ids (rows), e.g. the articles an agency leads. */
  articleIds?: readonly number[];
  unassignedOnly?: boolean;
  includeRemoved?: boolean;
}

/** A participant's task as the lead's roll-up reads it. */
export interface ParticipantRow {
  articleId: number;
  agencyId: number | null;
  agency: string | null;
  role: TaskRole;
  status: TaskStatus;
  percent: number;
  blocked: boolean;
  lastReportAt: string | null;
  removedAt: string | null;
}

/** The ledger's tasks as people read them: with their article and agency. */
/** An article as the coordinators' commands name it: by its number in the current text. */
export interface ArticleRef {
  id: number;
  documentId: number;
  ordinal: number;
  title: string;
}

export function createTaskRepository({ db }: { db: DubanDatabase }) {
  const audit = createAuditRepository({ db });
  const inTransaction = <T>(fn: () => T): T => db.$client.transaction(fn)();
  const selectTasks = () =>
    db
      .select({
        id: tasks.id,
        documentId: articles.documentId,
        articleId: articles.id,
        articleNo: articles.ordinal,
        articleLabel: articles.label,
        articleTitle: articles.title,
        articleKind: sql<ArticleKind>`case when ${documents.contentHash} like ${`${INSTRUCTIONS_DOCUMENT_PREFIX}%`} then 'instruction' else 'decision' end`,
        agency: agencies.name,
        agencyId: tasks.agencyId,
        assignee: tasks.assignee,
        writtenName: tasks.writtenName,
        role: tasks.role,
        status: tasks.status,
        percent: tasks.percent,
        blocked: tasks.blocked,
        blockedReason: tasks.blockedReason,
        dueDate: tasks.dueDate,
        dueKind: tasks.dueKind,
        dueEvery: tasks.dueEvery,
        dueWritten: tasks.dueWritten,
        lastReportAt: tasks.lastReportAt,
        removedAt: tasks.removedAt,
        createdAt: tasks.createdAt,
      })
      .from(tasks)
      .innerJoin(articles, eq(articles.id, tasks.articleId))
      .innerJoin(documents, eq(documents.id, articles.documentId))
      .leftJoin(agencies, eq(agencies.id, tasks.agencyId));

  return {
    listTasks(filter: TaskFilter = {}): TaskView[] {
      const conditions: (SQL | undefined)[] = [];
      if (!filter.includeRemoved) conditions.push(isNull(tasks.removedAt), isNull(articles.removedAt));
      if (filter.documentId !== undefined) conditions.push(eq(articles.documentId, filter.documentId));
      if (filter.articleNo !== undefined) conditions.push(eq(articles.ordinal, filter.articleNo));
      if (filter.articleIds !== undefined) conditions.push(inArray(articles.id, [...filter.articleIds]));
      if (filter.agency !== undefined) conditions.push(eq(agencies.name, filter.agency));
      if (filter.agencyId !== undefined) conditions.push(eq(tasks.agencyId, filter.agencyId));
      if (filter.unassignedOnly) conditions.push(isNull(tasks.agencyId));
      return selectTasks()
        .where(and(...conditions))
        .orderBy(asc(articles.documentId), asc(articles.ordinal), asc(tasks.role), asc(tasks.id))
        .all();
    },

    /**
     * The live participants' tasks of these articles, with only what the lead's roll-up shows: an
     * article every agency takes part in has a task per agency (1,000 in a province), and the full task
     * view of each made a lead's card tap cost more than the rest of the tap together.
     */
    participantsOf(articleIds: readonly number[]): ParticipantRow[] {
      if (articleIds.length === 0) return [];
      return db
        .select({
          articleId: tasks.articleId,
          agencyId: tasks.agencyId,
          agency: agencies.name,
          role: tasks.role,
          status: tasks.status,
          percent: tasks.percent,
          blocked: tasks.blocked,
          lastReportAt: tasks.lastReportAt,
          removedAt: tasks.removedAt,
        })
        .from(tasks)
        .innerJoin(articles, eq(articles.id, tasks.articleId))
        .leftJoin(agencies, eq(agencies.id, tasks.agencyId))
        .where(
          and(
            inArray(tasks.articleId, [...articleIds]),
            eq(tasks.role, 'participant'),
            isNull(tasks.removedAt),
            isNull(articles.removedAt),
          ),
        )
        .orderBy(asc(tasks.id))
        .all();
    },

    /**
     * The live article numbered `ordinal` in the most recently imported decision that has one. A year's
     * leaders' instructions (批示) are numbered on their own and never answer for a decision's article.
     */
    findArticle(ordinal: number): ArticleRef | null {
      return (
        db
          .select({
            id: articles.id,
            documentId: articles.documentId,
            ordinal: articles.ordinal,
            title: articles.title,
          })
          .from(articles)
          .innerJoin(documents, eq(documents.id, articles.documentId))
          .where(
            and(
              eq(articles.ordinal, ordinal),
              isNull(articles.removedAt),
              notLike(documents.contentHash, `${INSTRUCTIONS_DOCUMENT_PREFIX}%`),
            ),
          )
          .orderBy(desc(articles.documentId))
          .get() ?? null
      );
    },

    /**
     * Sets the due date of these tasks (a coordinator settling 未设截止 or moving a date): the task then
     * has a dated deadline. Audited per task with its before and after; unchanged tasks are skipped.
     * Returns the ids that changed.
     */
    setDueDate(input: { taskIds: readonly number[]; dueDate: string } & AuditContext): number[] {
      const { taskIds, dueDate, ...ctx } = input;
      if (taskIds.length === 0) return [];
      return inTransaction(() => {
        const rows = db
          .select({ id: tasks.id, dueDate: tasks.dueDate, dueKind: tasks.dueKind, dueEvery: tasks.dueEvery })
          .from(tasks)
          .where(inArray(tasks.id, [...taskIds]))
          .all();
        const changed: number[] = [];
        for (const row of rows) {
          if (row.dueDate === dueDate && row.dueKind === 'date') continue;
          db.update(tasks)
            .set({ dueDate, dueKind: 'date', dueEvery: null, updatedAt: ctx.at })
            .where(eq(tasks.id, row.id))
            .run();
          audit.append({
            ...ctx,
            entity: 'task',
            entityId: row.id,
            action: 'due_set',
            before: { dueDate: row.dueDate, dueKind: row.dueKind, dueEvery: row.dueEvery },
            after: { dueDate, dueKind: 'date', dueEvery: null },
          });
          changed.push(row.id);
        }
        return changed;
      });
    },

    /**
     * Gives an agency a task on an article with a role. An existing live task of that agency on the
     * article changes role; a removed one comes back; otherwise a task is created, taking the article's
     * deadline from its other tasks. Audited. Returns the task id and what happened.
     */
    assignTask(
      input: { articleId: number; agencyId: number; agencyName: string; role: TaskRole } & AuditContext,
    ): { taskId: number; outcome: 'created' | 'restored' | 'role_changed' | 'unchanged' } {
      const { articleId, agencyId, agencyName, role, ...ctx } = input;
      return inTransaction(() => {
        const mine = db
          .select()
          .from(tasks)
          .where(and(eq(tasks.articleId, articleId), eq(tasks.agencyId, agencyId)))
          .orderBy(asc(tasks.id))
          .all();
        const live = mine.find((row) => row.removedAt === null);
        if (live !== undefined) {
          if (live.role === role) return { taskId: live.id, outcome: 'unchanged' as const };
          // The other role's row may exist as a removed one: the unique key (article, assignee, role) forbids two.
          const clash = mine.find((row) => row.role === role);
          if (clash !== undefined) {
            db.update(tasks).set({ removedAt: ctx.at, updatedAt: ctx.at }).where(eq(tasks.id, live.id)).run();
            db.update(tasks).set({ removedAt: null, updatedAt: ctx.at }).where(eq(tasks.id, clash.id)).run();
            audit.append({
              ...ctx,
              entity: 'task',
              entityId: live.id,
              action: 'unassigned',
              before: { role: live.role },
              after: null,
            });
            audit.append({
              ...ctx,
              entity: 'task',
              entityId: clash.id,
              action: 'assigned',
              before: null,
              after: { agencyId, role },
            });
            return { taskId: clash.id, outcome: 'role_changed' as const };
          }
          db.update(tasks).set({ role, updatedAt: ctx.at }).where(eq(tasks.id, live.id)).run();
          audit.append({
            ...ctx,
            entity: 'task',
            entityId: live.id,
            action: 'role_changed',
            before: { role: live.role },
            after: { role },
          });
          return { taskId: live.id, outcome: 'role_changed' as const };
        }
        const removed = mine.find((row) => row.role === role);
        if (removed !== undefined) {
          db.update(tasks).set({ removedAt: null, updatedAt: ctx.at }).where(eq(tasks.id, removed.id)).run();
          audit.append({
            ...ctx,
            entity: 'task',
            entityId: removed.id,
            action: 'assigned',
            before: { removedAt: removed.removedAt },
            after: { agencyId, role },
          });
          return { taskId: removed.id, outcome: 'restored' as const };
        }
        const sibling = db
          .select({
            dueDate: tasks.dueDate,
            dueKind: tasks.dueKind,
            dueEvery: tasks.dueEvery,
            dueWritten: tasks.dueWritten,
          })
          .from(tasks)
          .where(and(eq(tasks.articleId, articleId), isNull(tasks.removedAt)))
          .orderBy(asc(tasks.id))
          .get();
        const created = db
          .insert(tasks)
          .values({
            articleId,
            agencyId,
            assignee: agencyName,
            writtenName: agencyName,
            role,
            dueDate: sibling?.dueDate ?? null,
            dueKind: sibling?.dueKind ?? null,
            dueEvery: sibling?.dueEvery ?? null,
            dueWritten: sibling?.dueWritten ?? null,
            createdAt: ctx.at,
            updatedAt: ctx.at,
          })
          .returning({ id: tasks.id })
          .get();
        audit.append({
          ...ctx,
          entity: 'task',
          entityId: created.id,
          action: 'assigned',
          before: null,
          after: { articleId, agencyId, role },
        });
        return { taskId: created.id, outcome: 'created' as const };
      });
    },

    /** Takes an article's live tasks away from an agency (rows are kept, marked removed). Audited. */
    unassignTasks(input: { articleId: number; agencyId: number } & AuditContext): number[] {
      const { articleId, agencyId, ...ctx } = input;
      return inTransaction(() => {
        const live = db
          .select({ id: tasks.id, role: tasks.role })
          .from(tasks)
          .where(and(eq(tasks.articleId, articleId), eq(tasks.agencyId, agencyId), isNull(tasks.removedAt)))
          .all();
        for (const row of live) {
          db.update(tasks).set({ removedAt: ctx.at, updatedAt: ctx.at }).where(eq(tasks.id, row.id)).run();
          audit.append({
            ...ctx,
            entity: 'task',
            entityId: row.id,
            action: 'unassigned',
            before: { agencyId, role: row.role },
            after: { removedAt: ctx.at },
          });
        }
        return live.map((row) => row.id);
      });
    },

    /** One task by id, removed or not; null when there is no such task. */
    findTask(id: number): TaskView | null {
      return selectTasks().where(eq(tasks.id, id)).get() ?? null;
    },
  };
}

export type TaskRepository = ReturnType<typeof createTaskRepository>;
