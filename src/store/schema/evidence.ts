/** Files officials post in a prompt's thread, attached to a task as evidence (佐证材料). */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { tasks } from './ledger.js';

export const evidenceFiles = sqliteTable(
  'evidence_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id),
    /** 'file' or 'image': Lark's message type, which says which download API the key belongs to. */
    kind: text('kind').notNull(),
    /** Lark's file_key or image_key. */
    fileKey: text('file_key').notNull(),
    fileName: text('file_name').notNull().default(''),
    /** The Lark message that carried the file: one attachment per message, however often it arrives. */
    messageId: text('message_id').notNull(),
    actor: text('actor').notNull(),
    at: text('at').notNull(),
  },
  (t) => [
    uniqueIndex('evidence_files_message_uq').on(t.messageId),
    index('evidence_files_task_idx').on(t.taskId, t.at),
  ],
);

export type EvidenceFileRow = typeof evidenceFiles.$inferSelect;
