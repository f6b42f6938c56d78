import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Comparator } from '../core/policy/types.js';
import type { DueKind, DuePeriod, TaskRole, TaskStatus } from '../core/vocabulary.js';
import { type AuditContext, type AuditEventInput, createAuditRepository } from './audit-repository.js';
import { type DubanDatabase, prepareCached } from './database.js';
import { agencies, articles, type DocumentRow, documents, indicators, parts, tasks } from './schema/index.js';

export type DocumentView = DocumentRow;

export interface IndicatorData {
  metric: string;
  comparator: Comparator;
  value: number;
  unit: string;
  deadlineYear: number | null;
  startYear: number | null;
  perYear: boolean;
  source: string;
}

export interface ArticleData {
  ordinal: number;
  label: string;
  /** The part's number, 0 when the document has no parts. */
  partNo: number;
  title: string;
  body: string;
  clause: string | null;
  noClause: boolean;
}

export interface ArticleSnapshot extends ArticleData {
  id: number;
  indicators: IndicatorData[];
}

interface TaskSnapshot {
  id: number;
  articleId: number;
  agencyId: number | null;
  assignee: string;
  writtenName: string;
  role: TaskRole;
  status: TaskStatus;
  percent: number;
  blocked: boolean;
  dueDate: string | null;
}

/** The live state of one document: what a revised text is compared against. */
export interface DocumentSnapshot {
  document: DocumentView;
  parts: { id: number; no: number; label: string; title: string }[];
  articles: ArticleSnapshot[];
  tasks: TaskSnapshot[];
}

export interface PlannedTask {
  /** Canonical agency name, or the written name of a body the registry does not know. */
  assignee: string;
  /** Canonical agency name; null for an unknown body (kept visible, unassigned). */
  agency: string | null;
  writtenName: string;
  role: TaskRole;
  dueDate: string | null;
  dueKind: DueKind | null;
  dueEvery: DuePeriod | null;
  dueWritten: string | null;
}

/** Everything an import changes, computed by the import use case; applied in one transaction. */
export interface ImportPlan {
  document: { id: number | null; title: string; contentHash: string; sourceName: string };
  parts: { no: number; label: string; title: string }[];
  createArticles: (ArticleData & { indicators: IndicatorData[]; tasks: PlannedTask[] })[];
  /** `indicators` null: unchanged. */
  updateArticles: { id: number; next: ArticleData; indicators: IndicatorData[] | null }[];
  removeArticles: { id: number }[];
  createTasks: (PlannedTask & { articleId: number })[];
  removeTasks: { id: number }[];
  renameTasks: { id: number; writtenName: string }[];
}

export interface ImportPlanResult {
  documentId: number;
  articlesCreated: number;
  articlesUpdated: number;
  articlesRemoved: number;
  tasksCreated: number;
  tasksRemoved: number;
  auditEvents: number;
}

/**
 * Decisions as imported: documents, their parts, articles and indicators, and applying an import plan
 * (which also creates, renames and removes the articles' tasks).
 */
