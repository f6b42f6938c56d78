/** Leaders' instructions (批示): a reply in the digest's thread, confirmed or rejected by a coordinator once. */
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { INSTRUCTION_STATUSES } from '../../core/vocabulary.js';
import { articles } from './ledger.js';

export const instructions = sqliteTable(
  'instructions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    text: text('text').notNull(),
    leaderOpenId: text('leader_open_id').notNull(),
    /** The leaders' group and the reply's message: the thread the leader is answered in. */
    chatId: text('chat_id').notNull(),
    messageId: text('message_id').notNull(),
    /** Canonical names of the agencies the reply named, in order (the first leads), as JSON. */
    agencies: text('agencies', { mode: 'json' }).$type<string[]>().notNull(),
    /** The article number the reply named, if any. */
    articleNo: integer('article_no'),
    /** The due date read from the reply (YYYY-MM-DD), if any. */
    dueDate: text('due_date'),
    status: text('status', { enum: INSTRUCTION_STATUSES }).notNull().default('pending'),
    createdAt: text('created_at').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    /** The coordinator's reason for a rejection. */
    decisionNote: text('decision_note'),
    /** The article the confirmed instruction's tasks were created under. */
    articleId: integer('article_id').references(() => articles.id),
  },
  // One instruction per leader's message: Lark's retries and a re-read never record two.
  (t) => [uniqueIndex('instructions_message_uq').on(t.messageId)],
);

export type InstructionRow = typeof instructions.$inferSelect;
