import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import { createAuditRepository } from '../../../src/store/audit-repository.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import {
  createDocumentRepository,
  type DocumentRepository,
  type ImportPlan,
} from '../../../src/store/document-repository.js';
import { createTaskRepository } from '../../../src/store/task-repository.js';
import { memoryDb } from './ledger-fixtures.js';

const ctx = { at: '2026-03-02T01:30:00.000Z', actor: 'cli', channel: 'cli' as const };
const later = { ...ctx, at: '2026-03-09T01:30:00.000Z' };

const article = (ordinal: number, title: string) => ({
  ordinal,
  label: `${ordinal}.`,
  partNo: 1,
  title,
  body: `${title}。`,
  clause: '(市科技局牵头)',
  noClause: false,
});

const task = (agency: string | null, writtenName = agency ?? '市未知局') => ({
  assignee: agency ?? writtenName,
  agency,
  writtenName,
  role: 'lead' as const,
  dueDate: null,
  dueKind: null,
  dueEvery: null,
  dueWritten: null,
});

function firstImport(): ImportPlan {
  return {
    document: { id: null, title: '关于测试的决定', contentHash: 'hash-1', sourceName: 'a.txt' },
    parts: [{ no: 1, label: '一、', title: '总体要求' }],
    createArticles: [
      {
        ...article(1, '加强测试'),
        indicators: [
          {
            metric: '覆盖率',
            comparator: '>=',
            value: 90,
            unit: '%',
            deadlineYear: 2030,
            startYear: null,
            perYear: false,
            source: '到2030年,覆盖率达到90%',
          },
        ],
        tasks: [task('市科技局')],
      },
      { ...article(2, '完善体系'), indicators: [], tasks: [task(null, '市未知局')] },
    ],
    updateArticles: [],
    removeArticles: [],
    createTasks: [],
    removeTasks: [],
    renameTasks: [],
  };
}

let db: DubanDatabase;
let documents: DocumentRepository;
beforeEach(() => {
  db = memoryDb();
  createAgencyRepository({ db }).syncAgencies({
    definitions: [{ name: '市科技局', aliases: [], kind: 'department' }],
    ...ctx,
  });
  documents = createDocumentRepository({ db });
});
afterEach(() => closeDatabase(db));

describe('documents', () => {
  it('applies a first import: document, parts, articles, indicators and tasks, each change audited', () => {
    const result = documents.applyImportPlan({ plan: firstImport(), ...ctx });
    expect(result).toMatchObject({ articlesCreated: 2, tasksCreated: 2, articlesRemoved: 0 });
    expect(result.auditEvents).toBe(createAuditRepository({ db }).count() - 1);

    const doc = documents.getDocument(result.documentId);
    expect(doc).toMatchObject({ title: '关于测试的决定', contentHash: 'hash-1', importedAt: ctx.at });
    expect(documents.findDocumentByHash('hash-1')?.id).toBe(result.documentId);
    expect(documents.findDocumentByTitle('关于测试的决定')?.id).toBe(result.documentId);
    expect(documents.findDocumentByHash('nope')).toBeNull();
    expect(documents.listDocuments()).toHaveLength(1);

    const snapshot = documents.loadDocumentSnapshot(result.documentId);
    expect(snapshot?.parts).toMatchObject([{ no: 1, title: '总体要求' }]);
    expect(snapshot?.articles.map((a) => [a.ordinal, a.title, a.partNo])).toEqual([
      [1, '加强测试', 1],
      [2, '完善体系', 1],
    ]);
    expect(snapshot?.articles[0]?.indicators).toMatchObject([
      { metric: '覆盖率', value: 90, perYear: false },
    ]);
    // An unknown body keeps its task, unassigned.
    expect(snapshot?.tasks.map((t) => [t.assignee, t.agencyId === null])).toEqual([
      ['市科技局', false],
      ['市未知局', true],
    ]);
  });

  it('applies a revision: an article removed with its tasks, one renumbered, a task renamed', () => {
    const { documentId } = documents.applyImportPlan({ plan: firstImport(), ...ctx });
    const before = documents.loadDocumentSnapshot(documentId)!;
    const a1 = before.articles[0]!;
    const a2 = before.articles[1]!;
    const kept = before.tasks.find((t) => t.articleId === a2.id)!;
    const result = documents.applyImportPlan({
      plan: {
        document: { id: documentId, title: '关于测试的决定', contentHash: 'hash-2', sourceName: 'b.txt' },
        parts: [{ no: 1, label: '一、', title: '总体要求' }],
        createArticles: [],
        updateArticles: [{ id: a2.id, next: article(1, '完善体系'), indicators: null }],
        removeArticles: [{ id: a1.id }],
        createTasks: [],
        removeTasks: [],
        renameTasks: [{ id: kept.id, writtenName: '市未知局（新）' }],
      },
      ...later,
    });
    expect(result).toMatchObject({
      articlesRemoved: 1,
      articlesUpdated: 1,
      tasksRemoved: 1,
      tasksCreated: 0,
    });
    expect(documents.getDocument(documentId)).toMatchObject({ contentHash: 'hash-2', revisedAt: later.at });

    const after = documents.loadDocumentSnapshot(documentId)!;
    expect(after.articles.map((a) => [a.id, a.ordinal])).toEqual([[a2.id, 1]]);
    expect(after.tasks.map((t) => [t.id, t.writtenName])).toEqual([[kept.id, '市未知局（新）']]);
    // Nothing is deleted: the removed task is still there, marked.
    const removed = createTaskRepository({ db })
      .listTasks({ includeRemoved: true })
      .filter((t) => t.removedAt !== null);
    expect(removed.map((t) => t.removedAt)).toEqual([later.at]);
  });

  it('writes nothing at all when a plan fails half-way', () => {
    const plan = firstImport();
    plan.createTasks = [{ ...task('市科技局'), articleId: 9999 }];
    const counts = () => db.$client.prepare('SELECT count(*) FROM articles').pluck().get();
    expect(() => documents.applyImportPlan({ plan, ...ctx })).toThrow(/FOREIGN KEY/);
    expect(counts()).toBe(0);
    expect(documents.listDocuments()).toEqual([]);
  });

  it('has no snapshot for a document it does not hold', () => {
    expect(documents.loadDocumentSnapshot(42)).toBeNull();
    expect(documents.getDocument(42)).toBeNull();
  });
});
