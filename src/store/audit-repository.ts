import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import { type DubanDatabase, prepareCached } from './database.js';
import { type AuditEventRow, auditEvents } from './schema/index.js';

export type AuditChannel = 'cli' | 'chat' | 'system' | 'scheduler';

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

/** The append-only audit log: there is no update or delete here, and triggers refuse them in SQL too. */
export function createAuditRepository({ db }: { db: DubanDatabase }) {
  const insertSql = `INSERT INTO audit_events (at, actor, channel, entity, entity_id, action, before, after)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

  return {
    append(event: AuditEventInput): number {
      const result = prepareCached(db, insertSql).run(
        event.at,
        event.actor,
        event.channel,
        event.entity,
        String(event.entityId),
        event.action,
        event.before === undefined ? null : JSON.stringify(event.before),
        event.after === undefined ? null : JSON.stringify(event.after),
      );
      return Number(result.lastInsertRowid);
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
