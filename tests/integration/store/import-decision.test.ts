import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgencyRegistry } from '../../../src/core/policy/registry.js';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import { createAuditRepository } from '../../../src/store/audit-repository.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { tasks } from '../../../src/store/schema/index.js';
import { createTaskRepository } from '../../../src/store/task-repository.js';
import { applyImport, contentHashOf, previewImport } from '../../../src/usecases/import-decision.js';
import { defaultDecision, loadRegistry, memoryDb, rowCounts, smallDecision } from './ledger-fixtures.js';

const now = new Date('2026-03-02T01:30:00Z');
let db: DubanDatabase;
let registry: AgencyRegistry;

beforeEach(() => {
  db = memoryDb();
  registry = loadRegistry();
});
afterEach(() => closeDatabase(db));

function importText(text: string, extra: { defaultDueDays?: number; at?: Date } = {}) {
  return applyImport({
    db,
    text,
    sourceName: 'test.txt',
    registry,
    now: extra.at ?? now,
    actor: 'cli',
    channel: 'cli',
    ...(extra.defaultDueDays === undefined ? {} : { defaultDueDays: extra.defaultDueDays }),
  });
}

/** Replaces exactly one occurrence, so a fixture edit cannot silently miss. */
function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const matches =
    typeof from === 'string'
      ? text.split(from).length - 1
      : (text.match(new RegExp(from, 'gu'))?.length ?? 0);
  if (matches !== 1) throw new Error(`expected one match of ${String(from)}, found ${matches}`);
  return text.replace(from, to);
}

describe('importing the default decision', () => {
  it('previews the import without writing anything', () => {
    const before = rowCounts(db);
    const preview = previewImport({ db, text: defaultDecision, sourceName: 'default', registry, now });
    expect(rowCounts(db)).toEqual(before);
    expect(preview.status).toBe('new');
    expect(preview.parts).toHaveLength(8);
    expect(preview.articles).toHaveLength(36);
    expect(preview.noClauseArticles).toEqual([1, 2, 3]);
    expect(preview.unknownNames).toEqual([]);
    expect(preview.indicators.map((i) => i.article)).toEqual(expect.arrayContaining([3, 13]));
    expect(preview.diff).toBeNull();
  });

  it('reports deadlines already past at import without giving any task a due date', () => {
    const result = importText(defaultDecision);
    expect(result.preview.pastDeadlines.length).toBeGreaterThan(0);
    expect(result.preview.pastDeadlines.every((d) => d.deadlineYear < 2026)).toBe(true);
    expect(result.preview.pastDeadlines.map((d) => d.article)).toContain(3);
    expect(
      createTaskRepository({ db })
        .listTasks()
        .every((t) => t.dueDate === null),
    ).toBe(true);
  });

  it('does not report a deadline that is still ahead', () => {
    const preview = previewImport({
      db,
      text: defaultDecision,
      sourceName: 'x',
      registry,
      now: new Date('2009-12-01'),
    });
    expect(preview.pastDeadlines).toEqual([]);
  });

  it('creates one lead task for 市发改委 and five participant tasks on article 4', () => {
    importText(defaultDecision);
    const article4 = createTaskRepository({ db }).listTasks({ articleNo: 4 });
    expect(article4.map((t) => [t.role, t.agency])).toEqual([
      ['lead', '市发改委'],
      ['participant', '市科技局'],
      ['participant', '市经贸委'],
      ['participant', '市信息办'],
      ['participant', '市知识产权局'],
      ['participant', '市质监局'],
    ]);
    expect(article4.every((t) => t.status === 'not_started' && t.percent === 0)).toBe(true);
  });

  it('expands the collective lead of article 36 to every agency of the registry', () => {
    importText(defaultDecision);
    const article36 = createTaskRepository({ db }).listTasks({ articleNo: 36 });
    const everyAgency = registry
      .all()
      .filter((d) => d.kind !== 'collective')
      .map((d) => d.name);
    expect(article36.every((t) => t.role === 'lead' && t.writtenName === '各有关单位')).toBe(true);
    expect(article36.map((t) => t.agency)).toEqual(everyAgency);
  });

  it('flags articles 1–3 as guidance with no tasks', () => {
    importText(defaultDecision);
    const rows = db.$client
      .prepare('SELECT ordinal FROM articles WHERE no_clause = 1 ORDER BY ordinal')
      .pluck()
      .all();
    expect(rows).toEqual([1, 2, 3]);
    const tasks = createTaskRepository({ db });
    for (const no of [1, 2, 3]) expect(tasks.listTasks({ articleNo: no })).toEqual([]);
  });

  it('syncs the registry into the agencies table with their aliases', () => {
    const result = importText(defaultDecision);
    const stored = createAgencyRepository({ db }).listAgencies();
    expect(stored.map((a) => a.name)).toEqual(registry.all().map((d) => d.name));
    expect(result.changes.agenciesAdded).toBe(registry.all().length);
    expect(createAgencyRepository({ db }).findAgency('广州市科学技术局')?.name).toBe('市科技局');
  });

  it('writes an audit event for every document, article and task it creates', () => {
    const result = importText(defaultDecision);
    const audit = createAuditRepository({ db });
    expect(audit.list({ entity: 'task', action: 'created' })).toHaveLength(result.changes.tasksCreated);
    expect(audit.list({ entity: 'article', action: 'created' })).toHaveLength(36);
    const [documentEvent] = audit.list({ entity: 'document' });
    expect(documentEvent).toMatchObject({
      actor: 'cli',
      channel: 'cli',
      action: 'imported',
      at: now.toISOString(),
    });
  });
});

