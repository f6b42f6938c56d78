import { and, asc, count, eq, inArray, type SQL } from 'drizzle-orm';
import { type DubanDatabase, prepareCached } from './database.js';
import { type AuditEventRow, auditEvents } from './schema/index.js';

const NAME_OF = "SELECT name FROM people WHERE open_id = ? AND name IS NOT NULL AND name <> '' LIMIT 1";

/** How a change reached Duban: a card tap, a slash command, a thread reply, the CLI, or Duban itself. */
export type AuditChannel = 'card' | 'command' | 'thread' | 'chat' | 'cli' | 'system' | 'scheduler';

/** Who made a change, when and through which channel: passed along with every write. */
export interface AuditContext {
  at: string;
  actor: string;
  channel: AuditChannel | (string & {});
  /** The actor's name when known (people-repository `nameOf`), kept with the event. */
  actorName?: string | null | undefined;
  /** The agency the change is about, when there is one. */
  agencyId?: number | null | undefined;
  /** The Lark message the change came from. */
  messageId?: string | null | undefined;
  /** The Lark event or card callback the change came from. */
  eventId?: string | null | undefined;
}

/** Where a change came from in Lark: what a front end passes to a use case to reach the audit trail. */
export interface AuditSource {
  messageId?: string | undefined;
  eventId?: string | undefined;
}

export interface AuditEventInput extends AuditContext {
  entity: string;
  entityId: string | number;
  action: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  channel: string;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
  agencyId: number | null;
  actorName: string | null;
  messageId: string | null;
  eventId: string | null;
}

function toEvent(row: AuditEventRow): AuditEvent {
  return { ...row, before: row.before ?? null, after: row.after ?? null };
}

const COLUMNS =
  '(at, actor, channel, entity, entity_id, action, before, after, agency_id, actor_name, message_id, event_id)';
const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** Rows per multi-row INSERT in appendMany: 12 columns × 64 stays far below SQLite's variable limit. */
const CHUNK = 64;

function values(event: AuditEventInput, nameOf: (actor: string) => string | null): unknown[] {
  return [
    event.at,
    event.actor,
    event.channel,
    event.entity,
    String(event.entityId),
    event.action,
    event.before === undefined ? null : JSON.stringify(event.before),
    event.after === undefined ? null : JSON.stringify(event.after),
    event.agencyId ?? null,
    event.actorName ?? nameOf(event.actor),
    event.messageId ?? null,
    event.eventId ?? null,
  ];
}

/** The append-only audit log: there is no update or delete here, and triggers refuse them in SQL too. */
export function createAuditRepository({ db }: { db: DubanDatabase }) {
  const single = `INSERT INTO audit_events ${COLUMNS} VALUES ${ROW}`;
  const chunk = `INSERT INTO audit_events ${COLUMNS} VALUES ${Array(CHUNK).fill(ROW).join(', ')}`;
  // The name as the people table knows it at the time of the change, unless the caller gave one.
  const nameOf = (actor: string): string | null =>
    (prepareCached(db, NAME_OF).get(actor) as { name: string } | undefined)?.name ?? null;
  const row = (event: AuditEventInput): unknown[] => values(event, nameOf);

  return {
    append(event: AuditEventInput): number {
      return Number(prepareCached(db, single).run(...row(event)).lastInsertRowid);
    },

    /** Appends in order, many rows per statement: what a bulk import uses (call it inside a transaction). */
    appendMany(events: AuditEventInput[]): void {
      let i = 0;
      for (; i + CHUNK <= events.length; i += CHUNK) {
        prepareCached(db, chunk).run(...events.slice(i, i + CHUNK).flatMap(row));
      }
      for (; i < events.length; i++) prepareCached(db, single).run(...row(events[i] as AuditEventInput));
    },

    list(
      filter: { entity?: string; entityId?: string | number; action?: string; agencyId?: number } = {},
    ): AuditEvent[] {
      const conditions: SQL[] = [];
      if (filter.agencyId !== undefined) conditions.push(eq(auditEvents.agencyId, filter.agencyId));
      if (filter.entity !== undefined) conditions.push(eq(auditEvents.entity, filter.entity));
      if (filter.entityId !== undefined) conditions.push(eq(auditEvents.entityId, String(filter.entityId)));
      if (filter.action !== undefined) conditions.push(eq(auditEvents.action, filter.action));
      return db
        .select()
        .from(auditEvents)
        .where(and(...conditions))
        .orderBy(asc(auditEvents.id))
        .all()
        .map(toEvent);
    },

    /** The events about any of these entities (e.g. an article's tasks), oldest first. */
    listFor(entity: string, entityIds: ReadonlyArray<string | number>): AuditEvent[] {
      if (entityIds.length === 0) return [];
      return db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.entity, entity), inArray(auditEvents.entityId, entityIds.map(String))))
        .orderBy(asc(auditEvents.id))
        .all()
        .map(toEvent);
    },

    count(): number {
      return db.select({ n: count() }).from(auditEvents).get()?.n ?? 0;
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
