/** What officials report, one row per report: the task row holds the latest, this holds the history. */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tasks } from './ledger.js';

export const progressUpdates = sqliteTable(
  'progress_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    /** 'card', 'thread', 'command', … */
    channel: text('channel').notNull(),
    status: text('status').notNull(),
    percent: integer('percent').notNull(),
    blocked: integer('blocked', { mode: 'boolean' }).notNull().default(false),
    note: text('note').notNull().default(''),
    evidenceUrl: text('evidence_url'),
    /** True for the one-tap "no change this cycle". */
    noChange: integer('no_change', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('progress_updates_task_idx').on(t.taskId, t.at)],
);

export type ProgressUpdateRow = typeof progressUpdates.$inferSelect;