describe('re-importing', () => {
  it('imports the same text twice without changing anything', () => {
    importText(defaultDecision);
    const before = rowCounts(db);
    const again = importText(defaultDecision, { at: new Date('2026-04-01T00:00:00Z') });
    expect(again.applied).toBe(false);
    expect(again.preview.status).toBe('unchanged');
    expect(again.preview.tasks).toEqual([]);
    expect(rowCounts(db)).toEqual(before);
  });

  it('treats the same text with Windows line endings and trailing spaces as the same text', () => {
    importText(defaultDecision);
    const before = rowCounts(db);
    expect(contentHashOf(defaultDecision.replace(/\n/gu, '  \r\n'))).toBe(contentHashOf(defaultDecision));
    expect(importText(defaultDecision.replace(/\n/gu, '\r\n')).applied).toBe(false);
    expect(rowCounts(db)).toEqual(before);
  });
});

describe('a revised text', () => {
  // Article 6: drop 市财政局, add 市信息办. Article 10 removed. A new article added at the end of part 8.
  function revise(text: string): string {
    let revised = replaceOnce(
      text,
      '(本部分工作由市科技局牵头,市经贸委、市财政局等部门参与)',
      '(本部分工作由市科技局牵头,市经贸委、市信息办等部门参与)',
    );
    revised = replaceOnce(revised, /\n[ \t]*10\.做大做强高新技术企业[^\n]*\n/u, '\n');
    revised = `${revised.trimEnd()}\n\n  37.建立年度评估制度。每年对本决定的落实情况进行评估。(本部分工作由市发改委牵头,市统计局参与)\n`;
    return revised;
  }

  it('reports the articles added, removed and changed and the agencies per article', () => {
    importText(defaultDecision);
    const revised = revise(defaultDecision);
    const preview = previewImport({ db, text: revised, sourceName: 'v2', registry, now });
    expect(preview.status).toBe('revision');
    const diff = preview.diff!;
    expect(diff.articlesRemoved).toEqual([{ no: 10, title: '做大做强高新技术企业' }]);
    expect(diff.articlesAdded).toEqual([{ no: 36, title: '建立年度评估制度' }]);
    expect(diff.articlesChanged).toEqual([
      { no: 6, previousNo: 6, title: '全面支持企业加强创新能力建设', changes: ['clause'] },
    ]);
    expect(diff.articlesRenumbered).toHaveLength(26);
    const article6 = diff.agencies.find((a) => a.article === 6);
    expect(article6).toEqual({
      article: 6,
      title: '全面支持企业加强创新能力建设',
      added: [{ assignee: '市信息办', role: 'participant' }],
      dropped: [{ assignee: '市财政局', role: 'participant' }],
    });
    // The new article's tasks plus the participant added on article 6.
    expect(preview.tasks.map((t) => `${t.article}:${t.role}:${t.assignee}`)).toEqual([
      '6:participant:市信息办',
      '36:lead:市发改委',
      expect.stringMatching(/^36:participant:/u),
    ]);
  });

  it('applies the diff and keeps the progress recorded on unchanged tasks', () => {
    importText(defaultDecision);
    const taskRepo = createTaskRepository({ db });
    const lead4 = taskRepo.listTasks({ articleNo: 4 })[0]!;
    db.update(tasks).set({ status: 'in_progress', percent: 60 }).where(eq(tasks.id, lead4.id)).run();
    const lead6 = taskRepo.listTasks({ articleNo: 6 }).find((t) => t.role === 'lead')!;
    db.update(tasks).set({ status: 'reported_done', percent: 100 }).where(eq(tasks.id, lead6.id)).run();
    const removedArticleTasks = taskRepo.listTasks({ articleNo: 10 }).map((t) => t.id);

    const result = importText(revise(defaultDecision), { at: new Date('2026-03-09T01:30:00Z') });
    expect(result.applied).toBe(true);
    expect(result.documentId).toBe(1);
    expect(result.changes).toMatchObject({ articlesCreated: 1, articlesRemoved: 1 });

    const after4 = taskRepo.listTasks({ articleNo: 4 })[0]!;
    expect(after4).toMatchObject({ id: lead4.id, status: 'in_progress', percent: 60 });
    const after6 = taskRepo.listTasks({ articleNo: 6 });
    expect(after6.find((t) => t.role === 'lead')).toMatchObject({
      id: lead6.id,
      status: 'reported_done',
      percent: 100,
    });
    expect(after6.map((t) => t.agency)).toEqual(['市科技局', '市经贸委', '市信息办']);

    // Dropped taskRepo are closed, not deleted, and the audit log says so.
    const audit = createAuditRepository({ db });
    const removed = audit.list({ entity: 'task', action: 'removed' }).map((e) => Number(e.entityId));
    expect(removed).toEqual(expect.arrayContaining(removedArticleTasks));
    expect(removed).toHaveLength(removedArticleTasks.length + 1);
    const stillStored = taskRepo.listTasks({ includeRemoved: true }).filter((t) => t.removedAt !== null);
    expect(stillStored.map((t) => t.id).sort()).toEqual([...removed].sort());
    expect(audit.list({ entity: 'article', action: 'removed' })).toHaveLength(1);
    expect(audit.list({ entity: 'document', action: 'revised' })[0]?.before).toMatchObject({
      contentHash: contentHashOf(defaultDecision),
    });

    // Article numbers follow the new text.
    expect(taskRepo.listTasks({ articleNo: 10 })[0]?.articleTitle).toBe('鼓励和支持引进消化吸收再创新');
    expect(taskRepo.listTasks().filter((t) => t.removedAt !== null)).toEqual([]);
  });

  it('changes nothing when the revised text is imported a second time', () => {
    importText(defaultDecision);
    importText(revise(defaultDecision));
    const before = rowCounts(db);
    expect(importText(revise(defaultDecision)).applied).toBe(false);
    expect(rowCounts(db)).toEqual(before);
  });

  it('recognises an article whose title was edited after an earlier article was removed', () => {
    importText(defaultDecision);
    let revised = replaceOnce(defaultDecision, /\n[ \t]*10\.做大做强高新技术企业[^\n]*\n/u, '\n');
    revised = replaceOnce(revised, '20.积极引进各类创新人才。', '20.积极引进各类高层次创新人才。');
    const diff = previewImport({ db, text: revised, sourceName: 'v2', registry, now }).diff!;
    expect(diff.articlesRemoved.map((a) => a.no)).toEqual([10]);
    expect(diff.articlesAdded).toEqual([]);
    expect(diff.articlesChanged).toEqual([
      { no: 19, previousNo: 20, title: '积极引进各类高层次创新人才', changes: ['title'] },
    ]);
    expect(diff.agencies).toEqual([]);
  });

  it('revises a document named explicitly even when its title changed', () => {
    importText(smallDecision);
    const retitled = smallDecision.replace('关于加强测试工作的决定', '关于进一步加强测试工作的决定');
    const preview = previewImport({ db, text: retitled, sourceName: 'v2', registry, now, documentId: 1 });
    expect(preview.status).toBe('revision');
    expect(preview.diff?.articlesChanged).toEqual([]);
    const other = previewImport({ db, text: retitled, sourceName: 'v2', registry, now });
    expect(other.status).toBe('new');
  });
});

