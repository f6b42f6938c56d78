/**
 * Which mode made a database, kept in the database itself (`database_meta`), so the sandbox never
 * seeds made-up people and groups into a real ledger and a tenant never runs on made-up bindings.
 * The composition root claims the mode before anything else writes; the wording of a refusal is its job.
 */
import { randomBytes } from 'node:crypto';
import { count, eq, inArray } from 'drizzle-orm';
import type { DatabaseMode } from '../core/vocabulary.js';
import type { DubanDatabase } from './database.js';
import {
  agencies,
  auditEvents,
  databaseMeta,
  documents,
  outbox,
  people,
  specialChats,
} from './schema/index.js';

export interface DatabaseModeMark {
  mode: DatabaseMode;
  /** 'sandbox', 'tenant', 'duban import', or 'inferred' (a database older than the marker). */
  madeBy: string;
  madeAt: string;
}

export type ModeClaim =
  | { ok: true; mark: DatabaseModeMark; fresh: boolean }
  | { ok: false; found: DatabaseModeMark };

/** The marker, or undefined for a database no mode has claimed yet. */
export function databaseModeOf(db: DubanDatabase): DatabaseModeMark | undefined {
  const row = db.select().from(databaseMeta).where(eq(databaseMeta.id, 1)).get();
  return row === undefined ? undefined : { mode: row.mode, madeBy: row.madeBy, madeAt: row.madeAt };
}

/** True when nothing has been written yet: no agency, document, person, audit event or outbox row. */
function holdsNoData(db: DubanDatabase): boolean {
  for (const table of [agencies, documents, people, auditEvents, outbox, specialChats]) {
    if ((db.select({ n: count() }).from(table).get()?.n ?? 0) > 0) return false;
  }
  return true;
}

/**
 * The mode of a database made before the marker existed. Choosing safely: only a database holding a
 * group the sandbox binds (its coordinators' group, an agency's `…督办群`) is a sandbox's; anything else
 * with data may be a real ledger, so the sandbox must not touch it.
 */
function inferMode(db: DubanDatabase, sandboxChatIds: readonly string[]): DatabaseMode {
  if (sandboxChatIds.length === 0) return 'tenant';
  const ids = [...sandboxChatIds];
  const agencyHit = db.select({ n: count() }).from(agencies).where(inArray(agencies.chatId, ids)).get();
  const specialHit = db
    .select({ n: count() })
    .from(specialChats)
    .where(inArray(specialChats.chatId, ids))
    .get();
  return (agencyHit?.n ?? 0) + (specialHit?.n ?? 0) > 0 ? 'sandbox' : 'tenant';
}

/**
 * Claims the database for `mode`: a new database (or one made before the marker, whose mode is inferred)
 * is marked; a database marked by the other mode is refused and nothing is written.
 */
export function claimDatabaseMode(
  db: DubanDatabase,
  input: { mode: DatabaseMode; madeBy: string; at: string; sandboxChatIds?: readonly string[] },
): ModeClaim {
  return db.transaction(() => {
    const existing = databaseModeOf(db);
    if (existing !== undefined) {
      return existing.mode === input.mode
        ? { ok: true as const, mark: existing, fresh: false }
        : { ok: false as const, found: existing };
    }
    const fresh = holdsNoData(db);
    const mark: DatabaseModeMark = fresh
      ? { mode: input.mode, madeBy: input.madeBy, madeAt: input.at }
      : { mode: inferMode(db, input.sandboxChatIds ?? []), madeBy: 'inferred', madeAt: input.at };
    if (mark.mode !== input.mode) return { ok: false as const, found: mark };
    db.insert(databaseMeta)
      .values({ id: 1, ...mark })
      .run();
    return { ok: true as const, mark, fresh };
  });
}

/**
 * Marks a database that holds nothing yet (what `duban import` just created); a database with data or a
 * marker keeps what it has. Returns the marker now in place, if any.
 */
export function markNewDatabase(
  db: DubanDatabase,
  input: { mode: DatabaseMode; madeBy: string; at: string },
): DatabaseModeMark | undefined {
  return db.transaction(() => {
    const existing = databaseModeOf(db);
    if (existing !== undefined || !holdsNoData(db)) return existing;
    const mark: DatabaseModeMark = { mode: input.mode, madeBy: input.madeBy, madeAt: input.at };
    db.insert(databaseMeta)
      .values({ id: 1, ...mark })
      .run();
    return mark;
  });
}

/**
 * The sandbox's event encryption key for this database, generated on first use and kept, so a restart
 * on the same file keeps it and no two sandboxes share a key. Call after the mode is claimed.
 */
export function sandboxEncryptKey(db: DubanDatabase, generate = () => randomBytes(24).toString('base64url')) {
  return db.transaction(() => {
    const row = db.select().from(databaseMeta).where(eq(databaseMeta.id, 1)).get();
    if (row === undefined)
      throw new Error('the database mode must be claimed before the sandbox key is read');
    if (row.sandboxEncryptKey !== null) return row.sandboxEncryptKey;
    const key = generate();
    db.update(databaseMeta).set({ sandboxEncryptKey: key }).where(eq(databaseMeta.id, 1)).run();
    return key;
  });
}
