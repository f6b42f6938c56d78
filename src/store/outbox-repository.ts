import { and, asc, eq, inArray, isNotNull, isNull, lte, ne, or, sql } from 'drizzle-orm';
import { DubanError } from '../core/errors.js';
import type { OutboxKind, OutboxStatus } from '../core/vocabulary.js';
import type { OutgoingMessage } from '../ports/chat.js';
import type { DubanDatabase } from './database.js';
import { type OutboxRow, outbox } from './schema/outbox.js';

/** Lark's `uuid` is at most 50 characters, and the outbox key is that uuid. */
const OUTBOX_KEY_MAX = 50;

/** Rows per INSERT (10 bound values each, well under SQLite's variable limit). */
const ENQUEUE_CHUNK = 200;

export interface OutboxItem {
  key: string;
  kind: OutboxKind;
  chatId: string;
  message: OutgoingMessage;
  agencyId?: number | null;
  taskId?: number | null;
  cycle?: string | null;
}

/** A row as the dispatcher sees it: the payload typed as the chat port's message. */
export type OutboxEntry = Omit<OutboxRow, 'payload'> & { payload: OutgoingMessage };

export interface OutboxRepository {
  /** Idempotent: a key already present is left untouched. Returns the keys that were new. */
  enqueue(input: { items: OutboxItem[]; now: Date }): { inserted: string[] };
  /**
   * Atomically takes due rows and marks them `sending`, leased to `owner` until `now + leaseMs`; each
   * claim counts as an attempt. A row leased to another owner is skipped until that lease ends, even
   * while it waits between retries. Ordered by id, so the pages of one card leave in order.
   */
  claimDue(input: { now: Date; limit: number; leaseMs: number; owner: string }): OutboxEntry[];
  /**
   * Just before a send: records the first attempt (Lark's uuid window starts there) and returns the
   * row's first attempt time, or undefined when the row is no longer this owner's to send.
   */
  markAttempt(input: { id: number; owner: string; now: Date }): { firstAttemptAt: Date } | undefined;
  /**
   * Frees the rows an earlier run left leased: owners starting with `ownerPrefix` other than `except`,
   * plus rows left `sending` with no owner (written before owners existed). What was `sending` is due
   * now. Only the program that owns the prefix may call this (one bot per database).
   */
  releaseLeases(input: { now: Date; ownerPrefix: string; except: string }): number;
  /** The owners holding leases on unfinished rows (few: one per sender process). */
  leaseOwners(): string[];
  /** Gives back rows claimed by `owner` but never handed to Lark (a stop): due now, the claim uncounted. */
  releaseUnsent(input: { ids: readonly number[]; owner: string; now: Date }): number;
  /** The guards on `status = 'sending'` and the owner keep a late answer from undoing another sender's result. */
  markSent(input: { id: number; owner: string; messageId: string; now: Date }): boolean;
  /** Back to pending until `nextAttemptAt`, still leased to `owner` (nobody else takes it meanwhile). */
  markRetry(input: { id: number; owner: string; error: string; nextAttemptAt: Date }): boolean;
  markFailed(input: { id: number; owner: string; error: string }): boolean;
  findByKey(key: string): OutboxEntry | undefined;
  /** The sent message of one of these kinds with this Lark message id (e.g. the prompt card a reply is under). */
  findSentMessage(input: { messageId: string; kinds: readonly OutboxKind[] }): OutboxEntry | undefined;
  list(filter?: { status?: OutboxStatus; cycle?: string; kind?: OutboxKind }): OutboxEntry[];
  /**
   * When each agency was last sent a message of this kind (optionally in one cycle). Read in SQL, not
   * from list(): a year's follow-ups with their card payloads made every escalation check read them all.
   */
  lastSentByAgency(input: { kind: OutboxKind; cycle?: string }): Map<number, Date>;
  /** The earliest moment a not-yet-finished row becomes due, or null when nothing is left. */
  nextDueAt(): Date | null;
  counts(): Record<OutboxStatus, number>;
  /** Where each row of a cycle stands, without reading the payloads. */
  statusesForCycle(
    cycle: string,
  ): Array<Pick<OutboxRow, 'key' | 'kind' | 'agencyId' | 'status' | 'lastError'>>;
  /** Keys already written for a cycle (so a re-plan neither doubles a message nor spends budget twice). */
  keysForCycle(cycle: string): Set<string>;
  /** Messages per agency in a cycle, of the given kinds, not counting rows that failed. */
  countByAgency(input: { cycle: string; kinds: readonly OutboxKind[] }): Map<number, number>;
}

function toEntry(row: OutboxRow): OutboxEntry {
  return { ...row, payload: row.payload as OutgoingMessage };
}