describe('unknown and collective names', () => {
  it('keeps a body the registry does not know visible as an unassigned task', () => {
    const result = importText(smallDecision);
    expect(result.preview.unknownNames).toEqual([{ article: 1, text: '市未知局', role: 'participant' }]);
    const tasks = createTaskRepository({ db });
    const agencies = createAgencyRepository({ db });
    const unassigned = tasks.listTasks({ unassignedOnly: true });
    expect(unassigned).toHaveLength(1);
    expect(unassigned[0]).toMatchObject({ agency: null, agencyId: null, assignee: '市未知局', articleNo: 1 });
    expect(agencies.findAgency('市未知局')).toBeNull();
    expect(agencies.listAgencies().map((a) => a.name)).not.toContain('市未知局');
  });

  it('gives new tasks a due date from the configured horizon in Shanghai time', () => {
    // 2026-03-02T20:00Z is already 3 March in Shanghai.
    importText(smallDecision, { defaultDueDays: 30, at: new Date('2026-03-02T20:00:00Z') });
    const dueDates = new Set(
      createTaskRepository({ db })
        .listTasks()
        .map((t) => t.dueDate),
    );
    expect([...dueDates]).toEqual(['2026-04-02']);
  });

  it('does not make a participant task for an agency that already leads the article', () => {
    importText(defaultDecision);
    // Article 35: 市委办公厅、市府办公厅牵头, 市各有关部门参与 — the leads are city departments too.
    const article35 = createTaskRepository({ db }).listTasks({ articleNo: 35 });
    const leads = article35.filter((t) => t.role === 'lead').map((t) => t.agency);
    const participants = article35.filter((t) => t.role === 'participant').map((t) => t.agency);
    expect(leads).toEqual(['市委办公厅', '市政府办公厅']);
    const departments = registry
      .all()
      .filter((d) => d.kind === 'department')
      .map((d) => d.name);
    expect(departments).toEqual(expect.arrayContaining(leads));
    expect(participants).toEqual(departments.filter((name) => !leads.includes(name)));
  });
});

