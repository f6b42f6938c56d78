import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createTaskRepository, type TaskRepository } from '../../../src/store/task-repository.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { loadRegistry, memoryDb, smallDecision } from './ledger-fixtures.js';

let db: DubanDatabase;
let tasks: TaskRepository;
beforeEach(() => {
  db = memoryDb();
  applyImport({
    db,
    text: smallDecision,
    sourceName: 'small.txt',
    registry: loadRegistry(),
    now: new Date('2026-03-02T01:30:00Z'),
    actor: 'cli',
    channel: 'cli',
  });
  tasks = createTaskRepository({ db });
});
afterEach(() => closeDatabase(db));

describe('tasks', () => {
  it('lists tasks with their article and agency, by article, then role, then id', () => {
    const all = tasks.listTasks();
    expect(all.map((t) => t.articleNo)).toEqual([...all.map((t) => t.articleNo)].sort((a, b) => a - b));
    expect(all.find((t) => t.agency === '市科技局')).toMatchObject({
      articleNo: 1,
      articleTitle: '加强测试工作',
      role: 'lead',
      status: 'not_started',
      percent: 0,
      blocked: false,
      removedAt: null,
    });
  });

  it('filters by agency, article, document and unassigned', () => {
    // Article 3's 各有关单位 stands for every agency, so 市发改委 has a task there too.
    expect(tasks.listTasks({ agency: '市发改委' }).map((t) => t.articleNo)).toEqual([2, 3]);
    expect(tasks.listTasks({ articleNo: 1 }).map((t) => t.agency)).toEqual(['市科技局', '市财政局', null]);
    const fagaiwei = tasks.listTasks({ agency: '市发改委' })[0]!.agencyId as number;
    expect(tasks.listTasks({ agencyId: fagaiwei })).toEqual(tasks.listTasks({ agency: '市发改委' }));
    expect(tasks.listTasks({ unassignedOnly: true }).map((t) => t.writtenName)).toEqual(['市未知局']);
    const documentId = tasks.listTasks()[0]?.documentId as number;
    expect(tasks.listTasks({ documentId })).toHaveLength(tasks.listTasks().length);
    expect(tasks.listTasks({ documentId: documentId + 1 })).toEqual([]);
  });

  it('finds one task by id, and nothing for an id it does not hold', () => {
    const first = tasks.listTasks()[0]!;
    expect(tasks.findTask(first.id)).toEqual(first);
    expect(tasks.findTask(99999)).toBeNull();
  });

  it('leaves removed tasks out unless asked for them', () => {
    const first = tasks.listTasks()[0]!;
    db.$client.prepare('UPDATE tasks SET removed_at = ? WHERE id = ?').run('2026-03-09T00:00:00Z', first.id);
    expect(tasks.listTasks().map((t) => t.id)).not.toContain(first.id);
    expect(tasks.listTasks({ includeRemoved: true }).map((t) => t.id)).toContain(first.id);
    expect(tasks.findTask(first.id)?.removedAt).toBe('2026-03-09T00:00:00Z');
  });
  it("reads an article's live participants for the lead's roll-up, and leaves leads and removed tasks out", () => {
    const article1 = tasks.listTasks({ articleNo: 1 });
    const articleId = article1[0]!.articleId;
    const rows = tasks.participantsOf([articleId]);
    expect(rows.map((r) => [r.agency, r.role])).toEqual(
      article1
        .filter((t) => t.role === 'participant')
        .sort((a, b) => a.id - b.id)
        .map((t) => [t.agency, 'participant']),
    );
    expect(rows.find((r) => r.agency === '市财政局')).toMatchObject({
      status: 'not_started',
      percent: 0,
      blocked: false,
      lastReportAt: null,
      removedAt: null,
    });
    const finance = article1.find((t) => t.agency === '市财政局')!;
    db.$client
      .prepare('UPDATE tasks SET removed_at = ? WHERE id = ?')
      .run('2026-03-09T00:00:00Z', finance.id);
    expect(tasks.participantsOf([articleId]).map((r) => r.agency)).not.toContain('市财政局');
    expect(tasks.participantsOf([])).toEqual([]);
  });
});
