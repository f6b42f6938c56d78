/**
 * The outbox: every message the bot intends to send is first written here under a unique key, then
 * sent by the dispatcher. The key doubles as Lark's `uuid`, so neither a re-plan nor a retry after a
 * crash can produce a second message. Timestamps are ISO-8601 text (UTC), like the ledger.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { OUTBOX_KINDS, OUTBOX_STATUSES } from '../../core/vocabulary.js';

export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** ≤ 50 characters (Lark's uuid limit), e.g. `prompt:12:2026-W48`. */
    key: text('key').notNull(),
    /** prompt, follow_up, escalation, notice, … (SQLite keeps it free text: a new kind needs no migration). */
    kind: text('kind', { enum: OUTBOX_KINDS }).notNull(),
    /** No foreign keys: a row is a record of a message, and notices about an agency go to other chats. */
    agencyId: integer('agency_id'),
    taskId: integer('task_id'),
    cycle: text('cycle'),
    chatId: text('chat_id').notNull(),
    /** The OutgoingMessage of the chat port (a card, a text, …), as JSON. */
    payload: text('payload', { mode: 'json' }).notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    messageId: text('message_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** When the row is next due; while `sending`, the end of the sender's lease. */
    nextAttemptAt: text('next_attempt_at').notNull(),
    /**
     * Which sender process holds the row (e.g. `bot#4242-1a2b`): only it may record the outcome, and
     * until `leaseUntil` no other process claims the row, not even between its retries.
     */
    leaseOwner: text('lease_owner'),
    leaseUntil: text('lease_until'),
    /** When Lark was first asked to create this message: Lark's uuid dedupe lasts one hour from then. */
    firstAttemptAt: text('first_attempt_at'),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
  },
  (t) => [
    uniqueIndex('outbox_key_uq').on(t.key),
    index('outbox_status_due_idx').on(t.status, t.nextAttemptAt),
    index('outbox_cycle_agency_idx').on(t.cycle, t.agencyId),
    // A reply in a prompt card's thread names the card's message id: which agency and cycle it answers.
    index('outbox_message_idx').on(t.messageId),
  ],
);

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = typeof outbox.$inferInsert;