describe('agency sync', () => {
  it('keeps a chat bound through the bot when the registry is synced again', () => {
    importText(smallDecision);
    const agencies = createAgencyRepository({ db });
    const ctx = { at: now.toISOString(), actor: 'ou_coordinator', channel: 'chat' as const };
    agencies.bindAgencyChat({
      agencyId: agencies.requireAgency('市科技局').id,
      chatId: 'oc_science',
      ...ctx,
    });
    const definitions = registry
      .all()
      .map((d) => (d.name === '市科技局' ? { ...d, chatId: 'oc_from_config' } : d));
    const auditBefore = createAuditRepository({ db }).count();
    const result = agencies.syncAgencies({ definitions, ...ctx });
    expect(result).toEqual({ added: [], updated: [], deactivated: [] });
    expect(createAuditRepository({ db }).count()).toBe(auditBefore);
    expect(agencies.findAgency('市科技局')?.chatId).toBe('oc_science');
    expect(agencies.findAgencyByChat('oc_science')?.name).toBe('市科技局');
  });

  it('deactivates an agency the registry no longer lists, without deleting it', () => {
    importText(smallDecision);
    const agencies = createAgencyRepository({ db });
    const definitions = registry.all().filter((d) => d.name !== '市质监局');
    const result = agencies.syncAgencies({
      definitions,
      at: now.toISOString(),
      actor: 'system',
      channel: 'system',
    });
    expect(result.deactivated).toEqual(['市质监局']);
    expect(agencies.listAgencies().map((a) => a.name)).not.toContain('市质监局');
    expect(agencies.listAgencies({ includeInactive: true }).map((a) => a.name)).toContain('市质监局');
  });
});

describe('deadlines written in the decision', () => {
  const table = [
    '2026年重点工作任务分工方案',
    '分类\t序号\t工作任务\t责任单位\t牵头单位\t完成时限',
    '稳增长\t1\t推进科技金融结合。\t市科技局、市金融办\t市科技局\t2026年12月底前',
    '\t2\t按季度报送投资进度。\t市发改委\t市发改委\t每季度',
    '惠民生\t3\t持续优化营商环境。\t市工商局、市财政局\t市工商局\t长期坚持',
  ].join('\n');

  it("gives each task its article's deadline: a date, a recurring report, or ongoing work, as written", () => {
    importText(table, { defaultDueDays: 30 });
    const due = createTaskRepository({ db })
      .listTasks()
      .map((t) => [t.articleNo, t.agency, t.dueDate, t.dueKind, t.dueEvery, t.dueWritten]);
    expect(due).toEqual([
      [1, '市科技局', '2026-12-31', 'date', null, '2026年12月底前'],
      [1, '市金融办', '2026-12-31', 'date', null, '2026年12月底前'],
      [2, '市发改委', null, 'recurring', 'quarter', '每季度'],
      [3, '市工商局', null, 'ongoing', null, '长期坚持'],
      [3, '市财政局', null, 'ongoing', null, '长期坚持'],
    ]);
  });

  it('falls back to the --due-days horizon only where the decision names no deadline', () => {
    importText(smallDecision, { defaultDueDays: 30 });
    const dates = new Set(
      createTaskRepository({ db })
        .listTasks()
        .map((t) => [t.dueDate, t.dueKind].join('|')),
    );
    expect(dates).toEqual(new Set(['2026-04-01|']));
  });
});