export function createDocumentRepository({ db }: { db: DubanDatabase }) {
  const sqlite = db.$client;
  const audit = createAuditRepository({ db });

  // Raw prepared SQL: a 2,000-article import writes 10,000+ rows through these (npm run bench -- import).
  const stmt = {
    get insertDocument() {
      return prepareCached(
        db,
        `INSERT INTO documents (title, content_hash, source_name, imported_at, revised_at) VALUES (?, ?, ?, ?, ?)`,
      );
    },
    get updateDocument() {
      return prepareCached(
        db,
        `UPDATE documents SET title = ?, content_hash = ?, source_name = ?, revised_at = ? WHERE id = ?`,
      );
    },
    get insertPart() {
      return prepareCached(db, `INSERT INTO parts (document_id, no, label, title) VALUES (?, ?, ?, ?)`);
    },
    get updatePart() {
      return prepareCached(db, `UPDATE parts SET label = ?, title = ? WHERE id = ?`);
    },
    get insertArticle() {
      return prepareCached(
        db,
        `INSERT INTO articles (document_id, ordinal, label, part_id, title, body, clause, no_clause)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
    },
    get updateArticle() {
      return prepareCached(
        db,
        `UPDATE articles SET ordinal = ?, label = ?, part_id = ?, title = ?, body = ?, clause = ?, no_clause = ?
       WHERE id = ?`,
      );
    },
    get removeArticle() {
      return prepareCached(db, `UPDATE articles SET removed_at = ? WHERE id = ?`);
    },
    get selectArticle() {
      return prepareCached(
        db,
        `SELECT id, ordinal, label, title, clause, no_clause AS noClause FROM articles WHERE id = ?`,
      );
    },
    get insertIndicator() {
      return prepareCached(
        db,
        `INSERT INTO indicators (article_id, ordinal, metric, comparator, value, unit, deadline_year, start_year, per_year, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
    },
    get deleteIndicators() {
      return prepareCached(db, `DELETE FROM indicators WHERE article_id = ?`);
    },
    get insertTask() {
      return prepareCached(
        db,
        `INSERT INTO tasks (article_id, agency_id, assignee, written_name, role, due_date, due_kind, due_every,
                            due_written, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
    },
    get selectTask() {
      return prepareCached(
        db,
        `SELECT id, article_id AS articleId, agency_id AS agencyId, assignee, written_name AS writtenName, role,
              status, percent, blocked, due_date AS dueDate, removed_at AS removedAt
       FROM tasks WHERE id = ?`,
      );
    },
    get removeTask() {
      return prepareCached(
        db,
        `UPDATE tasks SET removed_at = ?, updated_at = ? WHERE id = ? AND removed_at IS NULL`,
      );
    },
    get renameTask() {
      return prepareCached(db, `UPDATE tasks SET written_name = ?, updated_at = ? WHERE id = ?`);
    },
    get activeTaskIdsOfArticle() {
      return prepareCached(db, `SELECT id FROM tasks WHERE article_id = ? AND removed_at IS NULL`);
    },
  };

  function insertIndicators(
    articleId: number,
    list: IndicatorData[],
    log: (event: Omit<AuditEventInput, keyof AuditContext>) => void,
  ): void {
    list.forEach((ind, i) => {
      const id = Number(
        stmt.insertIndicator.run(
          articleId,
          i + 1,
          ind.metric,
          ind.comparator,
          ind.value,
          ind.unit,
          ind.deadlineYear,
          ind.startYear,
          ind.perYear ? 1 : 0,
          ind.source,
        ).lastInsertRowid,
      );
      log({ entity: 'indicator', entityId: id, action: 'created', after: { articleId, ...ind } });
    });
  }

  const applyPlan = sqlite.transaction((plan: ImportPlan, ctx: AuditContext): ImportPlanResult => {
    const result: ImportPlanResult = {
      documentId: 0,
      articlesCreated: 0,
      articlesUpdated: 0,
      articlesRemoved: 0,
      tasksCreated: 0,
      tasksRemoved: 0,
      auditEvents: 0,
    };
    // Buffered and written many rows per statement at the end: an import can log thousands of events.
    const events: AuditEventInput[] = [];
    const log = (event: Omit<AuditEventInput, keyof AuditContext>) => {
      events.push({ ...ctx, ...event });
      result.auditEvents++;
    };
    const agencyIdByName = new Map(
      db
        .select({ id: agencies.id, name: agencies.name })
        .from(agencies)
        .all()
        .map((row) => [row.name, row.id]),
    );

    // Document
    let documentId: number;
    const docAfter = {
      title: plan.document.title,
      contentHash: plan.document.contentHash,
      sourceName: plan.document.sourceName,
    };
    if (plan.document.id === null) {
      documentId = Number(
        stmt.insertDocument.run(docAfter.title, docAfter.contentHash, docAfter.sourceName, ctx.at, ctx.at)
          .lastInsertRowid,
      );
      log({ entity: 'document', entityId: documentId, action: 'imported', after: docAfter });
    } else {
      documentId = plan.document.id;
      const before = db.select().from(documents).where(eq(documents.id, documentId)).get();
      stmt.updateDocument.run(docAfter.title, docAfter.contentHash, docAfter.sourceName, ctx.at, documentId);
      log({
        entity: 'document',
        entityId: documentId,
        action: 'revised',
        before: before && {
          title: before.title,
          contentHash: before.contentHash,
          sourceName: before.sourceName,
        },
        after: docAfter,
      });
    }
    result.documentId = documentId;

    // Parts: matched by number; a part the revised text no longer has keeps its row (articles may point at it).
    const partIdByNo = new Map<number, number>();
    const existingParts = db.select().from(parts).where(eq(parts.documentId, documentId)).all();
    for (const row of existingParts) partIdByNo.set(row.no, row.id);
    for (const part of plan.parts) {
      const existing = existingParts.find((p) => p.no === part.no);
      if (existing === undefined) {
        const id = Number(stmt.insertPart.run(documentId, part.no, part.label, part.title).lastInsertRowid);
        partIdByNo.set(part.no, id);
        log({ entity: 'part', entityId: id, action: 'created', after: { documentId, ...part } });
      } else if (existing.title !== part.title || existing.label !== part.label) {
        stmt.updatePart.run(part.label, part.title, existing.id);
        log({
          entity: 'part',
          entityId: existing.id,
          action: 'updated',
          before: { no: existing.no, label: existing.label, title: existing.title },
          after: part,
        });
      }
    }
    const partId = (no: number): number | null => (no === 0 ? null : (partIdByNo.get(no) ?? null));

    const createTask = (articleId: number, task: PlannedTask) => {
      const agencyId = task.agency === null ? null : (agencyIdByName.get(task.agency) ?? null);
      const id = Number(
        stmt.insertTask.run(
          articleId,
          agencyId,
          task.assignee,
          task.writtenName,
          task.role,
          task.dueDate,
          task.dueKind,
          task.dueEvery,
          task.dueWritten,
          ctx.at,
          ctx.at,
        ).lastInsertRowid,
      );
      result.tasksCreated++;
      log({
        entity: 'task',
        entityId: id,
        action: 'created',
        after: {
          articleId,
          agencyId,
          assignee: task.assignee,
          writtenName: task.writtenName,
          role: task.role,
          dueDate: task.dueDate,
          ...(task.dueKind === null
            ? {}
            : { due: { kind: task.dueKind, every: task.dueEvery, written: task.dueWritten } }),
        },
      });
    };
    const removeTask = (id: number) => {
      const before = stmt.selectTask.get(id) as Record<string, unknown> | undefined;
      if (stmt.removeTask.run(ctx.at, ctx.at, id).changes === 0) return;
      result.tasksRemoved++;
      log({ entity: 'task', entityId: id, action: 'removed', before });
    };

    // Removals first, so that a renumbered article never meets a stale one.
    for (const { id } of plan.removeArticles) {
      const before = stmt.selectArticle.get(id);
      for (const row of stmt.activeTaskIdsOfArticle.all(id) as { id: number }[]) removeTask(row.id);
      stmt.removeArticle.run(ctx.at, id);
      result.articlesRemoved++;
      log({ entity: 'article', entityId: id, action: 'removed', before });
    }
    for (const { id } of plan.removeTasks) removeTask(id);

    for (const update of plan.updateArticles) {
      const before = stmt.selectArticle.get(update.id);
      const a = update.next;
      stmt.updateArticle.run(
        a.ordinal,
        a.label,
        partId(a.partNo),
        a.title,
        a.body,
        a.clause,
        a.noClause ? 1 : 0,
        update.id,
      );
      result.articlesUpdated++;
      log({
        entity: 'article',
        entityId: update.id,
        action: 'updated',
        before,
        after: { ordinal: a.ordinal, label: a.label, title: a.title, clause: a.clause, noClause: a.noClause },
      });
      if (update.indicators !== null) {
        stmt.deleteIndicators.run(update.id);
        insertIndicators(update.id, update.indicators, log);
      }
    }

    for (const a of plan.createArticles) {
      const id = Number(
        stmt.insertArticle.run(
          documentId,
          a.ordinal,
          a.label,
          partId(a.partNo),
          a.title,
          a.body,
          a.clause,
          a.noClause ? 1 : 0,
        ).lastInsertRowid,
      );
      result.articlesCreated++;
      log({
        entity: 'article',
        entityId: id,
        action: 'created',
        after: {
          documentId,
          ordinal: a.ordinal,
          label: a.label,
          title: a.title,
          clause: a.clause,
          noClause: a.noClause,
        },
      });
      insertIndicators(id, a.indicators, log);
      for (const task of a.tasks) createTask(id, task);
    }

    for (const task of plan.createTasks) createTask(task.articleId, task);
    for (const { id, writtenName } of plan.renameTasks) {
      const before = stmt.selectTask.get(id) as { writtenName: string } | undefined;
      stmt.renameTask.run(writtenName, ctx.at, id);
      log({
        entity: 'task',
        entityId: id,
        action: 'updated',
        before: { writtenName: before?.writtenName },
        after: { writtenName },
      });
    }
    audit.appendMany(events);
    return result;
  });

  return {
    /** Runs `fn` in one transaction (a savepoint when already inside one); `fn` must be synchronous. */
    transaction<T>(fn: () => T): T {
      return sqlite.transaction(fn)();
    },

    findDocumentByHash(contentHash: string): DocumentView | null {
      return db.select().from(documents).where(eq(documents.contentHash, contentHash)).get() ?? null;
    },

    /** The most recently imported document with this title. */
    findDocumentByTitle(title: string): DocumentView | null {
      return (
        db.select().from(documents).where(eq(documents.title, title)).orderBy(desc(documents.id)).get() ??
        null
      );
    },

    getDocument(id: number): DocumentView | null {
      return db.select().from(documents).where(eq(documents.id, id)).get() ?? null;
    },

    listDocuments(): DocumentView[] {
      return db.select().from(documents).orderBy(asc(documents.id)).all();
    },

    loadDocumentSnapshot(documentId: number): DocumentSnapshot | null {
      const document = db.select().from(documents).where(eq(documents.id, documentId)).get();
      if (document === undefined) return null;
      const partRows = db
        .select()
        .from(parts)
        .where(eq(parts.documentId, documentId))
        .orderBy(asc(parts.no))
        .all();
      const partNoById = new Map(partRows.map((p) => [p.id, p.no]));
      const articleRows = db
        .select()
        .from(articles)
        .where(and(eq(articles.documentId, documentId), isNull(articles.removedAt)))
        .orderBy(asc(articles.ordinal), asc(articles.id))
        .all();
      const indicatorRows = db
        .select({ indicator: indicators })
        .from(indicators)
        .innerJoin(articles, eq(articles.id, indicators.articleId))
        .where(and(eq(articles.documentId, documentId), isNull(articles.removedAt)))
        .orderBy(asc(indicators.articleId), asc(indicators.ordinal))
        .all();
      const indicatorsByArticle = new Map<number, IndicatorData[]>();
      for (const { indicator: i } of indicatorRows) {
        const list = indicatorsByArticle.get(i.articleId) ?? [];
        list.push({
          metric: i.metric,
          comparator: i.comparator,
          value: i.value,
          unit: i.unit,
          deadlineYear: i.deadlineYear,
          startYear: i.startYear,
          perYear: i.perYear,
          source: i.source,
        });
        indicatorsByArticle.set(i.articleId, list);
      }
      const taskRows = db
        .select({ task: tasks })
        .from(tasks)
        .innerJoin(articles, eq(articles.id, tasks.articleId))
        .where(and(eq(articles.documentId, documentId), isNull(articles.removedAt), isNull(tasks.removedAt)))
        .orderBy(asc(tasks.id))
        .all();
      return {
        document,
        parts: partRows.map((p) => ({ id: p.id, no: p.no, label: p.label, title: p.title })),
        articles: articleRows.map((a) => ({
          id: a.id,
          ordinal: a.ordinal,
          label: a.label,
          partNo: a.partId === null ? 0 : (partNoById.get(a.partId) ?? 0),
          title: a.title,
          body: a.body,
          clause: a.clause,
          noClause: a.noClause,
          indicators: indicatorsByArticle.get(a.id) ?? [],
        })),
        tasks: taskRows.map(({ task: t }) => ({
          id: t.id,
          articleId: t.articleId,
          agencyId: t.agencyId,
          assignee: t.assignee,
          writtenName: t.writtenName,
          role: t.role,
          status: t.status,
          percent: t.percent,
          blocked: t.blocked,
          dueDate: t.dueDate,
        })),
      };
    },

    /** Applies an import plan in one transaction; every change is an audit event. */
    applyImportPlan(input: { plan: ImportPlan } & AuditContext): ImportPlanResult {
      const { plan, ...ctx } = input;
      return applyPlan(plan, ctx);
    },
  };
}

export type DocumentRepository = ReturnType<typeof createDocumentRepository>;
