/**
 * The policy ledger: documents → parts → articles → tasks, the agencies they are assigned to,
 * the people and chats bound to them, the append-only audit log, and inbound event dedupe.
 * Timestamps are ISO-8601 text (UTC); dates without time (due dates) are `YYYY-MM-DD`.
 */
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  AGENCY_KINDS,
  COLLECTIVE_SCOPES,
  DUE_KINDS,
  DUE_PERIODS,
  GRANT_SOURCES,
  PERSON_ROLES,
  SPECIAL_CHAT_ROLES,
  TASK_ROLES,
  TASK_STATUSES,
} from '../../core/vocabulary.js';

export const documents = sqliteTable(
  'documents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    /** sha256 of the normalized text: the idempotency key of an import. */
    contentHash: text('content_hash').notNull(),
    sourceName: text('source_name').notNull(),
    importedAt: text('imported_at').notNull(),
    /** When a revised text was last applied; equals importedAt for a first import. */
    revisedAt: text('revised_at').notNull(),
  },
  (t) => [
    uniqueIndex('documents_content_hash_uq').on(t.contentHash),
    index('documents_title_idx').on(t.title),
  ],
);

export const parts = sqliteTable(
  'parts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id),
    no: integer('no').notNull(),
    label: text('label').notNull(),
    title: text('title').notNull(),
  },
  (t) => [uniqueIndex('parts_document_no_uq').on(t.documentId, t.no)],
);

export const articles = sqliteTable(
  'articles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id),
    /** 1-based position in the current text; renumbered when a revision inserts or removes articles. */
    ordinal: integer('ordinal').notNull(),
    label: text('label').notNull(),
    partId: integer('part_id').references(() => parts.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    clause: text('clause'),
    /** Guidance without a responsibility clause: no tasks, flagged for coordinators. */
    noClause: integer('no_clause', { mode: 'boolean' }).notNull().default(false),
    /** Set when a revised text dropped the article; rows are never deleted. */
    removedAt: text('removed_at'),
  },
  (t) => [index('articles_document_ordinal_idx').on(t.documentId, t.ordinal)],
);

export const agencies = sqliteTable(
  'agencies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    kind: text('kind', { enum: AGENCY_KINDS }).notNull(),
    expandsTo: text('expands_to', { enum: COLLECTIVE_SCOPES }),
    chatId: text('chat_id'),
    contactOpenId: text('contact_open_id'),
    paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
    /** Last day of a pause (`YYYY-MM-DD`, Asia/Shanghai, inclusive); null while paused means until resumed. */
    pausedUntil: text('paused_until'),
    /** False once the registry no longer lists it; kept for history and open tasks. */
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('agencies_name_uq').on(t.name), uniqueIndex('agencies_chat_id_uq').on(t.chatId)],
);

export const agencyAliases = sqliteTable(
  'agency_aliases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    alias: text('alias').notNull(),
  },
  (t) => [uniqueIndex('agency_aliases_alias_uq').on(t.alias)],
);

export const tasks = sqliteTable(
  'tasks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id),
    /** Null when the decision names a body the registry does not know: the task stays visible, unassigned. */
    agencyId: integer('agency_id').references(() => agencies.id),
    /**
     * The canonical agency name, or for an unknown body the name as written. With article and role it is
     * the task's identity (NULL agency ids would not be unique in SQLite).
     */
    assignee: text('assignee').notNull(),
    /** The responsible body exactly as the clause wrote it (a variant, a typo, a collective). */
    writtenName: text('written_name').notNull(),
    role: text('role', { enum: TASK_ROLES }).notNull(),
    status: text('status', { enum: TASK_STATUSES }).notNull().default('not_started'),
    percent: integer('percent').notNull().default(0),
    blocked: integer('blocked', { mode: 'boolean' }).notNull().default(false),
    blockedReason: text('blocked_reason'),
    dueDate: text('due_date'),
    /**
     * What the decision said about the deadline: a date (then `due_date` holds it), a recurring report
     * (`due_every`: month, quarter, half-year, year) or ongoing work (长期坚持); null when it said nothing.
     */
    dueKind: text('due_kind', { enum: DUE_KINDS }),
    dueEvery: text('due_every', { enum: DUE_PERIODS }),
    /** The deadline as the decision wrote it (`2023年6月底前`, `每季度`), for people to check. */
    dueWritten: text('due_written'),
    lastReportAt: text('last_report_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** Set when a revised text dropped the task; rows are never deleted. */
    removedAt: text('removed_at'),
  },
  (t) => [
    uniqueIndex('tasks_article_assignee_role_uq').on(t.articleId, t.assignee, t.role),
    index('tasks_agency_idx').on(t.agencyId),
  ],
);

