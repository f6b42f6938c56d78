/**
 * Applies the committed migrations (db/migrations, written by drizzle-kit), each in its own
 * transaction. drizzle's own migrator runs every pending file in ONE transaction, so a failure in the
 * last of five undoes the four that worked; here each file commits on its own and a failure leaves the
 * database at the last good migration, consistent, with a clear error.
 *
 * Bookkeeping is drizzle's: the same `__drizzle_migrations` table and rows (hash, created_at = the
 * journal's `when`), so databases migrated by either runner stay readable by both.
 */
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';

const MIGRATIONS_TABLE = '__drizzle_migrations';

export interface MigrationResult {
  /** The journal tags (e.g. `0013_outbox_lease_owner`) applied by this run, in order. */
  applied: string[];
}

/** Thrown when one migration fails; those before it stay applied. */
export class MigrationFailed extends Error {
  constructor(
    readonly tag: string,
    readonly applied: string[],
    cause: unknown,
  ) {
    super(`migration ${tag} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

interface JournalEntry {
  tag: string;
  when: number;
}

function journalTags(folder: string): Map<number, string> {
  // readMigrationFiles reads the same journal; the tags are only for messages.
  const { entries } = JSON.parse(readFileSync(`${folder}/meta/_journal.json`, 'utf8')) as {
    entries: JournalEntry[];
  };
  return new Map(entries.map((e) => [e.when, e.tag]));
}

export function runMigrations(sqlite: Database.Database, migrationsFolder: string): MigrationResult {
  const migrations = readMigrationFiles({ migrationsFolder });
  const tags = journalTags(migrationsFolder);
  // The same DDL as drizzle's migrator, so either can read the other's bookkeeping.
  sqlite.exec(
    `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
  );
  const last = sqlite
    .prepare(`SELECT created_at FROM "${MIGRATIONS_TABLE}" ORDER BY created_at DESC LIMIT 1`)
    .get() as { created_at: number | string } | undefined;
  const lastAt = last === undefined ? undefined : Number(last.created_at);
  const pending = migrations.filter((m) => lastAt === undefined || lastAt < m.folderMillis);
  const applied: string[] = [];
  if (pending.length === 0) return { applied };

  const record = sqlite.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES (?, ?)`);
  // A migration that rebuilds a table (drizzle-kit's copy-and-rename) must not trip foreign keys
  // halfway; the pragma is ignored inside a transaction, so it is set around them, and each
  // migration proves the keys still hold before it commits (SQLite's documented procedure).
  const foreignKeys = sqlite.pragma('foreign_keys', { simple: true }) === 1;
  sqlite.pragma('foreign_keys = OFF');
  try {
    for (const migration of pending) {
      const tag = tags.get(migration.folderMillis) ?? String(migration.folderMillis);
      try {
        sqlite
          .transaction(() => {
            for (const statement of migration.sql) {
              if (statement.trim() !== '') sqlite.exec(statement);
            }
            const broken = sqlite.pragma('foreign_key_check') as unknown[];
            if (broken.length > 0) throw new Error(`${broken.length} row(s) break a foreign key`);
            record.run(migration.hash, migration.folderMillis);
          })
          .immediate();
      } catch (cause) {
        throw new MigrationFailed(tag, applied, cause);
      }
      applied.push(tag);
    }
  } finally {
    if (foreignKeys) sqlite.pragma('foreign_keys = ON');
  }
  return { applied };
}
