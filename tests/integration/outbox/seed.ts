import type { DubanDatabase } from '../../../src/store/database.js';

export interface SeededAgency {
  id: number;
  name: string;
  chatId: string;
}

/**
 * A ledger of `count` agencies, each bound to its chat and holding `tasksPerAgency` open tasks, written
 * with plain SQL so the fan-out tests do not depend on the importer. `chatIdFor` maps an agency name
 * to its chat (the emulator derives chat ids from names).
 */
export function seedFanoutLedger(input: {
  db: DubanDatabase;
  count: number;
  tasksPerAgency: number;
  chatIdFor: (name: string) => string;
  coordinatorsChatId?: string;
  /** Agency names are the prefix and a number: 测试单位001, … */
  namePrefix?: string;
}): SeededAgency[] {
  const prefix = input.namePrefix ?? '测试单位';
  const sqlite = input.db.$client;
  const at = '2026-11-01T00:00:00.000Z';
  const seeded: SeededAgency[] = [];
  sqlite.transaction(() => {
    const doc = sqlite
      .prepare(
        `INSERT INTO documents (title, content_hash, source_name, imported_at, revised_at) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(
        '关于加快推进自主创新的决定',
        `hash-${prefix}-${input.count}-${input.tasksPerAgency}`,
        'seed',
        at,
        at,
      );
    const documentId = Number(doc.lastInsertRowid);
    const articleIds: number[] = [];
    for (let n = 1; n <= input.tasksPerAgency; n += 1) {
      const article = sqlite
        .prepare(`INSERT INTO articles (document_id, ordinal, label, title, body) VALUES (?, ?, ?, ?, ?)`)
        .run(documentId, n, `${n}`, `第${n}项重点工作：加快建设创新平台`, '正文');
      articleIds.push(Number(article.lastInsertRowid));
    }
    for (let i = 0; i < input.count; i += 1) {
      const name = `${prefix}${String(i + 1).padStart(3, '0')}`;
      const chatId = input.chatIdFor(name);
      const agency = sqlite
        .prepare(`INSERT INTO agencies (name, kind, chat_id) VALUES (?, 'department', ?)`)
        .run(name, chatId);
      const agencyId = Number(agency.lastInsertRowid);
      seeded.push({ id: agencyId, name, chatId });
      articleIds.forEach((articleId, k) => {
        sqlite
          .prepare(
            `INSERT INTO tasks (article_id, agency_id, assignee, written_name, role, status, percent, due_date, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, 'in_progress', ?, '2026-12-31', ?, ?)`,
          )
          .run(
            articleId,
            agencyId,
            name,
            name,
            k === 0 ? 'lead' : 'participant',
            (i * 7 + k * 13) % 90,
            at,
            at,
          );
      });
    }
    if (input.coordinatorsChatId !== undefined) {
      sqlite
        .prepare(`INSERT INTO special_chats (role, chat_id, bound_at) VALUES ('coordinators', ?, ?)`)
        .run(input.coordinatorsChatId, at);
    }
  })();
  return seeded;
}
