/**
 * `duban backup FILE` and `duban restore FILE`: copies of the SQLite database made with SQLite's
 * online backup API, so the bot may keep running during a backup (the copy is one consistent moment,
 * WAL included). A restore refuses a file that is not a sound Duban database and a target the bot
 * still has open, writes beside the target and renames, and keeps the database it replaces.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { DubanError } from '../core/errors.js';
import { migrationsFolder as defaultMigrationsFolder } from './paths.js';

const MIGRATIONS_TABLE = '__drizzle_migrations';
/** Tables every Duban database has had since the first release. */
const CORE_TABLES = ['agencies', 'documents', 'articles', 'tasks', 'audit_events'];

export interface BackupResult {
  path: string;
  bytes: number;
}

export interface RestoreResult {
  path: string;
  /** Where the database it replaced was kept, or undefined when there was none. */
  previous: string | undefined;
  /** Migrations recorded in the restored file (the next start applies any newer ones). */
  migrations: number;
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

function partialPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
}

/** Opens an existing file read-only, or says clearly that it is not there. */
function openExisting(path: string, what: string): Database.Database {
  if (!existsSync(path)) {
    throw new DubanError('backup.missing', `${what} does not exist: ${path}`, {
      hint: 'Check the path (and --db / DUBAN_DB_PATH).',
    });
  }
  try {
    return new Database(path, { readonly: true, fileMustExist: true });
  } catch (cause) {
    throw new DubanError('backup.unreadable', `${what} cannot be opened as SQLite: ${path}`, { cause });
  }
}

/**
 * Copies the live database at `source` to `target` (refusing to overwrite unless `overwrite`), through
 * a partial file renamed at the end, so `target` is never half written.
 */
export async function backupDatabase(input: {
  source: string;
  target: string;
  overwrite?: boolean;
}): Promise<BackupResult> {
  const { source, target } = input;
  if (existsSync(target) && input.overwrite !== true) {
    throw new DubanError('backup.target_exists', `The backup file already exists: ${target}`, {
      hint: 'Name a new file, or pass --force to replace it.',
    });
  }
  if (!existsSync(dirname(target))) {
    throw new DubanError(
      'backup.no_directory',
      `The folder for the backup does not exist: ${dirname(target)}`,
    );
  }
  const db = openExisting(source, 'The database');
  const partial = partialPath(target);
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial);
  } catch (cause) {
    rmSync(partial, { force: true });
    throw new DubanError('backup.failed', `The backup of ${source} failed`, { cause });
  } finally {
    db.close();
  }
  const problem = checkDubanDatabase(partial);
  if (problem !== undefined) {
    rmSync(partial, { force: true });
    throw new DubanError('backup.failed', `The backup of ${source} is not sound: ${problem}`);
  }
  renameSync(partial, target);
  return { path: target, bytes: statSync(target).size };
}

/** The latest migration this build knows (the journal's last `when`). */
function latestKnownMigration(migrationsFolder: string): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  return Math.max(0, ...journal.entries.map((e) => e.when));
}

/**
 * Why `path` is not a Duban database this build can run, or undefined when it is: SQLite's
 * integrity check, the migrations table, the core tables, and no migration newer than this build.
 */
export function checkDubanDatabase(
  path: string,
  migrationsFolder = defaultMigrationsFolder,
): string | undefined {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    return `not an SQLite file (${error instanceof Error ? error.message : String(error)})`;
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') return `SQLite integrity check failed: ${String(integrity)}`;
    const tables = new Set(
      (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
      ).map((t) => t.name),
    );
    if (!tables.has(MIGRATIONS_TABLE)) return 'it has no migrations table, so Duban did not make it';
    const missing = CORE_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) return `it lacks Duban's tables: ${missing.join(', ')}`;
    const newest = db.prepare(`SELECT max(created_at) AS at FROM "${MIGRATIONS_TABLE}"`).get() as {
      at: number | string | null;
    };
    if (newest.at === null) return 'its migrations table is empty';
    if (Number(newest.at) > latestKnownMigration(migrationsFolder)) {
      return 'it was made by a newer version of Duban than this one';
    }
    return undefined;
  } catch (error) {
    return `it cannot be read (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    db.close();
  }
}

/**
 * Takes SQLite's exclusive lock on the target, which fails while any other connection (the bot, a
 * CLI) has it open, and folds its WAL into the main file so the file kept aside is whole.
 */
function quiesce(target: string): void {
  let db: Database.Database;
  try {
    db = new Database(target, { fileMustExist: true });
  } catch (cause) {
    throw new DubanError('restore.unreadable', `The current database cannot be opened: ${target}`, {
      cause,
      hint: 'Move it aside yourself, then restore again.',
    });
  }
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (cause) {
    throw new DubanError('restore.in_use', `The database is in use: ${target}`, {
      cause,
      hint: 'Stop the bot (and any other duban command on this database) first, then restore again.',
    });
  } finally {
    db.close();
  }
}

/**
 * Replaces the database at `target` with the backup at `source`. The backup is checked first, then
 * copied beside the target and checked again; the current database is kept as
 * `<target>.before-restore-<time>` and the copy renamed into place.
 */
export async function restoreDatabase(input: {
  source: string;
  target: string;
  now: Date;
  migrationsFolder?: string;
}): Promise<RestoreResult> {
  const { source, target, now } = input;
  const src = openExisting(source, 'The backup file');
  src.close();
  const problem = checkDubanDatabase(source, input.migrationsFolder);
  if (problem !== undefined) {
    throw new DubanError('restore.not_duban', `${source} is not a Duban database to restore: ${problem}`, {
      hint: 'Restore a file written by `duban backup`.',
    });
  }
  const hadTarget = existsSync(target);
  if (hadTarget) quiesce(target);
  else if (!existsSync(dirname(target))) {
    throw new DubanError(
      'restore.no_directory',
      `The folder for the database does not exist: ${dirname(target)}`,
    );
  }

  const partial = partialPath(target);
  const reader = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await reader.backup(partial);
  } catch (cause) {
    rmSync(partial, { force: true });
    throw new DubanError('restore.failed', `Copying ${source} failed`, { cause });
  } finally {
    reader.close();
  }
  const copied = checkDubanDatabase(partial, input.migrationsFolder);
  if (copied !== undefined) {
    rmSync(partial, { force: true });
    throw new DubanError('restore.failed', `The copy of ${source} is not sound: ${copied}`);
  }
  const migrations = (() => {
    const db = new Database(partial, { readonly: true });
    try {
      return (db.prepare(`SELECT count(*) AS n FROM "${MIGRATIONS_TABLE}"`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  })();

  let previous: string | undefined;
  if (hadTarget) {
    previous = `${target}.before-restore-${stamp(now)}`;
    renameSync(target, previous);
    // After the checkpoint these are empty or gone; a leftover must not be read as the new file's WAL.
    for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  }
  renameSync(partial, target);
  return { path: target, previous, migrations };
}
