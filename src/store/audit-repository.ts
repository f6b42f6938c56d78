import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import { type DubanDatabase, prepareCached } from './database.js';
import { type AuditEventRow, auditEvents } from './schema/index.js';

/** How a change reached Duban: a card tap, a slash command, a thread reply, the CLI, or Duban itself. */
export type AuditChannel = 'card' | 'command' | 'thread' | 'chat' | 'cli' | 'system' | 'scheduler';

/** Who made a change, when and through which channel: passed along with every write. */
export interface AuditContext {
  at: string;
  actor: string;
  channel: AuditChannel | (string & {});
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
}

function toEvent(row: AuditEventRow): AuditEvent {
  return { ...row, before: row.before ?? null, after: row.after ?? null };
}

const COLUMNS = '(at, actor, channel, entity, entity_id, action, before, after)';
const ROW = '(?, ?, ?, ?, ?, ?, ?, ?)';
/** Rows per multi-row INSERT in appendMany: 8 columns × 64 stays far below SQLite's variable limit. */
const CHUNK = 64;

function values(event: AuditEventInput): unknown[] {
  return [
    event.at,
    event.actor,
    event.channel,
    event.entity,
    String(event.entityId),
    event.action,
    event.before === undefined ? null : JSON.stringify(event.before),
    event.after === undefined ? null : JSON.stringify(event.after),
  ];
}

/** The append-only audit log: there is no update or delete here, and triggers refuse them in SQL too. */
export function createAuditRepository({ db }: { db: DubanDatabase }) {
  const single = `INSERT INTO audit_events ${COLUMNS} VALUES ${ROW}`;
  const chunk = `INSERT INTO audit_events ${COLUMNS} VALUES ${Array(CHUNK).fill(ROW).join(', ')}`;

  return {
    append(event: AuditEventInput): number {
      return Number(prepareCached(db, single).run(...values(event)).lastInsertRowid);
    },

    /** Appends in order, many rows per statement: what a bulk import uses (call it inside a transaction). */
    appendMany(events: AuditEventInput[]): void {
      let i = 0;
      for (; i + CHUNK <= events.length; i += CHUNK) {
        prepareCached(db, chunk).run(...events.slice(i, i + CHUNK).flatMap(values));
      }
      for (; i < events.length; i++) prepareCached(db, single).run(...values(events[i] as AuditEventInput));
    },

    list(filter: { entity?: string; entityId?: string | number; action?: string } = {}): AuditEvent[] {
      const conditions: SQL[] = [];
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

    count(): number {
      return db.select({ n: count() }).from(auditEvents).get()?.n ?? 0;
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