export function createOutboxRepository({ db }: { db: DubanDatabase }): OutboxRepository {
  const unfinished = or(eq(outbox.status, 'pending'), eq(outbox.status, 'sending'));
  const stillMine = and(
    eq(outbox.id, sql.placeholder('id')),
    eq(outbox.status, 'sending'),
    eq(outbox.leaseOwner, sql.placeholder('owner')),
  );
  // A placeholder where drizzle's set() wants SQL.
  const param = (name: string) => sql`${sql.placeholder(name)}`;
  // Prepared once: the dispatcher runs these for every message, so building SQL each time would show.
  const statements = {
    claim: db
      .update(outbox)
      .set({
        status: 'sending',
        attempts: sql`${outbox.attempts} + 1`,
        nextAttemptAt: param('lease'),
        leaseOwner: param('owner'),
        leaseUntil: param('lease'),
      })
      .where(
        inArray(
          outbox.id,
          db
            .select({ id: outbox.id })
            .from(outbox)
            .where(
              and(
                unfinished,
                lte(outbox.nextAttemptAt, sql.placeholder('at')),
                or(
                  isNull(outbox.leaseOwner),
                  eq(outbox.leaseOwner, sql.placeholder('owner')),
                  isNull(outbox.leaseUntil),
                  lte(outbox.leaseUntil, sql.placeholder('at')),
                ),
              ),
            )
            .orderBy(asc(outbox.id))
            .limit(sql.placeholder('limit')),
        ),
      )
      .returning()
      .prepare(),
    attempt: db
      .update(outbox)
      .set({ firstAttemptAt: sql`coalesce(${outbox.firstAttemptAt}, ${sql.placeholder('at')})` })
      .where(stillMine)
      .returning({ firstAttemptAt: outbox.firstAttemptAt })
      .prepare(),
    sent: db
      .update(outbox)
      .set({
        status: 'sent',
        messageId: param('messageId'),
        sentAt: param('at'),
        lastError: null,
        leaseUntil: null,
      })
      .where(stillMine)
      .prepare(),
    retry: db
      .update(outbox)
      .set({ status: 'pending', lastError: param('error'), nextAttemptAt: param('at') })
      .where(stillMine)
      .prepare(),
    failed: db
      .update(outbox)
      .set({ status: 'failed', lastError: param('error'), leaseUntil: null })
      .where(stillMine)
      .prepare(),
  };

  return {
    enqueue({ items, now }) {
      const at = now.toISOString();
      for (const item of items) {
        if (item.key.length === 0 || item.key.length > OUTBOX_KEY_MAX) {
          throw new DubanError(
            'outbox.bad_key',
            `Outbox key must be 1–${OUTBOX_KEY_MAX} characters: ${item.key}`,
          );
        }
      }
      const inserted: string[] = [];
      const rows = items.map((item) => ({
        key: item.key,
        kind: item.kind,
        chatId: item.chatId,
        payload: item.message,
        agencyId: item.agencyId ?? null,
        taskId: item.taskId ?? null,
        cycle: item.cycle ?? null,
        status: 'pending' as const,
        nextAttemptAt: at,
        createdAt: at,
      }));
      db.transaction((tx) => {
        // Multi-row statements: a 500-agency fan-out is enqueued in a few milliseconds.
        for (let i = 0; i < rows.length; i += ENQUEUE_CHUNK) {
          const added = tx
            .insert(outbox)
            .values(rows.slice(i, i + ENQUEUE_CHUNK))
            .onConflictDoNothing({ target: outbox.key })
            .returning({ key: outbox.key })
            .all();
          for (const row of added) inserted.push(row.key);
        }
      });
      return { inserted };
    },

    claimDue({ now, limit, leaseMs, owner }) {
      const rows = statements.claim.all({
        at: now.toISOString(),
        limit,
        owner,
        lease: new Date(now.getTime() + leaseMs).toISOString(),
      });
      return rows.sort((a, b) => a.id - b.id).map(toEntry);
    },

    markAttempt({ id, owner, now }) {
      const row = statements.attempt.get({ id, owner, at: now.toISOString() });
      return row?.firstAttemptAt ? { firstAttemptAt: new Date(row.firstAttemptAt) } : undefined;
    },

    releaseLeases({ now, ownerPrefix, except }) {
      const at = now.toISOString();
      // LIKE would read `_` and `%` in the prefix as wildcards; substr compares it literally.
      const earlierRun = and(
        sql`substr(${outbox.leaseOwner}, 1, ${ownerPrefix.length}) = ${ownerPrefix}`,
        ne(outbox.leaseOwner, except),
      );
      return db
        .update(outbox)
        .set({
          status: 'pending',
          nextAttemptAt: sql`case when ${outbox.status} = 'sending' then ${at} else ${outbox.nextAttemptAt} end`,
          leaseOwner: null,
          leaseUntil: null,
        })
        .where(and(unfinished, or(earlierRun, and(eq(outbox.status, 'sending'), isNull(outbox.leaseOwner)))))
        .run().changes;
    },

    leaseOwners() {
      return db
        .selectDistinct({ owner: outbox.leaseOwner })
        .from(outbox)
        .where(and(unfinished, isNotNull(outbox.leaseOwner)))
        .all()
        .flatMap((row) => (row.owner === null ? [] : [row.owner]));
    },

    releaseUnsent({ ids, owner, now }) {
      if (ids.length === 0) return 0;
      return db
        .update(outbox)
        .set({
          status: 'pending',
          nextAttemptAt: now.toISOString(),
          attempts: sql`max(0, ${outbox.attempts} - 1)`,
          leaseOwner: null,
          leaseUntil: null,
        })
        .where(and(inArray(outbox.id, [...ids]), eq(outbox.status, 'sending'), eq(outbox.leaseOwner, owner)))
        .run().changes;
    },

    markSent({ id, owner, messageId, now }) {
      return statements.sent.run({ id, owner, messageId, at: now.toISOString() }).changes > 0;
    },

    markRetry({ id, owner, error, nextAttemptAt }) {
      return statements.retry.run({ id, owner, error, at: nextAttemptAt.toISOString() }).changes > 0;
    },

    markFailed({ id, owner, error }) {
      return statements.failed.run({ id, owner, error }).changes > 0;
    },

    findByKey(key) {
      const row = db.select().from(outbox).where(eq(outbox.key, key)).get();
      return row === undefined ? undefined : toEntry(row);
    },

    findSentMessage({ messageId, kinds }) {
      if (messageId === '' || kinds.length === 0) return undefined;
      const row = db
        .select()
        .from(outbox)
        .where(and(eq(outbox.messageId, messageId), inArray(outbox.kind, [...kinds])))
        .get();
      return row === undefined ? undefined : toEntry(row);
    },

    lastSentByAgency({ kind, cycle }) {
      const rows = db
        .select({ agencyId: outbox.agencyId, sentAt: sql<string>`max(${outbox.sentAt})` })
        .from(outbox)
        .where(
          and(
            eq(outbox.kind, kind),
            eq(outbox.status, 'sent'),
            isNotNull(outbox.agencyId),
            isNotNull(outbox.sentAt),
            cycle === undefined ? undefined : eq(outbox.cycle, cycle),
          ),
        )
        .groupBy(outbox.agencyId)
        .all();
      // sent_at is always an ISO-8601 UTC string (toISOString), so max() orders it as time.
      return new Map(rows.map((row) => [row.agencyId as number, new Date(row.sentAt)]));
    },

    list(filter = {}) {
      const conditions = [
        filter.status === undefined ? undefined : eq(outbox.status, filter.status),
        filter.cycle === undefined ? undefined : eq(outbox.cycle, filter.cycle),
        filter.kind === undefined ? undefined : eq(outbox.kind, filter.kind),
      ];
      return db
        .select()
        .from(outbox)
        .where(and(...conditions))
        .orderBy(asc(outbox.id))
        .all()
        .map(toEntry);
    },

    nextDueAt() {
      const row = db
        .select({ at: sql<string | null>`min(${outbox.nextAttemptAt})` })
        .from(outbox)
        .where(unfinished)
        .get();
      return row?.at ? new Date(row.at) : null;
    },

    counts() {
      const result: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
      const rows = db
        .select({ status: outbox.status, n: sql<number>`count(*)` })
        .from(outbox)
        .groupBy(outbox.status)
        .all();
      for (const row of rows) result[row.status] = row.n;
      return result;
    },

    statusesForCycle(cycle) {
      return db
        .select({
          key: outbox.key,
          kind: outbox.kind,
          agencyId: outbox.agencyId,
          status: outbox.status,
          lastError: outbox.lastError,
        })
        .from(outbox)
        .where(eq(outbox.cycle, cycle))
        .orderBy(asc(outbox.id))
        .all();
    },

    keysForCycle(cycle) {
      const rows = db.select({ key: outbox.key }).from(outbox).where(eq(outbox.cycle, cycle)).all();
      return new Set(rows.map((r) => r.key));
    },

    countByAgency({ cycle, kinds }) {
      const result = new Map<number, number>();
      if (kinds.length === 0) return result;
      const rows = db
        .select({ agencyId: outbox.agencyId, n: sql<number>`count(*)` })
        .from(outbox)
        .where(and(eq(outbox.cycle, cycle), inArray(outbox.kind, [...kinds]), ne(outbox.status, 'failed')))
        .groupBy(outbox.agencyId)
        .all();
      for (const row of rows) if (row.agencyId !== null) result.set(row.agencyId, row.n);
      return result;
    },
  };
}
