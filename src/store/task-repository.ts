import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import type { DueKind, DuePeriod, TaskRole, TaskStatus } from '../core/vocabulary.js';
import type { DubanDatabase } from './database.js';
import { agencies, articles, tasks } from './schema/index.js';

export interface TaskView {
  id: number;
  documentId: number;
  articleId: number;
  articleNo: number;
  articleLabel: string;
  articleTitle: string;
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
}

export interface TaskFilter {
  documentId?: number;
  /** Canonical agency name. */
  agency?: string;
  /** Article ordinal. */
  articleNo?: number;
  unassignedOnly?: boolean;
  includeRemoved?: boolean;
}

/** The ledger's tasks as people read them: with their article and agency. */
export function createTaskRepository({ db }: { db: DubanDatabase }) {
  const selectTasks = () =>
    db
      .select({
        id: tasks.id,
        documentId: articles.documentId,
        articleId: articles.id,
        articleNo: articles.ordinal,
        articleLabel: articles.label,
        articleTitle: articles.title,
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
      })
      .from(tasks)
      .innerJoin(articles, eq(articles.id, tasks.articleId))
      .leftJoin(agencies, eq(agencies.id, tasks.agencyId));

  return {
    listTasks(filter: TaskFilter = {}): TaskView[] {
      const conditions: (SQL | undefined)[] = [];
      if (!filter.includeRemoved) conditions.push(isNull(tasks.removedAt), isNull(articles.removedAt));
      if (filter.documentId !== undefined) conditions.push(eq(articles.documentId, filter.documentId));
      if (filter.articleNo !== undefined) conditions.push(eq(articles.ordinal, filter.articleNo));
      if (filter.agency !== undefined) conditions.push(eq(agencies.name, filter.agency));
      if (filter.unassignedOnly) conditions.push(isNull(tasks.agencyId));
      return selectTasks()
        .where(and(...conditions))
        .orderBy(asc(articles.documentId), asc(articles.ordinal), asc(tasks.role), asc(tasks.id))
        .all();
    },

    /** One task by id, removed or not; null when there is no such task. */
    findTask(id: number): TaskView | null {
      return selectTasks().where(eq(tasks.id, id)).get() ?? null;
    },
  };
}

export type TaskRepository = ReturnType<typeof createTaskRepository>;
