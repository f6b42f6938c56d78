/**
 * The scheduler's state: which job runs happened (so a missed run is caught up once and a restart
 * repeats nothing), where each task stands on the escalation ladder, the tasks that reached the
 * leaders' digest, and global settings such as `/pause all`.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ESCALATION_STEPS } from '../../core/cycles/escalation.js';
import { tasks } from './ledger.js';

export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** The effective fire time the run stands for (ISO-8601, UTC). */
    scheduledFor: text('scheduled_for').notNull(),
    ranAt: text('ran_at').notNull(),
  },
  (t) => [uniqueIndex('job_runs_name_scheduled_for_uq').on(t.name, t.scheduledFor)],
);

/** One row per task on the ladder: the last rung it reached. Deleted when a reply lands. */
export const escalationStates = sqliteTable(
  'escalation_states',
  {
    taskId: integer('task_id')
      .primaryKey()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    /** The agency that owns the task (so a reply can clear all of its tasks at once). */
    agencyId: integer('agency_id').notNull(),
    step: text('step', { enum: ESCALATION_STEPS }).notNull(),
    reachedAt: text('reached_at').notNull(),
  },
  (t) => [index('escalation_states_agency_idx').on(t.agencyId)],
);

/** Tasks that climbed to the last rung: the leaders' digest lists them (no message of their own). */
export const digestItems = sqliteTable(
  'digest_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    agencyId: integer('agency_id').notNull(),
    /** The prompt cycle (ISO week, Shanghai) in which the task reached the digest. */
    cycle: text('cycle').notNull(),
    /** Why: `overdue`, `silent`, as a JSON array. */
    triggers: text('triggers', { mode: 'json' }).$type<string[]>().notNull(),
    addedAt: text('added_at').notNull(),
  },
  (t) => [
    uniqueIndex('digest_items_task_cycle_uq').on(t.taskId, t.cycle),
    index('digest_items_cycle_idx').on(t.cycle),
  ],
);

/** Small global settings by key (`global_pause`), values as JSON. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: text('updated_at').notNull(),
});

export type JobRunRow = typeof jobRuns.$inferSelect;
export type EscalationStateRow = typeof escalationStates.$inferSelect;
export type DigestItemRow = typeof digestItems.$inferSelect;
