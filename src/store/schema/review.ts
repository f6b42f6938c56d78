/** Extension requests: an agency asks for a later due date, the coordinators approve or reject it once. */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { EXTENSION_STATUSES } from '../../core/vocabulary.js';
import { tasks } from './ledger.js';

export const extensionRequests = sqliteTable(
  'extension_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id),
    /** The due date when the request was made (null: the task had none). */
    previousDue: text('previous_due'),
    /** The requested due date, YYYY-MM-DD. */
    requestedDue: text('requested_due').notNull(),
    reason: text('reason').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: text('requested_at').notNull(),
    status: text('status', { enum: EXTENSION_STATUSES }).notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    /** Why it was rejected (or a note on the approval). */
    decisionNote: text('decision_note'),
  },
  (t) => [index('extension_requests_task_idx').on(t.taskId, t.status)],
);

export type ExtensionRequestRow = typeof extensionRequests.$inferSelect;
