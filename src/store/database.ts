import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { DubanError } from '../core/errors.js';
import { MigrationFailed, runMigrations } from './migrate.js';
import { migrationsFolder as defaultMigrationsFolder } from './paths.js';
import * as schema from './schema/index.js';

type Schema = typeof schema;
/** The drizzle handle every repository takes; `db.$client` is the better-sqlite3 connection. */
export type DubanDatabase = BetterSQLite3Database<Schema> & { $client: Database.Database };

/** SQLite's own default: the committing connection checkpoints once the WAL holds this many pages. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** With background checkpoints, the committing connection checkpoints only if the worker falls this far behind. */
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;
const CHECKPOINT_INTERVAL_MS = 500;

/**
 * The checkpointer, a worker thread with its own connection: plain CommonJS, so it loads without the
 * TypeScript loader. PASSIVE never waits for readers or writers; what it cannot copy yet, it copies
 * next time.
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

const checkpointers = new WeakMap<Database.Database, Worker>();

/**
 * Moves WAL checkpoints off the connection's thread. A checkpoint copies the WAL into the database
 * file and syncs both to disk, which blocks the committing thread for milliseconds to tens of them
 * (on a busy disk) in whichever commit crosses the threshold: for the bot, every answer waiting on
 * that turn of the event loop waits too. The connection keeps a far threshold as a fallback, and
 * returns to SQLite's default if the worker stops.
 */
function checkpointInBackground(sqlite: Database.Database, path: string): void {
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const worker = new Worker(CHECKPOINTER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path,
      intervalMs: CHECKPOINT_INTERVAL_MS,
    },
  });
  // Never what keeps the process alive; closeDatabase stops it.
  worker.unref();
  const fallBack = () => {
    checkpointers.delete(sqlite);
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  worker.once('error', fallBack);
  worker.once('exit', fallBack);
  checkpointers.set(sqlite, worker);
}

/**
 * Opens (creating when missing) the SQLite file and brings its schema up to date with the committed
 * migrations. `':memory:'` gives a private database, which is what tests use. `backgroundCheckpoints`
 * (for the long-running bot) checkpoints the WAL from a worker thread instead of inside commits.
 */
export function openDatabase(options: {
  path: string;
  migrationsFolder?: string;
  backgroundCheckpoints?: boolean;
}): DubanDatabase {
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
  if (options.backgroundCheckpoints === true && path !== ':memory:') checkpointInBackground(sqlite, path);
  return db;
}

export function closeDatabase(db: DubanDatabase): void {
  const checkpointer = checkpointers.get(db.$client);
  if (checkpointer !== undefined) {
    checkpointers.delete(db.$client);
    // The worker closes its connection and ends; the last connection to close checkpoints the rest.
    checkpointer.postMessage('close');
  }
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
