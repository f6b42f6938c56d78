import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { DubanError } from '../core/errors.js';
import { MigrationFailed, runMigrations } from './migrate.js';
import { migrationsFolder as defaultMigrationsFolder } from './paths.js';
import * as schema from './schema/index.js';

type Schema = typeof schema;
/** The drizzle handle every repository takes; `db.$client` is the better-sqlite3 connection. */
export type DubanDatabase = BetterSQLite3Database<Schema> & { $client: Database.Database };

/**
 * Opens (creating when missing) the SQLite file and brings its schema up to date with the committed
 * migrations. `':memory:'` gives a private database, which is what tests use.
 */
export function openDatabase(options: { path: string; migrationsFolder?: string }): DubanDatabase {
  const { path } = options;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path);
  } catch (cause) {
    throw new DubanError('store.open_failed', `Cannot open the database at ${path}`, {
      hint: 'Check that the directory exists and is writable, or set DUBAN_DB_PATH / --db.',
      cause,
    });
  }
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle({ client: sqlite, schema });
  try {
    // Each migration in its own transaction: a failure keeps the ones before it (src/store/migrate.ts).
    runMigrations(sqlite, options.migrationsFolder ?? defaultMigrationsFolder);
  } catch (cause) {
    sqlite.close();
    const which = cause instanceof MigrationFailed ? ` (${cause.tag})` : '';
    throw new DubanError(
      'store.migration_failed',
      `Cannot apply the database migrations to ${path}${which}`,
      {
        hint: 'The file may come from a newer version of Duban, or be damaged. Migrations before the failing one stay applied; restore a backup (duban restore FILE) if in doubt.',
        cause,
      },
    );
  }
  return db;
}

export function closeDatabase(db: DubanDatabase): void {
  if (db.$client.open) db.$client.close();
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement compiled once per connection: repositories are cheap to create per request,
 * while SQLite parses each statement only the first time it runs.
 */
export function prepareCached(db: DubanDatabase, source: string): Database.Statement {
  let statements = statementCache.get(db.$client);
  if (statements === undefined) {
    statements = new Map();
    statementCache.set(db.$client, statements);
  }
  let statement = statements.get(source);
  if (statement === undefined) {
    statement = db.$client.prepare(source);
    statements.set(source, statement);
  }
  return statement;
}