export const indicators = sqliteTable(
  'indicators',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id),
    ordinal: integer('ordinal').notNull(),
    metric: text('metric').notNull(),
    comparator: text('comparator', { enum: ['>=', '>', '=', '<', '<='] }).notNull(),
    value: real('value').notNull(),
    unit: text('unit').notNull(),
    deadlineYear: integer('deadline_year'),
    startYear: integer('start_year'),
    perYear: integer('per_year', { mode: 'boolean' }).notNull().default(false),
    source: text('source').notNull(),
  },
  (t) => [uniqueIndex('indicators_article_ordinal_uq').on(t.articleId, t.ordinal)],
);

/** Append-only: the repository has no update or delete for it. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    /** An open_id, 'cli', 'system' or 'scheduler'. */
    actor: text('actor').notNull(),
    channel: text('channel').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    /** The agency the change is about (a task's agency, a bound group's agency); null when none. */
    agencyId: integer('agency_id'),
    /** The actor's name as it was when the change was made: the trail stays readable if people leave. */
    actorName: text('actor_name'),
    /** The Lark message the change came from (a card's message, a command's message). */
    messageId: text('message_id'),
    /** The Lark event (or card callback) the change came from. */
    eventId: text('event_id'),
  },
  (t) => [index('audit_events_entity_idx').on(t.entity, t.entityId), index('audit_events_at_idx').on(t.at)],
);

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    openId: text('open_id').notNull(),
    name: text('name'),
    role: text('role', { enum: PERSON_ROLES }).notNull(),
    /** For officials: the agency they report for. */
    agencyId: integer('agency_id').references(() => agencies.id),
    /** Why the person holds the role: one row per source, so each source revokes only its own grant. */
    source: text('source', { enum: GRANT_SOURCES }).notNull().default('config'),
    /** The agency id, 0 for none: NULLs are never equal in SQLite, so the unique index needs a value. */
    agencyKey: integer('agency_key').generatedAlwaysAs(sql`coalesce(agency_id, 0)`, { mode: 'virtual' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    // One row per (person, role, agency, source).
    uniqueIndex('people_grant_uq').on(t.openId, t.role, t.agencyKey, t.source),
    index('people_open_id_idx').on(t.openId),
  ],
);

export const specialChats = sqliteTable('special_chats', {
  role: text('role', { enum: SPECIAL_CHAT_ROLES }).primaryKey(),
  chatId: text('chat_id').notNull().unique('special_chats_chat_id_uq'),
  boundAt: text('bound_at').notNull(),
});

/**
 * The inbox: each event Lark pushes is recorded here before it is acknowledged, with its payload, and
 * worked from the row afterwards. The ids make each processed once (Lark redelivers); `processed`
 * tells start-up which recorded events still owe their work after a crash.
 */
export const inboundEvents = sqliteTable(
  'inbound_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: text('event_id').notNull(),
    kind: text('kind').notNull(),
    messageId: text('message_id'),
    receivedAt: text('received_at').notNull(),
    /** The normalized event as JSON, kept until it is processed (then cleared: the ids suffice). */
    payload: text('payload'),
    /** Rows from before the inbox were all handled when they arrived, hence the default. */
    processed: integer('processed', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [
    uniqueIndex('inbound_events_event_id_uq').on(t.eventId),
    index('inbound_events_unprocessed_idx').on(t.id).where(sql`processed = 0`),
  ],
);

export const inboundMessages = sqliteTable(
  'inbound_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: text('message_id').notNull(),
    eventId: text('event_id').notNull(),
    receivedAt: text('received_at').notNull(),
    /**
     * The bot's answer to this message, once Lark created it. Lark dedupes a reply's uuid for an hour
     * only; a message worked again later (a restart after a long outage) must not be answered twice.
     */
    answerMessageId: text('answer_message_id'),
  },
  (t) => [uniqueIndex('inbound_messages_message_id_uq').on(t.messageId)],
);

export type DocumentRow = typeof documents.$inferSelect;
export type NewDocumentRow = typeof documents.$inferInsert;
export type PartRow = typeof parts.$inferSelect;
export type NewPartRow = typeof parts.$inferInsert;
export type ArticleRow = typeof articles.$inferSelect;
export type NewArticleRow = typeof articles.$inferInsert;
export type AgencyRow = typeof agencies.$inferSelect;
export type NewAgencyRow = typeof agencies.$inferInsert;
export type AgencyAliasRow = typeof agencyAliases.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;
export type NewTaskRow = typeof tasks.$inferInsert;
export type IndicatorRow = typeof indicators.$inferSelect;
export type NewIndicatorRow = typeof indicators.$inferInsert;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type NewAuditEventRow = typeof auditEvents.$inferInsert;
export type PersonRow = typeof people.$inferSelect;
export type NewPersonRow = typeof people.$inferInsert;
export type SpecialChatRow = typeof specialChats.$inferSelect;
export type InboundEventRow = typeof inboundEvents.$inferSelect;
export type InboundMessageRow = typeof inboundMessages.$inferSelect;
